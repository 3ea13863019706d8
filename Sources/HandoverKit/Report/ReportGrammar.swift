/// The two rules of grammar a report phrase needs once values are put into it: agreement with
/// a count ("1 destinataire", "2 destinataires") and, in French, elision before a vowel or a
/// mute h ("au profit d'Armor", not "de Armor"). They live here, apart from the phrase tables,
/// so that a translator writes sentences and never code.
///
/// In a phrase, `{2|singular|plural}` is replaced by the form that agrees with the count given
/// for `{2}`; and in French, "de {1}", "que {1}", "le {1}" and "la {1}" are elided when the value
/// of `{1}` begins with a vowel or a mute h.
enum ReportGrammar {
    /// Whether `count` takes the singular: French says "0 fichier" and "1 fichier", English
    /// says "0 files" and "1 file".
    static func isSingular(_ count: Int, in language: ReportLanguage) -> Bool {
        switch language {
        case .fr: abs(count) < 2
        case .en: abs(count) == 1
        }
    }

    /// The words before a placeholder that French elides: "de" becomes "d'", and so on.
    static let elidable = ["de": "d'", "que": "qu'", "le": "l'", "la": "l'", "De": "D'", "Que": "Qu'", "Le": "L'", "La": "L'"]

    /// Words beginning with an aspirated h, before which French does not elide ("de Hachette").
    /// Names are the usual case in a report, and most French names with an h elide; these do not.
    static let aspiratedH = ["hach", "hall", "hamea", "hang", "hard", "haric", "hasard", "haut", "hérau", "héro",
                             "hibou", "hiér", "hockey", "hollan", "hongr", "honte", "hors", "housse", "huit", "hurl"]

    /// Whether French elides before `text`: a vowel, a mute h, or a y that is not a consonant
    /// ("d'Yvelines", but "de Yaoundé").
    static func elides(before text: String) -> Bool {
        let lower = text.lowercased()
        guard let first = lower.first else { return false }
        if "aeiouàâäéèêëîïôöùûüœæ".contains(first) { return true }
        if first == "y" {
            guard let second = lower.dropFirst().first else { return false }
            return !"aeiouéèêàâôû".contains(second)
        }
        if first == "h" { return !aspiratedH.contains { lower.hasPrefix($0) } }
        return false
    }

    /// `template` with its placeholders filled, forms chosen by `counts` (aligned with
    /// `values`: `counts[0]` is the count of `{1}`), and French elisions made.
    static func fill(_ template: String, values: [String], counts: [Int], language: ReportLanguage) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            // The matching brace: a form may itself hold placeholders ("{1|the one|all {1}}").
            var depth = 0
            var closeIndex: Substring.Index?
            for index in rest[open...].indices {
                if rest[index] == "{" { depth += 1 }
                if rest[index] == "}" { depth -= 1 }
                if depth == 0 { closeIndex = index; break }
            }
            guard let close = closeIndex else { break }
            let inside = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            let parts = splitForms(inside)
            guard let number = Int(parts[0]), number >= 1 else {
                out += "{" + inside + "}"
                continue
            }
            if parts.count == 3 {
                // A form that agrees with a count; without a count, the plural reads safest.
                let singular = counts.indices.contains(number - 1) && isSingular(counts[number - 1], in: language)
                let form = fill(String(parts[singular ? 1 : 2]), values: values, counts: counts, language: language)
                if language == .fr && elides(before: form) { elide(&out) }
                out += form
                continue
            }
            guard values.indices.contains(number - 1) else {
                out += "{" + inside + "}"
                continue
            }
            let value = values[number - 1]
            if language == .fr && elides(before: value) { elide(&out) }
            out += value
        }
        return out + rest
    }

    /// `1|one|all {1}` split at the bars that are not inside a nested placeholder.
    static func splitForms(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for index in text.indices {
            switch text[index] {
            case "{": depth += 1
            case "}": depth -= 1
            case "|" where depth == 0:
                parts.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }

    /// Turns a trailing "de " of `text` into "d'", and so on, when there is one.
    static func elide(_ text: inout String) {
        guard text.last == " " else { return }
        let trimmed = text.dropLast()
        let wordStart = trimmed.lastIndex(where: { $0 == " " || $0 == "\u{00A0}" || $0 == "(" }).map { trimmed.index(after: $0) } ?? trimmed.startIndex
        let word = String(trimmed[wordStart...])
        guard let elided = elidable[word] else { return }
        text = String(trimmed[..<wordStart]) + elided
    }
}
