import Foundation
import Testing

/// diff compares what the tag manifests claim; what they do not list (the signature, the
/// time-stamp, a file added afterwards) is compared by its bytes, so that "no difference" is
/// never said of bundles that differ there.
@Suite("diff sees the tag entries no tag manifest lists")
struct DiffEvidenceTests {
    @Test("the same content re-signed by another key: the signature changed, with and without --verify")
    func resigned() throws {
        let stage = try EvidenceFixture()
        let provider = try stage.makeSigner("provider")
        try stage.buildOK("bundle.tar", ["--sign", provider.key])
        let bag = try stage.unpack()
        let stranger = try stage.makeKey("stranger")
        try stage.signWithSSHKeygen(bag, key: stranger)
        try stage.repack(bag, as: "resigned.tar")
        for extra in [[], ["--verify"]] {
            let diff = try handover(["diff", stage.path("bundle.tar"), stage.path("resigned.tar")] + extra)
            #expect(diff.status == 1, "\(extra): \(diff.stdout)\(diff.stderr)")
            #expect(diff.stdout.contains("handover/signature.sshsig changed"), "\(extra): \(diff.stdout)")
            #expect(!diff.stdout.contains("Result: no difference"), "\(extra): \(diff.stdout)")
        }
        // With the keys you trust, the re-signed one fails --verify: they are not compared (2).
        let trusted = try handover(["diff", stage.path("bundle.tar"), stage.path("resigned.tar"), "--verify", "--allowed-signers", provider.allowed])
        #expect(trusted.status == 2, "\(trusted.stdout)\(trusted.stderr)")
        #expect(trusted.stderr.contains("resigned.tar"), "\(trusted.stderr)")
        let same = try handover(["diff", stage.path("bundle.tar"), stage.path("bundle.tar"), "--verify", "--allowed-signers", provider.allowed])
        #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
        let withoutVerify = try handover(["diff", stage.path("bundle.tar"), stage.path("resigned.tar"), "--allowed-signers", provider.allowed])
        #expect(withoutVerify.status == 2 && withoutVerify.stderr.contains("add --verify"), "\(withoutVerify.stderr)")
    }

    @Test("a file added outside the tag manifest of an unsigned bundle: added")
    func addedTagFile() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack()
        try Data("<html>Pay to another IBAN</html>\n".utf8).write(to: URL(fileURLWithPath: bag + "/IMPORTANT-read-first.html"))
        try stage.repack(bag, as: "added.tar")
        let diff = try handover(["diff", stage.path("bundle.tar"), stage.path("added.tar")])
        #expect(diff.status == 1, "\(diff.stdout)\(diff.stderr)")
        #expect(diff.stdout.contains("IMPORTANT-read-first.html added"), "\(diff.stdout)")
        let same = try handover(["diff", stage.path("bundle.tar"), stage.path("bundle.tar")])
        #expect(same.status == 0 && same.stdout.contains("Result: no difference"), "\(same.stdout)")
    }
}
