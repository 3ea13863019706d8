import ArgumentParser
import Foundation
import HandoverKit

/// `handover init`: write a manifest from a shipped template.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a manifest from a shipped template.",
        discussion: """
            Templates: \(ManifestTemplates.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")).
            The JSON Schema of the manifest is written beside it so that editors check the file \
            as you type. An existing file is never overwritten without --force.

            Examples:
              handover init --list
              handover init --template infogerance --output handover.yaml
            """
    )

    @Option(help: "The template to start from (see --list).")
    var template: String?

    @Option(help: "The manifest file to write.")
    var output: String?

    @Flag(help: "List the templates and exit.")
    var list = false

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        if list {
            for template in ManifestTemplates.all {
                Console.out("\(template.name.padding(toLength: 14, withPad: " ", startingAt: 0))\(template.summary)\n")
            }
            return
        }
        guard let name = template else {
            throw ValidationError("give --template NAME (one of \(names)) and --output FILE, or --list")
        }
        guard let chosen = ManifestTemplates.named(name) else {
            throw ValidationError("no template named '\(name)'; choose one of \(names)")
        }
        guard let outputPath = self.output else {
            throw ValidationError("give --output FILE, the manifest to write")
        }
        try AtomicFile.write(chosen.bytes, to: outputPath, overwrite: force)
        let schemaPath = URL(fileURLWithPath: outputPath).deletingLastPathComponent()
            .appendingPathComponent(ManifestTemplates.schema.name).path
        if !FileManager.default.fileExists(atPath: schemaPath) {
            try AtomicFile.write(ManifestTemplates.schema.bytes, to: schemaPath, overwrite: false)
        }
        Console.out("Wrote \(outputPath) from the \(chosen.name) template. Fill in the handover section and the paths, then run:\n")
        Console.out("  handover missing --manifest \(outputPath) SOURCE\n")
    }

    var names: String { ManifestTemplates.all.map(\.name).joined(separator: ", ") }
}
