/// The kinds of credential the secret scan names, each with a stable code, so that a report in
/// another language names them in it. The scanners name a finding in English
/// (`SecretFinding.kind`, what the terminal shows); `code(of:)` finds its code in this table,
/// with the one variable part (`{value}`: an extension, a setting's name) a kind may carry.
/// Each other language has a table of the same codes (SecretKinds+French.swift).
enum SecretKinds {
    static let english: [String: String] = [
        "openssh-private-key": "an OpenSSH private key",
        "pgp-private-key": "a PGP private key",
        "pem-private-key": "a private key (PEM)",
        "base64-private-key": "a base64-encoded private key",
        "putty-private-key": "a PuTTY private key",
        "putty-private-key-file": "a PuTTY private key (.ppk)",
        "pkcs12-key-store": "a PKCS#12 key store (.{value})",
        "keepass-database": "a KeePass password database (.{value})",
        "password-safe-database": "a Password Safe database (.psafe3)",
        "kerberos-keytab": "a Kerberos keytab (.keytab)",
        "java-key-store": "a Java key store",
        "aws-access-key-id": "an AWS access key id",
        "aws-secret-access-key": "an AWS secret access key",
        "google-api-key": "a Google API key",
        "github-token": "a GitHub token",
        "slack-token": "a Slack token",
        "stripe-live-secret-key": "a Stripe live secret key",
        "json-web-token": "a JSON Web Token",
        "slack-webhook": "a Slack webhook URL",
        "discord-webhook": "a Discord webhook URL",
        "teams-webhook": "a Microsoft Teams webhook URL",
        "setting-password": "a password or secret in setting '{value}'",
        "password-column-value": "a value in a password or secret column",
        "snmp-community": "an SNMP community string",
        "fortinet-pre-shared-key": "a Fortinet pre-shared key",
        "fortinet-password": "a Fortinet password (ENC)",
        "cisco-password-hash": "a Cisco password hash (secret 4/5/8/9)",
        "cisco-type7-password": "a Cisco type 7 password (reversible)",
        "device-plain-password": "a plain-text password in a device configuration",
        "tacacs-radius-key": "a TACACS+ or RADIUS shared key",
        // Where in the file: these follow the kind.
        "in-column": " in column '{value}'",
        "in-part": " in its part {value}",
        "at-cell": " at cell {value}",
        "at-line": " at line {value}",
    ]

    /// The code of an English kind, and the value of its `{value}`; nil for a kind this table
    /// does not know (the finding is then shown in English).
    static func code(of kind: String) -> (code: String, value: String?)? {
        for (code, template) in english where !template.hasPrefix(" ") {
            guard let brace = template.range(of: "{value}") else {
                if template == kind { return (code, nil) }
                continue
            }
            let head = String(template[..<brace.lowerBound]), tail = String(template[brace.upperBound...])
            if kind.count > head.count + tail.count, kind.hasPrefix(head), kind.hasSuffix(tail) {
                return (code, String(kind.dropFirst(head.count).dropLast(tail.count)))
            }
        }
        return nil
    }

    /// The finding said in `table`'s language from its parameters (`secret`, `secret-value`,
    /// `column`, `part`, `line`); nil when the finding has no code or the table lacks it.
    static func describe(_ parameters: [String: String], table: [String: String]) -> String? {
        guard let code = parameters["secret"], let kind = table[code] else { return nil }
        func fill(_ template: String?, _ value: String?) -> String {
            guard let template, let value else { return "" }
            return template.replacingOccurrences(of: "{value}", with: value)
        }
        return fill(kind, parameters["secret-value"] ?? "") + fill(table["in-column"], parameters["column"])
            + fill(table["in-part"], parameters["part"]) + fill(table["at-cell"], parameters["cell"])
            + fill(table["at-line"], parameters["line"])
    }
}

extension SecretFinding {
    /// The finding's code and where it is, as a problem's parameters, so that a report in
    /// another language can say it (`SecretKinds.describe`).
    var parameters: [String: String] {
        var out: [String: String] = [:]
        if let found = SecretKinds.code(of: kind) {
            out["secret"] = found.code
            if let value = found.value { out["secret-value"] = value }
        }
        if let column { out["column"] = column }
        if let part { out["part"] = part }
        if let cell { out["cell"] = cell }
        if let line { out["line"] = String(line) }
        return out
    }
}
