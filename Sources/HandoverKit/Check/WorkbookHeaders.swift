/// The first row of each sheet of an .xlsx workbook: what the `xlsx:` column rule is judged on.
package struct WorkbookHeaders: Sendable, Equatable {
    /// One sheet: its name as the tabs show it, and the texts of its first row, in column order
    /// (an empty cell between two others is an empty name).
    package struct Sheet: Sendable, Equatable {
        package var name: String
        package var firstRow: [String]
    }

    /// The sheets in the workbook's order; empty when `problem` says why it could not be read.
    package var sheets: [Sheet]
    /// Why the workbook could not be read: not a zip, damaged, no workbook part (its sentence
    /// is in the `ProblemSentences` tables).
    package var problem: ProblemCode?
}

/// Reads the first rows of a workbook's sheets, streaming its OOXML parts with libarchive.
///
/// Two bounded reads of the zip: the first takes the sheet list (`xl/workbook.xml` and its
/// relationships) and the first `<row>` of each worksheet, stopping each part at that row's
/// end; the second, only when a cell is a shared string, takes those strings and no others from
/// `xl/sharedStrings.xml`. Parts, bytes and cells are capped, so a hostile workbook costs little.
enum WorkbookHeaderReader {
    static let maxEntries = 10_000
    static let maxSheets = 256
    static let maxCells = 2_000
    /// XML bytes read in all, per workbook.
    static let maxBytes: Int64 = 64 << 20

    /// A cell of a first row before shared strings are looked up.
    enum Cell: Equatable { case text(String), shared(Int) }

    static func read(path: String) -> WorkbookHeaders { readWithParts(path: path).headers }

    /// The first rows, and for each sheet the worksheet part that holds it (nil when the
    /// workbook's relationships do not name one), for the secret scan of cells.
    static func readWithParts(path: String) -> (headers: WorkbookHeaders, parts: [String?]) {
        var sheetList: [(name: String, relation: String)] = []
        var relations: [String: String] = [:]
        var firstRows: [String: [Int: Cell]] = [:]
        var sawWorkbook = false
        let pass = readParts(path: path, wanted: { name in
            name == "xl/workbook.xml" || name == "xl/_rels/workbook.xml.rels"
                || (name.hasPrefix("xl/worksheets/") && name.hasSuffix(".xml") && firstRows.count < maxSheets)
        }) { name in
            if name == "xl/workbook.xml" {
                sawWorkbook = true
                return { event in
                    if case .start("sheet", let attributes, _) = event, let sheet = attributes["name"],
                       let relation = attributes.first(where: { $0.key.hasSuffix(":id") })?.value, sheetList.count < maxSheets {
                        sheetList.append((sheet, relation))
                    }
                    return true
                }
            }
            if name == "xl/_rels/workbook.xml.rels" {
                return { event in
                    if case .start("Relationship", let attributes, _) = event, let id = attributes["Id"], let target = attributes["Target"] {
                        relations[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
                    }
                    return true
                }
            }
            var row = FirstRowReader()
            return { event in
                let more = row.take(event)
                if !more { firstRows[name] = row.cells }
                return more
            }
        }
        if let problem = pass { return (WorkbookHeaders(sheets: [], problem: problem), []) }
        guard sawWorkbook else {
            return (WorkbookHeaders(sheets: [], problem: .workbookNoWorkbookPart), [])
        }
        let needed = Set(firstRows.values.flatMap(\.values).compactMap { if case .shared(let index) = $0 { index } else { nil } })
        var strings: [Int: String] = [:]
        if !needed.isEmpty {
            let highest = needed.max() ?? 0
            _ = readParts(path: path, wanted: { $0 == "xl/sharedStrings.xml" }) { _ in
                var reader = SharedStringReader(needed: needed, highest: highest)
                return { event in
                    let more = reader.take(event)
                    strings = reader.strings
                    return more
                }
            }
        }
        let sheets = sheetList.map { sheet -> WorkbookHeaders.Sheet in
            let cells = relations[sheet.relation].flatMap { firstRows[$0] } ?? [:]
            let width = (cells.keys.max() ?? -1) + 1
            let row = (0..<width).map { column -> String in
                switch cells[column] {
                case .text(let text)?: text
                case .shared(let index)?: strings[index] ?? ""
                case nil: ""
                }
            }
            return WorkbookHeaders.Sheet(name: sheet.name, firstRow: row)
        }
        return (WorkbookHeaders(sheets: sheets, problem: nil), sheetList.map { relations[$0.relation] })
    }

    /// Streams the parts `wanted` says, each through the event handler `start` makes for it
    /// (which returns false once it has what it needs). Returns a problem when the file is no zip.
    static func readParts(path: String, wanted: (String) -> Bool,
                          start: (String) -> (XMLTagScanner.Event) -> Bool) -> ProblemCode? {
        // The archive layer's own message speaks of bundles; a workbook gets its own words.
        guard ArchiveReader.startsLikeZip(path) else {
            return .workbookNotZip
        }
        guard let reader = try? ArchiveReader(path: path, maxZipEntries: maxEntries) else {
            return .workbookDamaged
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var budget = maxBytes
        var entries = 0
        while entries < maxEntries, budget > 0 {
            guard let header = try? reader.nextHeader() else { break }
            entries += 1
            let name = String(decoding: header.path, as: UTF8.self)
            guard header.kind == .file, wanted(name) else { continue }
            var scanner = XMLTagScanner()
            let handle = start(name)
            while budget > 0, let count = try? reader.readData(into: buffer), count > 0 {
                budget -= Int64(count)
                if !scanner.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), handle) { break }
            }
        }
        return nil
    }
}

/// Takes the cells of the first `<row>` of a worksheet.
struct FirstRowReader {
    private(set) var cells: [Int: WorkbookHeaderReader.Cell] = [:]
    private var inRow = false
    private var column = -1
    private var type = ""
    private var inValue = false
    private var inInline = false
    private var value = ""

    /// False once the first row has ended.
    mutating func take(_ event: XMLTagScanner.Event) -> Bool {
        switch event {
        case .start("row", _, let selfClosing):
            if selfClosing { return true } // an empty row carries no names
            inRow = true
        case .start("c", let attributes, let selfClosing) where inRow:
            column = attributes["r"].flatMap(Self.columnIndex) ?? column + 1
            type = attributes["t"] ?? "n"
            value = ""
            if selfClosing { column = max(column, 0) }
        case .start("v", _, _) where inRow: inValue = true
        case .start("t", _, _) where inRow && type == "inlineStr": inInline = true
        case .text(let text) where inValue || inInline:
            value += text
        case .end("v"): inValue = false
        case .end("t"): inInline = false
        case .end("c") where inRow:
            guard column >= 0, column < WorkbookHeaderReader.maxCells else { break }
            if type == "s" {
                if let index = Int(value.trimmingCharacters(in: .whitespaces)) { cells[column] = .shared(index) }
            } else {
                cells[column] = .text(value)
            }
        case .end("row") where inRow:
            return false
        case .end("sheetData"):
            return false
        default: break
        }
        return true
    }

    /// `C7` → 2; nil when the reference has no letters.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.value - 64)
            letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : index - 1
    }
}

/// Takes the shared strings a first row refers to, stopping after the highest one.
private struct SharedStringReader {
    let needed: Set<Int>
    let highest: Int
    private(set) var strings: [Int: String] = [:]
    private var index = -1
    private var inText = false
    private var phonetic = false
    private var current = ""

    init(needed: Set<Int>, highest: Int) {
        self.needed = needed
        self.highest = highest
    }

    mutating func take(_ event: XMLTagScanner.Event) -> Bool {
        switch event {
        case .start("si", _, let selfClosing):
            index += 1
            current = ""
            if selfClosing { return index < highest }
        case .start("rPh", _, _): phonetic = true // the reading guide of East Asian text, not the text
        case .end("rPh"): phonetic = false
        case .start("t", _, let selfClosing): inText = !selfClosing && !phonetic
        case .end("t"): inText = false
        case .text(let text) where inText && needed.contains(index) && current.utf8.count < 64 << 10:
            current += text
        case .end("si"):
            if needed.contains(index) { strings[index] = current }
            return index < highest
        default: break
        }
        return true
    }
}

import Foundation
