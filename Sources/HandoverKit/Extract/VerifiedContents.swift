/// What verification read, file by file: the size and digests that extraction must find again.
///
/// The payload's digests are those the verifier computed and compared with the payload
/// manifests. Tag files (bagit.txt, bag-info.txt, the manifests, `handover/`...) are hashed by a
/// tap on the verifier's first reading, so each is known by the exact bytes the verifier parsed,
/// whether or not a tag manifest lists it.
struct VerifiedContents {
    struct Expected {
        var size: Int64
        var digests: FileDigests
    }

    /// By canonical path relative to the bag's root.
    private(set) var files: [[UInt8]: Expected] = [:]

    init(payload: [PayloadFile], tagFiles: [[UInt8]: Expected]) {
        files = tagFiles
        for file in payload { files[file.bagPath] = Expected(size: file.size, digests: file.digests) }
    }

    subscript(path: [UInt8]) -> Expected? { files[path] }
}

/// Hashes the tag files of the verifier's first reading as they pass through (the payload is
/// hashed by the verifier itself). The second reading, when the verifier needs one, is not tapped.
final class TagDigestTap {
    private(set) var digests: [[UInt8]: VerifiedContents.Expected] = [:]
    private var opened = 0

    /// Wraps a reader the verifier opens; only the first is tapped.
    func wrap(_ reader: BundleEntryReader) -> BundleEntryReader {
        opened += 1
        return opened == 1 ? TappedReader(reader, tap: self) : reader
    }

    fileprivate func record(_ path: [UInt8], size: Int64, sha256: String) {
        // The first occurrence is the one verified; a repeated entry fails verification anyway.
        if digests[path] == nil {
            var found = FileDigests()
            found.sha256 = sha256
            digests[path] = VerifiedContents.Expected(size: size, digests: found)
        }
    }
}

private final class TappedReader: BundleEntryReader {
    private let base: BundleEntryReader
    private let tap: TagDigestTap
    private var current: (path: [UInt8], hasher: StreamingHasher, size: Int64)?

    init(_ base: BundleEntryReader, tap: TagDigestTap) {
        self.base = base
        self.tap = tap
    }

    func nextEntry() throws -> BundleEntry? {
        finishCurrent()
        guard let entry = try base.nextEntry() else { return nil }
        if case .file = entry.kind, let path = ExtractPaths.canonical(entry.path), !path.isPayloadPath {
            current = (path, StreamingHasher(.sha256), 0)
        }
        return entry
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try base.readData(into: buffer)
        if count > 0 {
            current?.hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            current?.size += Int64(count)
        }
        return count
    }

    private func finishCurrent() {
        guard let current else { return }
        self.current = nil
        tap.record(current.path, size: current.size, sha256: current.hasher.finalizeHex())
    }

    deinit { finishCurrent() }
}

/// The paths of entries as extraction writes them.
enum ExtractPaths {
    /// The canonical form of an entry's path (no `.` or empty segments), as the verifier keys
    /// its files; nil for a path that names nothing or climbs out.
    static func canonical(_ path: [UInt8]) -> [UInt8]? {
        guard let parts = components(path) else { return nil }
        return Array(parts.joined(separator: [UInt8(ascii: "/")]))
    }

    /// The segments of a path, without `.` and empty ones; nil when empty or with `..` or NUL.
    static func components(_ path: [UInt8]) -> [[UInt8]]? {
        guard !path.contains(0), path.first != UInt8(ascii: "/") else { return nil }
        let parts = path.split(separator: UInt8(ascii: "/")).map(Array.init).filter { $0 != [UInt8(ascii: ".")] }
        guard !parts.isEmpty, !parts.contains([UInt8(ascii: "."), UInt8(ascii: ".")]) else { return nil }
        return parts
    }
}
