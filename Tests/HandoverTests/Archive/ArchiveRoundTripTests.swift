import Crypto
import Foundation
import HandoverKit
import Testing

/// HandoverKit's two libarchive types, writer and reader, against each other and against bsdtar.
@Suite("ArchiveWriter and ArchiveReader")
struct ArchiveRoundTripTests {
    /// A file of `count` bytes that are not all the same, so a dropped chunk shows.
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) } }

    /// Writes entries to `path`; a file's contents go in chunks of `chunk` bytes.
    static func write(_ path: String, _ format: ArchiveFormat, _ entries: [(path: [UInt8], contents: [UInt8]?)], chunk: Int = 100_000, modified: Int64 = handoverEpoch) throws -> Data {
        var out = Data()
        let writer = try ArchiveWriter(format: format, name: path) { out.append(contentsOf: $0) }
        for entry in entries {
            guard let contents = entry.contents else {
                try writer.addDirectory(entry.path, modified: modified)
                continue
            }
            try writer.beginFile(entry.path, size: Int64(contents.count), modified: modified)
            var offset = 0
            while offset < contents.count {
                let end = min(offset + chunk, contents.count)
                try contents[offset..<end].withUnsafeBytes { try writer.write($0) }
                offset = end
            }
        }
        try writer.finish()
        try out.write(to: URL(fileURLWithPath: path))
        return out
    }

    static let names: [(path: [UInt8], contents: [UInt8]?)] = [
        (Array("bag".utf8), nil),
        (Array("bag/data/Re\u{301}sume\u{301}.txt".utf8), Array("nfd\n".utf8)),
        (Array("bag/data/line\nbreak %25.txt".utf8), Array("lf\n".utf8)),
        (Array("bag/data/big.bin".utf8), pattern(3 << 20 + 17)),
        (Array("bag/data/empty".utf8), []),
    ]

    @Test("every format reads back the same paths (bytes), kinds, sizes, times and contents", arguments: ArchiveFormat.allCases)
    func roundTrip(_ format: ArchiveFormat) throws {
        let temp = try TempDirectory("archive")
        let path = temp.path("a\(format.fileExtension)")
        _ = try Self.write(path, format, Self.names)
        let reader = try ArchiveReader(path: path)
        var read: [(path: [UInt8], contents: [UInt8]?)] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65_536, alignment: 8)
        defer { buffer.deallocate() }
        while let header = try reader.nextHeader() {
            #expect(header.modified == handoverEpoch)
            if header.kind == .directory {
                // zip and tar both mark folders with a trailing slash or a type; the path is the folder's.
                read.append((Array(header.path.reversed().drop { $0 == UInt8(ascii: "/") }.reversed()), nil))
                continue
            }
            #expect(header.kind == .file)
            var contents: [UInt8] = []
            while true {
                let count = try reader.readData(into: buffer)
                if count == 0 { break }
                contents += buffer[0..<count]
            }
            #expect(header.size == Int64(contents.count))
            read.append((header.path, contents))
        }
        #expect(read.map(\.path) == Self.names.map(\.path))
        #expect(read.map(\.contents) == Self.names.map(\.contents))
    }

    @Test("the same entries give the same bytes; another time gives other bytes", arguments: ArchiveFormat.allCases)
    func reproducible(_ format: ArchiveFormat) throws {
        let temp = try TempDirectory("archive")
        let first = try Self.write(temp.path("1"), format, Self.names)
        let second = try Self.write(temp.path("2"), format, Self.names, chunk: 4_096)
        #expect(first == second, "chunking or the clock shows in \(format)")
        let later = try Self.write(temp.path("3"), format, Self.names, modified: handoverEpoch + 1)
        #expect(first != later)
    }

    @Test("bsdtar lists what the writer wrote, with normalised owners and modes", arguments: ArchiveFormat.allCases)
    func bsdtarReads(_ format: ArchiveFormat) throws {
        let temp = try TempDirectory("archive")
        let path = temp.path("a\(format.fileExtension)")
        _ = try Self.write(path, format, Self.names)
        let list = try runProcess(try StandardTools.bsdtar(), ["-tvf", path])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("Re\u{301}sume\u{301}.txt"))
        #expect(list.stdout.contains(" 3145745 "), "the size of big.bin: \(list.stdout)")
        let extract = try runProcess(try StandardTools.bsdtar(), ["-xf", path, "-C", temp.path])
        #expect(extract.status == 0, "\(extract.stderr)")
        #expect(Array(try temp.read("bag/data/big.bin")) == Self.pattern(3 << 20 + 17))
    }

    struct DiskFull: Error {}

    @Test("a failing sink (disk full) fails the write with the sink's own error")
    func sinkError() throws {
        var budget = 200_000
        let writer = try ArchiveWriter(format: .tar, name: "full.tar") { bytes in
            budget -= bytes.count
            if budget < 0 { throw DiskFull() }
        }
        #expect(throws: DiskFull.self) {
            try writer.beginFile(Array("bag/big".utf8), size: 1 << 20, modified: 0)
            let chunk = Self.pattern(1 << 20)
            try chunk.withUnsafeBytes { try writer.write($0) }
            try writer.finish()
        }
    }

    @Test("a file that is no archive is refused with exit status 2 and libarchive's reason")
    func notAnArchive() throws {
        let temp = try TempDirectory("archive")
        let path = try temp.write("notes.tar", String(repeating: "plain text, no archive\n", count: 100))
        let error = try #require(throws: ArchiveError.self) { _ = try ArchiveReader(path: path) }
        #expect(error.exitStatus == .couldNotRun)
        #expect(error.message.contains("not a bundle"), "\(error.message)")
    }
}
