import Foundation
import Testing

/// A tar ends with two zero blocks, where libarchive used to stop reading: whatever came after
/// (another archive, which GNU tar -i extracts; any bytes) went unseen by verify, and a signed
/// bundle stayed VALID. Now only zero padding may follow the end.
@Suite("Bytes after a tar's end-of-archive marker")
struct AfterTheEndTests {
    static func signedBundle() throws -> (EvidenceFixture, EvidenceSigner, [UInt8]) {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])
        return (stage, signer, Array(try Data(contentsOf: URL(fileURLWithPath: stage.path("bundle.tar")))))
    }

    static func verify(_ stage: EvidenceFixture, _ signer: EvidenceSigner, _ bytes: [UInt8], as name: String) throws -> ProcessResult {
        try Data(bytes).write(to: URL(fileURLWithPath: stage.path(name)))
        return try stage.verify(name, ["--allowed-signers", signer.allowed])
    }

    @Test("an archive appended after the end: its file is in the payload, unlisted, and the bundle is not intact")
    func appendedArchive() throws {
        let (stage, signer, bytes) = try Self.signedBundle()
        let top = String(decoding: bytes.prefix(100).prefix { $0 != 0 }, as: UTF8.self).split(separator: "/").first.map(String.init) ?? ""
        var appended = RawTar()
        appended.add("\(top)/data/docs/hidden.md", text: "not signed\n")
        appended.finish()
        let result = try Self.verify(stage, signer, bytes + appended.bytes, as: "appended.tar")
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("data/docs/hidden.md: is in the payload but not listed"), "\(result.stdout)")
    }

    @Test("bytes that are not zeros after the end: a damaged archive")
    func garbage() throws {
        let (stage, signer, bytes) = try Self.signedBundle()
        let result = try Self.verify(stage, signer, bytes + Array("not a tar header, just bytes\n".utf8) + [UInt8](repeating: 0x41, count: 1000), as: "garbage.tar")
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("the archive is damaged or truncated"), "\(result.stderr)")
        #expect(!result.stdout.contains("Result: VALID"))
    }

    @Test("zero padding after the end, in whole blocks: still VALID")
    func zeroPadding() throws {
        let (stage, signer, bytes) = try Self.signedBundle()
        let result = try Self.verify(stage, signer, bytes + [UInt8](repeating: 0, count: 20 * 512), as: "padded.tar")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Result: VALID"), "\(result.stdout)")
    }
}
