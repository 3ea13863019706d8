/// Values typed under a column named like a secret in an .xlsx workbook ("Mot de passe",
/// `password`, "API key"): the rule that `CSVScanner` applies to CSV files, on each sheet's
/// first row and the cells below it.
///
/// The text pass of `OfficeSecretScan` sees every cell as a line of its own, so it finds keys
/// and tokens by their shape but not a plain password, which only its column gives away. This
/// reads the first rows as the `xlsx:` column rule does (`WorkbookHeaderReader`), then streams
/// only the sheets that have such a column, within the same limits on parts and bytes.
enum WorkbookSecretCells {
    static let workbookExtensions: Set<String> = ["xlsx", "xlsm"]

    /// Each value found, with its sheet, cell and column, and how many more there were.
    static func scan(path: String) -> (findings: [SecretFinding], more: Int) {
        let (headers, parts) = WorkbookHeaderReader.readWithParts(path: path)
        var wanted: [String: (sheet: String, columns: [Int: String])] = [:]
        for (sheet, part) in zip(headers.sheets, parts) {
            guard let part else { continue }
            var columns: [Int: String] = [:]
            for (index, name) in sheet.firstRow.enumerated() where SecretKeyName.isSecretColumn(name) {
                columns[index] = name.trimmingCharacters(in: .whitespaces)
            }
            if !columns.isEmpty { wanted[part] = (sheet.name, columns) }
        }
        guard !wanted.isEmpty else { return ([], 0) }
        var findings: [SecretFinding] = []
        var more = 0
        _ = WorkbookHeaderReader.readParts(path: path, wanted: { wanted[$0] != nil }) { part in
            let target = wanted[part] ?? ("", [:])
            var reader = SecretCellReader(columns: target.columns)
            return { event in
                if let cell = reader.take(event), let column = target.columns[cell.column] {
                    if findings.count < SecretScanner.maxFindings {
                        findings.append(SecretFinding(kind: "a value in a password or secret column", column: column,
                                                      cell: "'\(target.sheet)'!\(cell.reference)"))
                    } else {
                        more += 1
                    }
                }
                return true
            }
        }
        return (findings, more)
    }
}

/// Walks a worksheet's rows after the first and reports each non-empty cell of the watched columns.
private struct SecretCellReader {
    let columns: [Int: String]
    private var rowsSeen = 0
    private var inRow = false
    private var rowNumber = 0
    private var column = -1
    private var reference = ""
    private var inValue = false
    private var hasValue = false

    init(columns: [Int: String]) { self.columns = columns }

    /// A cell to report, once its end tag is read.
    mutating func take(_ event: XMLTagScanner.Event) -> (column: Int, reference: String)? {
        switch event {
        case .start("row", let attributes, let selfClosing):
            if selfClosing { return nil }
            inRow = true
            rowsSeen += 1
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            column = -1
        case .start("c", let attributes, _) where inRow:
            let given = attributes["r"]
            column = given.flatMap(FirstRowReader.columnIndex) ?? column + 1
            reference = given ?? (Self.letters(column) + String(rowNumber))
            hasValue = false
        case .start("v", _, let selfClosing) where inRow, .start("t", _, let selfClosing) where inRow:
            inValue = !selfClosing
        case .text(let text) where inValue:
            if text.contains(where: { !$0.isWhitespace }) { hasValue = true }
        case .end("v"), .end("t"):
            inValue = false
        case .end("c") where inRow:
            // The first row holds the names; what lies below it is the data.
            if rowsSeen > 1, hasValue, columns[column] != nil { return (column, reference) }
        case .end("row"):
            inRow = false
        default: break
        }
        return nil
    }

    /// 2 → `C`.
    static func letters(_ index: Int) -> String {
        var number = index + 1
        var out = ""
        while number > 0 {
            let rest = (number - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + rest))) + out
            number = (number - 1) / 26
        }
        return out
    }
}
