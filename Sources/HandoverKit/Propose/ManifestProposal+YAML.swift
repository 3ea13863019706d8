extension ManifestProposal {
    /// The proposal as a manifest's YAML text, its comments in `language` (en or fr).
    public func yaml(source: String, language: String) -> String {
        let words = ProposalStrings.forLanguage(language)
        let quote = ProposalNames.yamlQuoted
        var lines = ["# yaml-language-server: $schema=handover-manifest.schema.json"]
        lines += words.header.replacingOccurrences(of: "{source}", with: VisibleText.name(source))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines += [
            "version: 1",
            "handover:",
            "  contract: \(words.handover.contract)",
            "  client: \(words.handover.client)",
            "  provider: \(words.handover.provider)",
            "  recipient: \(words.handover.recipient)",
        ]
        if !looseFiles.isEmpty {
            let examples = looseFiles.prefix(3).joined(separator: ", ") + (looseFiles.count > 3 ? ", …" : "")
            lines.append(words.agreeing(words.looseFiles, looseFiles.count).replacingOccurrences(of: "{examples}", with: examples))
        }
        if unnamedFolders > 0 {
            lines.append(words.agreeing(words.unnamedFolders, unnamedFolders))
        }
        for (folder, other) in ambiguousFolders {
            lines.append(words.ambiguousFolder.replacingOccurrences(of: "{folder}", with: VisibleText.name(folder))
                .replacingOccurrences(of: "{other}", with: VisibleText.name(other)))
        }
        guard !deliverables.isEmpty else {
            lines.append(words.noFolders)
            lines.append("deliverables: []")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("deliverables:")
        for item in deliverables {
            let seen = item.formats.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.key.isEmpty ? "—" : "." + VisibleText.name($0.key)) × \($0.value)" }.joined(separator: ", ")
            lines.append("")
            lines.append("  " + words.review.replacingOccurrences(of: "{files}", with: words.count(item.fileCount))
                .replacingOccurrences(of: "{formats}", with: seen))
            if !item.systemFiles.isEmpty {
                let examples = item.systemFiles.prefix(3).joined(separator: ", ") + (item.systemFiles.count > 3 ? ", …" : "")
                lines.append("  " + words.agreeing(words.reviewSystemFiles, item.systemFiles.count).replacingOccurrences(of: "{examples}", with: examples))
            }
            lines.append("  - id: \(item.id)")
            lines.append("    title: \(quote(item.title))")
            lines.append("    paths: [\(quote(item.folderGlob + "/**/*"))]")
            lines.append("    min-files: \(item.fileCount)")
            // A file without an extension cannot be named in `formats`: the list is then left out.
            let extensions = item.formats.keys.sorted()
            if !extensions.contains(""), extensions.allSatisfy(Self.isFormatWord) {
                lines.append("    formats: [\(extensions.joined(separator: ", "))]")
            }
            if item.csvFiles > 0 {
                if item.csvColumns.isEmpty {
                    lines.append("    " + words.reviewNoSharedColumns)
                } else {
                    lines.append("    " + words.reviewCSV)
                    lines.append("    csv:")
                    lines.append("      required-columns: [\(item.csvColumns.map(quote).joined(separator: ", "))]")
                    if item.csvHeaderRow > 1 { lines.append("      header-row: \(item.csvHeaderRow)") }
                }
            }
            lines.append("    notes: \(quote(words.notes.replacingOccurrences(of: "{folder}", with: item.title)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the schema accepts as a format: letters and digits, then also `_`, `+` and `-`.
    static func isFormatWord(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "_+-".unicodeScalars.contains($0)) }
    }
}
