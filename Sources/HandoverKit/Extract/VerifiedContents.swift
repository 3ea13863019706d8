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

    /// The tag files, by canonical path relative to the bag's root, each with its number.
    private var tagFiles: [[UInt8]: (expected: Expected, number: Int)] = [:]
    /// The tag files' paths, by number.
    private var tagPaths: [[UInt8]] = []
    /// The payload files, looked up in the verifier's table rather than copied.
    private let payload: PayloadFiles

    init(_ bag: BagVerification) {
        for (path, read) in bag.tagEntriesRead.sorted(by: { $0.key.bytewisePrecedes($1.key) }) {
            var digests = FileDigests()
            digests.sha256 = read.sha256
            tagFiles[path] = (Expected(size: read.size, digests: digests), tagFiles.count)
            tagPaths.append(path)
        }
        payload = bag.payload
    }

    /// How many files were verified.
    var count: Int { tagFiles.count + payload.count }

    /// A number for each verified file, distinct and below `numbers`: extraction marks the files
    /// it has seen in a bit per number rather than keeping their paths.
    func number(of path: [UInt8]) -> Int? {
        if let tag = tagFiles[path] { return tag.number }
        return payload.number(ofBagPath: path).map { tagFiles.count + $0 }
    }

    /// The bound of `number(of:)`.
    var numbers: Int { tagFiles.count + payload.numbers }

    /// Calls `body` with the path (relative to the bag's root) of the verified file numbered
    /// `number`, without copying it.
    func withPath<Result>(ofNumber number: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if number < tagPaths.count { return try tagPaths[number].withUnsafeBufferPointer(body) }
        return try payload.withBagPath(ofNumber: number - tagPaths.count, body)
    }

    /// The first verified file (path relative to the bag's root) whose number `seen` refuses.
    func first(notIn seen: (Int) -> Bool) -> [UInt8]? {
        if let tag = tagFiles.first(where: { !seen($0.value.number) }) { return tag.key }
        return payload.lazy.map(\.bagPath).first { !seen(number(of: $0) ?? -1) }
    }

    /// What was verified of the file at `path` (relative to the bag's root), or nil.
    subscript(path: [UInt8]) -> Expected? {
        tagFiles[path]?.expected ?? payload.file(atBagPath: path).map { Expected(size: $0.size, digests: $0.digests) }
    }
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
