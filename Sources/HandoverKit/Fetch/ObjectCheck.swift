/// Reads one remote file from the object store and judges it: HEAD first (a missing object or a
/// size other than fetch.txt's is known without reading it), then the object in ranges of
/// `partSize`, in order, each byte hashed with every algorithm of the bag's manifests as it
/// arrives and handed to `sink` (extract writes it; verify writes nothing). Memory stays the
/// transfer's own small buffers whatever the object's size.
enum ObjectCheck {
    /// The size of one ranged GET: a broken transfer is resumed by the client within a part, and
    /// no single request runs for the whole of a very large object.
    static let partSize: Int64 = 64 << 20

    static func check(_ file: RemoteFile, client: ObjectStoreClient, progress: (Int64) -> Void,
                      sink: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(ObjectStoreError) -> RemoteResult {
        let shown = file.displayPath
        guard let object = file.object else {
            let scheme = file.url.prefix { $0 != ":" }
            return RemoteResult(path: shown, url: file.url, state: .notChecked,
                                reason: "\(scheme.prefix(20)):// URLs are not fetched by handover (only s3://); the file was not checked")
        }
        guard !file.expected.algorithms.isEmpty else {
            return RemoteResult(path: shown, url: file.url, state: .notChecked, reason: "no payload manifest gives a checksum for it")
        }
        guard let size = try client.size(bucket: object.bucket, key: object.key) else {
            return RemoteResult(path: shown, url: file.url, state: .missing)
        }
        if let length = file.length, length != size {
            return RemoteResult(path: shown, url: file.url, state: .wrongSize, size: size)
        }
        var hasher = MultiHasher(file.expected.algorithms)
        var read: Int64 = 0
        var start: Int64 = 0
        while start < size {
            let end = min(size, start + partSize)
            try client.read(bucket: object.bucket, key: object.key, range: start..<end) { bytes in
                hasher.update(bytes)
                sink?(bytes)
                read += Int64(bytes.count)
                progress(Int64(bytes.count))
            }
            start = end
        }
        let digests = hasher.finalize()
        var computed: [String: String] = [:]
        for algorithm in digests.algorithms { computed[algorithm.rawValue] = digests[algorithm] }
        // An object replaced while it was read gives other bytes than its HEAD promised.
        var result = RemoteResult(path: shown, url: file.url, state: .checked, size: read, digests: computed)
        result.state = result.judged(against: file)
        return result
    }
}
