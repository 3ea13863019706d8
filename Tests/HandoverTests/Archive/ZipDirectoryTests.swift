import Foundation
import Testing
@testable import HandoverKit

/// Zips made by bsdtar and Python's zipfile, read from their headers; then the same zips with
/// one header edited, as someone would to make libarchive and other zip readers disagree.
@Suite("ZipDirectory: the central directory checked against the local headers")
struct ZipDirectoryTests {
    /// Runs `body` on this thread under the UTF-8 locale the command sets at start: libarchive
    /// converts zip names to the locale's charset, and under the C locale it cannot convert a
    /// UTF-8 name (it gives an empty one). Per thread, so that other suites keep their locale.
    func underUTF8Locale<T>(_ body: () throws -> T) throws -> T {
        guard let utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil) else { throw FixtureError("no C.UTF-8 locale") }
        let previous = uselocale(utf8)
        defer {
            uselocale(previous)
            freelocale(utf8)
        }
        return try body()
    }

    /// A small bag-like folder `bag/` with a decomposed (NFD) non-ASCII name, zipped by `tool`.
    static func zip(by tool: String, in temp: TempDirectory, options: [String] = []) throws -> String {
        try temp.write("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        try temp.write("bag/data/a.txt", "hello\n")
        try temp.write("bag/data/b.txt", "world\n")
        try temp.write("bag/data/Proce\u{0301}dure.txt", "nfd\n")
        let archive = temp.path("bag-\(tool).zip")
        switch tool {
        case "bsdtar":
            let result = try runProcess(try StandardTools.bsdtar(), ["--format", "zip"] + options + ["-cf", archive, "-C", temp.path, "bag"],
                                        environment: ["LC_ALL": "C.UTF-8"])
            guard result.status == 0 else { throw FixtureError("bsdtar: \(result.stderr)") }
        default:
            try PythonZip.zip(temp.path("bag"), to: archive)
        }
        return archive
    }

    func read(_ patch: ZipPatch, maxEntries: Int = 1000) throws -> ZipDirectory {
        try ZipDirectory.read(.memory(patch.bytes), path: "x.zip", maxEntries: maxEntries)
    }

    func problem(_ patch: ZipPatch, maxEntries: Int = 1000) throws -> ZipStructureError {
        let error = try #require(throws: ZipStructureError.self) { _ = try read(patch, maxEntries: maxEntries) }
        #expect(error.exitStatus == .checkFailed)
        return error
    }

    @Test("zips made by bsdtar (classic and zip64) and by Python are read whole, in their order", arguments: ["bsdtar", "bsdtar-zip64", "python"])
    func standardZips(_ tool: String) throws {
        let temp = try TempDirectory("zip-directory")
        let archive = try Self.zip(by: tool == "python" ? "python" : "bsdtar", in: temp, options: tool == "bsdtar-zip64" ? ["--options", "zip:zip64"] : [])
        let patch = try ZipPatch(file: archive)
        let directory = try read(patch)
        #expect(directory.entries.map(\.name) == (try patch.entries()).map(\.name))
        #expect(directory.entries.count == 6)
        #expect(directory.isZip64 == (tool == "bsdtar-zip64"))
        let nfd = try #require(directory.entries.first { $0.name.count > 20 })
        #expect(nfd.nameEncoding == .utf8, "\(ZipStructureError.show(nfd.name))")
        #expect(directory.entries.filter { $0.nameEncoding == .ascii }.count == 5)

        // libarchive yields the same entries, the NFD name as NFC.
        let read = try underUTF8Locale {
            let reader = try ArchiveReader(path: archive)
            var read: [String] = []
            while let header = try reader.nextHeader() { read.append(String(decoding: header.path, as: UTF8.self)) }
            return read
        }
        #expect(read.count == 6)
        #expect(read.contains("bag/data/Proc\u{00E9}dure.txt"))
    }

    @Test("a name changed in the local header only is refused, naming both names")
    func localName() throws {
        let temp = try TempDirectory("zip-directory")
        var patch = try ZipPatch(file: try Self.zip(by: "python", in: temp))
        let entry = try patch.entry(endingWith: "data/a.txt")
        try patch.renameLocal(entry, to: Array("bag/data/c.txt".utf8))
        let error = try problem(patch)
        let number = try #require(try patch.entries().firstIndex { $0.name == entry.name }) + 1
        #expect(error.problem == .nameMismatch(entry: number, central: Array("bag/data/a.txt".utf8), local: Array("bag/data/c.txt".utf8)))
        #expect(error.errorDescription == "x.zip: not intact: the zip's central directory names entry \(number) \"bag/data/a.txt\" but its local header says \"bag/data/c.txt\": zip readers would disagree on what this bundle holds")
    }

    @Test("an entry flagged UTF-8 whose name is not UTF-8 is refused; unflagged, it is recorded as such")
    func undecodable() throws {
        let temp = try TempDirectory("zip-directory")
        let original = try ZipPatch(file: try Self.zip(by: "bsdtar", in: temp))
        var flagged = original
        flagged.append(name: Array("bag/data/".utf8) + [0xFF, 0xFE] + Array(".txt".utf8), contents: Array("hidden\n".utf8), flags: 0x0800)
        let error = try problem(flagged)
        #expect(error.problem == .invalidUTF8(entry: 7, name: Array("bag/data/".utf8) + [0xFF, 0xFE] + Array(".txt".utf8)))
        #expect(error.reason.contains("\"bag/data/\\xFF\\xFE.txt\" is flagged UTF-8 but its name is not valid UTF-8"), "\(error.reason)")

        var unflagged = original
        unflagged.append(name: Array("bag/data/".utf8) + [0xE9] + Array(".txt".utf8), contents: Array("latin\n".utf8))
        #expect(try read(unflagged).entries.last?.nameEncoding == .unflagged)
    }

    @Test("an end record whose count is not the directory's is refused", arguments: [-1, 1])
    func count(_ change: Int) throws {
        let temp = try TempDirectory("zip-directory")
        var patch = try ZipPatch(file: try Self.zip(by: "bsdtar", in: temp))
        patch.setEndCount(6 + change)
        #expect(try problem(patch).problem == .countMismatch(declared: UInt64(6 + change), found: 6))
    }

    @Test("sizes that differ between the headers, without a data descriptor, are refused")
    func sizes() throws {
        let temp = try TempDirectory("zip-directory")
        var patch = try ZipPatch(file: try Self.zip(by: "python", in: temp))
        let entry = try patch.entry(endingWith: "data/b.txt")
        // Python's zipfile writes the sizes in the local header (no data descriptor on a file).
        try #require(patch.u16(entry.local + 6) & 0x0008 == 0)
        patch.put32(patch.u32(entry.local + 22) + 1, at: entry.local + 22)
        guard case .sizeMismatch(_, let name, let central, let local) = try problem(patch).problem else {
            Issue.record("not a size mismatch")
            return
        }
        #expect(name == entry.name)
        #expect(local == central + 1)
    }

    @Test("an entry whose data runs into the next entry's local header is refused")
    func overlap() throws {
        let temp = try TempDirectory("zip-directory")
        var patch = try ZipPatch(file: try Self.zip(by: "bsdtar", in: temp))
        // bsdtar writes files with a data descriptor, so only the central directory gives sizes.
        let inFileOrder = try patch.entries().sorted { $0.local < $1.local }
        let index = try #require(inFileOrder.dropLast().firstIndex { patch.u16($0.central + 8) & 0x0008 != 0 })
        let entry = inFileOrder[index], next = inFileOrder[index + 1]
        patch.put32(patch.u32(entry.central + 20) + 200, at: entry.central + 20)
        guard case .overlap(_, let name, _, let otherName) = try problem(patch).problem else {
            Issue.record("not an overlap")
            return
        }
        #expect(otherName == entry.name)
        #expect(name == next.name)
    }

    @Test("bytes after the end record, a zip cut short, and more entries than the limit are refused")
    func bounds() throws {
        let temp = try TempDirectory("zip-directory")
        let patch = try ZipPatch(file: try Self.zip(by: "bsdtar", in: temp))
        #expect(try problem(ZipPatch(patch.bytes + Array("trailer".utf8))).problem == .bytesAfterEndRecord(count: 7))
        #expect(try problem(ZipPatch(Array(patch.bytes.dropLast(30)))).problem == .noEndRecord)
        #expect(try problem(patch, maxEntries: 5).problem == .tooManyEntries(count: 6, limit: 5))
        #expect(try problem(ZipPatch(Array(patch.bytes.suffix(200)))).problem == .directoryOutOfPlace)
    }

    @Test("a name libarchive takes from a Unicode path extra field is found when it reads the entries")
    func unicodePathField() throws {
        let temp = try TempDirectory("zip-directory")
        var patch = try ZipPatch(file: try Self.zip(by: "python", in: temp))
        // Info-ZIP's Unicode Path field (0x7075): libarchive reads the name from it, Python does not.
        let name = Array("bag/data/z.txt".utf8), shown = Array("bag/data/q.txt".utf8)
        let field: [UInt8] = [0x75, 0x70, UInt8(5 + shown.count), 0, 1] + withUnsafeBytes(of: UInt32(ZipPatch.crc32(name)).littleEndian, Array.init) + shown
        patch.append(name: name, contents: Array("seen differently\n".utf8), extra: field)
        let archive = temp.path("unicode-path.zip")
        try patch.write(to: archive)
        #expect(try read(patch).entries.last?.name == name)

        let error = try #require(throws: ZipStructureError.self) {
            try underUTF8Locale {
                let reader = try ArchiveReader(path: archive)
                while try reader.nextHeader() != nil {}
            }
        }
        #expect(error.problem == .readerDisagrees(position: 7, expected: name, read: shown, reason: nil))
        #expect(error.reason.contains("libarchive read entry 7 of the zip as \"bag/data/q.txt\" where the central directory says \"bag/data/z.txt\""), "\(error.reason)")
        #expect(error.exitStatus == .checkFailed)
    }
}
