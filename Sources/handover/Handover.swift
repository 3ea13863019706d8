import ArgumentParser
import HandoverKit

/// `handover`: package, verify and report on the end-of-contract handover of an IT service.
@main
struct Handover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Package, verify and report on the end-of-contract handover of an IT service.",
        version: HandoverVersion.version,
        subcommands: []
    )
}
