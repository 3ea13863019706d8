/// What verification read, file by file: the size and digests that extraction must find again.
///
/// The payload's digests are those the verifier computed and compared with the payload
/// manifests. Tag files (bagit.txt, bag-info.txt, the manifests, `handover/`...) are known by
/// the SHA-256 the verifier computed of the exact bytes it parsed, whether or not a tag manifest
/// lists them.
struct VerifiedContents {
    struct Expected {
        var size: Int64
        var digests: FileDigests
    }

    /// By canonical path relative to the bag's root.
    private(set) var files: [[UInt8]: Expected] = [:]

    init(_ bag: BagVerification) {
        for (path, read) in bag.tagEntriesRead {
            var digests = FileDigests()
            digests.sha256 = read.sha256
            files[path] = Expected(size: read.size, digests: digests)
        }
        for file in bag.payload { files[file.bagPath] = Expected(size: file.size, digests: file.digests) }
    }

    subscript(path: [UInt8]) -> Expected? { files[path] }
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
