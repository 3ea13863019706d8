/// The digests of one file, one per algorithm computed, as lowercase hexadecimal.
///
/// Optional fields rather than a dictionary: the verifier keeps one of these per payload
/// file, and a bag may have a million files.
public struct FileDigests: Sendable, Equatable {
    public var md5: String?
    public var sha1: String?
    public var sha224: String?
    public var sha256: String?
    public var sha384: String?
    public var sha512: String?

    public init() {}

    public subscript(algorithm: ChecksumAlgorithm) -> String? {
        get {
            switch algorithm {
            case .md5: md5
            case .sha1: sha1
            case .sha224: sha224
            case .sha256: sha256
            case .sha384: sha384
            case .sha512: sha512
            }
        }
        set {
            switch algorithm {
            case .md5: md5 = newValue
            case .sha1: sha1 = newValue
            case .sha224: sha224 = newValue
            case .sha256: sha256 = newValue
            case .sha384: sha384 = newValue
            case .sha512: sha512 = newValue
            }
        }
    }

    /// The algorithms that have a digest here.
    public var algorithms: [ChecksumAlgorithm] { ChecksumAlgorithm.allCases.filter { self[$0] != nil } }

    /// Adds the digests of `other` that this one lacks.
    public mutating func merge(_ other: FileDigests) {
        for algorithm in other.algorithms where self[algorithm] == nil { self[algorithm] = other[algorithm] }
    }
}

/// Hashes one file's bytes with several algorithms at once.
///
/// This is the one place where the verifier hashes; spreading the work over cores later
/// changes only this type.
public struct MultiHasher: Sendable {
    private var hashers: [StreamingHasher]

    public init<Algorithms: Sequence>(_ algorithms: Algorithms) where Algorithms.Element == ChecksumAlgorithm {
        hashers = Set(algorithms).sorted().map { $0.makeHasher() }
    }

    public var algorithms: [ChecksumAlgorithm] { hashers.map(\.algorithm) }

    public mutating func update(_ chunk: UnsafeRawBufferPointer) {
        for index in hashers.indices { hashers[index].update(chunk) }
    }

    public func finalize() -> FileDigests {
        var digests = FileDigests()
        for hasher in hashers { digests[hasher.algorithm] = hasher.finalizeHex() }
        return digests
    }
}
