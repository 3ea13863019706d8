/// The base64 of age headers: RFC 4648 standard alphabet, no `=` padding, canonical only.
///
/// age requires decoders to reject padding and non-canonical encodings (spare bits set), because
/// the header MAC covers the text: two spellings of the same bytes would make headers malleable.
/// Foundation's decoder accepts both, so this one is strict by construction.
enum AgeBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each base64 character, 0xFF for any other byte.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = UInt8(index) }
        return table
    }()

    /// Whether `byte` is a character of the base64 alphabet (never `=`).
    static func isBase64Character(_ byte: UInt8) -> Bool { values[Int(byte)] != 0xFF }

    /// Unpadded base64 of `bytes`.
    static func encode<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next(), b2 = iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            guard let b1 else { break }
            out.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            guard let b2 else { break }
            out.append(alphabet[Int(b2 & 0x3F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes canonical unpadded base64, or returns nil for anything else (padding, a foreign
    /// character, an impossible length, or spare bits that are not zero).
    static func decode<Text: Collection>(_ text: Text) -> [UInt8]? where Text.Element == UInt8 {
        if text.count % 4 == 1 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for char in text {
            let value = values[Int(char)]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Canonical: the bits left over after the last whole byte must all be zero.
        return accumulator == 0 ? out : nil
    }
}
