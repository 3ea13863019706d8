import Foundation

/// A short reason why SSH wire bytes do not parse. Internal: each parser turns it into the
/// `SSHSigError` of its context (a damaged signature, a bad key file, a confused agent).
struct SSHWireError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Reads the SSH wire encoding (RFC 4251 §5) from bytes that came from outside.
///
/// Every read checks the remaining length first, so a hostile length field ends in an error,
/// never in an out-of-range index or a huge allocation.
struct SSHWireReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func readBytes(_ count: Int, _ what: String) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw SSHWireError("\(what) is cut short (\(count) bytes announced, \(remaining) left)")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readUInt32(_ what: String) throws -> UInt32 {
        let b = try readBytes(4, what)
        return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
    }

    /// A length-prefixed byte string, at most `limit` bytes long.
    mutating func readString(_ what: String, limit: Int = Int.max) throws -> [UInt8] {
        let length = Int(try readUInt32("the length of \(what)"))
        guard length <= limit else {
            throw SSHWireError("\(what) is \(length) bytes long, more than the \(limit) allowed")
        }
        return try readBytes(length, what)
    }

    /// A string that must be UTF-8 text (names, namespaces, comments).
    mutating func readText(_ what: String, limit: Int = 4096) throws -> String {
        let raw = try readString(what, limit: limit)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw SSHWireError("\(what) is not UTF-8 text")
        }
        return text
    }

    /// A non-negative multiple-precision integer, returned as its magnitude in exactly `size`
    /// big-endian bytes (left-padded), the form ECDSA's raw signatures want.
    mutating func readPositiveMPInt(_ what: String, size: Int) throws -> [UInt8] {
        let raw = try readString(what, limit: size + 1)
        if let first = raw.first, first & 0x80 != 0 {
            throw SSHWireError("\(what) is negative")
        }
        let magnitude = raw.drop { $0 == 0 }
        guard magnitude.count <= size else { throw SSHWireError("\(what) is too large") }
        return [UInt8](repeating: 0, count: size - magnitude.count) + magnitude
    }

    /// A non-negative multiple-precision integer of at most `maximumBytes` bytes, returned as its
    /// magnitude without leading zeros (the form RSA numbers and key sizes want).
    mutating func readUnsignedMPInt(_ what: String, maximumBytes: Int) throws -> [UInt8] {
        let raw = try readString(what, limit: maximumBytes + 1)
        if let first = raw.first, first & 0x80 != 0 {
            throw SSHWireError("\(what) is negative")
        }
        let magnitude = Array(raw.drop { $0 == 0 })
        guard magnitude.count <= maximumBytes else { throw SSHWireError("\(what) is too large") }
        return magnitude
    }

    func expectEnd(_ what: String) throws {
        guard isAtEnd else { throw SSHWireError("\(what) has \(remaining) unexpected bytes at its end") }
    }
}

/// Writes the SSH wire encoding.
struct SSHWireWriter {
    private(set) var bytes: [UInt8] = []

    mutating func writeRaw<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    mutating func writeByte(_ value: UInt8) { bytes.append(value) }

    mutating func writeUInt32(_ value: UInt32) {
        bytes.append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)])
    }

    mutating func writeString<Bytes: Collection>(_ raw: Bytes) where Bytes.Element == UInt8 {
        writeUInt32(UInt32(raw.count))
        bytes.append(contentsOf: raw)
    }

    mutating func writeString(_ text: String) { writeString(Array(text.utf8)) }

    /// A non-negative integer given as big-endian magnitude bytes.
    mutating func writePositiveMPInt(_ magnitude: [UInt8]) {
        var value = Array(magnitude.drop { $0 == 0 })
        if let first = value.first, first & 0x80 != 0 { value.insert(0, at: 0) }
        writeString(value)
    }
}

extension SSHWireError {
    /// Runs `body`, turning a wire error into the domain error `wrap` makes from its reason.
    static func mapping<T>(_ wrap: (String) -> SSHSigError, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SSHWireError { throw wrap(error.reason) }
    }
}

/// Base64 as OpenSSH writes and reads it.
enum SSHBase64 {
    /// Decodes standard base64, ignoring no characters: the caller strips line breaks first.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        Data(base64Encoded: String(text)).map { [UInt8]($0) }
    }

    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    /// `ssh-keygen -l`'s form: no `=` padding.
    static func encodeUnpadded(_ bytes: [UInt8]) -> String {
        var text = encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Splits encoded text into lines of `width` characters (ssh-keygen armors at 70).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(width)))
            rest = rest.dropFirst(width)
        }
        return lines
    }
}

/// Reads a whole small file that came from the user or a bundle through `SmallFile`, in this
/// domain's errors. `tooLarge` makes the error for a file over the limit, when that means more
/// than "unreadable".
func readSmallFile(_ path: String, limit: Int, what: String, tooLarge: ((String) -> SSHSigError)? = nil) throws -> [UInt8] {
    do {
        return try SmallFile.read(path, limit: limit)
    } catch .tooLarge {
        let reason = "larger than \(SmallFile.describe(limit)), too large for \(what)"
        throw tooLarge?(reason) ?? SSHSigError.unreadable(path: path, reason: reason)
    } catch {
        throw SSHSigError.unreadable(path: path, reason: error.reason)
    }
}
