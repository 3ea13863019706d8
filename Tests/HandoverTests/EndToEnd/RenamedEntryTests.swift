import Foundation
import Testing

/// bagit-python leaves `%` unencoded and macOS changes names' normalization form, so a
/// verifier matches such names with a warning. In a bag that handover wrote, neither happens:
/// the same match would let anyone rename an entry of a signed archive and keep it VALID.
@Suite("A renamed entry of a handover bundle is not matched by the tolerances for other tools")
struct RenamedEntryTests {
    static let nfc = Array("docs/café.md".utf8)
    static let nfd = Array("docs/cafe\u{301}.md".utf8)

    /// Renames `from` to `to` under `folder`, both given as bytes (no normalization on the way).
    static func rename(in folder: String, _ from: [UInt8], _ to: [UInt8]) throws {
        let base = Array((folder + "/").utf8)
        let result = (base + from + [0]).withUnsafeBytes { old in
            (base + to + [0]).withUnsafeBytes { new in
                Glibc.rename(old.baseAddress!.assumingMemoryBound(to: CChar.self), new.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
        }
        try #require(result == 0, "rename: errno \(errno)")
    }

    static func signedStage() throws -> (EvidenceFixture, EvidenceSigner, String) {
        let stage = try EvidenceFixture()
        _ = try stage.source.write("docs/budget%.txt", "100%\n")
        _ = try stage.source.write(String(decoding: nfc, as: UTF8.self), "# Café\n")
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])
        return (stage, signer, try stage.unpack())
    }

    @Test("'budget%.txt' renamed 'budget%25.txt' in a signed archive: not intact")
    func percentRename() throws {
        let (stage, signer, bag) = try Self.signedStage()
        #expect(try stage.verify("bundle.tar", ["--allowed-signers", signer.allowed]).status == 0)
        try Self.rename(in: bag + "/data", Array("docs/budget%.txt".utf8), Array("docs/budget%25.txt".utf8))
        try stage.repack(bag, as: "renamed.tar")
        let verify = try stage.verify("renamed.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("handover, which wrote this bag, encodes \"%\" as %25, so the entry was renamed"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("Result: VALID"))
    }

    @Test("a name renamed to its NFD form: not intact in the archive, a warning in a bag folder")
    func normalizationRename() throws {
        let (stage, signer, bag) = try Self.signedStage()
        try Self.rename(in: bag + "/data", Self.nfc, Self.nfd)
        try stage.repack(bag, as: "renamed.tar")
        let archive = try stage.verify("renamed.tar", ["--allowed-signers", signer.allowed])
        #expect(archive.status == 1, "\(archive.stdout)")
        #expect(archive.stdout.contains("the same name in another Unicode normalization form, is: handover, which wrote this bag, keeps names byte for byte"), "\(archive.stdout)")
        // A folder copied through macOS may have had its names changed so: still matched.
        let folder = try handover(["verify", bag, "--allowed-signers", signer.allowed])
        #expect(folder.status == 0, "\(folder.stdout)\(folder.stderr)")
        #expect((folder.stdout + folder.stderr).contains("another Unicode normalization form than the file in the bag; they were matched"), "\(folder.stdout)\(folder.stderr)")
    }
}
