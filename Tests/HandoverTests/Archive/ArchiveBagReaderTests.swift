import Foundation
import HandoverKit
import Testing

/// The bag reader takes the single top-level folder off every path and refuses archives that
/// are not one bag folder, before any BagIt rule is looked at.
@Suite("ArchiveBagReader")
struct ArchiveBagReaderTests {
    func entries(_ list: [(path: [UInt8], contents: [UInt8]?)], format: ArchiveFormat = .tar) throws -> [String] {
        let temp = try TempDirectory("bag-reader")
        let path = temp.path("bag.tar")
        try writeArchive(path, format: format, list)
        let reader = try ArchiveBagReader(path: path)
        var paths: [String] = []
        while let entry = try reader.nextEntry() { paths.append(entry.displayPath) }
        #expect(reader.topLevel == Array("bag".utf8))
        return paths
    }

    @Test("paths come relative to the bag folder; ./ prefixes and the folder itself are dropped", arguments: [ArchiveFormat.tar, .zip])
    func relative(_ format: ArchiveFormat) throws {
        let paths = try entries([
            (Array("./bag".utf8), nil),
            (Array("./bag/bagit.txt".utf8), Array("x".utf8)),
            (Array("bag/data/a.txt".utf8), Array("a".utf8)),
        ], format: format)
        #expect(paths == ["bagit.txt", "data/a.txt"])
    }

    @Test("an entry that climbs out, an absolute one, or a second top-level folder ends the reading with exit status 1",
          arguments: ["bag/data/../../x", "/bag/x", "other/x"])
    func refused(_ path: String) throws {
        let error = try #require(throws: ArchiveError.self) {
            _ = try entries([(Array("bag/bagit.txt".utf8), Array("x".utf8)), (Array(path.utf8), Array("x".utf8))])
        }
        #expect(error.exitStatus == .checkFailed)
        #expect(error.message.contains(path.hasPrefix("other") ? "more than one top-level entry" : path), "\(error.message)")
    }

    @Test("a path longer than 4,096 bytes or deeper than 64 folders is refused")
    func bounds() throws {
        let long = "bag/" + String(repeating: "a", count: 4_100)
        let tooLong = try #require(throws: BagLimitError.self) { _ = try entries([(Array(long.utf8), Array("x".utf8))]) }
        #expect(tooLong.limit == .pathBytes && tooLong.found == 4_104 && tooLong.bound == 4_096 && tooLong.exitStatus == .checkFailed)
        let deep = "bag/" + Array(repeating: "d", count: 70).joined(separator: "/") + "/f"
        let tooDeep = try #require(throws: BagLimitError.self) { _ = try entries([(Array(deep.utf8), Array("x".utf8))]) }
        #expect(tooDeep.limit == .depth && tooDeep.found == 72 && tooDeep.bound == 64)
    }
}
