/// JSON that may carry names from input, made safe for a terminal without changing what it
/// says. `VisibleText.lines` would write `\u{202E}` or `\x7F` inside a JSON string, which is no
/// JSON escape: a parser refuses the document. Here the same characters (DEL, the C1 controls,
/// the bidirectional controls and the line and paragraph separators; JSONEncoder already escapes
/// C0 controls) become JSON's own `\uXXXX` escapes, so that the value a parser reads is the name
/// itself, and nothing in the text can reorder or redraw what a terminal shows.
extension VisibleText {
    /// `json`, the UTF-8 bytes of a JSON document or of a piece of one cut between characters,
    /// with those characters escaped.
    public static func json(bytes json: [UInt8]) -> [UInt8] {
        guard json.contains(where: { $0 >= 0x7F }) else { return json }
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 16)
        var index = 0
        while index < json.count {
            let (value, length) = escapedScalar(json, at: index)
            if let value {
                out += Array("\\u".utf8) + Array(hex(value, width: 4).lowercased().utf8)
            } else {
                out += json[index..<(index + length)]
            }
            index += length
        }
        return out
    }

    /// The same for a JSON document held as text.
    public static func json(_ text: String) -> String {
        String(decoding: json(bytes: Array(text.utf8)), as: UTF8.self)
    }

    /// The scalar at `index` when it is one to escape, and the length of the bytes to step over
    /// (a whole UTF-8 sequence for those escaped, one byte otherwise: the bytes of a valid
    /// sequence are copied one by one).
    private static func escapedScalar(_ bytes: [UInt8], at index: Int) -> (UInt32?, Int) {
        let lead = bytes[index]
        if lead == 0x7F { return (0x7F, 1) }
        guard lead == 0xC2 || lead == 0xD8 || lead == 0xE2, index + 1 < bytes.count else { return (nil, 1) }
        let second = bytes[index + 1]
        switch lead {
        case 0xC2 where (0x80...0x9F).contains(second):
            return (UInt32(second), 2)
        case 0xD8 where second == 0x9C:
            return (0x061C, 2)
        case 0xE2 where index + 2 < bytes.count && (second == 0x80 || second == 0x81):
            let value = 0x2000 | (UInt32(second & 0x0F) << 6) | UInt32(bytes[index + 2] & 0x3F)
            return isBidiControl(value) ? (value, 3) : (nil, 1)
        default:
            return (nil, 1)
        }
    }
}
