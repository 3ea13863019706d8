import Foundation

extension ZipDirectory {
    /// Walks the central directory header by header until its declared size is used up, as
    /// Python does, then requires the end record's count to match, which libarchive goes by.
    static func readCentralDirectory(_ bytes: ZipBytes, end: EndRecord, path: String, maxEntries: Int) throws -> [Entry] {
        func fail(_ problem: ZipStructureError.Problem) -> ZipStructureError { ZipStructureError(path: path, problem) }
        var window = ZipWindow(bytes, path: path, window: 1 << 20)
        let directoryEnd = end.directoryOffset + end.directorySize
        var entries: [Entry] = []
        entries.reserveCapacity(Int(min(end.count, 1 << 16)))
        var position = end.directoryOffset
        while position < directoryEnd {
            let number = entries.count + 1
            guard entries.count < maxEntries else { throw fail(.tooManyEntries(count: UInt64(number), limit: maxEntries)) }
            let left = directoryEnd - position
            guard left >= 46 else { throw fail(.badCentralHeader(entry: number, detail: "its header runs past the end of the directory")) }
            let fixed = try window.slice(at: position, count: 46)
            guard fixed.count == 46 else { throw fail(.noEndRecord) }
            guard fixed.zipUInt32(0) == centralSignature else {
                throw fail(.badCentralHeader(entry: number, detail: "no central directory header where one should begin"))
            }
            let nameLength = Int(fixed.zipUInt16(28)), extraLength = Int(fixed.zipUInt16(30)), commentLength = Int(fixed.zipUInt16(32))
            let total = 46 + nameLength + extraLength + commentLength
            guard UInt64(total) <= left else { throw fail(.badCentralHeader(entry: number, detail: "its header runs past the end of the directory")) }
            let header = Array(try window.slice(at: position, count: 46 + nameLength + extraLength))
            guard header.count == 46 + nameLength + extraLength else { throw fail(.noEndRecord) }
            let name = Array(header[46..<(46 + nameLength)])
            var entry = Entry(index: entries.count, name: name, nameEncoding: .ascii, flags: header.zipUInt16(8),
                              method: header.zipUInt16(10), compressedSize: UInt64(header.zipUInt32(20)),
                              uncompressedSize: UInt64(header.zipUInt32(24)), localHeaderOffset: UInt64(header.zipUInt32(42)))
            var disk = UInt32(header.zipUInt16(34))
            let zip64 = try zip64Fields(header[(46 + nameLength)...], entry: number, name: name, path: path)
            if header.zipUInt32(24) == 0xFFFF_FFFF { entry.uncompressedSize = try zip64.next(number, name) }
            if header.zipUInt32(20) == 0xFFFF_FFFF { entry.compressedSize = try zip64.next(number, name) }
            if header.zipUInt32(42) == 0xFFFF_FFFF { entry.localHeaderOffset = try zip64.next(number, name) }
            if header.zipUInt16(34) == 0xFFFF { disk = try zip64.nextDisk(number, name) }
            guard disk == 0 else { throw fail(.multipleDisks) }
            entry.nameEncoding = try encoding(of: name, flags: entry.flags, entry: number, path: path)
            entries.append(entry)
            position += UInt64(total)
        }
        guard UInt64(entries.count) == end.count else { throw fail(.countMismatch(declared: end.count, found: entries.count)) }
        return entries
    }

    /// How `name` decodes; refuses a name that is flagged UTF-8 and is not (libarchive skips such
    /// an entry, Python refuses the archive) and a name with a NUL byte (C readers cut it there).
    static func encoding(of name: [UInt8], flags: UInt16, entry: Int, path: String) throws -> NameEncoding {
        if name.contains(0) { throw ZipStructureError(path: path, .nulInName(entry: entry, name: name)) }
        if flags & 0x0800 != 0 {
            guard String(validating: name, as: UTF8.self) != nil else {
                throw ZipStructureError(path: path, .invalidUTF8(entry: entry, name: name))
            }
            return name.allSatisfy { $0 < 0x80 } ? .ascii : .utf8
        }
        return name.allSatisfy { $0 < 0x80 } ? .ascii : .unflagged
    }

    /// The values of an extra area's zip64 field (0x0001), taken in order as the header's
    /// 0xFFFF… placeholders ask for them. A malformed extra area is refused: readers that parse
    /// it differently would see different sizes.
    static func zip64Fields(_ extra: ArraySlice<UInt8>, entry: Int, name: [UInt8], path: String) throws -> Zip64Values {
        var at = extra.startIndex
        var values: ArraySlice<UInt8> = []
        var seen = false
        while at < extra.endIndex {
            guard extra.endIndex - at >= 4 else {
                throw ZipStructureError(path: path, .badCentralHeader(entry: entry, detail: "its extra fields are malformed"))
            }
            let id = extra[at...].zipUInt16(0), length = Int(extra[at...].zipUInt16(2))
            guard extra.endIndex - at - 4 >= length else {
                throw ZipStructureError(path: path, .badCentralHeader(entry: entry, detail: "its extra fields are malformed"))
            }
            if id == 0x0001 {
                guard !seen else { throw ZipStructureError(path: path, .badCentralHeader(entry: entry, detail: "it has two zip64 extra fields")) }
                seen = true
                values = extra[(at + 4)..<(at + 4 + length)]
            }
            at += 4 + length
        }
        return Zip64Values(values: values, path: path)
    }

    /// The 8-byte (and last, 4-byte disk) values of a zip64 extra field, read in turn.
    final class Zip64Values {
        private var values: ArraySlice<UInt8>
        private let path: String

        init(values: ArraySlice<UInt8>, path: String) {
            self.values = values
            self.path = path
        }

        func next(_ entry: Int, _ name: [UInt8]) throws -> UInt64 {
            guard values.count >= 8 else { throw missing(entry) }
            defer { values = values.dropFirst(8) }
            return values.zipUInt64(0)
        }

        func nextDisk(_ entry: Int, _ name: [UInt8]) throws -> UInt32 {
            guard values.count >= 4 else { throw missing(entry) }
            defer { values = values.dropFirst(4) }
            return values.zipUInt32(0)
        }

        private func missing(_ entry: Int) -> ZipStructureError {
            ZipStructureError(path: path, .badCentralHeader(entry: entry, detail: "its zip64 extra field lacks a size or offset its header defers to it"))
        }
    }

    /// Reads each entry's local header, in file order, and requires it to say what the central
    /// directory says; and each entry's header and data to end before the next entry begins.
    static func checkLocalHeaders(_ bytes: ZipBytes, entries: [Entry], directoryStart: UInt64, path: String) throws {
        func fail(_ problem: ZipStructureError.Problem) -> ZipStructureError { ZipStructureError(path: path, problem) }
        var window = ZipWindow(bytes, path: path, window: 64 << 10)
        var previous: (entry: Entry, end: UInt64)?
        for entry in entries.sorted(by: { $0.localHeaderOffset < $1.localHeaderOffset }) {
            let number = entry.index + 1
            if let previous, previous.end > entry.localHeaderOffset {
                throw fail(.overlap(entry: number, name: entry.name, other: previous.entry.index + 1, otherName: previous.entry.name))
            }
            guard entry.localHeaderOffset <= directoryStart, directoryStart - entry.localHeaderOffset >= 30 else {
                throw fail(.localHeaderOutside(entry: number, name: entry.name))
            }
            let fixed = try window.slice(at: entry.localHeaderOffset, count: 30)
            guard fixed.count == 30, fixed.zipUInt32(0) == localSignature else { throw fail(.badLocalHeader(entry: number, name: entry.name)) }
            let nameLength = Int(fixed.zipUInt16(26)), extraLength = Int(fixed.zipUInt16(28))
            let headerEnd = entry.localHeaderOffset + UInt64(30 + nameLength + extraLength)
            guard headerEnd <= directoryStart else { throw fail(.localHeaderOutside(entry: number, name: entry.name)) }
            let header = Array(try window.slice(at: entry.localHeaderOffset, count: 30 + nameLength + extraLength))
            guard header.count == 30 + nameLength + extraLength else { throw fail(.localHeaderOutside(entry: number, name: entry.name)) }
            let localName = Array(header[30..<(30 + nameLength)])
            guard localName == entry.name else { throw fail(.nameMismatch(entry: number, central: entry.name, local: localName)) }
            let localFlags = header.zipUInt16(6)
            // Encryption (bit 0), sizes after the data (bit 3) and UTF-8 names (bit 11) change
            // how a reader takes the entry; the other bits do not.
            guard localFlags & 0x0809 == entry.flags & 0x0809 else {
                throw fail(.fieldMismatch(entry: number, name: entry.name, field: "flags (encryption, data descriptor or UTF-8 names)"))
            }
            guard header.zipUInt16(8) == entry.method else { throw fail(.fieldMismatch(entry: number, name: entry.name, field: "compression methods")) }
            if localFlags & 0x0008 == 0 {
                try checkLocalSizes(header, nameLength: nameLength, entry: entry, path: path)
            }
            let (end, overflow) = headerEnd.addingReportingOverflow(entry.compressedSize)
            guard !overflow, end <= directoryStart else { throw fail(.localHeaderOutside(entry: number, name: entry.name)) }
            previous = (entry, end)
        }
    }

    /// Without a data descriptor the local header's sizes are what a streaming reader uses: they
    /// must be the central directory's (zip64 sizes from the local extra field when deferred).
    private static func checkLocalSizes(_ header: [UInt8], nameLength: Int, entry: Entry, path: String) throws {
        let number = entry.index + 1
        var compressed = UInt64(header.zipUInt32(18)), uncompressed = UInt64(header.zipUInt32(22))
        if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF {
            // The local zip64 field holds both sizes, uncompressed first, whichever was deferred.
            let values = try zip64Fields(header[(30 + nameLength)...], entry: number, name: entry.name, path: path)
            uncompressed = try values.next(number, entry.name)
            compressed = try values.next(number, entry.name)
        }
        guard compressed == entry.compressedSize else {
            throw ZipStructureError(path: path, .sizeMismatch(entry: number, name: entry.name, central: entry.compressedSize, local: compressed))
        }
        guard uncompressed == entry.uncompressedSize else {
            throw ZipStructureError(path: path, .sizeMismatch(entry: number, name: entry.name, central: entry.uncompressedSize, local: uncompressed))
        }
    }
}
