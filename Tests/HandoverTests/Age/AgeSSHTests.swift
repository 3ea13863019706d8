import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// An SSH key pair made by ssh-keygen in a temp folder: the private key file, its `.pub` line.
struct SSHKeyPair {
    let path: String
    let publicLine: String

    /// `type` and `bits` as ssh-keygen takes them (`-t rsa -b 2048`); `passphrase` empty for none;
    /// `pem` writes the old PEM format instead of OpenSSH's.
    init(_ dir: TempDirectory, _ name: String, type: String, bits: Int? = nil, passphrase: String = "", pem: Bool = false) throws {
        let keygen = try requireTool("ssh-keygen", install: "apt-get install openssh-client")
        path = dir.path(name)
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "\(name)@handover.test", "-f", path]
        if let bits { arguments += ["-b", String(bits)] }
        if pem { arguments += ["-m", "PEM"] }
        let made = try runProcess(keygen, arguments)
        guard made.status == 0 else { throw AgeTestFailure("ssh-keygen \(arguments.joined(separator: " ")) failed: \(made.stderr)") }
        publicLine = try String(decoding: dir.read(name + ".pub"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var publicPath: String { path + ".pub" }
}

/// The SSH key kinds age encrypts to: Ed25519, and RSA at 2048 bits (a 342-character stanza
/// body: five full lines and a short one) and 3072 bits (512 characters: eight full lines and
/// an empty one).
enum SSHRecipientKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case ed25519, rsa2048, rsa3072

    func make(_ dir: TempDirectory, _ name: String) throws -> SSHKeyPair {
        switch self {
        case .ed25519: try SSHKeyPair(dir, name, type: "ed25519")
        case .rsa2048: try SSHKeyPair(dir, name, type: "rsa", bits: 2048)
        case .rsa3072: try SSHKeyPair(dir, name, type: "rsa", bits: 3072)
        }
    }

    var stanzaType: String { self == .ed25519 ? "ssh-ed25519" : "ssh-rsa" }
    var testDescription: String { rawValue }
}

@Suite("age SSH recipients and identities (ssh-ed25519, ssh-rsa) with the real age and ssh-keygen")
struct AgeSSHTests {
    @Test("the Ed25519 key converted to X25519 is the public key of the scalar SHA-512(seed)[0..<32]")
    func conversionMatchesScalar() throws {
        for _ in 0..<8 {
            let key = Curve25519.Signing.PrivateKey()
            let scalar = Array(SHA512.hash(data: key.rawRepresentation).prefix(32))
            let expected = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar).publicKey.rawRepresentation
            #expect(Ed25519Montgomery.montgomeryU(fromEdwards: Array(key.publicKey.rawRepresentation)) == Array(expected))
        }
        // The neutral point (y = 1) has no u; 2^255 - 1 is no canonical y.
        #expect(Ed25519Montgomery.montgomeryU(fromEdwards: [1] + [UInt8](repeating: 0, count: 31)) == nil)
        #expect(Ed25519Montgomery.montgomeryU(fromEdwards: [UInt8](repeating: 0xFF, count: 31) + [0x7F]) == nil)
    }

    @Test("age -R key.pub encrypts; our identity from the SSH private key decrypts", arguments: SSHRecipientKind.allCases)
    func ageEncryptsWeDecrypt(kind: SSHRecipientKind) throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-ssh")
        let key = try kind.make(dir, "id")
        for size in [0, 70_000] {
            let plaintext = Data(randomPayload(size))
            let input = try dir.write("plain-\(size).bin", plaintext)
            let made = try runProcess(tools.age, ["-R", key.publicPath, "-o", dir.path("x-\(size).age"), input])
            #expect(made.status == 0, "age -R: \(made.stderr)")
            let header = String(decoding: try dir.read("x-\(size).age").prefix(200), as: UTF8.self)
            #expect(header.contains("-> \(kind.stanzaType) "), "\(header)")

            let identities = try AgeIdentity.parseFile(key.path)
            #expect(identities.count == 1 && identities[0].secretKeyString == nil)
            #expect(identities[0].recipient == (try AgeRecipient(parsing: key.publicLine)))
            let outcome = decryptInPieces(Array(try dir.read("x-\(size).age")), identities: identities, pieces: [1, 77, 4_093, 65_552])
            #expect(outcome.error == nil, "\(String(describing: outcome.error?.errorDescription))")
            #expect(outcome.plaintext == Array(plaintext))
        }
    }

    @Test("we encrypt for the .pub line; age -d -i key decrypts; the size was known beforehand", arguments: SSHRecipientKind.allCases)
    func weEncryptAgeDecrypts(kind: SSHRecipientKind) throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-ssh")
        let key = try kind.make(dir, "id")
        let x25519 = try tools.newIdentity(in: dir, "age.txt")
        let recipients = [try AgeRecipient(parsing: key.publicLine), try AgeRecipient(parsing: x25519.recipient)]
        #expect(recipients[0].encoded == key.publicLine.split(separator: " ").prefix(2).joined(separator: " "))
        for size in [0, 65_536, 100_000] {
            let plaintext = Data(randomPayload(size))
            let sealed = try AgeEncryptor.encrypt(plaintext, for: recipients)
            #expect(Int64(sealed.count) == AgeEncryptor.encryptedSize(plaintextSize: Int64(size), recipients: recipients))
            let path = try dir.write("ours-\(size).age", sealed)
            for identity in [key.path, x25519.path] {
                let opened = try runProcess(tools.age, ["-d", "-i", identity, path])
                #expect(opened.status == 0, "age -d -i \(identity): \(opened.stderr)")
                #expect(opened.stdoutData == plaintext)
            }
        }
    }

    @Test("another SSH key of the same type cannot decrypt, with us or with age", arguments: [SSHRecipientKind.ed25519, .rsa2048])
    func wrongKey(kind: SSHRecipientKind) throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-ssh")
        let key = try kind.make(dir, "id"), other = try kind.make(dir, "other")
        let sealed = try AgeEncryptor.encrypt(Data("secret\n".utf8), for: [try AgeRecipient(parsing: key.publicLine)])
        let outcome = decryptInPieces(Array(sealed), identities: try AgeIdentity.parseFile(other.path))
        #expect(outcome.error == .noMatchingIdentity(subject: "test.age", stanzas: 1, identities: 1))
        #expect(outcome.plaintext.isEmpty)
        let path = try dir.write("x.age", sealed)
        #expect(try runProcess(tools.age, ["-d", "-i", other.path, path]).status != 0)
    }

    /// Our own well-formed ssh stanza for `key`, for the hostile tests to alter.
    static func stanza(for key: SSHKeyPair, fileKey: SymmetricKey) throws -> AgeStanza {
        try AgeRecipient(parsing: key.publicLine).wrap(fileKey: fileKey)
    }

    /// A complete file around one (possibly altered) stanza, MAC and payload correct.
    static func file(with stanza: AgeStanza) throws -> [UInt8] {
        var file = AgeFileBuilder()
        file.version()
        file.stanza(stanza)
        file.mac()
        file.nonce()
        try file.chunk(Array("payload\n".utf8), last: true)
        return file.bytes
    }

    /// A key of `kind`, its identity and a good stanza for it, which decrypts; and the check that
    /// the same stanza with another tag is simply not for this key.
    static func hostileSetup(_ kind: SSHRecipientKind) throws -> (identities: [AgeIdentity], good: AgeStanza) {
        let dir = try TempDirectory("age-ssh")
        let key = try kind.make(dir, "id")
        let identities = try AgeIdentity.parseFile(key.path)
        let good = try Self.stanza(for: key, fileKey: AgeFileBuilder().fileKey)
        #expect(decryptInPieces(try Self.file(with: good), identities: identities).plaintext == Array("payload\n".utf8))
        var wrongTag = good
        wrongTag.arguments[1] = AgeBase64.encode([0, 0, 0, 0])
        #expect(decryptInPieces(try Self.file(with: wrongTag), identities: identities).error
            == .noMatchingIdentity(subject: "test.age", stanzas: 1, identities: 1))
        return (identities, good)
    }

    @Test("hostile ssh-ed25519 stanzas: wrong tag, short share, missing argument, long body; refused without a crash")
    func hostileEd25519() throws {
        let (identities, good) = try Self.hostileSetup(.ed25519)

        var shortShare = good
        shortShare.arguments[2] = AgeBase64.encode([UInt8](repeating: 9, count: 31))
        var noShare = good
        noShare.arguments.removeLast()
        var longBody = good
        longBody.body += [0]
        for hostile in [shortShare, noShare, longBody] {
            let outcome = decryptInPieces(try Self.file(with: hostile), identities: identities, pieces: [5, 64])
            guard case .malformedHeader(_, let reason) = outcome.error else {
                Issue.record("expected a malformed header, got \(String(describing: outcome.error))")
                continue
            }
            #expect(reason.contains("ssh-ed25519 stanza"), "\(reason)")
            #expect(outcome.error?.exitStatus == .checkFailed)
            #expect(outcome.plaintext.isEmpty)
        }

        // An all-zero share (a low-order point) is refused as age requires.
        var zeroShare = good
        zeroShare.arguments[2] = AgeBase64.encode([UInt8](repeating: 0, count: 32))
        guard case .malformedHeader(_, let reason) = decryptInPieces(try Self.file(with: zeroShare), identities: identities).error else {
            Issue.record("a zero share was not refused")
            return
        }
        #expect(reason.contains("low-order"), "\(reason)")
    }

    @Test("hostile ssh-rsa stanzas: wrong tag, extra argument, short body, altered body; refused without a crash")
    func hostileRSA() throws {
        let (identities, good) = try Self.hostileSetup(.rsa2048)
        #expect(good.body.count == 256)

        var extra = good
        extra.arguments.append("AAAA")
        var short = good
        short.body.removeLast()
        var altered = good
        altered.body[100] ^= 0x01
        var empty = good
        empty.body = []
        for (hostile, expected) in [(extra, "exactly one argument"), (short, "255 bytes"), (altered, "does not decrypt"), (empty, "0 bytes")] {
            let outcome = decryptInPieces(try Self.file(with: hostile), identities: identities)
            guard case .malformedHeader(_, let reason) = outcome.error else {
                Issue.record("expected a malformed header, got \(String(describing: outcome.error))")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
            #expect(outcome.plaintext.isEmpty)
        }
    }

    @Test("keys handover refuses, each with a reason: passphrase, RSA under 2048 bits, ECDSA, PEM format, a .pub as identity")
    func refusedKeys() throws {
        let dir = try TempDirectory("age-ssh")
        func identityError(_ path: String) -> String {
            let error = #expect(throws: AgeError.self) { try AgeIdentity.parseFile(path) }
            #expect(error?.exitStatus == .couldNotRun)
            return error?.errorDescription ?? ""
        }
        let locked = try SSHKeyPair(dir, "locked", type: "ed25519", passphrase: "correct horse")
        let lockedMessage = identityError(locked.path)
        #expect(lockedMessage.contains("protected by a passphrase") && lockedMessage.contains("ssh-keygen -p"), "\(lockedMessage)")
        #expect(lockedMessage.contains("age identity"), "\(lockedMessage)")

        let small = try SSHKeyPair(dir, "small", type: "rsa", bits: 1024)
        let recipientError = #expect(throws: AgeError.self) { try AgeRecipient(parsing: small.publicLine) }
        #expect(recipientError?.errorDescription?.contains("1024-bit RSA key") == true, "\(String(describing: recipientError?.errorDescription))")
        #expect(identityError(small.path).contains("1024 bits"))

        let ecdsa = try SSHKeyPair(dir, "ecdsa", type: "ecdsa")
        #expect(identityError(ecdsa.path).contains("ecdsa-sha2-nistp256 key; age decrypts only with ssh-ed25519 and ssh-rsa"))
        let ecdsaRecipient = #expect(throws: AgeError.self) { try AgeRecipient(parsing: ecdsa.publicLine) }
        #expect(ecdsaRecipient?.errorDescription?.contains("age encrypts only to ssh-ed25519 and ssh-rsa") == true)

        let pem = try SSHKeyPair(dir, "pem", type: "rsa", bits: 2048, pem: true)
        #expect(identityError(pem.path).contains("old PEM"))

        let publicAsIdentity = identityError(locked.publicPath)
        #expect(publicAsIdentity.contains("SSH public key") && publicAsIdentity.contains("private key file"), "\(publicAsIdentity)")
        // No message quotes the private key.
        let keyText = String(decoding: try dir.read("small"), as: UTF8.self)
        let secretLine = keyText.split(separator: "\n").dropFirst(3).first.map(String.init) ?? "(none)"
        #expect(!identityError(small.path).contains(secretLine))
    }

    @Test("a recipients file mixing age1 lines, .pub lines and comments; a .pub file on its own is one")
    func recipientsFile() throws {
        let tools = try AgeTools()
        let dir = try TempDirectory("age-ssh")
        let ed = try SSHKeyPair(dir, "ed", type: "ed25519"), rsa = try SSHKeyPair(dir, "rsa", type: "rsa", bits: 2048)
        let x25519 = try tools.newIdentity(in: dir, "age.txt")
        let list = try dir.write("recipients.txt", "# next provider\n\(x25519.recipient)\n\(ed.publicLine)\r\n\n\(rsa.publicLine)\n")
        let parsed = try AgeRecipients.parseFile(list)
        #expect(parsed.map(\.isSSHKey) == [false, true, true])
        #expect(try AgeRecipients.parseFile(ed.publicPath) == [try AgeRecipient(parsing: ed.publicLine)])

        let damaged = try dir.write("damaged.txt", "\(x25519.recipient)\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ4 cut\n")
        let error = #expect(throws: AgeError.self) { try AgeRecipients.parseFile(damaged) }
        #expect(error?.errorDescription?.contains("damaged.txt, line 2") == true, "\(String(describing: error?.errorDescription))")
    }
}
