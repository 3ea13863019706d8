import Foundation

/// One kind of credential the scanner knows, in the shape established scanners use (gitleaks,
/// detect-secrets): a byte of its fixed part (its trigger, the cheap test made on every byte;
/// chosen rare in ordinary text: `B` of `-----BEGIN`, `J` of `eyJ`, `_` of `sk_live_`), then a structure check at that position (prefix, length, alphabet, decoded content,
/// entropy) that says whether this really is the credential and which kind it is.
///
/// A matcher sees the text around its position: at least `SecretScanner.lookbehind` bytes before
/// it (fewer only at the start of the file) and `SecretScanner.lookahead` after it (fewer only at
/// the end). It must look no further (every `run` has a limit that keeps it inside), so that what
/// it finds never depends on where the file's reads were split.
struct SecretRule: Sendable {
    /// A stable name, for tests and documentation ("private-key", "jwt", ...).
    let id: String
    /// The bytes at which the rule is tried. A newline (0x0A) means "at the start of each line".
    let triggers: [UInt8]
    /// The kind of credential named in messages, when the matcher finds one.
    let match: @Sendable (ScanText, Int) -> String?

}

/// The bytes a matcher may look at, with bounds-checked helpers: reading outside the buffer
/// gives 0, which no pattern accepts.
struct ScanText {
    let bytes: UnsafeRawBufferPointer

    var count: Int { bytes.count }

    @inline(__always)
    subscript(_ index: Int) -> UInt8 { index >= 0 && index < bytes.count ? bytes[index] : 0 }

    func hasPrefix(_ prefix: StaticString, at index: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index >= 0, index + count <= bytes.count else { return false }
        let pointer = prefix.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    /// Like `hasPrefix`, ignoring ASCII case; `prefix` is written in lowercase.
    func hasPrefixIgnoringCase(_ prefix: StaticString, at index: Int) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index >= 0, index + count <= bytes.count else { return false }
        let pointer = prefix.utf8Start
        for offset in 0..<count where ScanText.lower(bytes[index + offset]) != pointer[offset] { return false }
        return true
    }

    /// How many bytes from `index` satisfy `allowed`, up to `limit`.
    func run(from index: Int, limit: Int, _ allowed: (UInt8) -> Bool) -> Int {
        var count = 0
        while count < limit, index + count < bytes.count, allowed(bytes[index + count]) { count += 1 }
        return count
    }

    /// Whether `index` starts a word: the byte before it is no letter or digit.
    func startsWord(at index: Int) -> Bool { !ScanText.isAlnum(self[index - 1]) }

    /// The bytes from `start` for `count`, as an array (short values only).
    func slice(_ start: Int, _ count: Int) -> [UInt8] {
        guard count > 0, start >= 0, start + count <= bytes.count else { return [] }
        return Array(bytes[start..<(start + count)])
    }

    /// The first byte from `index` that is not a space or a tab, within `limit`.
    func skipBlanks(from index: Int, limit: Int = 16) -> Int {
        index + run(from: index, limit: limit) { $0 == 0x20 || $0 == 0x09 }
    }

    // MARK: Byte classes

    static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    static func isLowerLetter(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isUpper(b) || isLowerLetter(b) }
    static func isUpperOrDigit(_ b: UInt8) -> Bool { isDigit(b) || isUpper(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (lower(b) >= 0x61 && lower(b) <= 0x66) }
    static func isBase64(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2B || b == 0x2F || b == 0x3D }
    static func isBase64URL(_ b: UInt8) -> Bool { isAlnum(b) || b == 0x2D || b == 0x5F }
    static func isSpaceOrEnd(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0 }
}

/// Small measures the structure checks share.
enum SecretMeasure {
    /// Shannon entropy in bits per byte: random tokens score high, words and repeated
    /// placeholders ("xxxxxxxx", "changeme") low.
    static func entropy(_ bytes: [UInt8]) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var bits = 0.0
        for count in counts where count > 0 {
            let p = Double(count) / total
            bits -= p * log2(p)
        }
        return bits
    }

    /// Decodes base64 or base64url, ignoring line breaks (and a literal `\n`), up to `limit`
    /// input bytes; stops at the first byte of neither alphabet.
    static func decodeBase64(_ text: ScanText, from start: Int, limit: Int) -> [UInt8] {
        var output: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        var index = start
        while index < start + limit, index < text.count {
            let byte = text[index]
            let value: UInt8
            switch byte {
            case 0x41...0x5A: value = byte - 0x41
            case 0x61...0x7A: value = byte - 0x61 + 26
            case 0x30...0x39: value = byte - 0x30 + 52
            case 0x2B, 0x2D: value = 62
            case 0x2F, 0x5F: value = 63
            case 0x0A, 0x0D:
                index += 1
                continue
            default:
                return output
            }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
            index += 1
        }
        return output
    }
}
