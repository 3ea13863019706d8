import Foundation

/// Ids, titles and globs made from a folder's name, as people number and name folders.
enum ProposalNames {
    /// "01 - Documentation", "02_Comptes", "3. Inventaire", "10 – Contrats": the leading number
    /// and its separator, which order the folders and say nothing of what they hold.
    static func title(_ folder: String) -> String {
        let whole = folder.trimmingCharacters(in: .whitespaces)
        let digits = folder.prefix { $0.isASCII && $0.isNumber }
        // "2026 Budget" keeps its year: a numbering has at most three digits.
        guard !digits.isEmpty, digits.count <= 3 else { return whole }
        let rest = folder.dropFirst(digits.count)
        let separators: Set<Character> = [" ", "-", "_", ".", ")", "–", "—", "\u{00A0}"]
        let separator = rest.prefix { separators.contains($0) }
        guard !separator.isEmpty else { return whole }
        let title = rest.dropFirst(separator.count).trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? whole : title
    }

    /// The id a manifest accepts (lowercase letters, digits and dashes, a letter first), from the
    /// folder's title: accents dropped, other characters made dashes.
    static func slug(_ folder: String) -> String {
        let plain = title(folder).lowercased().replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "æ", with: "ae")
            .decomposedStringWithCanonicalMapping
        var out = ""
        for scalar in plain.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty, !out.hasSuffix("-") {
                out += "-"
            }
            if out.count >= 48 { break }
        }
        while out.hasSuffix("-") { out.removeLast() }
        if out.first.map({ !$0.isLetter }) ?? true { out = "deliverable" + (out.isEmpty ? "" : "-" + out) }
        return out
    }

    /// The folder's name as a glob that matches it: `*`, `?`, braces and commas, which globs
    /// read as patterns, each become `?` (one character, which they are).
    static func globLiteral(_ folder: String) -> String {
        // A backslash too: manifests refuse it in globs (it reads as a Windows separator).
        String(folder.map { "*?{},\\".contains($0) ? "?" : $0 })
    }

    /// A YAML double-quoted scalar: quotes, backslashes and control characters escaped, so
    /// that any name (a line break in it too) is written as one value.
    static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
