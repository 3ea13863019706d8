import ArgumentParser
import Foundation
import HandoverKit

/// `handover init`: write a manifest from a shipped template, or propose one from an export.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a manifest from a shipped template, or propose one from an export.",
        discussion: """
            Templates: \(ManifestTemplates.all.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). \
            --lang fr gives a template in French where one exists (see --list): titles, notes and \
            column names in French, the English column names kept as aliases.

            --from SOURCE proposes a manifest from an export as it is: one deliverable per \
            top-level folder (its title without a leading "01 - "), the formats and the number \
            of files seen there, and the columns its CSV files share. Each deliverable is marked \
            "# review": it describes the export, not the contract. --lang sets the language of \
            its comments.

            The JSON Schema of the manifest is written beside it so that editors check the file \
            as you type. An existing file is never overwritten without --force.

            Examples:
              handover init --list
              handover init --template infogerance --output handover.yaml
              handover init --template infogerance --lang fr --output remise.yaml
              handover init --from ./export --lang fr --output remise.yaml
            """
    )

    @Option(help: "The template to start from (see --list).")
    var template: String?

    @Option(name: .customLong("from"), help: ArgumentHelp("Propose a manifest from this export folder instead of a template.", valueName: "source"))
    var source: String?

    @Option(help: "The language of the template or of the proposal's comments: en or fr.")
    var lang: ReportLanguage = .en

    @Option(help: "The manifest file to write.")
    var output: String?

    @Flag(help: "List the templates and their languages, and exit.")
    var list = false

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        if list {
            for template in ManifestTemplates.all {
                let languages = ManifestTemplates.languages(of: template.name).joined(separator: ", ")
                Console.out("\(template.name.padding(toLength: 14, withPad: " ", startingAt: 0))"
                    + "\(languages.padding(toLength: 8, withPad: " ", startingAt: 0))\(template.summary)\n")
            }
            return
        }
        let language = lang.rawValue
        if template != nil, source != nil {
            throw ValidationError("give either --template NAME or --from SOURCE, not both")
        }
        let bytes: [UInt8]
        let origin: String
        if let source {
            guard let outputPath = self.output else { throw ValidationError("give --output FILE, the manifest to write") }
            let proposal = try ManifestProposal.make(source: source)
            bytes = Array(proposal.yaml(source: source, language: language).utf8)
            try write(bytes, to: outputPath)
            let count = proposal.deliverables.count
            Console.out("Wrote \(outputPath): \(count) deliverable\(count == 1 ? "" : "s") proposed from \(VisibleText.name(source)). "
                + "Review each one marked '# review', then run:\n")
            Console.out("  handover missing --manifest \(outputPath) \(source)\n")
            return
        }
        guard let name = template else {
            throw ValidationError("give --template NAME (one of \(names)) or --from SOURCE, and --output FILE; or --list")
        }
        guard ManifestTemplates.named(name) != nil else {
            throw ValidationError("no template named '\(name)'; choose one of \(names)")
        }
        guard let chosen = ManifestTemplates.named(name, language: language) else {
            let languages = ManifestTemplates.languages(of: name).joined(separator: ", ")
            throw ValidationError("the \(name) template exists in \(languages) only, not in '\(language)'")
        }
        guard let outputPath = self.output else {
            throw ValidationError("give --output FILE, the manifest to write")
        }
        bytes = chosen.bytes
        origin = chosen.language == "en" ? "the \(chosen.name) template" : "the \(chosen.name) template (\(chosen.language))"
        try write(bytes, to: outputPath)
        Console.out("Wrote \(outputPath) from \(origin). Fill in the handover section and the paths, then run:\n")
        Console.out("  handover missing --manifest \(outputPath) SOURCE\n")
    }

    /// Writes the manifest, then the schema beside it unless one is there already.
    private func write(_ bytes: [UInt8], to outputPath: String) throws {
        try AtomicFile.write(bytes, to: outputPath, overwrite: force)
        let schemaPath = URL(fileURLWithPath: outputPath).deletingLastPathComponent()
            .appendingPathComponent(ManifestTemplates.schema.name).path
        if !FileManager.default.fileExists(atPath: schemaPath) {
            try AtomicFile.write(ManifestTemplates.schema.bytes, to: schemaPath, overwrite: false)
        }
    }

    var names: String { ManifestTemplates.all.map(\.name).joined(separator: ", ") }
}
