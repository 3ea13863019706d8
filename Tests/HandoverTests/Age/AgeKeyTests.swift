import Foundation
import Testing
@testable import HandoverKit

@Suite("age keys: recipients, identities and their files")
struct AgeKeyTests {
    // The example keys of the age specification (c2sp.org/age, "The X25519 recipient type").
    static let specIdentity = "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX"
    static let specRecipient = "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"

    @Test("the specification's example identity gives its example recipient")
    func specExample() throws {
        let identity = try AgeIdentity(parsing: Self.specIdentity)
        #expect(identity.recipient.encoded == Self.specRecipient)
        #expect(identity.secretLine == Self.specIdentity)
        #expect(try AgeRecipient(parsing: Self.specRecipient).encoded == Self.specRecipient)
        // Bech32 is case-insensitive for identities; the checksum is over the lowercase form.
        #expect(try AgeIdentity(parsing: Self.specIdentity.lowercased()).recipient.encoded == Self.specRecipient)
    }

    @Test("keys made by age-keygen parse, and our public key is the one age-keygen -y prints")
    func ageKeygenInterop() throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-keys")
        for index in 0..<3 {
            let made = try tools.newIdentity(in: dir, "key\(index).txt")
            let identities = try AgeIdentity.parseFile(made.path)
            #expect(identities.count == 1)
            #expect(identities.first?.recipient.encoded == made.recipient)
            #expect(try AgeRecipient(parsing: made.recipient).encoded == made.recipient)
        }
        // The other way: a key we generate is one age-keygen -y accepts, with the same recipient.
        let ours = AgeIdentity.generate()
        let path = try dir.write("ours.txt", "# made by handover\n\(ours.secretLine)\n")
        let printed = try runProcess(tools.keygen, ["-y", path])
        #expect(printed.status == 0)
        #expect(printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == ours.recipient.encoded)
    }

    @Test("a mistyped recipient is a checksum error that quotes only its first characters")
    func recipientChecksum() throws {
        var chars = Array(Self.specRecipient)
        chars[20] = chars[20] == "q" ? "p" : "q"
        let error = #expect(throws: AgeError.self) { try AgeRecipient(parsing: String(chars)) }
        let message = error?.errorDescription ?? ""
        #expect(message.contains("checksum"))
        #expect(message.contains("age1zvkyg2lqzraa"))
        #expect(!message.contains(String(chars)))
        #expect(error?.exitStatus == .couldNotRun)
    }

    @Test("wrong prefix, wrong length, uppercase and foreign keys are each refused with a reason",
          arguments: [
              // A valid Bech32 string with another HRP (the BIP 173 example "a12uel5l").
              ("a12uel5l", "not an age1"),
              // The recipient with its data cut: the checksum no longer matches.
              (String(AgeKeyTests.specRecipient.dropLast(8)), "checksum"),
              // 20 bytes under the right HRP, checksum valid: the length is wrong.
              (Bech32.encode(hrp: "age", data: [UInt8](repeating: 7, count: 20)), "20 bytes"),
              (AgeKeyTests.specRecipient.uppercased(), "lowercase"),
              ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4", "SSH public key"),
              (AgeKeyTests.specIdentity, "secret key"),
              (Bech32.encode(hrp: "age1yubikey", data: [UInt8](repeating: 1, count: 33)), "plugin"),
              ("age1 with spaces", "space"),
          ])
    func recipientErrors(text: String, expected: String) throws {
        let error = #expect(throws: AgeError.self) { try AgeRecipient(parsing: text) }
        let message = error?.errorDescription ?? ""
        #expect(message.contains(expected), "\(message)")
        #expect(!message.contains("GFPYYSJZGFPYYSJZ"), "a secret key must never be quoted")
    }

    @Test("a recipients file: comments, blank lines, CRLF; a damaged SSH key names its line")
    func recipientsFile() throws {
        let a = AgeIdentity.generate().recipient, b = AgeIdentity.generate().recipient
        let text = "# team\n\n\(a.encoded)\r\n   \n# backup\n\(b.encoded)\n"
        #expect(try AgeRecipients.parse(text: text, source: "r.txt") == [a, b])

        let withSSH = "\(a.encoded)\n# next\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4 someone@example\n"
        let error = #expect(throws: AgeError.self) { try AgeRecipients.parse(text: withSSH, source: "r.txt") }
        let message = error?.errorDescription ?? ""
        #expect(message.contains("r.txt, line 3"))
        #expect(message.contains("not a usable SSH public key"), "\(message)")

        #expect(throws: AgeError.noKeys(source: "empty.txt", kind: "age recipient")) {
            try AgeRecipients.parse(text: "# nothing here\n\n", source: "empty.txt")
        }
        let dir = try TempDirectory("age-recipients")
        let path = try dir.write("recipients.txt", text)
        #expect(try AgeRecipients.parseFile(path) == [a, b])
    }

    @Test("an identity file with comments and several keys; errors never show the secret")
    func identityFile() throws {
        let one = AgeIdentity.generate(), two = AgeIdentity.generate()
        let text = """
            # created: 2026-01-01T00:00:00Z
            # public key: \(one.recipient.encoded)
            \(one.secretLine)

            # public key: \(two.recipient.encoded)
            \(two.secretLine)

            """
        let parsed = try AgeIdentity.parse(text: text, source: "keys.txt")
        #expect(parsed.map(\.recipient) == [one.recipient, two.recipient])

        var broken = Array(two.secretLine)
        broken[30] = broken[30] == "Q" ? "P" : "Q"
        let bad = text.replacingOccurrences(of: two.secretLine, with: String(broken))
        let error = #expect(throws: AgeError.self) { try AgeIdentity.parse(text: bad, source: "keys.txt") }
        let message = error?.errorDescription ?? ""
        #expect(message.contains("keys.txt, line 6"))
        #expect(message.contains("checksum"))
        #expect(!message.contains(String(broken.dropFirst(16).prefix(8))), "no part of the secret is shown")
        #expect(!"\(one)".contains(one.secretLine.dropFirst(16).prefix(8)), "description shows no secret")

        let publicOnly = "# oops\n\(one.recipient.encoded)\n"
        let wrongKind = #expect(throws: AgeError.self) { try AgeIdentity.parse(text: publicOnly, source: "k") }
        #expect(wrongKind?.errorDescription?.contains("public key") == true)
        #expect(throws: AgeError.noKeys(source: "k", kind: "age identity")) {
            try AgeIdentity.parse(text: "# only comments\n", source: "k")
        }
    }

    @Test("a missing key file is a file error, not a crash")
    func missingFile() {
        #expect(throws: FileError.self) { try AgeIdentity.parseFile("/nonexistent/keys.txt") }
        #expect(throws: FileError.self) { try AgeRecipients.parseFile("/nonexistent/recipients.txt") }
    }
}
