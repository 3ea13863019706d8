/// How the bytes of a CSV file were found to be written, before any manifest rule is applied.
package enum CSVText: String, Sendable, Equatable {
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    case utf8WithMark
    /// UTF-16 little-endian (Excel's "Unicode text": tab-separated, with a byte-order mark).
    case utf16LittleEndian
    case utf16BigEndian
    /// No byte-order mark and valid UTF-8 throughout (plain ASCII is this too).
    case utf8
    /// No byte-order mark and not valid UTF-8: an 8-bit code page, Windows-1252 unless the
    /// manifest's `csv.encoding` says another.
    case notUTF8
}

/// The first stage of reading a CSV file: recognises the byte-order mark, turns UTF-16 into
/// UTF-8, and checks whether the bytes of a file without a mark are valid UTF-8.
///
/// What it hands on is ASCII-compatible (UTF-8, or the file's own 8-bit bytes), so that the
/// next stage finds quotes, separators and line ends as single bytes. Bytes are carried over
/// between chunks, so nothing depends on where the reads were split.
struct CSVTextReader {
    private enum Stage { case undecided, passThrough, utf16(littleEndian: Bool) }

    private var stage = Stage.undecided
    private(set) var text = CSVText.utf8
    private var head: [UInt8] = []
    /// The first byte of a UTF-16 unit whose second byte is in the next chunk.
    private var pendingByte: UInt8?
    /// A UTF-16 high surrogate waiting for its low half.
    private var highSurrogate: UInt16?
    private var validator = UTF8Validator()
    private var output: [UInt8] = []

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var start = 0
        if case .undecided = stage {
            while head.count < 3 && start < bytes.count {
                head.append(bytes[start])
                start += 1
            }
            guard head.count == 3 else { return }
            decide(body)
        }
        if start < bytes.count { pass(UnsafeRawBufferPointer(rebasing: bytes[start...]), body) }
    }

    /// Hands on what is still held; after this, `text` is final.
    mutating func finish(_ body: (UnsafeRawBufferPointer) -> Void) {
        if case .undecided = stage { decide(body) }
        if case .utf16 = stage, highSurrogate != nil || pendingByte != nil {
            highSurrogate = nil
            pendingByte = nil
            output = Array("\u{FFFD}".utf8)
            output.withUnsafeBytes { body($0) }
        }
        if case .passThrough = stage, text == .utf8, !validator.finish() { text = .notUTF8 }
    }

    private mutating func decide(_ body: (UnsafeRawBufferPointer) -> Void) {
        let held = head
        head = []
        var rest = held[...]
        if held.starts(with: [0xEF, 0xBB, 0xBF]) {
            stage = .passThrough
            text = .utf8WithMark
            rest = held.dropFirst(3)
        } else if held.starts(with: [0xFF, 0xFE]) || held.starts(with: [0xFE, 0xFF]) {
            let little = held[0] == 0xFF
            stage = .utf16(littleEndian: little)
            text = little ? .utf16LittleEndian : .utf16BigEndian
            rest = held.dropFirst(2)
        } else if held.count >= 2, held[0] != 0, held[0] < 0x80, held[1] == 0 {
            // UTF-16 without a mark, as some exporters write it: ASCII beside zero bytes.
            stage = .utf16(littleEndian: true)
            text = .utf16LittleEndian
        } else if held.count >= 2, held[0] == 0, held[1] != 0, held[1] < 0x80 {
            stage = .utf16(littleEndian: false)
            text = .utf16BigEndian
        } else {
            stage = .passThrough
            text = .utf8
        }
        Array(rest).withUnsafeBytes { pass($0, body) }
    }

    private mutating func pass(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        switch stage {
        case .undecided:
            return
        case .passThrough:
            if text == .utf8, !validator.feed(bytes) { text = .notUTF8 }
            body(bytes)
        case .utf16(let littleEndian):
            output.removeAll(keepingCapacity: true)
            for byte in bytes {
                guard let first = pendingByte else {
                    pendingByte = byte
                    continue
                }
                pendingByte = nil
                let unit = littleEndian ? UInt16(first) | UInt16(byte) << 8 : UInt16(first) << 8 | UInt16(byte)
                appendUnit(unit)
            }
            output.withUnsafeBytes { body($0) }
        }
    }

    /// Turns one UTF-16 code unit into UTF-8; a lone surrogate becomes U+FFFD.
    private mutating func appendUnit(_ unit: UInt16) {
        switch unit {
        case 0xD800...0xDBFF:
            if highSurrogate != nil { appendScalar(0xFFFD) }
            highSurrogate = unit
        case 0xDC00...0xDFFF:
            if let high = highSurrogate {
                highSurrogate = nil
                appendScalar(0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00))
            } else {
                appendScalar(0xFFFD)
            }
        default:
            if highSurrogate != nil {
                highSurrogate = nil
                appendScalar(0xFFFD)
            }
            appendScalar(UInt32(unit))
        }
    }

    private mutating func appendScalar(_ value: UInt32) {
        guard let scalar = Unicode.Scalar(value) else { return appendScalar(0xFFFD) }
        output.append(contentsOf: UTF8.encode(scalar)!)
    }
}

/// Checks, a chunk at a time, that bytes are well-formed UTF-8 (no overlong forms, no
/// surrogates, nothing above U+10FFFF), keeping only the state of the sequence in progress.
struct UTF8Validator {
    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var failed = false

    /// False once an invalid byte has been seen.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !failed else { return false }
        var index = 0
        while index < bytes.count {
            // Most of a CSV file is ASCII: skip it eight bytes at a time.
            if needed == 0, index + 8 <= bytes.count,
               bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let byte = bytes[index]
            index += 1
            if needed == 0 {
                if byte < 0x80 { continue }
                switch byte {
                case 0xC2...0xDF: (needed, lower, upper) = (1, 0x80, 0xBF)
                case 0xE0: (needed, lower, upper) = (2, 0xA0, 0xBF)
                case 0xED: (needed, lower, upper) = (2, 0x80, 0x9F)
                case 0xE1...0xEF: (needed, lower, upper) = (2, 0x80, 0xBF)
                case 0xF0: (needed, lower, upper) = (3, 0x90, 0xBF)
                case 0xF1...0xF3: (needed, lower, upper) = (3, 0x80, 0xBF)
                case 0xF4: (needed, lower, upper) = (3, 0x80, 0x8F)
                default: failed = true; return false
                }
            } else {
                guard byte >= lower && byte <= upper else { failed = true; return false }
                needed -= 1
                (lower, upper) = (0x80, 0xBF)
            }
        }
        return true
    }

    /// False when an invalid byte was seen or the bytes ended inside a sequence.
    mutating func finish() -> Bool { !failed && needed == 0 }
}
