import Foundation
import Testing
@testable import HandoverKit

/// A bundle signature must be checkable by an auditor with `ssh-keygen -Y verify` alone, and a
/// signature made with ssh-keygen must be accepted by `handover verify`.
@Suite("SSH signatures interoperate with ssh-keygen")
struct SSHSignatureInteropTests {
    /// A temp folder with a tag manifest to sign and an Ed25519 key listed for alice.
    struct Fixture {
        let dir: TempDirectory
        let message: String
        let key: String
        let allowed: String

        init() throws {
            dir = try TempDirectory("sshsig")
            message = try dir.write("tagmanifest-sha256.txt", "0123abcd  bagit.txt\n4567ef01  bag-info.txt\n")
            key = try OpenSSH.makeKey(in: dir, name: "provider_ed25519")
            allowed = try dir.write("allowed_signers", try OpenSSH.allowedLine("alice@provider.example", pubPath: key + ".pub") + "\n")
        }
    }

    @Test("ssh-keygen -Y verify accepts a signature made with a key file")
    func keygenAcceptsFileSignature() throws {
        let f = try Fixture()
        let signer = try SSHSigner.forKey(at: f.key, environment: [:])
        #expect(signer.source == .keyFile(path: f.key))
        let signature = try SSHSignature.sign(.file(f.message), with: signer)
        let result = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: f.allowed,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(result.status == 0, "ssh-keygen refused our signature: \(result.stderr)")
        #expect(result.stdout.contains("Good \"handover\" signature for alice@provider.example"))
    }

    @Test("our armored signature is byte for byte the one ssh-keygen writes (Ed25519 is deterministic)")
    func armorMatchesKeygen() throws {
        let f = try Fixture()
        let theirs = try OpenSSH.sign(f.message, key: f.key)
        let ours = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:]))
        #expect(ours.armored == theirs)
        #expect(ours.armored.split(separator: "\n").dropFirst().dropLast().dropLast().allSatisfy { $0.count == 70 })
    }

    @Test("a signature made by ssh-keygen -Y sign verifies, with the principal and fingerprint",
          arguments: [("ed25519", nil), ("ecdsa", 256), ("ecdsa", 384), ("ecdsa", 521)] as [(String, Int?)])
    func keygenSignatureVerifies(type: String, bits: Int?) throws {
        let f = try Fixture()
        let key = try OpenSSH.makeKey(in: f.dir, name: "signer_\(type)\(bits ?? 0)", type: type, bits: bits)
        let allowed = try AllowedSigners(contents: try OpenSSH.allowedLine("bob@client.example", pubPath: key + ".pub"), source: "allowed")
        let signature = try SSHSignature(armored: try OpenSSH.sign(f.message, key: key))

        let result = try signature.verify(message: .file(f.message), allowedSigners: allowed)
        #expect(result.isValid, "\(result.summary)")
        #expect(result.principals == ["bob@client.example"])
        #expect(result.fingerprint == (try OpenSSH.fingerprint(of: key + ".pub")))
        #expect(result.namespaceAllowed)
        #expect(result.keyType == (type == "ed25519" ? "ssh-ed25519" : "ecdsa-sha2-nistp\(bits ?? 0)"))
        #expect(result.failure == nil && result.signer != .notChecked && result.isValid)
    }

    @Test("the fingerprint equals ssh-keygen -lf's, for public key files of every verifiable type")
    func fingerprintMatchesKeygen() throws {
        let dir = try TempDirectory("sshsig")
        for (type, bits) in [("ed25519", nil), ("ecdsa", 256), ("ecdsa", 384), ("rsa", 2048)] as [(String, Int?)] {
            let key = try OpenSSH.makeKey(in: dir, name: "k_\(type)\(bits ?? 0)", type: type, bits: bits, comment: "c \(type)")
            let parsed = try SSHPublicKey(contentsOf: key + ".pub")
            #expect(parsed.fingerprint == (try OpenSSH.fingerprint(of: key + ".pub")))
            #expect(parsed.comment == "c \(type)")
            #expect(parsed.openSSHLine + "\n" == (try String(contentsOfFile: key + ".pub", encoding: .utf8)))
        }
    }

    @Test("a private key file gives the public key ssh-keygen wrote beside it")
    func privateKeyMatchesPub() throws {
        let f = try Fixture()
        let key = try SSHPrivateKey(contentsOf: f.key)
        #expect(key.publicKey == (try SSHPublicKey(contentsOf: f.key + ".pub")))
        #expect(key.comment == "tester@example.org")
    }

    @Test("a message given as bytes and one given as a file sign and verify alike (streaming)")
    func bytesAndFileAgree() throws {
        let f = try Fixture()
        // A message larger than one read chunk, to exercise the streaming hash.
        var big = [UInt8](repeating: 0, count: 3 * (1 << 20) + 17)
        for i in big.indices { big[i] = UInt8(truncatingIfNeeded: i &* 31) }
        let path = try f.dir.write("big.bin", Data(big))
        let signer = try SSHSigner.forKey(at: f.key, environment: [:])
        let fromFile = try SSHSignature.sign(.file(path), with: signer)
        let fromBytes = try SSHSignature.sign(.bytes(big), with: signer)
        #expect(fromFile == fromBytes)
        let result = try OpenSSH.verify(message: path, signature: fromFile.armored, allowedSigners: f.allowed,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(result.status == 0, "\(result.stderr)")
    }
}
