/// The character encoding that bagit.txt declares for the other text tag files (RFC 8493 §2.1.1).
///
/// UTF-8 is what the RFC asks for; ISO-8859-1 and UTF-16 are found in older bags and read here.
/// Any other declaration is a problem: handover will not guess at the text of a bag.
package enum TagFileEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "UTF-8"
    case latin1 = "ISO-8859-1"
    /// UTF-16 with a byte-order mark (big-endian when the mark is missing, as RFC 2781 says).
    case utf16 = "UTF-16"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"

    /// Reads a declared name, ignoring case and the spellings the IANA registry lists as aliases.
    package init?(declared name: String) {
        let key = name.trimmingLinearWhitespace().lowercased()
        switch key {
        case "utf-8", "utf8", "us-ascii", "ascii":
            self = .utf8
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1",
             "iso-ir-100", "ibm819", "cp819", "csisolatin1":
            self = .latin1
        case "utf-16", "utf16": self = .utf16
        case "utf-16le", "utf16le": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        default: return nil
        }
    }

    var isUTF16: Bool { self == .utf16 || self == .utf16LE || self == .utf16BE }
}

/// One line of a text tag file, converted to UTF-8.
package struct TagLine: Sendable, Equatable {
    /// The line's text as UTF-8 bytes, without its line ending. For UTF-8 files the bytes are kept
    /// as they are even when they are not valid UTF-8, because file names are bytes.
    package var bytes: [UInt8]
    /// Counted from 1.
    package var number: Int
    /// The line was longer than the limit and was cut; its content must not be trusted.
    package var isTooLong: Bool
    /// The line had bytes that are not valid in the declared encoding.
    package var hasInvalidText: Bool

    /// The line as text, with any invalid byte shown as U+FFFD.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Splits a text tag file fed in chunks into lines, in any declared encoding, with a bounded line
/// length, so a manifest of a million lines is never held as one string.
///
/// Lines end with LF, CR or CRLF (RFC 8493 §2.3), even when the CR and the LF arrive in
/// different chunks. A byte-order mark at the start is skipped and remembered in `byteOrderMark`.
package struct TagLineReader: Sendable {
    package let encoding: TagFileEncoding
    package let maxLineBytes: Int
    /// Whether the file started with a byte-order mark.
    package private(set) var byteOrderMark = false
    /// Whether a UTF-16 file declared as plain "UTF-16" had no byte-order mark (read big-endian).
    package private(set) var missingByteOrderMark = false
    /// Whether any byte outside ASCII was seen (the encodings differ only there).
    package private(set) var sawNonASCII = false

    private var head: [UInt8] = []
    private var started = false
    private var littleEndian = false
    private var oddByte: UInt8?
    private var current: [UInt8] = []
    private var tooLong = false
    private var afterCR = false
    private var lineNumber = 0

    package init(encoding: TagFileEncoding, maxLineBytes: Int = 64 * 1024) {
        self.encoding = encoding
        self.maxLineBytes = maxLineBytes
        littleEndian = encoding == .utf16LE
    }

    /// Feeds the next chunk; `body` is called for every line completed by it.
    package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ body: (TagLine) throws -> Void) rethrows {
        var i = 0
        while !started && i < chunk.count {
            try take(chunk[i], body)
            i += 1
        }
        if encoding.isUTF16 {
            while i < chunk.count {
                try unit(ofByte: chunk[i], body)
                i += 1
            }
            return
        }
        // One byte per character: copy whole runs between line endings.
        while i < chunk.count {
            if afterCR {
                afterCR = false
                if chunk[i] == 0x0A {
                    i += 1
                    continue
                }
            }
            var end = i
            while end < chunk.count && chunk[end] != 0x0A && chunk[end] != 0x0D { end += 1 }
            let run = UnsafeRawBufferPointer(rebasing: chunk[i..<end])
            if !sawNonASCII && run.contains(where: { $0 >= 0x80 }) { sawNonASCII = true }
            let room = maxLineBytes - current.count
            if run.count > room {
                tooLong = true
                current.append(contentsOf: run.prefix(max(0, room)))
            } else {
                current.append(contentsOf: run)
            }
            guard end < chunk.count else { return }
            afterCR = chunk[end] == 0x0D
            try endLine(invalid: false, body)
            i = end + 1
        }
    }

    package mutating func feed(_ bytes: [UInt8], _ body: (TagLine) throws -> Void) rethrows {
        try bytes.withUnsafeBytes { try feed($0, body) }
    }

    /// Ends the file: the last line is passed to `body` even without a line ending.
    package mutating func finish(_ body: (TagLine) throws -> Void) rethrows {
        if !started {
            started = true
            let pending = head
            head = []
            for byte in pending { try unit(ofByte: byte, body) }
        }
        if oddByte != nil {
            // Half a UTF-16 code unit: the file was cut.
            oddByte = nil
            current.append(0xFF)
            try endLine(invalid: true, body)
            return
        }
        if !current.isEmpty || tooLong { try endLine(invalid: false, body) }
    }

    /// Reads a whole small file at once.
    package static func lines(of bytes: [UInt8], encoding: TagFileEncoding, maxLineBytes: Int = 64 * 1024) -> (lines: [TagLine], reader: TagLineReader) {
        var reader = TagLineReader(encoding: encoding, maxLineBytes: maxLineBytes)
        var lines: [TagLine] = []
        reader.feed(bytes) { lines.append($0) }
        reader.finish { lines.append($0) }
        return (lines, reader)
    }

    private mutating func take(_ byte: UInt8, _ body: (TagLine) throws -> Void) rethrows {
        if started {
            try unit(ofByte: byte, body)
            return
        }
        head.append(byte)
        switch encoding {
        case .latin1:
            started = true
        case .utf8:
            let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
            if head == mark {
                byteOrderMark = true
                head = []
                started = true
            } else if !mark.starts(with: head) {
                started = true
            }
        case .utf16, .utf16LE, .utf16BE:
            guard head.count == 2 else { return }
            started = true
            if head == [0xFE, 0xFF] || head == [0xFF, 0xFE] {
                byteOrderMark = true
                if encoding == .utf16 { littleEndian = head[0] == 0xFF }
                head = []
            } else if encoding == .utf16 {
                missingByteOrderMark = true
            }
        }
        if started {
            let pending = head
            head = []
            for b in pending { try unit(ofByte: b, body) }
        }
    }

    private mutating func unit(ofByte byte: UInt8, _ body: (TagLine) throws -> Void) rethrows {
        if encoding.isUTF16 {
            guard let first = oddByte else {
                oddByte = byte
                return
            }
            oddByte = nil
            let value = littleEndian ? UInt16(first) | UInt16(byte) << 8 : UInt16(first) << 8 | UInt16(byte)
            try codeUnit(value, bytes: (first, byte), body)
        } else {
            try codeUnit(UInt16(byte), bytes: (byte, nil), body)
        }
    }

    private mutating func codeUnit(_ value: UInt16, bytes: (UInt8, UInt8?), _ body: (TagLine) throws -> Void) rethrows {
        if value == 0x0A && afterCR {
            afterCR = false
            return
        }
        afterCR = false
        if value == 0x0A || value == 0x0D {
            afterCR = value == 0x0D
            try endLine(invalid: false, body)
            return
        }
        if value >= 0x80 { sawNonASCII = true }
        let width = bytes.1 == nil ? 1 : 2
        guard current.count + width <= maxLineBytes else {
            tooLong = true
            return
        }
        current.append(bytes.0)
        if let second = bytes.1 { current.append(second) }
    }

    private mutating func endLine(invalid: Bool, _ body: (TagLine) throws -> Void) rethrows {
        lineNumber += 1
        let (utf8, valid) = toUTF8(current)
        let line = TagLine(bytes: utf8, number: lineNumber, isTooLong: tooLong, hasInvalidText: invalid || !valid)
        current.removeAll(keepingCapacity: true)
        tooLong = false
        try body(line)
    }

    /// Converts the raw bytes of one line to UTF-8, saying whether they were valid.
    private func toUTF8(_ raw: [UInt8]) -> ([UInt8], Bool) {
        switch encoding {
        case .utf8:
            return (raw, !raw.contains { $0 >= 0x80 } || String(validating: raw, as: UTF8.self) != nil)
        case .latin1:
            var out: [UInt8] = []
            out.reserveCapacity(raw.count)
            for b in raw {
                if b < 0x80 {
                    out.append(b)
                } else {
                    out.append(0xC0 | b >> 6)
                    out.append(0x80 | b & 0x3F)
                }
            }
            return (out, true)
        case .utf16, .utf16LE, .utf16BE:
            var units: [UInt16] = []
            units.reserveCapacity(raw.count / 2)
            var i = 0
            while i + 1 < raw.count {
                let a = UInt16(raw[i]), b = UInt16(raw[i + 1])
                units.append(littleEndian ? a | b << 8 : a << 8 | b)
                i += 2
            }
            let valid = String(validating: units, as: UTF16.self) != nil
            return (Array(String(decoding: units, as: UTF16.self).utf8), valid)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (the "linear whitespace" of RFC 8493).
    func trimmingLinearWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
