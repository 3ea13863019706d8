import Foundation
import Testing
@testable import HandoverKit

/// A provider's engineer may hold an RSA or ECDSA key rather than an Ed25519 one: handover signs
/// with those key files as ssh-keygen would, and accepts what ssh-keygen signs with them.
@Suite("RSA and ECDSA SSH signatures interoperate with ssh-keygen")
struct SSHKeyTypesTests {
    typealias Fixture = SSHSignatureInteropTests.Fixture

    @Test("a signature made by ssh-keygen -Y sign verifies, and fails once the message changes",
          arguments: SSHKeyKind.allCases)
    func keygenSignatureVerifies(kind: SSHKeyKind) throws {
        let f = try Fixture()
        let key = try SharedSSHKeys.get().path(kind)
        let allowed = try AllowedSigners(contents: try OpenSSH.allowedLine("bob@client.example", pubPath: key + ".pub"), source: "allowed")
        let signature = try SSHSignature(armored: try OpenSSH.sign(f.message, key: key))
        #expect(signature.publicKey.type == kind.keyType)
        #expect(try Self.algorithm(of: signature) == kind.signatureAlgorithm)

        let result = try signature.verify(message: .file(f.message), allowedSigners: allowed)
        #expect(result.isValid, "\(result.summary)")
        #expect(result.principals == ["bob@client.example"])
        #expect(result.fingerprint == (try OpenSSH.fingerprint(of: key + ".pub")))
        #expect(result.keyType == kind.keyType)

        let changed = try signature.verify(message: .bytes(Array("0123abcd  bagit.txt\n".utf8)), allowedSigners: allowed)
        #expect(!changed.isValid)
        #expect(changed.failure == .signatureMismatch(fingerprint: result.fingerprint))
    }

    @Test("a key file signs (RSA with rsa-sha2-512), and ssh-keygen -Y verify accepts the signature",
          arguments: SSHKeyKind.allCases)
    func keyFileSignsForKeygen(kind: SSHKeyKind) throws {
        let f = try Fixture()
        let key = try SharedSSHKeys.get().path(kind)
        let signer = try SSHSigner.forKey(at: key, environment: [:])
        #expect(signer.source == .keyFile(path: key))
        #expect(signer.publicKey == (try SSHPublicKey(contentsOf: key + ".pub")))
        #expect(try SSHPrivateKey(contentsOf: key).comment == "shared-\(kind.rawValue)@example.org")

        let signature = try SSHSignature.sign(.file(f.message), with: signer)
        #expect(try Self.algorithm(of: signature) == kind.signatureAlgorithm)
        let allowed = try f.dir.write("allowed_\(kind.rawValue)", try OpenSSH.allowedLine("carol@provider.example", pubPath: key + ".pub") + "\n")
        let keygen = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: allowed,
                                        principal: "carol@provider.example", in: f.dir)
        #expect(keygen.status == 0, "ssh-keygen refused our \(kind) signature: \(keygen.stderr)")
        #expect(keygen.stdout.contains("Good \"handover\" signature for carol@provider.example"), "\(keygen.stdout)")
        #expect(try signature.verify(message: .file(f.message), allowedSigners: try AllowedSigners(contentsOf: allowed)).isValid)
    }

    @Test("through ssh-agent, handover signs RSA with rsa-sha2-512; rsa-sha2-256 verifies; SHA-1 ssh-rsa is refused with a reason, as ssh-keygen does")
    func rsaSignatureAlgorithms() throws {
        let f = try Fixture()
        let key = try SharedSSHKeys.get().path(.rsa3072)
        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        try agent.add(key, in: f.dir)
        let client = SSHAgentClient(socketPath: agent.socket, timeout: 10)
        let publicKey = try SSHPublicKey(contentsOf: key + ".pub")
        let data = SSHSignature.signedData(namespace: "handover", hashAlgorithm: .sha512, messageDigest: try SignedMessage.file(f.message).digest(.sha512))
        let allowedPath = try f.dir.write("allowed_rsa", try OpenSSH.allowedLine("carol", pubPath: key + ".pub") + "\n")
        let allowed = try AllowedSigners(contentsOf: allowedPath)

        // handover's own agent signing asks for rsa-sha2-512 (without the flag, agents use SHA-1).
        let signer = try SSHSigner.forKey(at: key + ".pub", environment: agent.environment)
        #expect(signer.source == .agent(socket: agent.socket))
        let viaAgent = try SSHSignature.sign(.file(f.message), with: signer)
        #expect(try Self.algorithm(of: viaAgent) == "rsa-sha2-512")
        let keygen512 = try OpenSSH.verify(message: f.message, signature: viaAgent.armored, allowedSigners: allowedPath, principal: "carol", in: f.dir)
        #expect(keygen512.status == 0, "\(keygen512.stderr)")

        // The agent's flag 2 asks for rsa-sha2-256, 0 for the old SHA-1 algorithm.
        let sha256 = SSHSignature(publicKey: publicKey, namespace: "handover", hashAlgorithm: .sha512,
                                  signature: try client.sign(data, with: publicKey, flags: 2))
        #expect(try Self.algorithm(of: sha256) == "rsa-sha2-256")
        #expect(try sha256.verify(message: .file(f.message), allowedSigners: allowed).isValid)
        let keygen256 = try OpenSSH.verify(message: f.message, signature: sha256.armored, allowedSigners: allowedPath, principal: "carol", in: f.dir)
        #expect(keygen256.status == 0, "\(keygen256.stderr)")

        let sha1 = SSHSignature(publicKey: publicKey, namespace: "handover", hashAlgorithm: .sha512,
                                signature: try client.sign(data, with: publicKey, flags: 0))
        #expect(try Self.algorithm(of: sha1) == "ssh-rsa")
        let error = #expect(throws: SSHSigError.self) { try sha1.verify(message: .file(f.message), allowedSigners: allowed) }
        #expect(error == .unsupportedSignatureAlgorithm(algorithm: "ssh-rsa", keyType: "ssh-rsa"))
        #expect(error?.exitStatus == .checkFailed)
        #expect(error?.errorDescription?.contains("SHA-1") == true, "\(String(describing: error?.errorDescription))")
        let keygen1 = try OpenSSH.verify(message: f.message, signature: sha1.armored, allowedSigners: allowedPath, principal: "carol", in: f.dir)
        #expect(keygen1.status != 0, "ssh-keygen accepted a SHA-1 signature: \(keygen1.stdout)")
    }

    @Test("an RSA key under 2048 bits: its signature is a failed check with the size, and it cannot sign")
    func smallRSAKey() throws {
        let f = try Fixture()
        let small = try OpenSSH.makeKey(in: f.dir, name: "rsa1024", type: "rsa", bits: 1024)
        let signature = try SSHSignature(armored: try OpenSSH.sign(f.message, key: small))
        let error = #expect(throws: SSHSigError.self) { try signature.verify(message: .file(f.message), allowedSigners: nil) }
        #expect(error == .keyTooSmall(fingerprint: try OpenSSH.fingerprint(of: small + ".pub"), bits: 1024, minimum: 2048))
        #expect(error?.exitStatus == .checkFailed)
        #expect(error?.errorDescription?.contains("1024-bit RSA key") == true)

        // An allowed_signers file listing the small key still reads: only its signatures are refused.
        #expect(throws: Never.self) { try AllowedSigners(contents: try OpenSSH.allowedLine("old", pubPath: small + ".pub"), source: "a") }
        let signing = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: small, environment: [:]) }
        #expect(signing?.exitStatus == .couldNotRun)
        #expect(signing?.errorDescription?.contains("1024 bits long") == true, "\(String(describing: signing?.errorDescription))")
    }

    @Test("a signature by a key type handover does not know is a failed check naming the type",
          arguments: ["sk-ssh-ed25519@openssh.com", "ssh-made-up@example.org"])
    func unknownKeyType(type: String) throws {
        let armored = try signatureWithUnknownKeyType(type)
        // It parses (it is a well-formed SSHSIG); only the check refuses it.
        let signature = try SSHSignature(armored: armored)
        #expect(signature.publicKey.type == type)
        #expect(!signature.publicKey.isVerifiable)
        let error = #expect(throws: SSHSigError.self) { try signature.verify(message: .bytes([1, 2, 3]), allowedSigners: nil) }
        #expect(error == .unsupportedKeyType(type))
        #expect(error?.exitStatus == .checkFailed)
        #expect(error?.errorDescription?.contains("made with a \(type) key") == true, "\(String(describing: error?.errorDescription))")
        #expect(error?.errorDescription?.contains("ssh-rsa") == true)
    }

    @Test("an RSA or ECDSA key file whose private part does not match its public key is refused",
          arguments: [SSHKeyKind.rsa3072, .ecdsa256])
    func damagedPrivatePart(kind: SSHKeyKind) throws {
        var blob = try SSHKeyFileTests.decodedKey(try SharedSSHKeys.get().path(kind))
        // The secret numbers end the private section, before the comment (about 30 bytes with
        // its length) and at most 7 bytes of padding: 60 bytes from the end is inside the ECDSA
        // scalar d (33 bytes) and the RSA prime q (193 bytes).
        blob[blob.count - 60] ^= 0x01
        let error = #expect(throws: SSHSigError.self) { try SSHPrivateKey(text: SSHKeyFileTests.encodedKey(blob), source: "k") }
        #expect(error == .malformedKey(source: "k", reason: "the private key does not belong to its public key"))
        #expect(error?.exitStatus == .couldNotRun)
    }

    /// The algorithm named in a signature's inner blob.
    static func algorithm(of signature: SSHSignature) throws -> String {
        var reader = SSHWireReader(signature.signature)
        return try reader.readText("the algorithm")
    }
}
