import Foundation
import Testing
@testable import HandoverKit

/// The client receiving a bundle must not be fooled: an unknown signer, a signature for another
/// use, a modified tag manifest or a damaged signature file are all refused, with exit status 1.
@Suite("SSH signatures that must be refused")
struct SSHSignatureRefusalTests {
    typealias Fixture = SSHSignatureInteropTests.Fixture

    @Test("a key not in the allowed signers is refused, and ssh-keygen agrees")
    func unknownSigner() throws {
        let f = try Fixture()
        let stranger = try OpenSSH.makeKey(in: f.dir, name: "stranger")
        let signature = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: stranger, environment: [:]))
        let result = try signature.verify(message: .file(f.message), allowedSigners: try AllowedSigners(contentsOf: f.allowed))
        #expect(result.signatureValid)
        #expect(!result.isValid)
        #expect(result.principals.isEmpty)
        #expect(result.signer == .notAllowed(reason: "\(f.allowed) does not list it"))
        #expect(result.failure?.exitStatus == .checkFailed)
        #expect(result.summary.contains("not in the allowed signers"))
        #expect(!result.isValid)

        let keygen = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: f.allowed,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(keygen.status != 0)
    }

    @Test("a listed key signing for another principal than the one asked is refused")
    func wrongPrincipal() throws {
        let f = try Fixture()
        let signature = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:]))
        let allowed = try AllowedSigners(contentsOf: f.allowed)
        let result = try signature.verify(message: .file(f.message), allowedSigners: allowed, principal: "mallory@example.org")
        #expect(!result.isValid)
        guard case .signerNotAllowed(_, let detail) = result.failure else { Issue.record("\(String(describing: result.failure))"); return }
        #expect(detail.contains("alice@provider.example"))
        #expect(try signature.verify(message: .file(f.message), allowedSigners: allowed, principal: "alice@provider.example").isValid)
    }

    @Test("a signature made for another namespace is refused, by us and by ssh-keygen")
    func wrongNamespace() throws {
        let f = try Fixture()
        let signature = try SSHSignature(armored: try OpenSSH.sign(f.message, key: f.key, namespace: "file"))
        let result = try signature.verify(message: .file(f.message), allowedSigners: try AllowedSigners(contentsOf: f.allowed))
        #expect(result.signatureValid)
        #expect(!result.namespaceAllowed)
        #expect(result.failure == .wrongNamespace(found: "file", expected: "handover"))
        #expect(result.failure?.exitStatus == .checkFailed)
        let keygen = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: f.allowed,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(keygen.status != 0)
    }

    @Test("a namespaces= option that does not list handover refuses the key, as ssh-keygen does")
    func namespaceOptionRefuses() throws {
        let f = try Fixture()
        let allowedPath = try f.dir.write("allowed_git", try OpenSSH.allowedLine("alice@provider.example", options: "namespaces=\"git,file\"", pubPath: f.key + ".pub"))
        let signature = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:]))
        let result = try signature.verify(message: .file(f.message), allowedSigners: try AllowedSigners(contentsOf: allowedPath))
        #expect(result.principals == ["alice@provider.example"])
        #expect(!result.namespaceAllowed)
        #expect(result.failure == .namespaceNotAllowed(namespace: "handover", fingerprint: result.fingerprint, source: allowedPath))
        let keygen = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: allowedPath,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(keygen.status != 0)
    }

    @Test("a modified message is refused")
    func modifiedMessage() throws {
        let f = try Fixture()
        let signature = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:]))
        var bytes = try [UInt8](f.dir.read("tagmanifest-sha256.txt"))
        bytes[0] ^= 0x01
        let result = try signature.verify(message: .bytes(bytes), allowedSigners: try AllowedSigners(contentsOf: f.allowed))
        #expect(!result.signatureValid)
        #expect(result.failure == .signatureMismatch(fingerprint: result.fingerprint))
        #expect(result.failure?.exitStatus == .checkFailed)
        #expect(!(try signature.verify(message: .bytes(bytes + [0x0a]), allowedSigners: nil).signatureValid))
    }

    @Test("flipping any single byte of a signature never leaves it valid")
    func corruptedSignature() throws {
        let f = try Fixture()
        let allowed = try AllowedSigners(contentsOf: f.allowed)
        let blob = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:])).blob
        var refusedAsDamaged = 0, refusedAsInvalid = 0
        for position in blob.indices {
            var damaged = blob
            damaged[position] ^= 0x20
            do {
                let result = try SSHSignature(blob: damaged).verify(message: .file(f.message), allowedSigners: allowed)
                #expect(!result.isValid, "byte \(position) flipped still verifies")
                refusedAsInvalid += 1
            } catch let error as SSHSigError {
                #expect(error.errorDescription?.isEmpty == false)
                refusedAsDamaged += 1
            }
        }
        #expect(refusedAsDamaged > 0 && refusedAsInvalid > 0)
    }

    @Test("garbage armor is refused as a damaged signature (exit status 1)", arguments: [
        "", "hello", "-----BEGIN SSH SIGNATURE-----\n", "-----BEGIN SSH SIGNATURE-----\nAAAA\n",
        "-----BEGIN SSH SIGNATURE-----\n!!!!\n-----END SSH SIGNATURE-----\n",
        "-----BEGIN SSH SIGNATURE-----\naGVsbG8gd29ybGQ=\n-----END SSH SIGNATURE-----\n",
        // SSHSIG, version 2.
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAg==\n-----END SSH SIGNATURE-----\n",
        // SSHSIG, version 1, then a key length of 4 GiB.
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAf////8=\n-----END SSH SIGNATURE-----\n",
        "-----BEGIN PGP SIGNATURE-----\nAAAA\n-----END PGP SIGNATURE-----\n",
        String(repeating: "A", count: 70 * 1024),
    ])
    func garbageArmor(text: String) throws {
        do {
            _ = try SSHSignature(armored: text)
            Issue.record("accepted garbage: \(text.prefix(60))")
        } catch let error as SSHSigError {
            guard case .malformedSignature = error else { Issue.record("unexpected \(error)"); return }
            #expect(error.exitStatus == .checkFailed)
        }
    }

    @Test("a signature file reads back as written; an oversized one is a damaged signature")
    func signatureFiles() throws {
        let f = try Fixture()
        let signature = try SSHSignature.sign(.file(f.message), with: try SSHSigner.forKey(at: f.key, environment: [:]))
        let path = try f.dir.write("signature.sshsig", signature.armored)
        #expect(try SSHSignature(contentsOf: path) == signature)
        let huge = try f.dir.write("huge.sshsig", Data(count: 200 * 1024))
        let error = #expect(throws: SSHSigError.self) { try SSHSignature(contentsOf: huge) }
        #expect(error?.exitStatus == .checkFailed)
    }

    @Test("random bytes after the SSHSIG magic never crash the parser")
    func randomBlobs() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let length = Int.random(in: 0..<200, using: &generator)
            var blob = Array("SSHSIG".utf8) + [0, 0, 0, 1]
            blob += (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Small length fields, so the parser goes deep instead of stopping at the first one.
            for i in stride(from: 10, to: blob.count, by: 9) where i + 3 < blob.count {
                blob[i] = 0; blob[i + 1] = 0; blob[i + 2] = 0; blob[i + 3] %= 40
            }
            if let signature = try? SSHSignature(blob: blob) {
                let result = try? signature.verify(message: .bytes([1, 2, 3]), allowedSigners: nil)
                #expect(result?.isValid != true)
            }
        }
    }
}
