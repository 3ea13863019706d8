import Foundation
import HandoverKit
import Testing

/// Writes tar archives header by header (ustar, with GNU long names), so that a test can make
/// what no careful writer would: links, devices, FIFOs, `..` and absolute names, a path twice,
/// an entry whose header promises gigabytes.
struct RawTar {
    enum Kind {
        case file, directory, symlink(String), hardlink(String), characterDevice, blockDevice, fifo

        var flag: UInt8 {
            switch self {
            case .file: UInt8(ascii: "0")
            case .hardlink: UInt8(ascii: "1")
            case .symlink: UInt8(ascii: "2")
            case .characterDevice: UInt8(ascii: "3")
            case .blockDevice: UInt8(ascii: "4")
            case .directory: UInt8(ascii: "5")
            case .fifo: UInt8(ascii: "6")
            }
        }
    }

    private(set) var bytes: [UInt8] = []

    /// An entry with its data (files only), padded to the 512-byte block.
    mutating func add(_ name: String, _ kind: Kind = .file, data: [UInt8] = [], mode: Int = 0o644) {
        header(name, kind, size: Int64(data.count), mode: mode)
        bytes += data
        pad()
    }

    mutating func add(_ name: String, text: String) { add(name, data: Array(text.utf8)) }

    /// Only the header of an entry: its data is for the caller to append.
    mutating func header(_ name: String, _ kind: Kind = .file, size: Int64, mode: Int = 0o644) {
        let nameBytes = Array(name.utf8)
        if nameBytes.count > 100 {
            // GNU long name: an entry of type L whose data is the name.
            block(name: Array("././@LongLink".utf8), flag: UInt8(ascii: "L"), size: Int64(nameBytes.count + 1), mode: 0o644, link: [])
            bytes += nameBytes + [0]
            pad()
        }
        var link: [UInt8] = []
        switch kind {
        case .symlink(let target), .hardlink(let target): link = Array(target.utf8)
        default: break
        }
        let size = (kind.flag == UInt8(ascii: "0")) ? size : 0
        block(name: Array(nameBytes.prefix(100)), flag: kind.flag, size: size, mode: mode, link: link)
    }

    /// The end of the archive: two empty blocks.
    mutating func finish() { bytes += [UInt8](repeating: 0, count: 1024) }

    mutating func pad() {
        let rest = bytes.count % 512
        if rest != 0 { bytes += [UInt8](repeating: 0, count: 512 - rest) }
    }

    private mutating func block(name: [UInt8], flag: UInt8, size: Int64, mode: Int, link: [UInt8]) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ field: [UInt8], at offset: Int, width: Int) {
            for (index, byte) in field.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int64, width: Int) -> [UInt8] {
            let digits = String(value, radix: 8)
            return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
        }
        put(name, at: 0, width: 100)
        put(octal(Int64(mode), width: 8), at: 100, width: 8)
        put(octal(0, width: 8), at: 108, width: 8)
        put(octal(0, width: 8), at: 116, width: 8)
        put(octal(size, width: 12), at: 124, width: 12)
        put(octal(1_798_675_200, width: 12), at: 136, width: 12)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148, width: 8)
        header[156] = flag
        put(link, at: 157, width: 100)
        put(Array("ustar".utf8) + [0] + Array("00".utf8), at: 257, width: 8)
        put(octal(0, width: 8), at: 329, width: 8)
        put(octal(0, width: 8), at: 337, width: 8)
        let sum = header.reduce(0) { $0 + Int64($1) }
        put(octal(sum, width: 7) + [UInt8(ascii: " ")], at: 148, width: 8)
        bytes += header
    }
}

/// A small valid bag as tar entries under one top folder, for a test to spoil one thing.
struct HandmadeBag {
    var top = "acme-bag"
    var payload: [(path: String, bytes: [UInt8])] = [("data/readme.txt", Array("Hello, handover\n".utf8))]
    /// Extra lines for manifest-sha256.txt, as written.
    var extraManifestLines: [String] = []
    var oxum: String?

    static func sha256(_ bytes: [UInt8]) -> String {
        var hasher = StreamingHasher(.sha256)
        bytes.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }

    /// The tag files, in the order handover writes them: bagit.txt, bag-info.txt, manifest.
    func tagFiles() -> [(String, [UInt8])] {
        let octets = payload.reduce(0) { $0 + $1.bytes.count }
        let info = "Source-Organization: Infogerance Ouest SAS\nBagging-Date: 2026-12-31\nPayload-Oxum: \(oxum ?? "\(octets).\(payload.count)")\n"
        var manifest = payload.map { "\(Self.sha256($0.bytes))  \($0.path)\n" }.joined()
        manifest += extraManifestLines.map { $0 + "\n" }.joined()
        return [("bagit.txt", Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8)),
                ("bag-info.txt", Array(info.utf8)),
                ("manifest-sha256.txt", Array(manifest.utf8))]
    }

    /// The whole bag as a tar, with `extra` entries added by the caller before the end.
    func tar(_ extra: (inout RawTar) -> Void = { _ in }) -> [UInt8] {
        var tar = RawTar()
        tar.add(top + "/", .directory, mode: 0o755)
        for (name, bytes) in tagFiles() { tar.add("\(top)/\(name)", data: bytes) }
        tar.add("\(top)/data/", .directory, mode: 0o755)
        for file in payload { tar.add("\(top)/\(file.path)", data: file.bytes) }
        extra(&tar)
        tar.finish()
        return tar.bytes
    }
}

/// Every file, folder and link under a folder, with what identifies its content, to show that
/// nothing outside an extraction target was created or changed.
struct FolderSnapshot: Equatable, CustomStringConvertible {
    var entries: [String: String] = [:]

    init() {}

    init(_ root: String, excluding: Set<String> = []) throws {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: root) else { return }
        while let relative = walker.nextObject() as? String {
            if excluding.contains(where: { relative == $0 || relative.hasPrefix($0 + "/") }) { continue }
            let path = root + "/" + relative
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                entries[relative] = "file \(info.st_mode & 0o7777) \(HandmadeBag.sha256(bytes)) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            case S_IFDIR: entries[relative] = "folder \(info.st_mode & 0o7777)"
            case S_IFLNK: entries[relative] = "link " + ((try? manager.destinationOfSymbolicLink(atPath: path)) ?? "?")
            default: entries[relative] = "special"
            }
        }
    }

    var description: String { entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n") }
}

/// A sandbox around an extraction: canary files beside DIR, and a snapshot of everything but DIR.
final class ExtractSandbox: @unchecked Sendable {
    let temp: TempDirectory
    /// DIR: not created by the sandbox.
    var target: String { temp.path("out") }
    private var before = FolderSnapshot()

    init() throws {
        temp = try TempDirectory("handover-extract")
        try temp.write("canary/keep.txt", "the canary sings\n")
        try temp.write("outside.txt", "nothing may change me\n")
        before = try FolderSnapshot(temp.path, excluding: ["out"])
    }

    /// Writes an archive beside DIR (and refreshes the snapshot to include it).
    @discardableResult
    func bundle(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try temp.write(name, Data(bytes))
        before = try FolderSnapshot(temp.path, excluding: ["out"])
        return path
    }

    /// Takes the snapshot again, after the test made its bundle beside DIR.
    func refresh() throws {
        before = try FolderSnapshot(temp.path, excluding: ["out"])
    }

    /// Everything outside DIR is as it was.
    func outsideUnchanged(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try FolderSnapshot(temp.path, excluding: ["out"])
        #expect(after == before, "outside DIR changed:\n\(after)\nwas:\n\(before)", sourceLocation: sourceLocation)
    }

    /// The names DIR holds (empty when absent).
    func targetContents() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).sorted()
    }
}

/// Runs a tool that reads `input` on stdin and returns its stdout bytes (gzip -c, zstd -c).
func filter(_ tool: String, _ arguments: [String], _ input: [UInt8], install: String) throws -> [UInt8] {
    let path = try requireTool(tool, install: install)
    let result = try runProcess(path, arguments, stdin: Data(input))
    guard result.status == 0 else { throw FixtureError("\(tool) failed: \(result.stderr)") }
    return Array(result.stdoutData)
}
