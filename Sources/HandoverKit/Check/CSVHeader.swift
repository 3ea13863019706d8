/// The first rows of a CSV file and how its text was written, as read while it streamed by.
///
/// The header is taken from these rows when a rule is judged, because the row it is on
/// (`csv.header-row`) and the code page of a non-UTF-8 file (`csv.encoding`) are the manifest's
/// to say, and a bundle's files are read before any manifest is at hand.
package struct CSVHead: Sendable, Equatable {
    /// How the bytes were written: byte-order mark, UTF-16, UTF-8 or not.
    package var text: CSVText
    /// The first rows (at most `CSVScanner.keptRows`), without their line ends: UTF-8, or the
    /// file's own bytes when it is not UTF-8.
    package var rows: [[UInt8]]

    package init(text: CSVText, rows: [[UInt8]]) {
        self.text = text
        self.rows = rows
    }

    /// The encoding the rows are decoded with: UTF-8, unless the file is not, then `told`
    /// (the manifest's `csv.encoding`) or Windows-1252.
    package func encoding(told: CSVEncoding?) -> CSVEncoding {
        text == .notUTF8 ? (told ?? .windows1252) : .utf8
    }

    /// The column names of row `row` (1-based), trimmed; nil when the file has fewer rows.
    package func columns(row: Int = 1, encoding told: CSVEncoding? = nil) -> [String]? {
        guard row >= 1, row <= rows.count else { return nil }
        let encoding = encoding(told: told)
        return CSVHeader.split(rows[row - 1]).fields.map { CSVHeader.trimmed(encoding.decode($0)) }
    }

    /// Row `row` as text, as it is in the file, for messages.
    package func rowText(_ row: Int, encoding told: CSVEncoding? = nil) -> String? {
        guard row >= 1, row <= rows.count else { return nil }
        return encoding(told: told).decode(rows[row - 1])
    }
}

/// Splitting a header row into names.
enum CSVHeader {
    /// Splits a row on `;`, tab or `,`, whichever appears most outside quotes (a semicolon wins
    /// a tie with a comma: a French name may hold a comma, such as "Nom, prénom"); unquotes names.
    static func split(_ bytes: [UInt8]) -> (fields: [[UInt8]], delimiter: UInt8) {
        var commas = 0, semicolons = 0, tabs = 0, quoted = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ",") where !quoted: commas += 1
            case UInt8(ascii: ";") where !quoted: semicolons += 1
            case UInt8(ascii: "\t") where !quoted: tabs += 1
            default: break
            }
        }
        var delimiter = semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
        if tabs > max(commas, semicolons) { delimiter = UInt8(ascii: "\t") }
        var fields: [[UInt8]] = []
        var current: [UInt8] = []
        quoted = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if quoted, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    current.append(byte)
                    index += 1
                } else {
                    quoted.toggle()
                }
            } else if byte == delimiter && !quoted {
                fields.append(current)
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(current)
        return (fields, delimiter)
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
