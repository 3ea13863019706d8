/// Streams through a CSV file: reads its header row and, when asked, reports non-empty values in
/// columns whose names say they hold passwords or secrets.
///
/// French spreadsheet exports use `;` and English ones `,`: the delimiter is the one of the two that
/// appears more often, outside quotes, in the header row. A UTF-8 byte-order mark is skipped.
struct CSVScanner {
    /// The header row's names, trimmed; nil until the row has ended (or when the file is empty).
    private(set) var header: [String]?
    private(set) var findings: [SecretFinding] = []
    private(set) var moreFindings = 0

    private let lookForSecretColumns: Bool
    /// The header row's bytes while it is being read, capped.
    private var headerBytes: [UInt8] = []
    private var headerDone = false
    private var delimiter = UInt8(ascii: ",")
    private var secretColumns: [Int: String] = [:]
    private var bomChecked = false
    private var bomPrefix: [UInt8] = []

    // State of the record scanner after the header.
    private var inQuotes = false
    private var quoteJustClosed = false
    private var field = 0
    private var fieldHasContent = false
    private var line = 1
    private var recordLine = 1
    private var pendingCR = false

    static let maxHeaderBytes = 64 << 10
    static let maxFindings = 20

    init(lookForSecretColumns: Bool) {
        self.lookForSecretColumns = lookForSecretColumns
    }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        var start = 0
        if !bomChecked {
            // Gather the first three bytes to recognise a UTF-8 byte-order mark.
            while bomPrefix.count < 3 && start < bytes.count {
                bomPrefix.append(bytes[start])
                start += 1
            }
            if bomPrefix.count < 3 { return }
            releasePrefix()
        }
        if start < bytes.count {
            consumeBody(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        }
    }

    mutating func finish() {
        if !bomChecked { releasePrefix() }
        if !headerDone, !headerBytes.isEmpty { endHeader() }
        if headerDone { endField() }
    }

    /// Passes on the first bytes held back, unless they are a byte-order mark.
    private mutating func releasePrefix() {
        bomChecked = true
        let prefix = bomPrefix
        bomPrefix = []
        if prefix != [0xEF, 0xBB, 0xBF] {
            prefix.withUnsafeBytes { consumeBody($0) }
        }
    }

    private mutating func consumeBody(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        if !headerDone {
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == UInt8(ascii: "\"") { inQuotes.toggle() }
                if (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) && !inQuotes {
                    pendingCR = byte == UInt8(ascii: "\r")
                    endHeader()
                    break
                }
                if headerBytes.count < CSVScanner.maxHeaderBytes { headerBytes.append(byte) }
            }
            if !headerDone { return }
        }
        guard !secretColumns.isEmpty else { return }
        while index < bytes.count {
            scanRecordByte(bytes[index])
            index += 1
        }
    }

    private mutating func endHeader() {
        headerDone = true
        inQuotes = false
        let names = CSVScanner.splitHeader(headerBytes)
        delimiter = names.delimiter
        header = names.fields
        headerBytes = []
        line = 2
        recordLine = 2
        guard lookForSecretColumns, let header else { return }
        for (index, name) in header.enumerated() where SecretKeyName.isSecretColumn(name) {
            secretColumns[index] = name
        }
    }

    /// The record scanner: quotes may span lines; CR, LF and CRLF end records.
    private mutating func scanRecordByte(_ byte: UInt8) {
        if inQuotes {
            if byte == UInt8(ascii: "\"") {
                inQuotes = false
                quoteJustClosed = true
            } else {
                if byte == UInt8(ascii: "\n") { line += 1 }
                fieldHasContent = true
            }
            return
        }
        switch byte {
        case UInt8(ascii: "\""):
            if quoteJustClosed { fieldHasContent = true } // "" inside quotes: a literal quote
            inQuotes = true
            quoteJustClosed = false
        case delimiter:
            endField()
            field += 1
        case UInt8(ascii: "\n"):
            if pendingCR { pendingCR = false; return }
            endRecord()
        case UInt8(ascii: "\r"):
            endRecord()
            pendingCR = true
            return
        case UInt8(ascii: " "), UInt8(ascii: "\t"):
            quoteJustClosed = false
        default:
            quoteJustClosed = false
            fieldHasContent = true
        }
        pendingCR = false
    }

    private mutating func endRecord() {
        endField()
        field = 0
        line += 1
        recordLine = line
    }

    private mutating func endField() {
        defer { fieldHasContent = false; quoteJustClosed = false }
        guard fieldHasContent, let name = secretColumns[field] else { return }
        if findings.count < CSVScanner.maxFindings {
            findings.append(SecretFinding(kind: "a value in a password or secret column", line: recordLine, column: name))
        } else {
            moreFindings += 1
        }
    }

    /// Splits a header row on `;` or `,`, whichever appears more outside quotes; unquotes names.
    static func splitHeader(_ bytes: [UInt8]) -> (fields: [String], delimiter: UInt8) {
        var commas = 0, semicolons = 0, quoted = false
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted && byte == UInt8(ascii: ",") { commas += 1 }
            if !quoted && byte == UInt8(ascii: ";") { semicolons += 1 }
        }
        let delimiter = semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var fields: [String] = []
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
                fields.append(trimmed(current))
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(trimmed(current))
        return (fields, delimiter)
    }

    private static func trimmed(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
