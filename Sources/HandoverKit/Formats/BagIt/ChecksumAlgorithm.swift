import Crypto

/// A checksum algorithm a BagIt manifest can name (`manifest-<algorithm>.txt`).
///
/// RFC 8493 §2.4 asks for sha512 or sha256; md5 and sha1 are still found in older bags, so they
/// are read (with a warning) but never written by `handover`. sha224 and sha384, the rest of the
/// SHA-2 family that bagit-python writes on request, are read too. Names of algorithms handover
/// cannot compute (sha3_256, blake2b...) are kept by `BagManifestName` and reported as unchecked.
public enum ChecksumAlgorithm: String, CaseIterable, Sendable, Comparable {
    case md5, sha1, sha224, sha256, sha384, sha512

    /// The algorithms `handover build --algorithm` accepts.
    public static let writable: [ChecksumAlgorithm] = [.sha256, .sha512]

    /// Whether RFC 8493 considers the algorithm too weak to rely on alone.
    public var isWeak: Bool { self == .md5 || self == .sha1 }

    /// The number of hexadecimal digits of a digest.
    public var hexLength: Int {
        switch self {
        case .md5: 32
        case .sha1: 40
        case .sha224: 56
        case .sha256: 64
        case .sha384: 96
        case .sha512: 128
        }
    }

    public static func < (a: ChecksumAlgorithm, b: ChecksumAlgorithm) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// A new streaming hasher for this algorithm.
    package func makeHasher() -> StreamingHasher { StreamingHasher(self) }
}

/// Hashes a stream of bytes fed in chunks, with any of the BagIt algorithms.
package struct StreamingHasher: Sendable {
    private enum State: Sendable {
        case md5(Insecure.MD5)
        case sha1(Insecure.SHA1)
        case sha224(SHA224Hasher)
        case sha256(SHA256)
        case sha384(SHA384)
        case sha512(SHA512)
    }

    package let algorithm: ChecksumAlgorithm
    private var state: State

    package init(_ algorithm: ChecksumAlgorithm) {
        self.algorithm = algorithm
        switch algorithm {
        case .md5: state = .md5(Insecure.MD5())
        case .sha1: state = .sha1(Insecure.SHA1())
        case .sha224: state = .sha224(SHA224Hasher())
        case .sha256: state = .sha256(SHA256())
        case .sha384: state = .sha384(SHA384())
        case .sha512: state = .sha512(SHA512())
        }
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .md5(var h): h.update(bufferPointer: bytes); state = .md5(h)
        case .sha1(var h): h.update(bufferPointer: bytes); state = .sha1(h)
        case .sha224(var h):
            // Emptied first, so that the hasher's buffer is not copied on every chunk.
            state = .md5(Insecure.MD5())
            h.update(bytes)
            state = .sha224(h)
        case .sha256(var h): h.update(bufferPointer: bytes); state = .sha256(h)
        case .sha384(var h): h.update(bufferPointer: bytes); state = .sha384(h)
        case .sha512(var h): h.update(bufferPointer: bytes); state = .sha512(h)
        }
    }

    package mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// The digest's bytes.
    package func finalize() -> [UInt8] {
        switch state {
        case .md5(let h): return Array(h.finalize())
        case .sha1(let h): return Array(h.finalize())
        case .sha224(let h): return Array(h.finalize())
        case .sha256(let h): return Array(h.finalize())
        case .sha384(let h): return Array(h.finalize())
        case .sha512(let h): return Array(h.finalize())
        }
    }

    /// The digest as lowercase hexadecimal, as BagIt manifests write it.
    package func finalizeHex() -> String { hex(finalize()) }
}

/// Lowercase hexadecimal of any byte sequence.
public func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(128)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
