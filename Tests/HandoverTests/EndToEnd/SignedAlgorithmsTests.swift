import Foundation
import Testing

/// `build --algorithm sha512 --sign` also writes tagmanifest-sha512.txt, which the signature
/// (over tagmanifest-sha256.txt) does not cover: it is accepted as long as it lists only what the
/// signed one covers, since its digests are checked like any.
@Suite("A signed bundle with SHA-512 manifests too")
struct SignedAlgorithmsTests {
    static func stage() throws -> (EvidenceFixture, EvidenceSigner) {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key, "--algorithm", "sha512"])
        return (stage, signer)
    }

    @Test("as built: VALID, and extract writes it")
    func asBuilt() throws {
        let (stage, signer) = try Self.stage()
        let verify = try stage.verify("bundle.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Result: VALID"), "\(verify.stdout)")
        let extract = try handover(["extract", stage.path("bundle.tar"), "--to", stage.path("out"), "--allowed-signers", signer.allowed])
        #expect(extract.status == 0, "\(extract.stdout)\(extract.stderr)")
    }

    @Test("tagmanifest-sha512.txt altered: a wrong digest fails, a line for an added file fails")
    func altered() throws {
        let (stage, signer) = try Self.stage()
        let bag = try stage.unpack()
        let path = bag + "/tagmanifest-sha512.txt"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        // A digest changed: its check fails.
        let first = try #require(original.split(separator: "\n").first)
        let wrong = String(repeating: "0", count: 128) + first.dropFirst(128)
        try original.replacingOccurrences(of: String(first), with: wrong).write(toFile: path, atomically: true, encoding: .utf8)
        try stage.repack(bag, as: "wrong-digest.tar")
        let digest = try stage.verify("wrong-digest.tar", ["--allowed-signers", signer.allowed])
        #expect(digest.status == 1, "\(digest.stdout)")
        // An added tag file, listed there (with its right digest) but not in the signed manifest.
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        try Data("pay to another IBAN\n".utf8).write(to: URL(fileURLWithPath: bag + "/read-me-first.txt"))
        let line = try #require(try runProcess("sha512sum", [bag + "/read-me-first.txt"]).stdout.split(separator: " ").first)
        try (original + "\(line)  read-me-first.txt\n").write(toFile: path, atomically: true, encoding: .utf8)
        try stage.repack(bag, as: "added.tar")
        let added = try stage.verify("added.tar", ["--allowed-signers", signer.allowed])
        #expect(added.status == 1, "\(added.stdout)")
        #expect(added.stdout.contains("read-me-first.txt: is in the bundle but not listed in tagmanifest-sha256.txt"), "\(added.stdout)")
        #expect(added.stdout.contains("tagmanifest-sha512.txt: is in the bundle but not listed in tagmanifest-sha256.txt"), "\(added.stdout)")
    }
}
