/// The sentence of each problem code, per language: a table of `code: sentence` in a file of
/// its own (ProblemSentences+English.swift, ProblemSentences+French.swift), so that a
/// translator adds a language by adding a file and one line to `tables`, without touching the
/// checks. A sentence names its parameters in braces (`{globs}`), and agrees with a count by
/// `{count|singular|plural}` (see `ReportGrammar`).
///
/// A code without a sentence in the report's language is shown in English, marked as such.
package enum ProblemSentences {
    /// Every language's table; English is also where `Problem.message` comes from.
    static let tables: [ReportLanguage: [String: String]] = [.en: english, .fr: french]

    /// The placeholder a parameter holds where a column's other names begin ("account ({or}
    /// Compte)"); a sentence puts in its place the word its table gives under `aliasJoinerKey`.
    static let aliasJoiner = "{or}"
    /// The key of that word in each language's table: it is a word, not a problem code.
    static let aliasJoinerKey = "column-aliases-or"

    /// The English sentence of `code`, for `Problem.message`; nil for a code without one.
    static func english(_ code: ProblemCode, _ parameters: [String: String]) -> String? {
        sentence(code, parameters, in: .en, escape: { $0 })
    }

    /// The sentence of `code` in `language` with its parameters put in, each escaped by
    /// `escape` for the output; nil when the language has no sentence for the code.
    static func sentence(_ code: ProblemCode, _ parameters: [String: String], in language: ReportLanguage,
                         escape: (String) -> String) -> String? {
        guard let template = tables[language]?[code.rawValue] else { return nil }
        // A secret finding is named in the language too, from its kind's code.
        var parameters = parameters
        if let kinds = SecretKinds.tables[language], let finding = SecretKinds.describe(parameters, table: kinds) {
            parameters["finding"] = finding
        }
        // Named parameters become numbered ones, in the order of their names, for the grammar.
        let names = parameters.keys.sorted()
        var numbered = template
        for (index, name) in names.enumerated() {
            numbered = numbered.replacingOccurrences(of: "{\(name)}", with: "{\(index + 1)}")
                .replacingOccurrences(of: "{\(name)|", with: "{\(index + 1)|")
        }
        let joiner = tables[language]?[aliasJoinerKey] ?? "or"
        let values = names.map { escape((parameters[$0] ?? "").replacingOccurrences(of: aliasJoiner, with: joiner)) }
        // A parameter that is not a count reads as a plural; it is never used to choose a form.
        let counts = names.map { Int(parameters[$0] ?? "") ?? 2 }
        return ReportGrammar.fill(numbered, values: values, counts: counts, language: language)
    }
}
