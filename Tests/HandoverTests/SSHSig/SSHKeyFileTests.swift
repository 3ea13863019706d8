import Foundation
import Testing
@testable import HandoverKit

/// The KEY given to `handover build` is read carefully: a damaged or unusual key file gets a
/// message saying what to do, never a crash.
@Suite("SSH key files")
struct SSHKeyFileTests {
    /// The base64 body of an OpenSSH private key file, decoded.
    static func decodedKey(_ path: String) throws -> [UInt8] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        return try #require(SSHBase64.decode(lines.dropFirst().dropLast().joined()))
    }

    /// `blob` with every occurrence of `old` replaced by `new`, of the same length.
    static func replacing(_ old: [UInt8], with new: [UInt8], in blob: [UInt8]) -> [UInt8] {
        var result = blob
        var index = 0
        while index + old.count <= result.count {
            if Array(result[index..<index + old.count]) == old {
                result.replaceSubrange(index..<index + old.count, with: new)
                index += old.count
            } else {
                index += 1
            }
        }
        return result
    }

    static func encodedKey(_ blob: [UInt8]) -> String {
        ([OpenSSHKeyFile.beginMarker] + SSHBase64.wrapped(SSHBase64.encode(blob), width: 70) + [OpenSSHKeyFile.endMarker])
            .joined(separator: "\n") + "\n"
    }

    @Test("differing check-ints (the sign of a wrong passphrase or damage) are refused")
    func checkIntsDiffer() throws {
        let dir = try TempDirectory("sshsig")
        let key = try OpenSSH.makeKey(in: dir, name: "k")
        var blob = try Self.decodedKey(key)
        // Find the private section: magic, cipher, kdf, kdf options, count, public key, section.
        var reader = SSHWireReader(blob)
        _ = try reader.readBytes(OpenSSHKeyFile.magic.count, "magic")
        for _ in 0..<3 { _ = try reader.readString("field") }
        _ = try reader.readUInt32("count")
        _ = try reader.readString("public key")
        let sectionStart = reader.offset + 4
        blob[sectionStart + 7] ^= 0xff  // last byte of the second check-int
        let error = #expect(throws: SSHSigError.self) { try SSHPrivateKey(text: Self.encodedKey(blob), source: "k") }
        #expect(error == .malformedKey(source: "k", reason: "its check-ints differ: the private section is damaged"))
    }

    @Test("a private key whose secret half belongs to another key is refused")
    func mismatchedHalves() throws {
        let dir = try TempDirectory("sshsig")
        var blob = try Self.decodedKey(try OpenSSH.makeKey(in: dir, name: "k"))
        // The seed sits 64 + comment + padding bytes before the end; flip a byte of it.
        let comment = "tester@example.org".utf8.count
        let padding = (8 - (4 + 4 + 15 + 36 + 68 + 4 + comment) % 8) % 8
        blob[blob.count - padding - comment - 4 - 64] ^= 0x01
        let error = #expect(throws: SSHSigError.self) { try SSHPrivateKey(text: Self.encodedKey(blob), source: "k") }
        #expect(error == .malformedKey(source: "k", reason: "the private key does not belong to its public key"))
    }

    @Test("every truncation of a key file is refused without a crash")
    func truncations() throws {
        let dir = try TempDirectory("sshsig")
        let blob = try Self.decodedKey(try OpenSSH.makeKey(in: dir, name: "k"))
        #expect((try? SSHPrivateKey(text: Self.encodedKey(blob), source: "k")) != nil)
        for length in 0..<blob.count {
            #expect(throws: SSHSigError.self) { try SSHPrivateKey(text: Self.encodedKey(Array(blob.prefix(length))), source: "k") }
        }
    }

    @Test("a key file of a type handover does not sign with is refused naming it; a PEM key with a pointer to conversion")
    func otherKeyFiles() throws {
        let dir = try TempDirectory("sshsig")
        // A key type from the future: an Ed25519 key file with its type renamed (same length).
        let blob = try Self.decodedKey(try OpenSSH.makeKey(in: dir, name: "k"))
        let renamed = Self.replacing(Array("ssh-ed25519".utf8), with: Array("ssh-future1".utf8), in: blob)
        #expect(renamed != blob)
        let future = try dir.write("future", Self.encodedKey(renamed))
        let error = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: future, environment: [:]) }
        #expect(error?.exitStatus == .couldNotRun)
        #expect(error?.errorDescription?.contains("it is a ssh-future1 key, and handover signs with ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521 or ssh-rsa keys") == true,
                "\(String(describing: error?.errorDescription))")

        let pem = dir.path("pem")
        let made = try runProcess(try OpenSSH.keygen(), ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", pem])
        #expect(made.status == 0)
        let pemError = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: pem, environment: [:]) }
        #expect(pemError?.errorDescription?.contains("old PEM format") == true)
    }

    @Test("a missing key file, and a public key given where a private one is needed")
    func wrongFiles() throws {
        let dir = try TempDirectory("sshsig")
        let key = try OpenSSH.makeKey(in: dir, name: "k")
        let missing = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: dir.path("nope"), environment: [:]) }
        #expect(missing == .unreadable(path: dir.path("nope"), reason: "no such file"))
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(contentsOf: key + ".pub") }
        let notPub = #expect(throws: SSHSigError.self) { try SSHPublicKey(contentsOf: key) }
        #expect(notPub?.errorDescription?.contains("\(key).pub") == true)
    }

    @Test("public key lines that lie are refused", arguments: [
        "ssh-ed25519",
        "ssh-ed25519 not-base64!",
        // The type says ed25519, the blob says ecdsa.
        "ssh-ed25519 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA==",
        // An Ed25519 blob with a 3-byte key.
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAwECAw==",
    ])
    func lyingLines(line: String) throws {
        #expect(throws: SSHSigError.self) { try SSHPublicKey(line: line) }
    }
}
