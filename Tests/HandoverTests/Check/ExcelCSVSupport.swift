import Foundation

/// The bytes of CSV files as Excel and Windows tools save them, built by the test itself.
enum ExcelBytes {
    /// Windows-1252, written byte by byte: each character the tests use outside ASCII has its
    /// code point in the Windows code page spelled out here, not produced by a library.
    static func windows1252(_ text: String) -> Data {
        let table: [Character: UInt8] = [
            "é": 0xE9, "è": 0xE8, "ê": 0xEA, "à": 0xE0, "ç": 0xE7, "ô": 0xF4, "î": 0xEE, "É": 0xC9,
            "’": 0x92, "€": 0x80, "œ": 0x9C, "Œ": 0x8C, "°": 0xB0,
        ]
        var bytes: [UInt8] = []
        for character in text {
            if character.isASCII {
                bytes += Array(String(character).utf8)
            } else if let byte = table[character] {
                bytes.append(byte)
            } else {
                preconditionFailure("add \(character) to the test's Windows-1252 table")
            }
        }
        return Data(bytes)
    }

    /// UTF-8 with the byte-order mark Excel's "CSV UTF-8" writes.
    static func utf8WithMark(_ text: String) -> Data { Data([0xEF, 0xBB, 0xBF] + Array(text.utf8)) }

    /// UTF-16 with its byte-order mark, as Excel's "Unicode text" writes it (little-endian).
    static func utf16(_ text: String, littleEndian: Bool = true) -> Data {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let (low, high) = (UInt8(unit & 0xFF), UInt8(unit >> 8))
            bytes += littleEndian ? [low, high] : [high, low]
        }
        return Data(bytes)
    }
}
