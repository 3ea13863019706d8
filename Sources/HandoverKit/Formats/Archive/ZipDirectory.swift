import Foundation

/// The entries of a zip archive as its central directory lists them, checked against the local
/// header of each, so that every zip reader sees the same entries.
///
/// libarchive follows the local headers (and skips an entry whose name it cannot decode);
/// `unzip`, Python's zipfile and Windows follow the central directory. Reading only headers,
/// this refuses (`ZipStructureError`) a zip where the two could tell different stories: names,
/// sizes, methods or flags that differ, an entry count that does not match, entries that
/// overlap or lie outside the archive, a name flagged UTF-8 that is not. Memory grows with the
/// number of entries, which `maxEntries` bounds before any entry is read.
struct ZipDirectory: Equatable {
    /// How an entry's name is to be decoded.
    enum NameEncoding: Equatable {
        /// Only ASCII bytes: every reader agrees.
        case ascii
        /// Flagged UTF-8 (general purpose bit 11), and valid UTF-8.
        case utf8
        /// Non-ASCII bytes without the UTF-8 flag: code page 437 to the zip specification and
        /// Python, the locale's charset to libarchive, the OEM code page to Windows.
        case unflagged
    }

    /// One entry of the central directory.
    struct Entry: Equatable {
        /// Its position in the central directory, from 0.
        var index: Int
        var name: [UInt8]
        var nameEncoding: NameEncoding
        var flags: UInt16
        var method: UInt16
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    /// The entries in central directory order.
    var entries: [Entry]
    /// Whether a zip64 end record gave the directory's place and count.
    var isZip64: Bool

    /// The names in the order libarchive yields them: by local header offset, since its
    /// seekable zip reader walks the entries in the order they lie in the file.
    var namesInFileOrder: [[UInt8]] {
        entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }.map(\.name)
    }

    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let centralSignature: UInt32 = 0x0201_4B50
    static let localSignature: UInt32 = 0x0403_4B50
    /// The end record is 22 bytes plus a comment of at most 65535.
    static let endSearch = 0xFFFF + 22

    /// Reads and checks the zip at `path` through `fd`, which must be a regular file.
    static func read(fd: Int32, path: String, maxEntries: Int) throws -> ZipDirectory {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.fromErrno(path, "cannot read the zip's headers") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw FileError(path: path, reason: "a zip bundle is checked from its central directory, which needs a regular file; save it to a file first")
        }
        return try read(.file(fd: fd, size: UInt64(max(0, info.st_size))), path: path, maxEntries: maxEntries)
    }

    /// Reads and checks the zip in `bytes`; `path` names it in messages.
    static func read(_ bytes: ZipBytes, path: String, maxEntries: Int) throws -> ZipDirectory {
        let end = try EndRecord.find(in: bytes, path: path)
        guard UInt64(maxEntries) >= end.count else {
            throw ZipStructureError(path: path, .tooManyEntries(count: end.count, limit: maxEntries))
        }
        var directory = ZipDirectory(entries: [], isZip64: end.isZip64)
        directory.entries = try readCentralDirectory(bytes, end: end, path: path, maxEntries: maxEntries)
        try checkLocalHeaders(bytes, entries: directory.entries, directoryStart: end.directoryOffset, path: path)
        return directory
    }
}

/// Where the central directory lies and how many entries it holds, from the end record (and the
/// zip64 end record when there is one).
struct EndRecord {
    var count: UInt64
    var directoryOffset: UInt64
    var directorySize: UInt64
    var isZip64: Bool

    /// Finds the one end record that ends exactly where the file does, searching only the last
    /// 64 KiB + 22 bytes. Readers search differently (from the end, or only at the very end), so
    /// a second candidate, or bytes after the record, would let them pick different directories.
    static func find(in bytes: ZipBytes, path: String) throws -> EndRecord {
        func fail(_ problem: ZipStructureError.Problem) -> ZipStructureError { ZipStructureError(path: path, problem) }
        let size = bytes.size
        let tailCount = Int(min(size, UInt64(ZipDirectory.endSearch)))
        let tailStart = size - UInt64(tailCount)
        let tail = try bytes.read(at: tailStart, count: tailCount, path: path)
        var fitting: [Int] = []
        var nearest: Int?
        var at = tail.count - 22
        while at >= 0 {
            if tail.zipUInt32(at) == ZipDirectory.endSignature {
                nearest = nearest ?? at
                if at + 22 + Int(tail.zipUInt16(at + 20)) == tail.count { fitting.append(at) }
            }
            at -= 1
        }
        guard let found = fitting.first else {
            if let nearest {
                let after = tail.count - (nearest + 22 + Int(tail.zipUInt16(nearest + 20)))
                if after > 0 { throw fail(.bytesAfterEndRecord(count: after)) }
            }
            throw fail(.noEndRecord)
        }
        guard fitting.count == 1 else { throw fail(.twoEndRecords) }
        let record = tail[found..<(found + 22)]
        guard record.zipUInt16(4) == 0, record.zipUInt16(6) == 0, record.zipUInt16(8) == record.zipUInt16(10) else {
            throw fail(.multipleDisks)
        }
        let endOffset = tailStart + UInt64(found)
        var end = EndRecord(count: UInt64(record.zipUInt16(10)), directoryOffset: UInt64(record.zipUInt32(16)),
                            directorySize: UInt64(record.zipUInt32(12)), isZip64: false)
        var directoryEnd = endOffset
        if endOffset >= 20 {
            let locator = try bytes.read(at: endOffset - 20, count: 20, path: path)
            if locator.count == 20, locator.zipUInt32(0) == ZipDirectory.zip64LocatorSignature {
                directoryEnd = try end.applyZip64(locator: locator, at: endOffset - 20, record: record, bytes: bytes, path: path)
            }
        }
        let (directoryEndFound, overflow) = end.directoryOffset.addingReportingOverflow(end.directorySize)
        guard !overflow, directoryEndFound == directoryEnd else { throw fail(.directoryOutOfPlace) }
        return end
    }

    /// Takes the count, size and offset of the zip64 end record, which must lie right before its
    /// locator (where Python looks for it; libarchive follows the locator's offset) and agree
    /// with every field of the classic record that is not the 0xFFFF… placeholder. Returns where
    /// the central directory must end: at the zip64 end record.
    private mutating func applyZip64(locator: [UInt8], at locatorOffset: UInt64, record: ArraySlice<UInt8>,
                                     bytes: ZipBytes, path: String) throws -> UInt64 {
        func fail(_ problem: ZipStructureError.Problem) -> ZipStructureError { ZipStructureError(path: path, problem) }
        guard locator.zipUInt32(4) == 0, locator.zipUInt32(16) <= 1 else { throw fail(.multipleDisks) }
        let offset = locator.zipUInt64(8)
        guard locatorOffset >= 56, offset == locatorOffset - 56 else { throw fail(.zip64Mismatch(field: "places for the zip64 end record")) }
        let zip64 = try bytes.read(at: offset, count: 56, path: path)
        guard zip64.count == 56, zip64.zipUInt32(0) == ZipDirectory.zip64EndSignature, zip64.zipUInt64(4) == 44 else {
            throw fail(.zip64Mismatch(field: "places for the zip64 end record"))
        }
        guard zip64.zipUInt32(16) == 0, zip64.zipUInt32(20) == 0, zip64.zipUInt64(24) == zip64.zipUInt64(32) else {
            throw fail(.multipleDisks)
        }
        let count = zip64.zipUInt64(32), size = zip64.zipUInt64(40), start = zip64.zipUInt64(48)
        if record.zipUInt16(10) != 0xFFFF, UInt64(record.zipUInt16(10)) != count { throw fail(.zip64Mismatch(field: "entry counts")) }
        if record.zipUInt32(12) != 0xFFFF_FFFF, UInt64(record.zipUInt32(12)) != size { throw fail(.zip64Mismatch(field: "central directory sizes")) }
        if record.zipUInt32(16) != 0xFFFF_FFFF, UInt64(record.zipUInt32(16)) != start { throw fail(.zip64Mismatch(field: "central directory offsets")) }
        self = EndRecord(count: count, directoryOffset: start, directorySize: size, isZip64: true)
        return offset
    }
}
