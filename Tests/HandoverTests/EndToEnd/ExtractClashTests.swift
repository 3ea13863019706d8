import Foundation
@testable import HandoverKit
import Testing

/// A bag can list a file and, under the same name, a folder's contents: both intact, both
/// listed, but no file system holds them. Extraction refuses before anything lands in DIR,
/// whatever order the entries come in.
@Suite("extract refuses a path that the bundle makes both a file and a folder")
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
        // Intact and complete as a bag: only extraction finds the clash.
        let verified = try handover(["verify", archive])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let target = temp.path("out")
        let result = try handover(["extract", archive, "--to", target])
        #expect(result.status != 0)
        #expect(result.stderr.contains("is both a file and a folder in the bundle"), "\(result.stderr)")
        #expect(!result.stderr.contains("data/a-b"), "a sibling whose name only begins the same is no clash: \(result.stderr)")
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
