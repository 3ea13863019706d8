import Foundation
@testable import HandoverKit
import Testing

/// A bag can list a file and, under the same name, a folder's contents: both intact, both
/// listed, but no file system holds them. verify says the bundle is not intact, and extraction
/// refuses before anything lands in DIR, whatever order the entries come in.
@Suite("verify and extract refuse a path that the bundle makes both a file and a folder")
struct ExtractClashTests {
    @Test("a file and files below it, or a folder entry of the same name, in either order", arguments: [
        ["data/a", "data/a/b.txt"],
        ["data/a/b.txt", "data/a"],
        ["data/x/a", "data/x/a/deeper/c.txt", "data/x/b.txt"],
        ["data/a", "data/a-b/c.txt", "data/a/c.txt"],
    ])
    func fileAndFolder(paths: [String]) throws {
        var bag = HandmadeBag()
        bag.payload = paths.map { ($0, Array("content of \($0)\n".utf8)) }
        let temp = try TempDirectory()
        let archive = temp.path("clash.tar")
        try Data(bag.tar()).write(to: URL(fileURLWithPath: archive))
        // Every file listed and intact, yet no file system can hold the bag: not intact.
        let verified = try handover(["verify", archive])
        #expect(verified.status == 1, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("is both a file and a folder in the bundle"), "\(verified.stdout)")
        #expect(!verified.stdout.contains("data/a-b"), "a sibling whose name only begins the same is no clash: \(verified.stdout)")
        let json = try handover(["verify", archive, "--format", "json"])
        #expect(json.stdout.contains("\"entry-file-and-folder\""), "\(json.stdout)")
        let target = temp.path("out")
        let result = try handover(["extract", archive, "--to", target])
        #expect(result.status == 1)
        #expect((result.stdout + result.stderr).contains("is both a file and a folder in the bundle"), "\(result.stdout)\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing may be left in DIR")
    }

    @Test("names that only begin alike (a, a-b, a.b, a b) are no clash: all extracted, in place")
    func siblings() throws {
        var bag = HandmadeBag()
        let paths = ["data/a", "data/a-b/c.txt", "data/a.b", "data/a b/d.txt", "data/a0/e.txt"]
        bag.payload = paths.map { ($0, Array("content of \($0)\n".utf8)) }
        let temp = try TempDirectory()
        let archive = temp.path("siblings.tar")
        try Data(bag.tar()).write(to: URL(fileURLWithPath: archive))
        let target = temp.path("out")
        let result = try handover(["extract", archive, "--to", target])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        for path in paths {
            let written = try String(contentsOfFile: "\(target)/\(path)", encoding: .utf8)
            #expect(written == "content of \(path)\n")
        }
    }
}

@Suite("A folder entry over a signed file, and an empty folder entry")
struct FolderEntryTests {
    @Test("a folder entry added over a file of a signed bundle: not intact for verify, refused by extract")
    func folderOverSignedFile() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])
        var bytes = try Self.entries(of: Array(Data(contentsOf: URL(fileURLWithPath: stage.path("bundle.tar")))))
        let top = String(decoding: bytes.prefix(100).prefix { $0 != 0 }, as: UTF8.self).split(separator: "/").first.map(String.init) ?? ""
        var added = RawTar()
        added.add("\(top)/data/docs/architecture.md/", .directory, mode: 0o755)
        added.finish()
        bytes += added.bytes
        let archive = stage.path("evil.tar")
        try Data(bytes).write(to: URL(fileURLWithPath: archive))
        let verify = try handover(["verify", archive, "--allowed-signers", signer.allowed])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("data/docs/architecture.md: is both a file and a folder in the bundle"), "\(verify.stdout)")
        let target = stage.path("out")
        let extract = try handover(["extract", archive, "--to", target, "--allowed-signers", signer.allowed])
        #expect(extract.status == 1)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    /// A tar's entries without its end: the bytes before the first all-zero header block.
    static func entries(of tar: [UInt8]) throws -> [UInt8] {
        var offset = 0
        while offset + 512 <= tar.count, tar[offset..<(offset + 512)].contains(where: { $0 != 0 }) {
            let field = tar[(offset + 124)..<(offset + 136)].prefix { $0 != 0 && $0 != 0x20 }
            let size = try #require(Int(String(decoding: field, as: UTF8.self), radix: 8))
            offset += 512 + (size + 511) / 512 * 512
        }
        return Array(tar[..<offset])
    }

    @Test("an empty folder entry under data/ is said, and extract does not create it")
    func emptyFolder() throws {
        let bag = HandmadeBag()
        let temp = try TempDirectory()
        let archive = temp.path("empty.tar")
        try Data(bag.tar { $0.add("acme-bag/data/nothing-here/", .directory, mode: 0o755) }).write(to: URL(fileURLWithPath: archive))
        let verify = try handover(["verify", archive])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect((verify.stdout + verify.stderr).contains("data/nothing-here/: is an empty folder: no manifest covers it, and extract does not create it."), "\(verify.stdout)\(verify.stderr)")
        let target = temp.path("out")
        let extract = try handover(["extract", archive, "--to", target])
        #expect(extract.status == 0, "\(extract.stdout)\(extract.stderr)")
        #expect(FileManager.default.fileExists(atPath: target + "/data/readme.txt"))
        #expect(!FileManager.default.fileExists(atPath: target + "/data/nothing-here"))
    }
}
