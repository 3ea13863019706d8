/// Streams through a CSV file: keeps its first rows (where the header is), and, when asked,
/// reports non-empty values in columns whose names say they hold passwords or secrets.
///
/// Files arrive as Excel and other tools write them: a byte-order mark or none, UTF-8, UTF-16 or
/// an 8-bit code page (`CSVTextReader` makes them ASCII-compatible first); `,`, `;` or tab
/// between fields; CR, LF or CRLF at the ends of rows. The rows are kept as bytes, because only
/// the manifest knows which row is the header and which code page a non-UTF-8 file is in.
struct CSVScanner {
    private(set) var findings: [SecretFinding] = []
    private(set) var moreFindings = 0

    private let lookForSecretColumns: Bool
    /// The row that names the columns (1-based), for the secret-column scan.
    private let headerRow: Int
    private var textReader = CSVTextReader()

    // The first rows, kept for the header rule.
    private var rows: [[UInt8]] = []
    private var current: [UInt8] = []
    private var keeping = true
    private var keptBytes = 0
    private var keepInQuotes = false
    private var keepPendingCR = false
    /// Physical lines ended so far while keeping rows (a quoted value may span lines).
    private var linesEnded = 0

    // State of the record scanner after the header row.
    private var scanning = false
    private var delimiter = UInt8(ascii: ",")
    private var secretColumns: [Int: String] = [:]
    private var inQuotes = false
    private var quoteJustClosed = false
    private var field = 0
    private var fieldHasContent = false
    private var line = 1
    private var recordLine = 1
    private var pendingCR = false

    /// How many rows are kept: the most `csv.header-row` allows, so title rows fit above.
    static let keptRows = 20
    /// A row longer than this is cut: it is no header.
    static let maxRowBytes = 64 << 10
    /// All kept rows together stay within this, whatever the file.
    static let maxKeptBytes = 256 << 10
    static let maxFindings = 20

    init(lookForSecretColumns: Bool, headerRow: Int = 1) {
        self.lookForSecretColumns = lookForSecretColumns
        self.headerRow = max(1, headerRow)
    }

    /// What was learnt about the file's text and first rows; final after `finish`.
    var head: CSVHead { CSVHead(text: textReader.text, rows: rows) }

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        // The reader is moved out while it calls back into self (exclusive access), and not
        // copied, so that its buffers stay uniquely held and are reused from chunk to chunk.
        var reader = textReader
        textReader = CSVTextReader()
        reader.feed(bytes) { consumeText($0) }
        textReader = reader
    }

    mutating func finish() {
        var reader = textReader
        textReader = CSVTextReader()
        reader.finish { consumeText($0) }
        textReader = reader
        if keeping, !current.isEmpty || keepInQuotes { endKeptRow() }
        if scanning { endField() }
    }

    private mutating func consumeText(_ bytes: UnsafeRawBufferPointer) {
        guard keeping || scanning else { return }
        for byte in bytes {
            // The byte that ends the header row starts the scan: it is the header's, not the record's.
            let scanned = scanning
            if keeping { keep(byte) }
            if scanned { scanRecordByte(byte) }
        }
    }

    /// Adds a byte to the row being kept; quotes may span lines, and CR, LF and CRLF end rows.
    private mutating func keep(_ byte: UInt8) {
        let wasCR = keepPendingCR
        keepPendingCR = false
        if byte == UInt8(ascii: "\"") { keepInQuotes.toggle() }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            if byte == UInt8(ascii: "\n") && wasCR { return }
            linesEnded += 1
            keepPendingCR = byte == UInt8(ascii: "\r")
            if !keepInQuotes { return endKeptRow() }
        }
        if current.count < CSVScanner.maxRowBytes && keptBytes < CSVScanner.maxKeptBytes {
            current.append(byte)
            keptBytes += 1
        }
    }

    private mutating func endKeptRow() {
        keepInQuotes = false
        rows.append(current)
        current = []
        if rows.count == headerRow { startScan() }
        if rows.count >= CSVScanner.keptRows || keptBytes >= CSVScanner.maxKeptBytes { keeping = false }
    }

    /// Finds the secret columns in the header row; the rows after it are then scanned.
    private mutating func startScan() {
        guard lookForSecretColumns, let headerBytes = rows.last else { return }
        let split = CSVHeader.split(headerBytes)
        delimiter = split.delimiter
        let encoding: CSVEncoding = String(validating: headerBytes, as: UTF8.self) == nil ? .windows1252 : .utf8
        for (index, name) in split.fields.enumerated() {
            let decoded = CSVHeader.trimmed(encoding.decode(name))
            if SecretKeyName.isSecretColumn(decoded) { secretColumns[index] = decoded }
        }
        guard !secretColumns.isEmpty else { return }
        scanning = true
        pendingCR = keepPendingCR
        line = linesEnded + 1
        recordLine = line
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
}
