import Foundation
import Testing

/// Edits the bytes of a zip made by a real tool, the way an attacker would: a name changed in
/// one header only, an entry added, a count changed. It reads the zip on its own (end record
/// without comment, classic 32-bit fields), so that the fixtures do not depend on the reader
/// under test.
struct ZipPatch {
    /// One central directory entry, where its headers lie in `bytes`.
    struct Entry {
        var central: Int
        var local: Int
        var name: [UInt8]
    }

    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    init(file: String) throws { self.init(Array(try Data(contentsOf: URL(fileURLWithPath: file)))) }

    func write(to file: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: file)) }

    var endOffset: Int { bytes.count - 22 }

    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }

    mutating func put16(_ value: Int, at: Int) {
        bytes[at] = UInt8(value & 0xFF)
        bytes[at + 1] = UInt8((value >> 8) & 0xFF)
    }

    mutating func put32(_ value: Int, at: Int) {
        put16(value & 0xFFFF, at: at)
        put16((value >> 16) & 0xFFFF, at: at + 2)
    }

    /// The entries in central directory order.
    func entries() throws -> [Entry] {
        guard bytes.count >= 22, u32(endOffset) == 0x0605_4B50 else { throw FixtureError("no end record at the end of the zip") }
        var entries: [Entry] = []
        var at = u32(endOffset + 16)
        for _ in 0..<u16(endOffset + 10) {
            guard u32(at) == 0x0201_4B50 else { throw FixtureError("no central header at \(at)") }
            let nameLength = u16(at + 28)
            entries.append(Entry(central: at, local: u32(at + 42), name: Array(bytes[(at + 46)..<(at + 46 + nameLength)])))
            at += 46 + nameLength + u16(at + 30) + u16(at + 32)
        }
        return entries
    }

    /// The entry whose name ends with `suffix`.
    func entry(endingWith suffix: String) throws -> Entry {
        guard let found = try entries().first(where: { $0.name.reversed().starts(with: Array(suffix.utf8).reversed()) }) else {
            throw FixtureError("no entry ending with \(suffix)")
        }
        return found
    }

    /// Gives the local header of `entry` another name of the same length (offsets hold).
    mutating func renameLocal(_ entry: Entry, to name: [UInt8]) throws {
        guard name.count == entry.name.count, u16(entry.local + 26) == name.count else { throw FixtureError("names must have the same length") }
        bytes.replaceSubrange((entry.local + 30)..<(entry.local + 30 + name.count), with: name)
    }

    /// Sets the entry count of the end record (both fields, this disk and total).
    mutating func setEndCount(_ count: Int) {
        put16(count, at: endOffset + 8)
        put16(count, at: endOffset + 10)
    }

    /// Adds a stored entry named `name` (bytes as given) with `flags` and `extra` fields (in both
    /// headers), before the central directory, and lists it last in the directory.
    mutating func append(name: [UInt8], contents: [UInt8], flags: Int = 0, extra: [UInt8] = []) {
        let directoryStart = u32(endOffset + 16), directorySize = u32(endOffset + 12), count = u16(endOffset + 10)
        let directory = Array(bytes[directoryStart..<(directoryStart + directorySize)])
        let crc = Self.crc32(contents)
        var local = [UInt8](repeating: 0, count: 30)
        var central = [UInt8](repeating: 0, count: 46)
        func set(_ buffer: inout [UInt8], _ at: Int, _ value: Int, _ width: Int) {
            for index in 0..<width { buffer[at + index] = UInt8((value >> (8 * index)) & 0xFF) }
        }
        set(&local, 0, 0x0403_4B50, 4); set(&local, 4, 20, 2); set(&local, 6, flags, 2)
        set(&local, 14, crc, 4); set(&local, 18, contents.count, 4); set(&local, 22, contents.count, 4)
        set(&local, 26, name.count, 2); set(&local, 28, extra.count, 2)
        set(&central, 0, 0x0201_4B50, 4); set(&central, 4, 0x0314, 2); set(&central, 6, 20, 2); set(&central, 8, flags, 2)
        set(&central, 16, crc, 4); set(&central, 20, contents.count, 4); set(&central, 24, contents.count, 4)
        set(&central, 28, name.count, 2); set(&central, 30, extra.count, 2); set(&central, 38, 0o100644 << 16, 4); set(&central, 42, directoryStart, 4)
        let added = local + name + extra + contents
        let end = Array(bytes[endOffset...])
        bytes = Array(bytes[..<directoryStart]) + added + directory + central + name + extra + end
        put16(count + 1, at: endOffset + 8)
        put16(count + 1, at: endOffset + 10)
        put32(directorySize + 46 + name.count + extra.count, at: endOffset + 12)
        put32(directoryStart + added.count, at: endOffset + 16)
    }

    static func crc32(_ bytes: [UInt8]) -> Int {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return Int(crc ^ 0xFFFF_FFFF)
    }
}

/// Python's zipfile, the reader of the standard world that follows the central directory.
enum PythonZip {
    static func python() throws -> String { try requireTool("python3", install: "apt-get install python3") }

    /// Zips the folder `folder` (its name becomes the top-level folder) with zipfile into `archive`.
    static func zip(_ folder: String, to archive: String) throws {
        let url = URL(fileURLWithPath: folder)
        let script = """
            import os, sys, zipfile
            base, top, out = sys.argv[1], sys.argv[2], sys.argv[3]
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for root, dirs, files in os.walk(os.path.join(base, top)):
                    dirs.sort()
                    rel = os.path.relpath(root, base)
                    z.write(root, rel + "/")
                    for name in sorted(files):
                        z.write(os.path.join(root, name), os.path.join(rel, name))
            """
        let result = try runProcess(try python(), ["-c", script, url.deletingLastPathComponent().path, url.lastPathComponent, archive])
        guard result.status == 0 else { throw FixtureError("python3 zipfile: \(result.stderr)") }
    }

    /// The names zipfile lists, or its error.
    static func names(_ archive: String) throws -> ProcessResult {
        try runProcess(try python(), ["-c", "import sys, zipfile\nfor n in zipfile.ZipFile(sys.argv[1]).namelist(): print(n)", archive])
    }
}
