import Foundation

/// Tells whether a setting's key or a column's name says it holds a password or a secret.
///
/// The name is cut into words (at `_`, `-`, `.`, spaces and camelCase humps) and only its
/// *last* words count: `db_password`, `clientSecret` and "Mot de passe" hold secrets, while
/// `PasswordLastSet`, `password_policy` and `token_lifetime_days` only talk about them.
enum SecretKeyName {
    /// Word sequences that end a secret's name, in English and French.
    static let endings: [[String]] = [
        ["password"], ["passwd"], ["pwd"], ["passphrase"], ["pass", "phrase"], ["secret"], ["token"],
        ["api", "key"], ["apikey"], ["secret", "key"], ["secret", "access", "key"], ["secretkey"], ["private", "key"], ["privatekey"],
        ["mot", "de", "passe"], ["motdepasse"], ["mdp"],
    ]
    /// Further endings for CSV columns only: in a setting these are often paths or flags.
    static let columnEndings: [[String]] = [["pin"], ["credential"], ["credentials"], ["access", "key"]]
    /// Further endings for settings only: `SMTP_PASS=` is common in `.env` files, while a
    /// column called "Pass" is as often a yes/no.
    static let settingEndings: [[String]] = [["pass"]]

    static func isSecretColumn(_ name: String) -> Bool {
        endsWithSecretWords(words(of: name), extra: columnEndings)
    }

    static func isSecretSetting(_ name: String) -> Bool {
        endsWithSecretWords(words(of: name), extra: settingEndings)
    }

    /// Words that make a name about a secret rather than the secret: "Dernier changement de mot
    /// de passe", `min_password`, "Password expiry date".
    static let metadataWords: Set<String> = [
        "last", "date", "expire", "expires", "expired", "expiration", "expiry", "changed", "change", "changement",
        "dernier", "derniere", "policy", "politique", "length", "longueur", "age", "lifetime", "duree", "never",
        "min", "max", "minimum", "maximum", "count", "nombre", "hint", "indice", "strength", "complexity",
        "complexite", "history", "historique", "rotation", "required", "enabled", "type",
    ]

    static func endsWithSecretWords(_ words: [String], extra: [[String]]) -> Bool {
        guard !words.isEmpty else { return false }
        return (endings + extra).contains { ending in
            ending.count <= words.count && Array(words.suffix(ending.count)) == ending
                && !words.dropLast(ending.count).contains { metadataWords.contains($0) }
        }
    }

    /// Lowercase words of a name, without accents.
    static func words(of name: String) -> [String] {
        let folded = name.folding(options: [.diacriticInsensitive], locale: nil)
        var words: [String] = []
        var current = ""
        var previous: Character?
        let characters = Array(folded)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let previous, character.isUppercase {
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                // "dbPassword" and "APIKey" split before the hump; "API" stays one word.
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    words.append(current)
                    current = ""
                }
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words.map { $0.lowercased() }
    }
}
