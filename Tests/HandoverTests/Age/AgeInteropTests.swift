import Foundation
import Testing
@testable import HandoverKit

/// Confidential deliverables are encrypted by handover and opened with `age -d`, and files made
/// with `age -r` / `age -R` are opened by `handover extract --identity`: both ways with the real
/// age, at the sizes where STREAM chunking has edges.
@Suite("age interoperability with the real age")
struct AgeInteropTests {
    static let sizes = [0, 1, 65_535, 65_536, 65_537, 131_072, 1_000_003]

    @Test("our encryption is decrypted by age -d -i", arguments: sizes)
    func weEncryptAgeDecrypts(size: Int) throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-interop")
        let key = try tools.newIdentity(in: dir, "key.txt")
        let plaintext = Data(randomPayload(size))
        let input = try dir.write("plain.bin", plaintext)
        try AgeFile.encrypt(fileAt: input, to: dir.path("plain.bin.age"), for: [try AgeRecipient(parsing: key.recipient)])

        let result = try runProcess(tools.age, ["-d", "-i", key.path, dir.path("plain.bin.age")])
        #expect(result.status == 0, "age -d: \(result.stderr)")
        #expect(result.stdoutData == plaintext)
        // The size announced before encrypting (for a tar header) is the size written.
        let fileSize = try dir.read("plain.bin.age").count
        #expect(Int64(fileSize) == AgeEncryptor.encryptedSize(plaintextSize: Int64(size), recipientCount: 1))
    }

    @Test("files made by age -r are decrypted by us byte for byte", arguments: sizes)
    func ageEncryptsWeDecrypt(size: Int) throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-interop")
        let key = try tools.newIdentity(in: dir, "key.txt")
        let plaintext = Data(randomPayload(size))
        let input = try dir.write("plain.bin", plaintext)
        let made = try runProcess(tools.age, ["-r", key.recipient, "-o", dir.path("plain.bin.age"), input])
        #expect(made.status == 0, "age -r: \(made.stderr)")

        try AgeFile.decrypt(fileAt: dir.path("plain.bin.age"), to: dir.path("out.bin"),
                            with: try AgeIdentity.parseFile(key.path))
        #expect(try dir.read("out.bin") == plaintext)
        // In odd pieces, too: the header and chunks split anywhere.
        let outcome = decryptInPieces(Array(try dir.read("plain.bin.age")), identities: try AgeIdentity.parseFile(key.path),
                                      pieces: [1, 100, 4_093, 65_552, 70_000])
        #expect(outcome.error == nil)
        #expect(outcome.plaintext == Array(plaintext))
    }

    @Test("age -R with two recipients: each of us decrypts, a third identity cannot and gets nothing")
    func recipientsFileTwoRecipients() throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-interop")
        let alice = try tools.newIdentity(in: dir, "alice.txt"), bob = try tools.newIdentity(in: dir, "bob.txt")
        let recipients = try dir.write("recipients.txt", "# handover recipients\n\(alice.recipient)\n\n\(bob.recipient)\n")
        let plaintext = Data(randomPayload(200_000))
        let input = try dir.write("plain.bin", plaintext)
        let made = try runProcess(tools.age, ["-R", recipients, "-o", dir.path("x.age"), input])
        #expect(made.status == 0, "age -R: \(made.stderr)")
        #expect(try AgeRecipients.parseFile(recipients).map(\.encoded) == [alice.recipient, bob.recipient])

        let ciphertext = try dir.read("x.age")
        for key in [alice, bob] {
            #expect(try AgeDecryptor.decrypt(ciphertext, with: AgeIdentity.parseFile(key.path)) == plaintext)
        }
        let outsider = AgeIdentity.generate()
        let outcome = decryptInPieces(Array(ciphertext), identities: [outsider])
        #expect(outcome.plaintext.isEmpty)
        #expect(outcome.error == .noMatchingIdentity(subject: "test.age", stanzas: 2, identities: 1))
        #expect(outcome.error?.errorDescription?.contains("the file is encrypted for 2 recipient(s)") == true)
        #expect(outcome.error?.exitStatus == .checkFailed)
        // The outsider's path through files leaves no output behind.
        let keyPath = try dir.write("outsider.txt", outsider.secretLine + "\n")
        #expect(throws: AgeError.self) {
            try AgeFile.decrypt(fileAt: dir.path("x.age"), to: dir.path("out.bin"), with: AgeIdentity.parseFile(keyPath))
        }
        #expect(!dir.exists("out.bin"))
    }

    @Test("we encrypt for two recipients: age -d opens it with either identity, not with a third")
    func weEncryptForTwo() throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-interop")
        let alice = try tools.newIdentity(in: dir, "alice.txt"), bob = try tools.newIdentity(in: dir, "bob.txt")
        let carol = try tools.newIdentity(in: dir, "carol.txt")
        let plaintext = Data(randomPayload(70_000))
        let input = try dir.write("plain.bin", plaintext)
        let recipients = try [alice, bob].map { try AgeRecipient(parsing: $0.recipient) }
        try AgeFile.encrypt(fileAt: input, to: dir.path("x.age"), for: recipients)
        #expect(Int64(try dir.read("x.age").count) == AgeEncryptor.encryptedSize(plaintextSize: 70_000, recipientCount: 2))
        for key in [alice, bob] {
            let result = try runProcess(tools.age, ["-d", "-i", key.path, dir.path("x.age")])
            #expect(result.status == 0 && result.stdoutData == plaintext)
        }
        let refused = try runProcess(tools.age, ["-d", "-i", carol.path, dir.path("x.age")])
        #expect(refused.status != 0 && refused.stdoutData.isEmpty)
        // An identity file holding a wrong key and a right one works, as with age.
        let both = try dir.write("both.txt", String(decoding: try dir.read("carol.txt") + dir.read("bob.txt"), as: UTF8.self))
        #expect(try AgeDecryptor.decrypt(dir.read("x.age"), with: AgeIdentity.parseFile(both)) == plaintext)
    }

    @Test("an existing output is never overwritten")
    func noOverwrite() throws {
        let dir = try TempDirectory("age-interop")
        let input = try dir.write("plain.bin", "secret")
        let existing = try dir.write("plain.bin.age", "keep me")
        let error = #expect(throws: FileError.self) {
            try AgeFile.encrypt(fileAt: input, to: existing, for: [AgeIdentity.generate().recipient])
        }
        #expect(error?.reason.contains("refusing to overwrite") == true)
        #expect(try dir.read("plain.bin.age") == Data("keep me".utf8))
    }
}
