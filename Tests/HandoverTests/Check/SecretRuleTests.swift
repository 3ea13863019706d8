import Foundation
@testable import HandoverKit
import Testing

/// Each rule of the table with one text it must find and one look-alike it must leave alone.
/// The values are made here, at test time: none is a real credential.
enum RuleSamples {
    static let begin = "-----BEGIN "
    static let body = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg" + Fake.string(16, Fake.base64)
    static let pem = begin + "PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n"

    /// Rule id → (text with the credential, part of the kind, text without one).
    static let cases: [String: (positive: String, kind: String, negative: String)] = [
        "private-key": (pem, "a private key (PEM)", "Keys start with " + begin + "PRIVATE KEY----- and end with the END line.\n"),
        "base64-private-key": ("tls.key: " + Data(pem.utf8).base64EncodedString() + "\n", "a base64-encoded private key",
                               "tls.crt: " + Data((begin + "CERTIFICATE-----\n" + body + "\n").utf8).base64EncodedString() + "\n"),
        "putty-key": ("PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\n", "a PuTTY private key",
                      "Convert it to the PuTTY-User-Key-File-3: ssh-rsa format first.\n"),
        "aws-access-key-id": ("id=AKIA" + Fake.string(16, Fake.upper + Fake.digits) + "\n", "an AWS access key id",
                              "id=AKIA" + Fake.string(16, Fake.upper + Fake.digits) + "Z\n"),
        "google-api-key": ("key=AIza" + Fake.string(35, Fake.base64URL) + "\n", "a Google API key", "key=AIza" + Fake.string(20) + "\n"),
        "github-token": ("GH=ghp_" + Fake.string(36) + "\n", "a GitHub token", "mighp_" + Fake.string(36) + "\n"),
        "slack-token": ("SLACK=xoxb-" + Fake.string(12, Fake.digits) + "-" + Fake.string(24) + "\n", "a Slack token",
                        "SLACK=xoxb-XXXXXXXXXXXX-XXXXXXXXXXXX\n"),
        "stripe-live-key": ("key sk_live_" + Fake.string(24) + "\n", "a Stripe live secret key", "key sk_test_" + Fake.string(24) + "\n"),
        "jwt": ("Bearer " + Fake.jwt() + "\n", "a JSON Web Token", "Bearer " + Fake.base64url(#"{"alg":"HS256"}"#) + "\n"),
        "chat-webhook": ("POST https://hooks.slack.com/services/T" + Fake.string(10, Fake.upper) + "/B" + Fake.string(10, Fake.upper) + "/" + Fake.string(24) + "\n",
                         "a Slack webhook URL", "POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX\n"),
        "setting": ("DB_PASSWORD=" + Fake.password() + "\n", "a password or secret in setting 'DB_PASSWORD'", "password_policy: strict\nPasswordLastSet=2026-01-01\n"),
        "device-config": ("enable secret 5 $1$" + Fake.string(4) + "$" + Fake.string(22) + "\n", "a Cisco password hash",
                          "service password-encryption\nenable secret 5 <hash>\n"),
    ]
}

@Suite("Each rule of the secret scanner finds its credential and leaves its look-alike")
struct SecretRuleTests {
    @Test("every rule of the table has a positive and a negative sample")
    func everyRuleTested() {
        let ids = SecretRules.all.map(\.id)
        #expect(Set(ids).count == ids.count, "rule ids are unique")
        #expect(Set(ids) == Set(RuleSamples.cases.keys))
    }

    @Test("the rule finds its credential, with its kind and line", arguments: RuleSamples.cases.keys.sorted())
    func positive(_ id: String) throws {
        let sample = try #require(RuleSamples.cases[id])
        let facts = inspect("# notes\n" + sample.positive, fileName: "notes.txt")
        let finding = try #require(facts.secrets.first, "\(id) found nothing")
        #expect(finding.kind.contains(sample.kind), "\(finding.kind)")
        #expect(finding.line == 2)
    }

    @Test("the rule leaves its look-alike alone", arguments: RuleSamples.cases.keys.sorted())
    func negative(_ id: String) throws {
        let sample = try #require(RuleSamples.cases[id])
        let facts = inspect("# notes\n" + sample.negative, fileName: "notes.txt")
        #expect(facts.secrets.isEmpty, "\(facts.secrets.map(\.description))")
    }

    @Test("names count by their last words", arguments: [
        ("DB_PASSWORD", true), ("clientSecret", true), ("Mot de passe", true), ("api-key", true), ("APIKey", true),
        ("PasswordLastSet", false), ("PasswordNeverExpires", false), ("password_policy", false),
        ("token_lifetime_days", false), ("Dernier changement de mot de passe", false), ("min_password", false),
    ])
    func keyNames(_ name: String, _ secret: Bool) {
        #expect(SecretKeyName.isSecretSetting(name) == secret)
        #expect(SecretKeyName.isSecretColumn(name) == secret)
    }
}
