/// Office documents (.docx, .xlsx, .pptx, .odt, …) are zip files of XML: a key pasted into a
/// procedure or a password typed in a spreadsheet is compressed, invisible to the text pass.
/// After that pass, the document's XML parts are opened with libarchive, their text (tags
/// dropped, paragraphs and cells as lines) goes through the same rules.
///
/// Bounded: at most `maxParts` parts and `maxBytes` of XML per document, so a zip bomb costs
/// little. A damaged document is not an error here; what could be read is judged.
package enum OfficeSecretScan {
    static let extensions: Set<String> = ["docx", "docm", "dotx", "xlsx", "xlsm", "pptx", "pptm", "odt", "ods", "odp"]
    static let maxParts = 2_000
    static let maxBytes: Int64 = 64 << 20

    /// Whether a file of this name is a document whose parts are scanned.
    package static func applies(toFileNamed name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return extensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// The secrets in the document's XML parts, each naming its part; for a workbook, also the
    /// values under columns named like secrets (`WorkbookSecretCells`), each naming its cell.
    package static func scan(path: String, workbook: Bool = false) -> (findings: [SecretFinding], more: Int) {
        var (findings, more) = scanParts(path: path)
        guard workbook else { return (findings, more) }
        let cells = WorkbookSecretCells.scan(path: path)
        for finding in cells.findings {
            if findings.count < SecretScanner.maxFindings { findings.append(finding) } else { more += 1 }
        }
        return (findings, more + cells.more)
    }

    static func scanParts(path: String) -> (findings: [SecretFinding], more: Int) {
        var findings: [SecretFinding] = []
        var more = 0
        guard let reader = try? ArchiveReader(path: path) else { return ([], 0) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var budget = maxBytes
        var parts = 0
        while parts < maxParts, budget > 0, let header = try? reader.nextHeader() {
            parts += 1
            let name = String(decoding: header.path, as: UTF8.self)
            guard header.kind == .file, name.lowercased().hasSuffix(".xml") else { continue }
            var text = XMLText()
            var scanner = SecretScanner()
            while budget > 0, let count = try? reader.readData(into: buffer), count > 0 {
                budget -= Int64(count)
                text.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) { scanner.consume($0) }
            }
            scanner.finish()
            for finding in scanner.findings {
                if findings.count < SecretScanner.maxFindings {
                    findings.append(SecretFinding(kind: finding.kind, part: name))
                } else {
                    more += 1
                }
            }
            more += scanner.moreFindings
        }
        return (findings, more)
    }
}

/// The text of an XML stream: tags dropped, the ends of paragraphs, line breaks, shared
/// strings and cells turned into newlines, the five named entities and numeric newlines decoded.
struct XMLText {
    private var inTag = false
    private var tagName: [UInt8] = []
    private var nameDone = false
    private var entity: [UInt8]?

    /// Tags after which a new line starts (Word, Excel, PowerPoint, OpenDocument).
    static let lineEnds: Set<[UInt8]> = Set(["/w:p", "w:br", "w:cr", "/a:p", "a:br", "/si", "/c", "/row",
                                             "/text:p", "/text:h", "text:line-break", "/table:table-cell"].map { Array($0.utf8) })

    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 2)
        for byte in bytes {
            if inTag {
                if byte == UInt8(ascii: ">") {
                    inTag = false
                    if tagName.last == UInt8(ascii: "/") { tagName.removeLast() }
                    if XMLText.lineEnds.contains(tagName) { out.append(0x0A) }
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    nameDone = true // attributes are not kept
                } else if !nameDone, tagName.count < 24 {
                    tagName.append(byte)
                }
                continue
            }
            if var pending = entity {
                if byte == UInt8(ascii: ";") || pending.count > 8 {
                    out += XMLText.decode(pending, terminated: byte == UInt8(ascii: ";"))
                    if byte != UInt8(ascii: ";") { out.append(byte) }
                    entity = nil
                } else {
                    pending.append(byte)
                    entity = pending
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "<"):
                inTag = true
                nameDone = false
                tagName = []
            case UInt8(ascii: "&"):
                entity = []
            default:
                out.append(byte)
            }
        }
        out.withUnsafeBytes { body($0) }
    }

    static func decode(_ name: [UInt8], terminated: Bool) -> [UInt8] {
        guard terminated else { return [UInt8(ascii: "&")] + name }
        switch String(decoding: name, as: UTF8.self) {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        case "#10", "#xA", "#xa", "#13", "#xD", "#xd": return [0x0A]
        default: return [UInt8(ascii: "?")]
        }
    }
}
