import Foundation
import HandoverKit
import Testing

@Suite("FolderReader: a bag folder as a stream of entries")
struct FolderReaderTests {
    private func entries(_ path: String) throws -> [(String, BundleEntryKind, [UInt8])] {
        let reader = try FolderReader(path: path)
        var out: [(String, BundleEntryKind, [UInt8])] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }
        while let entry = try reader.nextEntry() {
            var data: [UInt8] = []
            while case let count = try reader.readData(into: buffer), count > 0 { data += buffer.prefix(count) }
            out.append((entry.displayPath, entry.kind, data))
        }
        return out
    }

    @Test("The root's tag files come first, manifests before the payload; then depth first by name")
    func order() throws {
        let folder = try TempDirectory("folder-reader")
        for name in ["data/b/z.txt", "data/a.txt", "tagmanifest-sha256.txt", "manifest-sha256.txt", "fetch.txt",
                     "bag-info.txt", "bagit.txt", "aaa-notes.txt", "handover/report.json"] {
            try folder.write(name, name)
        }
        let paths = try entries(folder.path).map(\.0)
        #expect(paths == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "fetch.txt", "tagmanifest-sha256.txt",
                          "aaa-notes.txt", "data", "data/a.txt", "data/b", "data/b/z.txt", "handover", "handover/report.json"])
    }

    @Test("Data is read whole, in large reads, as the file holds it")
    func data() throws {
        let folder = try TempDirectory("folder-reader")
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        try folder.write("data/big.bin", Data(big))
        let found = try entries(folder.path)
        #expect(found.first { $0.0 == "data/big.bin" }?.2 == big)
    }

    @Test("A symbolic link is an entry with its target, never followed, even to a folder")
    func symlinks() throws {
        let folder = try TempDirectory("folder-reader")
        try folder.write("data/real/file.txt", "x")
        try RawFiles.symlink(folder.path, "data/to-folder", to: "real")
        try RawFiles.symlink(folder.path, "data/to-etc", to: "/etc")
        let found = try entries(folder.path)
        #expect(found.map(\.0) == ["data", "data/real", "data/real/file.txt", "data/to-etc", "data/to-folder"])
        #expect(found.first { $0.0 == "data/to-etc" }?.1 == .symlink(target: Array("/etc".utf8)))
        #expect(found.first { $0.0 == "data/to-folder" }?.1 == .symlink(target: Array("real".utf8)))
    }

    @Test("Names that are not UTF-8 survive as bytes, and a bag listing them raw is valid")
    func nonUTF8Names() throws {
        let folder = try TempDirectory("folder-reader")
        let name: [UInt8] = Array("data/r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9, 0xFF]
        var bag = BagFixture()
        bag.payload = [(name, Array("latin-1 name\n".utf8))]
        try bag.write(to: folder.path)
        let reader = try FolderReader(path: folder.path)
        var paths: [[UInt8]] = []
        while let entry = try reader.nextEntry() { paths.append(entry.path) }
        #expect(paths.contains(name))
        let result = try verifyFolder(folder.path)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.payload.first?.path == Array(name.dropFirst(5)))
    }

    @Test("A folder that does not exist is an error naming it")
    func missingFolder() {
        #expect(throws: FileError.self) { try FolderReader(path: "/nonexistent/handover-bag") }
        do {
            _ = try FolderReader(path: "/nonexistent/handover-bag")
        } catch {
            #expect(error.localizedDescription.contains("/nonexistent/handover-bag"))
        }
    }
}
