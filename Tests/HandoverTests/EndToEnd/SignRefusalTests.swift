import Foundation
import Testing

/// What a recipient must never accept: a bundle signed by someone else, an unsigned one when a
/// signature is required, a forged one, or a signature made for another purpose.
@Suite("Signed bundles: what verify refuses")
struct SignRefusalTests {
    /// An allowed_signers file that does not let the bundle's key sign handover bundles.
    enum SignerList: String, CaseIterable, Sendable {
        case otherKeyOnly, namespaceGitOnly, expired

        /// The text verify prints about it.
        var explanation: String {
            switch self {
            case .otherKeyOnly: "not in the allowed signers"
            case .namespaceGitOnly: "does not allow signatures for \"handover\""
            case .expired: "only outside its validity"
            }
        }
    }

    @Test("a key the allowed_signers file does not admit is refused (exit 1)", arguments: SignerList.allCases)
    func signerNotAdmitted(list: SignerList) throws {
        let stage = try EvidenceFixture()
        let key = try stage.makeKey("id_ed25519")
        try stage.buildOK("bundle.tar", ["--sign", key])
        let allowed: String
        switch list {
        case .otherKeyOnly: allowed = try stage.allowedSigners(keys: [try stage.makeKey("colleague")])
        case .namespaceGitOnly: allowed = try stage.allowedSigners(keys: [key], options: "namespaces=\"git\"")
        case .expired: allowed = try stage.allowedSigners(keys: [key], options: "valid-before=\"20200101\"")
        }
        // ssh-keygen agrees that the signer is not admitted.
        let keygen = try stage.sshKeygenVerify(try stage.unpack(), allowedSigners: allowed)
        #expect(keygen.status != 0, "ssh-keygen accepted it: \(keygen.stdout)")

        let verify = try stage.verify("bundle.tar", ["--allowed-signers", allowed])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains(list.explanation), "\(verify.stdout)")
        #expect(verify.stdout.contains(try OpenSSH.fingerprint(of: key + ".pub")))
        #expect(verify.stdout.contains("Result: INVALID"))
    }

    @Test("an unsigned bundle is refused when --allowed-signers asks for a signature")
    func unsignedRefused() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("unsigned.tar")

        let plain = try stage.verify("unsigned.tar")
        #expect(plain.status == 0, "without --allowed-signers an unsigned bundle is fine: \(plain.stdout)")
        #expect(plain.stdout.contains("Authenticity: NOT SIGNED"))

        let verify = try stage.verify("unsigned.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("not signed"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INVALID"))
    }

    @Test("a forged bundle, consistent as a bag but with the old signature, is refused")
    func forgedBundleRefused() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])
        let bag = try stage.unpack()

        // One payload byte changed (same size, so Payload-Oxum still holds), then every manifest
        // re-hashed: the forger's bag is consistent on its own.
        let target = "data/access/accounts.csv"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: "\(bag)/\(target)"))
        let index = try #require(bytes.firstIndex(of: UInt8(ascii: "a")).map { bytes.index(after: $0) })
        bytes[index] = UInt8(ascii: "A")
        try bytes.write(to: URL(fileURLWithPath: "\(bag)/\(target)"))
        try rehash(manifest: bag + "/manifest-sha256.txt", path: target, to: try sha256sum("\(bag)/\(target)"))
        try rehash(manifest: bag + "/tagmanifest-sha256.txt", path: "manifest-sha256.txt", to: try sha256sum(bag + "/manifest-sha256.txt"))
        let bagit = try EvidenceFixture.bagitValidate(bag)
        try #require(bagit.status == 0, "the forged bag should be valid for bagit.py: \(bagit.stderr)")
        try stage.repack(bag, as: "forged.tar")

        let keygen = try stage.sshKeygenVerify(bag, allowedSigners: signer.allowed)
        #expect(keygen.status != 0, "ssh-keygen accepted the forgery: \(keygen.stdout)")

        for extra in [["--allowed-signers", signer.allowed], []] {
            let verify = try stage.verify("forged.tar", extra)
            #expect(verify.status == 1, "verify \(extra): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("Integrity: intact and complete"), "the bag itself is consistent: \(verify.stdout)")
            #expect(verify.stdout.contains("FAILED, bad SSH signature"), "\(verify.stdout)")
            #expect(verify.stdout.contains("modified after signing"), "\(verify.stdout)")
            #expect(verify.stdout.contains("Result: INVALID"))
        }
    }

    @Test("a signature over the tag manifest made for another namespace is refused")
    func otherNamespaceRefused() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildSignedWithSSHKeygen(as: "file-namespace.tar", key: signer.key, namespace: "file")

        for extra in [["--allowed-signers", signer.allowed], []] {
            let verify = try stage.verify("file-namespace.tar", extra)
            #expect(verify.status == 1, "verify \(extra): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("namespace \"file\", not \"handover\""), "\(verify.stdout)")
            #expect(verify.stdout.contains("Result: INVALID"))
        }
    }

    @Test("a signature by a key type handover cannot verify is a failed check naming the type (exit 1, not 2)",
          arguments: ["sk-ssh-ed25519@openssh.com", "ssh-made-up@example.org"])
    func unknownKeyTypeFails(type: String) throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("unsigned.tar")
        let bag = try stage.unpack("unsigned.tar")
        try signatureWithUnknownKeyType(type).write(toFile: bag + "/handover/signature.sshsig", atomically: true, encoding: .utf8)
        try stage.repack(bag, as: "unknown-type.tar")

        for extra in [["--allowed-signers", signer.allowed], []] {
            let verify = try stage.verify("unknown-type.tar", extra)
            #expect(verify.status == 1, "verify \(extra): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("made with a \(type) key, which handover cannot verify"), "\(verify.stdout)")
            #expect(verify.stdout.contains("Result: INVALID"), "\(verify.stdout)")
        }
    }

    @Test("a bundle signed with an RSA key under 2048 bits fails the check with the key's size")
    func smallRSAKeyFails() throws {
        let stage = try EvidenceFixture()
        let small = try OpenSSH.makeKey(in: stage.work, name: "id_rsa1024", type: "rsa", bits: 1024, comment: EvidenceFixture.principal)
        let allowed = try stage.allowedSigners(keys: [small])
        try stage.buildSignedWithSSHKeygen(as: "small-rsa.tar", key: small)
        // ssh-keygen still takes 1024-bit keys; handover asks for more, and says so.
        let keygen = try stage.sshKeygenVerify(try stage.unpack("small-rsa.tar"), allowedSigners: allowed)
        #expect(keygen.status == 0, "\(keygen.stderr)")

        let verify = try stage.verify("small-rsa.tar", ["--allowed-signers", allowed])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("1024-bit RSA key (\(try OpenSSH.fingerprint(of: small + ".pub")))"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INVALID"), "\(verify.stdout)")
    }
}
