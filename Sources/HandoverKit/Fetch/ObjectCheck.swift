/// Reads one remote file from the object store and judges it. A file that fetch.txt gives a
/// length of at most `partSize` is read with one ranged GET of that length, whose Content-Range
/// gives the object's real size (a 404 is a missing object); a larger one is asked its size
/// with a HEAD first, then read in ranges of `partSize`, in order. Each byte is hashed with every
/// algorithm of the bag's manifests as it arrives and handed to `sink` (extract writes it;
/// verify writes nothing). Memory stays the transfer's own small buffers whatever the size.
enum ObjectCheck {
    /// The size of one ranged GET: a broken transfer is resumed by the client within a part, and
    /// no single request runs for the whole of a very large object.
    static let partSize: Int64 = 64 << 20

    static func check(_ file: RemoteFile, client: ObjectStoreClient, progress: (Int64) -> Void,
                      sink: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(ObjectStoreError) -> RemoteResult {
        let shown = file.displayPath
        let object: (bucket: String, key: String)
        switch file.object {
        case .success(let found): object = found
        case .failure(let unfetchable):
            return RemoteResult(path: shown, url: file.url, state: .notChecked, reason: "\(unfetchable.reason); the file was not checked")
        }
        guard !file.expected.algorithms.isEmpty else {
            return RemoteResult(path: shown, url: file.url, state: .notChecked, reason: "no payload manifest gives a checksum for it")
        }
        var hasher = MultiHasher(file.expected.algorithms)
        var read: Int64 = 0
        let consume = { (bytes: UnsafeRawBufferPointer) in
            hasher.update(bytes)
            sink?(bytes)
            read += Int64(bytes.count)
            progress(Int64(bytes.count))
        }
        if let length = file.length, length > 0, length <= partSize,
           let answer = try oneRequest(object, length: length, client: client, consume) {
            // A store that gives no Content-Range is asked the size; nil is then a missing object.
            var objectSize = answer.objectSize
            if objectSize == nil { objectSize = try client.size(bucket: object.bucket, key: object.key) }
            guard let objectSize else { return RemoteResult(path: shown, url: file.url, state: .missing) }
            if objectSize != length { return RemoteResult(path: shown, url: file.url, state: .wrongSize, size: objectSize) }
        } else {
            guard let objectSize = try client.size(bucket: object.bucket, key: object.key) else {
                return RemoteResult(path: shown, url: file.url, state: .missing)
            }
            if let length = file.length, length != objectSize {
                return RemoteResult(path: shown, url: file.url, state: .wrongSize, size: objectSize)
            }
            var start: Int64 = 0
            while start < objectSize {
                let end = min(objectSize, start + partSize)
                try client.read(bucket: object.bucket, key: object.key, range: start..<end, into: consume)
                start = end
            }
        }
        let digests = hasher.finalize()
        var computed: [String: String] = [:]
        for algorithm in digests.algorithms { computed[algorithm.rawValue] = digests[algorithm] }
        // An object replaced while it was read gives other bytes than its size promised.
        var result = RemoteResult(path: shown, url: file.url, state: .checked, size: read, digests: computed)
        result.state = result.judged(against: file)
        return result
    }

    /// The one ranged GET of a small object's announced `length`: the bytes read and the
    /// object's size from Content-Range. Nil when that request cannot tell (an empty object
    /// answers 416, a missing one 404): the caller asks with a HEAD then.
    private static func oneRequest(_ object: (bucket: String, key: String), length: Int64, client: ObjectStoreClient,
                                   _ consume: (UnsafeRawBufferPointer) -> Void) throws(ObjectStoreError) -> (delivered: Int64, objectSize: Int64?)? {
        do {
            return try client.readSizing(bucket: object.bucket, key: object.key, range: 0..<length, into: consume)
        } catch {
            switch error {
            case .noSuchObject: return nil
            case .serverFailed(_, 416, _, _): return nil
            default: throw error
            }
        }
    }
}
