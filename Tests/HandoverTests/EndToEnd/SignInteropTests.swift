import Foundation
import Testing

/// The recipient proves who produced the bundle with the tool they already have, ssh-keygen, and
/// handover accepts what ssh-keygen signs: the SSH signature is the open format, not ours.
@Suite("Signed bundles: handover and ssh-keygen agree")
struct SignInteropTests {
    @Test("build --sign makes a signature that ssh-keygen -Y verify accepts, and verify names the signer as ssh-keygen -l does")
    func buildSignsForSSHKeygen() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()

        let build = try stage.buildOK("bundle.tar", ["--sign", signer.key])
        #expect(build.stdout.contains("  signed by \(signer.fingerprint) (ssh-ed25519, key file \(signer.key))\n"), "\(build.stdout)")

        let bag = try stage.unpack()
        let check = try stage.sshKeygenVerify(bag, allowedSigners: signer.allowed)
        #expect(check.status == 0, "ssh-keygen -Y verify refused: \(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Good \"handover\" signature for \(EvidenceFixture.principal)"), "\(check.stdout)")
        #expect(check.stdout.contains(signer.fingerprint))
        // The signature sits outside the tag manifests it covers; bagit-python still validates.
        let bagit = try EvidenceFixture.bagitValidate(bag)
        #expect(bagit.status == 0, "bagit.py: \(bagit.stderr)")

        let verify = try stage.verify("bundle.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("Authenticity:") })
        #expect(line.contains("authenticated, signed by"), "\(line)")
        #expect(line.contains(EvidenceFixture.principal), "\(line)")
        #expect(line.contains(signer.fingerprint), "\(line)")
        #expect(verify.stdout.contains("Result: VALID"))
    }

    @Test("a signature made by ssh-keygen -Y sign over tagmanifest-sha256.txt is accepted by verify",
          arguments: ["sha512", "sha256"])
    func sshKeygenSignatureAccepted(hash: String) throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildSignedWithSSHKeygen(as: "signed-by-ssh-keygen.tar", key: signer.key, hash: hash)

        let verify = try stage.verify("signed-by-ssh-keygen.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Authenticity: authenticated, signed by \(EvidenceFixture.principal)"), "\(verify.stdout)")
        #expect(verify.stdout.contains(signer.fingerprint))
    }

    @Test("build --sign with an RSA or ECDSA key file makes a signature ssh-keygen -Y verify and verify accept",
          arguments: SSHKeyKind.allCases)
    func buildSignsWithRSAAndECDSA(kind: SSHKeyKind) throws {
        let stage = try EvidenceFixture()
        let key = try SharedSSHKeys.get().path(kind)
        let allowed = try stage.allowedSigners(keys: [key])
        let fingerprint = try OpenSSH.fingerprint(of: key + ".pub")

        let build = try stage.buildOK("bundle.tar", ["--sign", key])
        #expect(build.stdout.contains("  signed by \(fingerprint) (\(kind.keyType), key file \(key))\n"), "\(build.stdout)")

        let check = try stage.sshKeygenVerify(try stage.unpack(), allowedSigners: allowed)
        #expect(check.status == 0, "ssh-keygen -Y verify refused the \(kind) signature: \(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Good \"handover\" signature for \(EvidenceFixture.principal)"), "\(check.stdout)")

        let verify = try stage.verify("bundle.tar", ["--allowed-signers", allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("Authenticity:") })
        #expect(line.contains("authenticated, signed by \(EvidenceFixture.principal) (\(kind.keyType) \(fingerprint))"), "\(line)")
        #expect(verify.stdout.contains("Result: VALID"))
    }

    @Test("a bundle signed by ssh-keygen -Y sign with an RSA or ECDSA key is accepted by verify",
          arguments: SSHKeyKind.allCases)
    func sshKeygenRSAAndECDSAAccepted(kind: SSHKeyKind) throws {
        let stage = try EvidenceFixture()
        let key = try SharedSSHKeys.get().path(kind)
        let allowed = try stage.allowedSigners(keys: [key])
        try stage.buildSignedWithSSHKeygen(as: "signed-by-ssh-keygen.tar", key: key)

        let verify = try stage.verify("signed-by-ssh-keygen.tar", ["--allowed-signers", allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Authenticity: authenticated, signed by \(EvidenceFixture.principal) (\(kind.keyType)"), "\(verify.stdout)")
        // Changing the signed tag manifest after signing breaks it, for every key type.
        let bag = try stage.unpack("signed-by-ssh-keygen.tar")
        try rehash(manifest: bag + "/tagmanifest-sha256.txt", path: "bag-info.txt", to: String(repeating: "0", count: 64))
        try stage.repack(bag, as: "changed.tar")
        let changed = try stage.verify("changed.tar", ["--allowed-signers", allowed])
        #expect(changed.status == 1, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stdout.contains("FAILED, bad SSH signature"), "\(changed.stdout)")
    }

    @Test("without --allowed-signers a signature is checked, and reported as not matched to a signer list")
    func signatureWithoutSignerList() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])

        let verify = try stage.verify()
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("Authenticity:") })
        #expect(line.contains("signed by an unknown key"), "\(line)")
        #expect(line.contains(signer.fingerprint), "\(line)")
        #expect(!line.contains("Good"), "an unchecked signer is not a good signature: \(line)")
        #expect(verify.stdout.contains("--allowed-signers FILE"), "the text says how to check the signer: \(verify.stdout)")
    }
}
