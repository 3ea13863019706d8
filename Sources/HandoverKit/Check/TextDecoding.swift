/// Turns the bytes of a file saved as UTF-16 (as Windows tools and PowerShell's `>` write
/// text) into one byte per character, so that the text rules see `-----BEGIN …` and not
/// `-\0-\0-\0…`. ASCII characters are kept; any other character becomes `?`, which no rule
/// needs. Everything else passes through unchanged.
///
/// The encoding is told by the first two bytes: a byte-order mark (FF FE, FE FF), or an ASCII
/// character with a zero byte beside it. Bytes are carried over between chunks, so the result
/// does not depend on where the reads were split.
struct TextDecoding {
    enum Encoding { case undecided, utf8, utf16LittleEndian, utf16BigEndian }

    private(set) var encoding = Encoding.undecided
    private var head: [UInt8] = []
    /// The first byte of a UTF-16 unit whose second byte is in the next chunk.
    private var pending: UInt8?

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard encoding == .undecided else { return pass(bytes, body) }
        var index = 0
        while head.count < 2, index < bytes.count {
            head.append(bytes[index])
            index += 1
        }
        guard head.count == 2 else { return }
        decide(body)
        if index < bytes.count { pass(UnsafeRawBufferPointer(rebasing: bytes[index...]), body) }
    }

    /// Hands on what is still held (a file of one byte, or an odd last byte of UTF-16).
    mutating func finish(_ body: (UnsafeRawBufferPointer) -> Void) {
        if encoding == .undecided {
            encoding = .utf8
            head.withUnsafeBytes { body($0) }
        }
        pending = nil
    }

    private mutating func decide(_ body: (UnsafeRawBufferPointer) -> Void) {
        let (first, second) = (head[0], head[1])
        switch (first, second) {
        case (0xFF, 0xFE): encoding = .utf16LittleEndian
        case (0xFE, 0xFF): encoding = .utf16BigEndian
        case _ where first != 0 && first < 0x80 && second == 0: encoding = .utf16LittleEndian
        case _ where first == 0 && second != 0 && second < 0x80: encoding = .utf16BigEndian
        default: encoding = .utf8
        }
        let isMark = (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF)
        if encoding == .utf8 || !isMark {
            let held = head
            held.withUnsafeBytes { pass($0, body) }
        }
        head = []
    }

    private mutating func pass(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard encoding != .utf8 else { return body(bytes) }
        var narrow: [UInt8] = []
        narrow.reserveCapacity(bytes.count / 2 + 1)
        let littleEndian = encoding == .utf16LittleEndian
        for byte in bytes {
            guard let first = pending else {
                pending = byte
                continue
            }
            pending = nil
            let (low, high) = littleEndian ? (first, byte) : (byte, first)
            narrow.append(high == 0 && low < 0x80 ? low : UInt8(ascii: "?"))
        }
        narrow.withUnsafeBytes { body($0) }
    }
}
