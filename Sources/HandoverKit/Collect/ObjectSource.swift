import Foundation

/// SOURCE as an object-store prefix (`s3://bucket/prefix/`): the listing stands for the walk.
///
/// Each object below the prefix becomes a regular `SourceFile` whose path is its key without
/// the prefix, whose size and modification time are the listing's; so globs, counts, formats
/// and ages are judged exactly as for a folder. Keys that end in `/` (the "folder" markers some
/// tools write) hold no file and are left out; a key with an empty, `.` or `..` part could not
/// be a path in a bag and stops the run.
package struct ObjectSource: Sendable {
    package let location: ObjectLocation
    package let configuration: ObjectStoreConfiguration
    /// Every object as a file, sorted by path bytes (as a walk sorts).
    package let files: [SourceFile]
    /// Each file's ETag as listed, in the order of `files`: the build reads each object on the
    /// condition that it is still the one listed.
    let etags: [String?]

    /// Lists `location` with a client of `configuration`.
    package static func list(_ location: ObjectLocation, configuration: ObjectStoreConfiguration) throws(ObjectStoreError) -> ObjectSource {
        let client = try ObjectStoreClient(configuration)
        let entries = try client.list(location)
        var listed: [(file: SourceFile, etag: String?)] = []
        listed.reserveCapacity(entries.count)
        for entry in entries where entry.key.hasPrefix(location.prefix) && !entry.key.hasSuffix("/") {
            let path = Array(entry.key.utf8.dropFirst(location.prefix.utf8.count))
            let parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            guard !parts.contains(where: { $0.isEmpty || $0.elementsEqual(".".utf8) || $0.elementsEqual("..".utf8) }) else {
                throw .unsafeKey(location: location.description, key: entry.key)
            }
            let seconds = entry.lastModified.map { Int64($0.timeIntervalSince1970.rounded(.down)) } ?? 0
            listed.append((SourceFile(path: path, kind: .regular, size: entry.size, modified: Timestamp(seconds: seconds)), entry.etag))
        }
        listed.sort { $0.file.path.lexicographicallyPrecedes($1.file.path) }
        return ObjectSource(location: location, configuration: configuration, files: listed.map(\.file), etags: listed.map(\.etag))
    }

    /// The ETag the listing gave `file`'s object, found by its path (the files are sorted).
    func etag(of file: SourceFile) -> String? {
        var low = 0, high = files.count
        while low < high {
            let middle = (low + high) / 2
            if files[middle].path.lexicographicallyPrecedes(file.path) { low = middle + 1 } else { high = middle }
        }
        return low < files.count && files[low].path == file.path ? etags[low] : nil
    }

    /// The object key of a file of this source.
    package func key(of file: SourceFile) -> String {
        location.prefix + String(decoding: file.path, as: UTF8.self)
    }
}
