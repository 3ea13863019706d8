/// The rule table: every credential the text scanner looks for. Rules with a distinctive prefix
/// come first; the setting rule (a password after a key named like one) last, since a value that
/// a specific rule names is left to that rule.
enum SecretRules {
    static let all: [SecretRule] = tokenRules + [SettingRule.rule, DeviceConfigRule.rule]

    /// Rules whose credential has a recognisable shape of its own.
    static let tokenRules: [SecretRule] = [
        SecretRule(id: "private-key", triggers: [UInt8(ascii: "B")], match: { text, index in privateKey(text, index - 5) }),
        SecretRule(id: "base64-private-key", triggers: [UInt8(ascii: "L")], match: base64PrivateKey),
        SecretRule(id: "putty-key", triggers: [UInt8(ascii: "P")], match: puttyKey),
        SecretRule(id: "aws-access-key-id", triggers: [UInt8(ascii: "A")], match: awsAccessKeyID),
        SecretRule(id: "google-api-key", triggers: [UInt8(ascii: "A")], match: googleAPIKey),
        SecretRule(id: "github-token", triggers: [UInt8(ascii: "_")], match: githubToken),
        SecretRule(id: "slack-token", triggers: [UInt8(ascii: "x")], match: slackToken),
        SecretRule(id: "stripe-live-key", triggers: [UInt8(ascii: "_")], match: { text, index in stripeLiveKey(text, index - 2) }),
        SecretRule(id: "jwt", triggers: [UInt8(ascii: "J")], match: { text, index in jsonWebToken(text, index - 2) }),
        SecretRule(id: "chat-webhook", triggers: [UInt8(ascii: ":")], match: { text, index in WebhookRule.match(text, index - 5) }),
    ]

    /// Whether a token rule names a credential inside the value from `start` (the setting rule
    /// then stays quiet). Triggers may sit a few bytes into a token (`J` of `eyJ`), so every
    /// byte of the value is tried.
    static func tokenRuleMatches(_ text: ScanText, from start: Int, count: Int) -> Bool {
        for index in start..<(start + count) {
            let byte = text[index]
            if tokenRules.contains(where: { $0.triggers.contains(byte) && $0.match(text, index) != nil }) { return true }
        }
        return false
    }

    // MARK: Private keys

    /// `-----BEGIN … PRIVATE KEY-----` (and the PGP armour) followed by a key body: a runbook
    /// that only quotes the header, or shows `...` in its place, holds no key. `index` is the
    /// first dash; the table tries it at the `B`, rarer in text than a dash.
    static func privateKey(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("-----BEGIN ", at: index) else { return nil }
        let labelStart = index + 11
        let labelLength = text.run(from: labelStart, limit: 48) { $0 != UInt8(ascii: "-") && $0 != 0x0A }
        let label = String(decoding: text.slice(labelStart, labelLength), as: UTF8.self)
        let kind: String
        if label == "OPENSSH PRIVATE KEY" { kind = "an OpenSSH private key" }
        else if label == "PGP PRIVATE KEY BLOCK" { kind = "a PGP private key" }
        else if label.hasSuffix("PRIVATE KEY") { kind = "a private key (PEM)" }
        else { return nil }
        guard text.hasPrefix("-----", at: labelStart + labelLength) else { return nil }
        return hasKeyBody(text, after: labelStart + labelLength + 5) ? kind : nil
    }

    /// Whether a base64 body follows a PEM header: after optional armour headers (`Proc-Type:`,
    /// `Version:`, blank lines), a line of at least 16 base64 bytes. Lines may be broken by a
    /// newline or by a literal `\n`, as in a JSON string (a cloud service account file).
    static func hasKeyBody(_ text: ScanText, after start: Int) -> Bool {
        var index = start
        for _ in 0..<6 {
            // One line break: CR LF, LF, or the two characters `\n` (with an optional `\r` before).
            if text[index] == 0x0D { index += 1 }
            if text[index] == 0x0A {
                index += 1
            } else if text.hasPrefix("\\r\\n", at: index) {
                index += 4
            } else if text.hasPrefix("\\n", at: index) {
                index += 2
            } else {
                return false
            }
            // Indented, as in a YAML block (`key: |`) or a Markdown code block.
            index = text.skipBlanks(from: index)
            let body = text.run(from: index, limit: 64, ScanText.isBase64)
            let next = text[index + body]
            if body >= 16, next == 0x0A || next == 0x0D || next == UInt8(ascii: "\\") || next == 0 || body == 64 { return true }
            // An armour header line ("Key: value") or a blank line: skip it.
            let lineLength = text.run(from: index, limit: 100) { $0 != 0x0A && $0 != UInt8(ascii: "\\") }
            let line = text.slice(index, lineLength)
            let isBlank = line.allSatisfy { $0 == 0x0D || $0 == 0x20 }
            guard isBlank || (line.contains(UInt8(ascii: ":")) && ScanText.isUpper(text[index])) else { return false }
            index += lineLength
        }
        return false
    }

    /// A PEM private key encoded once more in base64, as Kubernetes secrets and CI variables
    /// carry them: `LS0tLS1CRUdJTi` is the encoding of `-----BEGIN `.
    static func base64PrivateKey(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("LS0tLS1CRUdJTi", at: index), text.startsWord(at: index) else { return nil }
        let decoded = SecretMeasure.decodeBase64(text, from: index, limit: 400)
        return decoded.withUnsafeBytes { bytes in
            privateKey(ScanText(bytes: bytes), 0) == nil ? nil : "a base64-encoded private key"
        }
    }

    /// A PuTTY key file's first line, whatever the file is called (a `.ppk` saved as `.txt`).
    static func puttyKey(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("PuTTY-User-Key-File-", at: index), text[index - 1] == 0x0A || text[index - 1] == 0 else { return nil }
        let version = text[index + 20]
        guard version >= UInt8(ascii: "1"), version <= UInt8(ascii: "9"), text.hasPrefix(": ", at: index + 21) else { return nil }
        let algorithm = text.run(from: index + 23, limit: 40) { ScanText.isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: ".") }
        return algorithm >= 7 ? "a PuTTY private key" : nil
    }

    // MARK: Cloud and service tokens

    /// AWS access key ids: AKIA or ASIA and 16 capitals or digits, as a whole word.
    static func awsAccessKeyID(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("AKIA", at: index) || text.hasPrefix("ASIA", at: index), text.startsWord(at: index) else { return nil }
        return text.run(from: index + 4, limit: 17, ScanText.isUpperOrDigit) == 16 ? "an AWS access key id" : nil
    }

    /// Google API keys: AIza and 35 letters, digits, `_` or `-`.
    static func googleAPIKey(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("AIza", at: index), text.startsWord(at: index) else { return nil }
        return text.run(from: index + 4, limit: 36, ScanText.isBase64URL) == 35 ? "a Google API key" : nil
    }

    /// GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and 36 letters or digits; github_pat_. Tried
    /// at the first `_`, which is rarer in text than the `g` before it.
    static func githubToken(_ text: ScanText, _ index: Int) -> String? {
        if text.hasPrefix("github_pat_", at: index - 6), text.startsWord(at: index - 6) {
            let length = text.run(from: index + 5, limit: 90) { ScanText.isAlnum($0) || $0 == UInt8(ascii: "_") }
            return length >= 22 ? "a GitHub token" : nil
        }
        let start = index - 3
        guard text[start] == UInt8(ascii: "g"), text[start + 1] == UInt8(ascii: "h"), "pousr".utf8.contains(text[start + 2]),
              text.startsWord(at: start) else { return nil }
        return text.run(from: index + 1, limit: 37, ScanText.isAlnum) == 36 ? "a GitHub token" : nil
    }

    /// Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxe- then digits, letters and dashes.
    static func slackToken(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("xox", at: index), "baprse".utf8.contains(text[index + 3]),
              text[index + 4] == UInt8(ascii: "-"), text.startsWord(at: index) else { return nil }
        let length = text.run(from: index + 5, limit: 120) { ScanText.isAlnum($0) || $0 == UInt8(ascii: "-") }
        guard length >= 10 else { return nil }
        let value = text.slice(index + 5, length)
        // "xoxb-XXXXXXXXXX" in documentation repeats one character: no token.
        return SecretMeasure.entropy(value) >= 2.5 ? "a Slack token" : nil
    }

    /// Live payment-provider keys (Stripe): sk_live_ and rk_live_ (restricted). Test-mode keys
    /// (sk_test_) move no money and are left alone. Tried at the `_`, from the `s` or `r` before.
    static func stripeLiveKey(_ text: ScanText, _ index: Int) -> String? {
        guard text[index + 1] == UInt8(ascii: "k"), text[index] == UInt8(ascii: "s") || text[index] == UInt8(ascii: "r"),
              text.hasPrefix("_live_", at: index + 2), text.startsWord(at: index) else { return nil }
        let length = text.run(from: index + 8, limit: 255, ScanText.isAlnum)
        guard length >= 20 else { return nil }
        return SecretMeasure.entropy(text.slice(index + 8, length)) >= 3 ? "a Stripe live secret key" : nil
    }

    /// A signed JSON Web Token: three base64url parts, the first decoding to a JSON header that
    /// names its algorithm, and a signature long enough to be one. Tried at the `J` of `eyJ`
    /// (the encoding of `{"`): a capital J is rare in text, `e` is everywhere.
    static func jsonWebToken(_ text: ScanText, _ index: Int) -> String? {
        guard text.hasPrefix("eyJ", at: index), text.startsWord(at: index) else { return nil }
        let header = text.run(from: index, limit: 300, ScanText.isBase64URL)
        guard header >= 10, text[index + header] == UInt8(ascii: ".") else { return nil }
        let payloadStart = index + header + 1
        let payload = text.run(from: payloadStart, limit: 500, ScanText.isBase64URL)
        guard payload >= 4, text[payloadStart + payload] == UInt8(ascii: ".") else { return nil }
        let signature = text.run(from: payloadStart + payload + 1, limit: 16, ScanText.isBase64URL)
        guard signature >= 16 else { return nil }
        let decoded = SecretMeasure.decodeBase64(text, from: index, limit: header)
        let json = String(decoding: decoded, as: UTF8.self)
        return json.contains("\"alg\"") ? "a JSON Web Token" : nil
    }
}
