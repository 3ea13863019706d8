/// A password or secret given as the value of a setting whose key says so, in the shapes
/// configuration files take: `.env` and shell (`DB_PASSWORD=…`), INI and properties
/// (`password = …`, `db.password=…`), YAML and JSON (`password: …`, `"password": "…"`), XML
/// (`password="…"`, `<password>…</password>`).
///
/// Triggered by the separator (`=`, `:`, `>`), it reads the key backwards, then the value.
/// What is no credential is left alone: keys that only talk about passwords (`password_policy`,
/// see `SecretKeyName`), references and placeholders (`${DB_PASSWORD}`, `changeme`, `<secret>`),
/// code (`password == x`, `password = getenv(…)`) and prose (`Password: see the vault`).
enum SettingRule {
    static let rule = SecretRule(id: "setting", triggers: [UInt8(ascii: "="), UInt8(ascii: ":"), UInt8(ascii: ">")], match: match)

    static func match(_ text: ScanText, _ index: Int) -> String? {
        let separator = text[index]
        guard let (keyStart, keyLength) = key(text, before: index, separator: separator) else { return nil }
        let key = String(decoding: text.slice(keyStart, keyLength), as: UTF8.self)
        guard SecretKeyName.isSecretSetting(key) else { return nil }
        guard let (start, length) = value(text, after: index, separator: separator) else { return nil }
        // A token rule names the value better (and reports it once, not twice).
        if SecretRules.tokenRuleMatches(text, from: start, count: length) { return nil }
        let value = text.slice(start, length)
        let words = SecretKeyName.words(of: key)
        if words.suffix(2) == ["secret", "key"] || words.suffix(3) == ["secret", "access", "key"] || words.last == "secretkey",
           words.contains("aws") || words.suffix(3) == ["secret", "access", "key"],
           value.count == 40, value.allSatisfy(ScanText.isBase64), SecretMeasure.entropy(value) >= 4 {
            return "an AWS secret access key"
        }
        return "a password or secret in setting '\(key)'"
    }

    static func isKeyByte(_ b: UInt8) -> Bool {
        ScanText.isAlnum(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    /// A cheap test on the key's last bytes before any string is made: JSON and YAML exports
    /// have a separator on every line, and nearly all their keys fail here. The suffixes are the
    /// last words of every name `SecretKeyName` accepts for a setting.
    static func endsLikeSecret(_ text: ScanText, end: Int) -> Bool {
        func ends(_ word: StaticString) -> Bool { text.hasPrefixIgnoringCase(word, at: end - word.utf8CodeUnitCount) }
        switch ScanText.lower(text[end - 1]) {
        case UInt8(ascii: "d"): return ends("password") || ends("passwd") || ends("pwd")
        case UInt8(ascii: "e"): return ends("phrase") || ends("passe")
        case UInt8(ascii: "t"): return ends("secret")
        case UInt8(ascii: "n"): return ends("token")
        case UInt8(ascii: "y"): return ends("key")
        case UInt8(ascii: "p"): return ends("mdp")
        case UInt8(ascii: "s"): return ends("pass")
        default: return false
        }
    }

    /// Where the key written before the separator at `index` starts, and its length; nil when
    /// this is no setting.
    static func key(_ text: ScanText, before index: Int, separator: UInt8) -> (Int, Int)? {
        var end = index - 1
        switch separator {
        case UInt8(ascii: "="):
            let next = text[index + 1]
            guard next != UInt8(ascii: "="), next != UInt8(ascii: "~") else { return nil }
            if text[end] == UInt8(ascii: ":") { end -= 1 } // Go's `:=`
            switch text[end] {
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: "^"), UInt8(ascii: "~"),
                 UInt8(ascii: "%"):
                return nil // an operator: `==`, `!=`, `<=`, `+=`...
            default:
                break
            }
        case UInt8(ascii: ":"):
            let next = text[index + 1]
            guard next != UInt8(ascii: ":"), next != UInt8(ascii: "/"), text[end] != UInt8(ascii: ":") else { return nil }
        default: // `>` closing an element's start tag: the key is the element's name.
            break
        }
        var quote: UInt8 = 0
        if separator != UInt8(ascii: ">") {
            while end >= 0, end > index - 8, text[end] == 0x20 || text[end] == 0x09 { end -= 1 }
            if text[end] == UInt8(ascii: "\"") || text[end] == UInt8(ascii: "'") {
                quote = text[end]
                end -= 1
            }
        }
        // Most keys are no secret's name: tell that from their last bytes before reading them.
        guard endsLikeSecret(text, end: end + 1) else { return nil }
        var start = end
        while start >= 0, end - start < 64, isKeyByte(text[start]) { start -= 1 }
        let before = text[start]
        guard end - start >= 2, !isKeyByte(before) else { return nil }
        if separator == UInt8(ascii: ">") {
            guard before == UInt8(ascii: "<") else { return nil }
        } else if quote != 0 {
            guard before == quote else { return nil }
        }
        return (start + 1, end - start)
    }

    /// Where the value starts and how long it is, or nil when it is empty, a reference, a
    /// placeholder, code or the start of a sentence.
    static func value(_ text: ScanText, after index: Int, separator: UInt8) -> (Int, Int)? {
        var start = separator == UInt8(ascii: ">") ? index + 1 : text.skipBlanks(from: index + 1)
        let quote = text[start]
        let quoted = quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'")
        if quoted && separator != UInt8(ascii: ">") { start += 1 }
        let length: Int
        if separator == UInt8(ascii: ">") {
            length = text.run(from: start, limit: 201) { $0 != UInt8(ascii: "<") && $0 != 0x0A }
            guard text.hasPrefix("</", at: start + length) else { return nil }
        } else if quoted {
            length = text.run(from: start, limit: 201) { $0 != quote && $0 != 0x0A }
            guard text[start + length] == quote else { return nil }
        } else {
            length = text.run(from: start, limit: 201) { !ScanText.isSpaceOrEnd($0) }
            // Prose goes on after the first word ("Password: see the vault"); a setting ends,
            // or has a comment after it.
            let after = text.skipBlanks(from: start + length, limit: 200)
            let next = text[after]
            guard next == 0x0A || next == 0x0D || next == 0 || next == UInt8(ascii: "#") || after - start - length > 199 else { return nil }
        }
        guard length >= 4, length <= 200 else { return nil }
        let value = text.slice(start, length)
        return isCredentialLike(value, quoted: quoted && separator != UInt8(ascii: ">")) ? (start, length) : nil
    }

    /// Values that are written in place of a credential, never one.
    static let placeholders: Set<String> = [
        "null", "none", "nil", "undefined", "true", "false", "yes", "no", "empty", "required", "optional",
        "string", "secret", "password", "passwd", "token", "hidden", "masked", "unset", "n/a", "tbd", "todo",
    ]
    static let placeholderParts = ["changeme", "change_me", "change-me", "example", "redacted", "placeholder",
                                   "xxxx", "****", "....", "your_", "your-", "<", ">", "dummy", "fixme"]

    static func isCredentialLike(_ value: [UInt8], quoted: Bool) -> Bool {
        guard let first = value.first else { return false }
        // References to a variable, a template, a vault: `${X}`, `%(x)s`, `{{ x }}`, `$(cmd)`.
        if "$%{<".utf8.contains(first) { return false }
        // YAML tags, aliases and anchors, lists and calls when the value is not quoted.
        if !quoted && "!*&[(".utf8.contains(first) { return false }
        if value.allSatisfy({ $0 == first }) { return false }
        let lowered = String(decoding: value.map(ScanText.lower), as: UTF8.self)
        if placeholders.contains(lowered) { return false }
        if placeholderParts.contains(where: { lowered.contains($0) }) { return false }
        if !quoted {
            // Code: `password = getenv("X")`, `password = settings.db_password`.
            if value.contains(UInt8(ascii: "(")) { return false }
            if isDottedName(value) { return false }
        }
        return true
    }

    /// `a.b.c`: names joined by dots, as code refers to another value.
    static func isDottedName(_ value: [UInt8]) -> Bool {
        guard value.contains(UInt8(ascii: ".")) else { return false }
        let parts = value.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            guard let first = part.first, !ScanText.isDigit(first) else { return false }
            return part.allSatisfy { ScanText.isAlnum($0) || $0 == UInt8(ascii: "_") }
        }
    }
}
