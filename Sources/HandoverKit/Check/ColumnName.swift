import Foundation

/// Column names compared the way a person reads them, not byte for byte.
///
/// Spreadsheets are typed by people: `Système` becomes `Systeme` or `SYSTEME`, `Nom d'hôte`
/// gets a typographic apostrophe from Word's autocorrect (`Nom d’hôte`), `last login` is written
/// `last_login` or `Last-Login`, and Excel in French puts non-breaking spaces where a space was.
/// None of that is a different column, so none of it counts.
enum ColumnName {
    /// The name with case, accents, apostrophe shapes, ligatures, and runs of spaces,
    /// underscores and dashes made alike; surrounding spaces removed.
    static func normalised(_ name: String) -> String {
        var mapped = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{201B}", "\u{02BC}", "\u{02B9}", "\u{00B4}", "\u{0060}", "\u{2032}":
                mapped.append("'")
            case "_", "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}":
                mapped.append(" ")
            case "\u{00A0}", "\u{202F}", "\u{2007}", "\u{2009}", "\t":
                mapped.append(" ")
            case "\u{FEFF}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{00AD}":
                continue // invisible: a stray byte-order mark, zero-width spaces, a soft hyphen
            case "œ", "Œ": mapped.append(contentsOf: "oe".unicodeScalars)
            case "æ", "Æ": mapped.append(contentsOf: "ae".unicodeScalars)
            case "ß": mapped.append(contentsOf: "ss".unicodeScalars)
            default: mapped.append(scalar)
            }
        }
        var result = ""
        var pendingSpace = false
        for scalar in String(mapped).decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}

/// One column a rule asks for, and the other names it may go by in a file.
///
/// `{name: hostname, aliases: ["Nom d'hôte", "Serveur"]}` in the manifest: the file must have a
/// column called any of these, compared through `ColumnName.normalised`.
package struct ColumnRule: Sendable, Equatable {
    /// The name the contract uses, shown in messages.
    package var name: String
    /// Other names accepted for the same column.
    package var aliases: [String]

    package init(name: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
    }

    /// Whether one of `normalisedHeader` (names already normalised) is this column.
    func isPresent(in normalisedHeader: Set<String>) -> Bool {
        ([name] + aliases).contains { normalisedHeader.contains(ColumnName.normalised($0)) }
    }

    /// "hostname" or "hostname ({or} Nom d'hôte, Serveur)", for a problem's parameters: the
    /// word that joins the aliases is left as the placeholder `ProblemSentences.aliasJoiner`,
    /// which each language's sentence puts its own word in ("or", "ou").
    var described: String {
        aliases.isEmpty ? name : "\(name) (\(ProblemSentences.aliasJoiner) \(aliases.joined(separator: ", ")))"
    }
}
