/// Writing fetch.txt: one `url length path` line per file the bag does not hold.
extension FetchFile {
    /// One line. The URL must hold no white space (`ObjectLocation.url` percent-encodes keys);
    /// the path is percent-encoded as in a manifest (`%`, CR and LF, RFC 8493 §2.1.3), and must
    /// have passed `unsafePath`.
    static func line(url: String, length: Int64, path: [UInt8]) -> [UInt8] {
        Array(url.utf8) + [0x20] + Array(String(length).utf8) + [0x20] + BagPath.encode(path) + [0x0A]
    }

    /// Why `path` cannot be written in fetch.txt so that every reader reads back the same file,
    /// or nil when it can. Percent-encoding covers only `%`, CR and LF; other characters that a
    /// reader may take for the end of a line (a vertical tab, a form feed, NEL, U+2028, U+2029
    /// split lines in Python's `splitlines`), other control characters, and white space at the
    /// end (bagit-python strips each line) would make the line say something else.
    static func unsafePath(_ path: [UInt8]) -> String? {
        guard let text = String(validating: path, as: UTF8.self) else { return "is not valid UTF-8" }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x0A || value == 0x0D { continue }
            if value < 0x20 || (0x7F...0x9F).contains(value) {
                return "holds a control character (U+\(hex(value))), which a reader of fetch.txt may take for the end of a line"
            }
            if value == 0x2028 || value == 0x2029 {
                return "holds a line or paragraph separator (U+\(hex(value))), which a reader of fetch.txt may take for the end of a line"
            }
        }
        if let last = text.unicodeScalars.last, last.properties.isWhitespace, last != "\n", last != "\r" {
            return "ends with white space (U+\(hex(last.value))), which readers of fetch.txt strip"
        }
        return nil
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
