/// The digests of one file, one per algorithm computed, as lowercase hexadecimal.
///
/// The verifier keeps one of these per payload file, and a bag may have a million files: the
/// SHA-256 (the algorithm of nearly every bag) is held as its 32 bytes, inline, and written out
/// in hexadecimal only when asked; the other algorithms, rare, as text in a small table.
package struct FileDigests: Sendable, Equatable {
    // The table first: the optional's flag byte then ends the type, and a field after it can
    // fill the padding (a found file is 64 bytes, not 72).
    private var others: [ChecksumAlgorithm: String]?
    private var sha256Bytes: SHA256Bytes?

    package init() {}

    package var md5: String? {
        get { self[.md5] }
        set { self[.md5] = newValue }
    }
    package var sha1: String? {
        get { self[.sha1] }
        set { self[.sha1] = newValue }
    }
    package var sha224: String? {
        get { self[.sha224] }
        set { self[.sha224] = newValue }
    }
    package var sha256: String? {
        get { self[.sha256] }
        set { self[.sha256] = newValue }
    }
    package var sha384: String? {
        get { self[.sha384] }
        set { self[.sha384] = newValue }
    }
    package var sha512: String? {
        get { self[.sha512] }
        set { self[.sha512] = newValue }
    }

    package subscript(algorithm: ChecksumAlgorithm) -> String? {
        get {
            if algorithm == .sha256, let sha256Bytes { return sha256Bytes.hex }
            return others?[algorithm]
        }
        set {
            if algorithm == .sha256 {
                // Anything but 64 lowercase hexadecimal digits is kept as it was given.
                sha256Bytes = newValue.flatMap(SHA256Bytes.init(hex:))
                if sha256Bytes != nil {
                    others?[.sha256] = nil
                    if others?.isEmpty == true { others = nil }
                    return
                }
            }
            if let newValue {
                others = others ?? [:]
                others?[algorithm] = newValue
            } else {
                others?[algorithm] = nil
                if others?.isEmpty == true { others = nil }
            }
        }
    }

    /// Sets the digest of `algorithm` from its bytes: a SHA-256 is kept as they are, without
    /// going through its text.
    mutating func set(_ algorithm: ChecksumAlgorithm, digest: [UInt8]) {
        if algorithm == .sha256, let bytes = SHA256Bytes(digest: digest) {
            sha256Bytes = bytes
            others?[.sha256] = nil
            if others?.isEmpty == true { others = nil }
        } else {
            self[algorithm] = hex(digest)
        }
    }

    /// Whether there is a digest of `algorithm` (without making its text).
    func has(_ algorithm: ChecksumAlgorithm) -> Bool {
        (algorithm == .sha256 && sha256Bytes != nil) || others?[algorithm] != nil
    }

    /// Whether the digest of `algorithm` is the one a manifest lists; nil when it was not
    /// computed. SHA-256 is compared as bytes, without making its text.
    func matches(_ algorithm: ChecksumAlgorithm, _ listed: ListedChecksum) -> Bool? {
        if algorithm == .sha256, let sha256Bytes, case .sha256(let bytes) = listed { return sha256Bytes == bytes }
        return self[algorithm].map { $0 == listed.text }
    }

    /// The algorithms that have a digest here.
    package var algorithms: [ChecksumAlgorithm] { ChecksumAlgorithm.allCases.filter { self[$0] != nil } }

    /// Adds the digests of `other` that this one lacks.
    package mutating func merge(_ other: FileDigests) {
        for algorithm in other.algorithms where self[algorithm] == nil { self[algorithm] = other[algorithm] }
    }
}

/// A SHA-256 digest's 32 bytes, inline (no allocation).
struct SHA256Bytes: Sendable, Equatable {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// Reads 64 lowercase hexadecimal digits; nil for anything else.
    init?(hex text: String) {
        var text = text
        guard let parsed = text.withUTF8({ Self(hexDigits: $0) }) else { return nil }
        self = parsed
    }

    /// The 32 bytes of a digest; nil for any other count.
    init?(digest bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (position, byte) in bytes.enumerated() {
            switch position / 8 {
            case 0: values.0 = values.0 << 8 | UInt64(byte)
            case 1: values.1 = values.1 << 8 | UInt64(byte)
            case 2: values.2 = values.2 << 8 | UInt64(byte)
            default: values.3 = values.3 << 8 | UInt64(byte)
            }
        }
        words = values
    }

    private init?(hexDigits text: UnsafeBufferPointer<UInt8>) {
        guard text.count == 64 else { return nil }
        var values: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for position in 0..<64 {
            let digit = text[position]
            let value: UInt64
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(digit - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(digit - UInt8(ascii: "a") + 10)
            default: return nil
            }
            switch position / 16 {
            case 0: values.0 = values.0 << 4 | value
            case 1: values.1 = values.1 << 4 | value
            case 2: values.2 = values.2 << 4 | value
            default: values.3 = values.3 << 4 | value
            }
        }
        words = values
    }

    static func == (lhs: SHA256Bytes, rhs: SHA256Bytes) -> Bool { lhs.words == rhs.words }

    /// The 64 lowercase hexadecimal digits.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 64) { out in
            for (slot, word) in [words.0, words.1, words.2, words.3].enumerated() {
                for nibble in 0..<16 {
                    out[slot * 16 + nibble] = digits[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)]
                }
            }
            return 64
        }
    }
}

/// Hashes one file's bytes with several algorithms at once.
///
/// This is the one place where the verifier hashes; spreading the work over cores later
/// changes only this type.
package struct MultiHasher: Sendable {
    private var hashers: [StreamingHasher]

    package init<Algorithms: Sequence>(_ algorithms: Algorithms) where Algorithms.Element == ChecksumAlgorithm {
        hashers = Set(algorithms).sorted().map { $0.makeHasher() }
    }

    package var algorithms: [ChecksumAlgorithm] { hashers.map(\.algorithm) }

    package mutating func update(_ chunk: UnsafeRawBufferPointer) {
        for index in hashers.indices { hashers[index].update(chunk) }
    }

    package func finalize() -> FileDigests {
        var digests = FileDigests()
        for hasher in hashers { digests.set(hasher.algorithm, digest: hasher.finalize()) }
        return digests
    }
}
