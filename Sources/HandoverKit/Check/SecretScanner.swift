/// Looks for credentials in a text file as its bytes stream by, with the rules of
/// `SecretRules`. Binary files (a NUL byte in the first 8 KiB) are not scanned for text
/// patterns; key stores are recognised by their extension (`SecretFileNames`), office
/// documents are opened after the pass (`OfficeSecretScan`). UTF-16 text is narrowed first.
///
/// One pass: each byte is looked up in a table of the rules it can trigger (triggers are bytes
/// rare in ordinary text); only those positions are looked at further. Every position is scanned once, with at least `lookbehind` bytes
/// before it and `lookahead` bytes after it (fewer only at the file's ends): the bytes around
/// the end of each chunk are carried over, so what is found does not depend on the chunks.
struct SecretScanner {
    private(set) var findings: [SecretFinding] = []
    private(set) var moreFindings = 0

    private var decoding = TextDecoding()
    private var line = 1
    /// Bytes kept from earlier chunks: `window[..<scanned]` were scanned already and are kept
    /// for the rules that look back; the rest wait for enough look-ahead.
    private var window: [UInt8] = []
    private var scanned = 0
    private var sniffed = 0
    private var binary = false
    private var atFileStart = true

    /// The farthest a rule reads after its position (a JWT, a key body after its header).
    static let lookahead = 1024
    /// The farthest a rule reads before its position (a setting's key).
    static let lookbehind = 128
    static let sniffBytes = 8 << 10
    static let maxFindings = 20

    /// For each byte value, the rules it can start, as a bit set of indexes into `SecretRules.all`.
    static let rulesByTrigger: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        for (index, rule) in SecretRules.all.enumerated() {
            for trigger in rule.triggers { table[Int(trigger)] |= 1 << UInt32(index) }
        }
        return table
    }()

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard !binary, bytes.count > 0 else { return }
        var decoding = self.decoding
        decoding.feed(bytes) { consumeText($0) }
        self.decoding = decoding
    }

    mutating func finish() {
        var decoding = self.decoding
        decoding.finish { consumeText($0) }
        self.decoding = decoding
        guard !binary else { return }
        scanWindow(upTo: window.count)
        window = []
        scanned = 0
    }

    private mutating func consumeText(_ bytes: UnsafeRawBufferPointer) {
        guard !binary, bytes.count > 0 else { return }
        if sniffed < SecretScanner.sniffBytes {
            let end = min(bytes.count, SecretScanner.sniffBytes - sniffed)
            if UnsafeRawBufferPointer(rebasing: bytes[0..<end]).contains(0) {
                // A binary file is not scanned at all: what earlier chunks found is dropped, so
                // that the facts do not depend on where reads happened to split the file.
                binary = true
                findings = []
                moreFindings = 0
                window = []
                return
            }
            sniffed += end
        }
        let ahead = SecretScanner.lookahead, behind = SecretScanner.lookbehind
        guard bytes.count >= 2 * ahead else {
            // A small chunk: gather it, and scan what has enough look-ahead once there is plenty.
            window += bytes
            if window.count - scanned >= 2 * ahead { scanWindow(upTo: window.count - ahead) }
            return
        }
        // The window's waiting bytes and the chunk's first `ahead` bytes are scanned with the
        // window before them and at least `ahead` bytes of the chunk after them.
        let junction = window + bytes.prefix(2 * ahead)
        junction.withUnsafeBytes { scan(ScanText(bytes: $0), from: scanned, upTo: window.count + ahead) }
        scan(ScanText(bytes: bytes), from: ahead, upTo: bytes.count - ahead)
        window = Array(bytes.suffix(ahead + behind))
        scanned = behind
    }

    /// Scans the window's waiting bytes before `end`, then keeps the rest and up to
    /// `lookbehind` bytes before it.
    private mutating func scanWindow(upTo end: Int) {
        guard end > scanned else { return }
        let bytes = window
        bytes.withUnsafeBytes { scan(ScanText(bytes: $0), from: scanned, upTo: end) }
        let drop = max(0, end - SecretScanner.lookbehind)
        window.removeFirst(drop)
        scanned = end - drop
    }

    /// Scans the positions from `start` to before `end`.
    private mutating func scan(_ text: ScanText, from start: Int, upTo end: Int) {
        let rules = SecretRules.all
        if atFileStart {
            atFileStart = false
            // The first line has no newline before it: line rules are tried at -1.
            if let kind = firstMatch(text, at: start - 1, rules: SecretScanner.rulesByTrigger[0x0A], in: rules) { record(kind) }
        }
        let bytes = text.bytes
        var currentLine = line
        SecretScanner.rulesByTrigger.withUnsafeBufferPointer { table in
            var index = SecretScanner.nextTrigger(bytes, from: start, upTo: end, table: table)
            while index < end {
                let byte = bytes[index]
                if byte == 0x0A { currentLine += 1 }
                if let kind = firstMatch(text, at: index, rules: table[Int(byte)], in: rules) {
                    line = currentLine
                    record(kind)
                }
                index = SecretScanner.nextTrigger(bytes, from: index + 1, upTo: end, table: table)
            }
        }
        line = currentLine
    }

    /// The first position from `start` whose byte triggers a rule, or `end`. Most bytes trigger
    /// nothing: eight are looked up at a time, with one branch, in a loop that keeps everything
    /// in registers (the scan's own loop calls the rules, which made it spill on every byte).
    @inline(__always)
    private static func nextTrigger(_ bytes: UnsafeRawBufferPointer, from start: Int, upTo end: Int, table: UnsafeBufferPointer<UInt32>) -> Int {
        var index = start
        while index + 8 <= end {
            let low = table[Int(bytes[index])] | table[Int(bytes[index + 1])] | table[Int(bytes[index + 2])] | table[Int(bytes[index + 3])]
            let high = table[Int(bytes[index + 4])] | table[Int(bytes[index + 5])] | table[Int(bytes[index + 6])] | table[Int(bytes[index + 7])]
            if low | high != 0 { break }
            index += 8
        }
        while index < end && table[Int(bytes[index])] == 0 { index += 1 }
        return index
    }

    /// The kind the first of the rules in the bit set `candidates` finds at `index`.
    private func firstMatch(_ text: ScanText, at index: Int, rules candidates: UInt32, in rules: [SecretRule]) -> String? {
        var remaining = candidates
        while remaining != 0 {
            let rule = remaining.trailingZeroBitCount
            if let kind = rules[rule].match(text, index) { return kind }
            remaining &= remaining - 1
        }
        return nil
    }

    private mutating func record(_ kind: String) {
        if findings.count < SecretScanner.maxFindings {
            findings.append(SecretFinding(kind: kind, line: line))
        } else {
            moreFindings += 1
        }
    }
}
