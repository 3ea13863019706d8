import Foundation
import HandoverKit
import Testing

/// Writes an archive through HandoverKit's libarchive writer with the entries exactly as given:
/// any path, any order. `nil` contents make a folder entry.
func writeArchive(_ path: String, format: ArchiveFormat = .tar, _ entries: [(path: [UInt8], contents: [UInt8]?)]) throws {
    guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
        throw FixtureError("cannot create \(path)")
    }
    defer { try? handle.close() }
    let writer = try ArchiveWriter(format: format, name: path) { handle.write(Data($0)) }
    for entry in entries {
        if let contents = entry.contents {
            try writer.addFile(entry.path, contents: contents, modified: handoverEpoch)
        } else {
            try writer.addDirectory(entry.path, modified: handoverEpoch)
        }
    }
    try writer.finish()
}

/// Serialized bags whose trouble lies in the archive itself, written by libarchive through the
/// tests: entries that climb out, absolute paths, more than one bag, and an unusual entry order.
@Suite("RFC 8493 fixture archives written through libarchive")
struct RFCFixtureArchiveTests {
    /// The entries of a valid fixture bag under `top/`, file by file.
    static func validEntries(top: String = "bag") throws -> [(path: [UInt8], contents: [UInt8]?)] {
        let temp = try TempDirectory("rfc-archive")
        try BagFixture().write(to: temp.path)
        return try pathsUnder(temp.path).compactMap { relative in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: temp.path(relative), isDirectory: &isFolder)
            let path = Array("\(top)/\(relative)".utf8)
            return isFolder.boolValue ? (path, nil) : (path, Array(try temp.read(relative)))
        }
    }

    @Test("a valid bag written payload first and bagit.txt last is valid in every format", arguments: ArchiveFormat.allCases)
    func unusualOrder(_ format: ArchiveFormat) throws {
        let temp = try TempDirectory("rfc-archive")
        let entries = try Self.validEntries()
        let payloadFirst = entries.filter { $0.path.starts(with: Array("bag/data".utf8)) }
            + entries.filter { !$0.path.starts(with: Array("bag/data".utf8)) }.reversed()
        let archive = temp.path("bag\(format.fileExtension)")
        try writeArchive(archive, format: format, payloadFirst)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Integrity: intact and complete, 1 payload files"), "\(verify.stdout)")
    }

    /// An archive that is not one bag folder, and the words the refusal must use.
    static let hostile: [(name: String, extra: (path: [UInt8], contents: [UInt8]?), says: String)] = [
        ("climbs out with ..", (Array("bag/data/../../escape.txt".utf8), Array("x\n".utf8)), "climbs out with '..'"),
        ("absolute path", (Array("/etc/cron.d/evil".utf8), Array("x\n".utf8)), "has an absolute path"),
        ("file beside the bag folder", (Array("README.txt".utf8), Array("x\n".utf8)), "README.txt"),
        ("a second bag folder", (Array("other/bagit.txt".utf8), Array("x\n".utf8)), "more than one top-level entry"),
    ]

    @Test("an archive that is not a single bag folder is refused: exit 1, naming the entry",
          arguments: hostile.indices)
    func refused(_ index: Int) throws {
        let (name, extra, says) = Self.hostile[index]
        let temp = try TempDirectory("rfc-archive")
        let archive = temp.path("hostile.tar")
        try writeArchive(archive, try Self.validEntries() + [extra])
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1, "\(name): \(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains(says), "\(name): \(verify.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/etc/cron.d/evil"))
    }

    @Test("a manifest line with ../ inside a well-formed archive is a problem of the bag: exit 1")
    func parentInManifest() throws {
        let rule = try #require(bagRules.first { $0.rule.contains("../") })
        let temp = try TempDirectory("rfc-archive")
        let folder = temp.path("bag")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try rule.bag.write(to: folder)
        let entries = try pathsUnder(folder).map { relative -> (path: [UInt8], contents: [UInt8]?) in
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isFolder)
            return (Array("bag/\(relative)".utf8), isFolder.boolValue ? nil : Array(try temp.read("bag/" + relative)))
        }
        let archive = temp.path("parent.tar.zst")
        try writeArchive(archive, format: .tarZstd, entries)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("  manifest-sha512.txt:2: "), "\(verify.stdout)")
    }
}
