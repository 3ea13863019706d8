/// Text that came from input (file names, paths, titles), made safe to show to a person.
///
/// A hostile bundle can name a file with a carriage return, a line feed and ANSI escape
/// sequences, so that printing the name redraws the terminal (a forged `Result: VALID` over the
/// real problems), or with bidirectional controls that make `gpj.exe` read as `exe.jpg`. Every
/// name is therefore shown with such characters written out as escapes: `\n`, `\r`, `\t`,
/// `\x1B` for the other C0 controls and DEL, `\u{202E}` for C1 controls and the bidirectional
/// controls, `\xE9` for a byte that is not part of valid UTF-8, and `\\` for a backslash that
/// could otherwise be read as the start of one of these.
public enum VisibleText {
    /// A name as one line: nothing in it can start a line, move the cursor or reorder text.
    public static func name(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { append(scalar, to: &out, keepLines: false) }
        return out
    }

    /// A name given as bytes (a path in an archive or on disk), decoded as UTF-8; a byte that
    /// is not part of valid UTF-8 is shown as `\xNN`.
    public static func name(bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: index) {
                append(scalar, to: &out, keepLines: false)
                index += length
            } else {
                out += "\\x" + hex(UInt32(bytes[index]), width: 2)
                index += 1
            }
        }
        return out
    }

    /// Text of several lines (a whole report, a message): the same escapes, except that line
    /// feeds and tabs are kept. The last guard before the terminal, for text the renderers did
    /// not already make safe.
    public static func lines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && $0 != "\n" && $0 != "\t" && $0 != "\\" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { append(scalar, to: &out, keepLines: true) }
        return out
    }

    /// A name that was already written with these escapes (a file list recorded at build
    /// time, read back from a bundle): a backslash is kept as it is, since it starts an escape
    /// there, and any control or bidirectional character a forged record holds is written out,
    /// line feeds included.
    public static func escapedName(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0) && $0 != "\\" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\\" { out += "\\" } else { append(scalar, to: &out, keepLines: false) }
        }
        return out
    }

    /// Whether a character is one that `name` writes out as an escape.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x5C || isBidiControl(value)
    }

    /// The formatting characters of the Unicode bidirectional algorithm, and the line and
    /// paragraph separators, which some terminals treat as line breaks.
    static func isBidiControl(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
            || value == 0x200E || value == 0x200F || value == 0x061C || value == 0x2028 || value == 0x2029
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String, keepLines: Bool) {
        let value = scalar.value
        switch scalar {
        case "\n": out += keepLines ? "\n" : "\\n"
        case "\t": out += keepLines ? "\t" : "\\t"
        case "\r": out += "\\r"
        // A backslash is doubled in a name, so that `a\nb` written by the file's owner cannot
        // pass for an escape; in running text it is left alone.
        case "\\": out += keepLines ? "\\" : "\\\\"
        default:
            if value < 0x20 || value == 0x7F {
                out += "\\x" + hex(value, width: 2)
            } else if (0x80...0x9F).contains(value) || isBidiControl(value) {
                out += "\\u{" + hex(value, width: 4) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The scalar starting at `index` and its length in bytes, when the bytes there are valid
    /// UTF-8 (shortest form, no surrogates, at most U+10FFFF).
    private static func decodeScalar(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let shortest: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= shortest, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}
