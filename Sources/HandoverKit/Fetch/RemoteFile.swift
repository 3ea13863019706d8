/// One payload file that fetch.txt brings and the bag does not hold: where it is, the size
/// fetch.txt announces and the checksums the payload manifests give for it.
package struct RemoteFile: Sendable, Equatable {
    /// The path relative to the bag's root (`data/...`), bytes as fetch.txt writes it.
    package var path: [UInt8]
    package var url: String
    /// fetch.txt's length; nil for "-".
    package var length: Int64?
    /// One checksum per payload manifest that lists the file.
    package var expected: FileDigests

    /// The path for messages and result files.
    package var displayPath: String { VisibleText.name(bytes: path) }

    /// `s3://bucket/key`, when the URL is one: the key percent-decoded, as `ObjectLocation.url`
    /// encodes it; otherwise why the file cannot be fetched (another scheme, a key no object
    /// can have, or one an HTTP client would read as another: `a/../b` is sent as `b`).
    var object: Result<(bucket: String, key: String), Unfetchable> {
        guard url.hasPrefix("s3://") else { return .failure(Unfetchable("\(url.prefix { $0 != ":" }.prefix(20)):// URLs are not fetched by handover (only s3://)")) }
        guard let (bucket, key) = ObjectLocation.object(url: url) else {
            return .failure(Unfetchable("it is not an s3://bucket/key URL handover can read (a bucket name of lowercase letters, digits, dots and hyphens, no user or password, then the object's key)"))
        }
        if key.utf8.count > 1024 { return .failure(Unfetchable("its key is \(key.utf8.count) bytes long, and an S3 key has at most 1,024")) }
        if key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(Unfetchable("its key holds a control character"))
        }
        if key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return .failure(Unfetchable("its key has an empty, '.' or '..' part, which an HTTP client reads as another object's key"))
        }
        return .success((bucket, key))
    }

    /// Why a remote file is not fetched: a clause that follows "not checked: ".
    struct Unfetchable: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

/// The remote part of a bag's payload, read from what the verifier found.
package enum RemotePayload {
    /// The files fetch.txt lists that the bag does not hold, each path once (its first line),
    /// sorted by path bytes. A line fetch.txt could not use (a path outside `data/`, a bad
    /// length) is a problem of the bag already and is not here.
    package static func files(of bag: BagVerification) -> [RemoteFile] {
        var seen = Set<[UInt8]>()
        var files: [RemoteFile] = []
        for item in bag.fetchItems {
            guard let expected = bag.fetchDigests[item.path], seen.insert(item.path).inserted else { continue }
            files.append(RemoteFile(path: item.path, url: item.url, length: item.length, expected: expected))
        }
        return files.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }
}
