/// The 8-bit character set a CSV file without a byte-order mark is read in when its bytes are
/// not valid UTF-8 (`csv.encoding` in the manifest; Windows-1252 when it says nothing).
///
/// Excel in a French (or any Western) locale saves "CSV (separator: semicolon)" in the
/// Windows code page, so Windows-1252 is the right guess for a file that is not UTF-8.
/// `utf-8` turns the guess off: invalid bytes are then shown as `�`, not reinterpreted.
package enum CSVEncoding: String, Sendable, Equatable, CaseIterable {
    case windows1252 = "windows-1252"
    case iso88591 = "iso-8859-1"
    case iso885915 = "iso-8859-15"
    case utf8 = "utf-8"

    /// Reads the manifest's spelling, with the usual other names (`cp1252`, `latin1`, `utf8`).
    package init?(manifestName: String) {
        let name = manifestName.lowercased().replacingOccurrences(of: "_", with: "-")
        switch name {
        case "windows-1252", "cp1252", "cp-1252", "win-1252": self = .windows1252
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1": self = .iso88591
        case "iso-8859-15", "iso8859-15", "latin9", "latin-9": self = .iso885915
        case "utf-8", "utf8": self = .utf8
        default: return nil
        }
    }

    /// The name people know it by, for messages: "Windows-1252".
    package var displayName: String {
        switch self {
        case .windows1252: "Windows-1252"
        case .iso88591: "ISO-8859-1"
        case .iso885915: "ISO-8859-15"
        case .utf8: "UTF-8"
        }
    }

    /// The text of `bytes` in this encoding.
    package func decode(_ bytes: [UInt8]) -> String {
        switch self {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .windows1252, .iso88591, .iso885915:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(scalar(byte)) }
            return String(scalars)
        }
    }

    private func scalar(_ byte: UInt8) -> Unicode.Scalar {
        let code: UInt32
        switch self {
        case .windows1252 where (0x80...0x9F).contains(byte):
            code = CSVEncoding.windows1252High[Int(byte) - 0x80]
        case .iso885915:
            code = CSVEncoding.iso885915Changes[byte] ?? UInt32(byte)
        default:
            code = UInt32(byte)
        }
        return Unicode.Scalar(code) ?? "\u{FFFD}"
    }

    /// 0x80…0x9F of Windows-1252; the five unassigned bytes keep their C1 code point, as the
    /// WHATWG encoding standard (what browsers do) says.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The eight places where ISO-8859-15 differs from ISO-8859-1 (€, Œ, Š, Ž and others).
    private static let iso885915Changes: [UInt8: UInt32] = [
        0xA4: 0x20AC, 0xA6: 0x0160, 0xA8: 0x0161, 0xB4: 0x017D,
        0xB8: 0x017E, 0xBC: 0x0152, 0xBD: 0x0153, 0xBE: 0x0178,
    ]
}

import Foundation
