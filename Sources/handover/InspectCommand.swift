import ArgumentParser
import Foundation
import HandoverKit

/// `handover inspect`: what a bundle holds, in seconds, without extracting or hashing.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "List what a bundle holds, without extracting or checking it.",
        discussion: """
            Reads the archive's entry headers and skips their data, except the small tag files: \
            bag-info.txt's fields, the deliverables recorded at build time (handover/report.json) \
            with their files and sizes, and whether a signature and a time-stamp are present. \
            Nothing is hashed, so nothing is proven: run 'handover verify' for that. Exit status \
            0 when the bundle could be listed, 1 when the archive is damaged or unsafe, 2 when \
            it cannot be read.

            Examples:
              handover inspect acme-sa-handover-20261231T120000Z.tar.zst
              handover inspect bundle.tar.zst --verbose
              handover inspect bundle.tar.zst --format json
            """
    )

    @Argument(help: "The bundle (archive) or bag folder to list.")
    var bundle: String

    @Option(help: "text for people, json for machines.")
    var format: OutputFormat = .text

    @Flag(help: "List every file of each deliverable (text lists the first 10).")
    var verbose = false

    func run() throws {
        let json = InspectJSON(try Console.refusalAsJSON(format == .json, path: bundle) { try BundleInspection.inspect(path: bundle) })
        switch format {
        case .text: Console.out(InspectText.render(json, filesShown: verbose ? nil : 10))
        case .json: Console.json(json.encoded())
        }
    }
}
