import ArgumentParser
import Foundation
import HandoverKit

/// `handover missing`: list each deliverable's status against SOURCE (or inside a bundle).
struct MissingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "missing",
        abstract: "List deliverables: ok, missing, invalid or optional-absent, with reasons.",
        discussion: """
            With --manifest, checks the folder SOURCE against the manifest. Exit status 0 when \
            every required deliverable is ok, 1 otherwise, 2 when the check cannot run.

            Examples:
              handover missing --manifest handover.yaml /srv/export
              handover missing --manifest handover.yaml /srv/export --format json
            """
    )

    @Option(help: "The manifest listing the deliverables the contract requires.")
    var manifest: String?

    @Argument(help: "The folder holding the deliverables (SOURCE).")
    var path: String

    @Option(help: "text for people, json for machines.")
    var format: OutputFormat = .text

    @Flag(help: "Record secrets found in deliverables as warnings instead of failing.")
    var allowSecrets = false

    @Flag(help: "List every file that is not collected, not a summary.")
    var verbose = false

    func run() throws {
        guard let manifestPath = manifest else {
            throw ValidationError("give --manifest FILE with SOURCE")
        }
        let manifest = try ManifestParser.load(path: manifestPath)
        let report = try SourceCheck.run(manifest: manifest, source: path, options: CheckOptions(allowSecrets: allowSecrets))
        switch format {
        case .text: Console.out(CheckText.render(report, verbose: verbose))
        case .json: Console.out(CheckJSON(report).encoded())
        }
        if !report.passed { throw Exit.CheckFailed() }
    }
}
