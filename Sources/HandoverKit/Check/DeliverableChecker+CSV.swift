extension DeliverableChecker {
    /// The CSV header rule: the header row (`csv.header-row`) must name every required column,
    /// compared as people read names (`ColumnName`), under any of its aliases. The notes say
    /// when the file was read in an 8-bit code page, since that is a guess the reader may check.
    static func csvFindings(_ file: SourceFile, _ facts: FileFacts, rule: CSVRule) -> (problems: [Problem], notes: [Problem]) {
        guard let head = facts.csv else { return ([], []) }
        var notes: [Problem] = []
        let encoding = head.encoding(told: rule.encoding)
        if head.text == .notUTF8 {
            switch rule.encoding {
            case nil:
                notes.append(Problem(file: file.displayPath, .csvReadAsGuessed, ["encoding": encoding.displayName]))
            case .utf8?:
                notes.append(Problem(file: file.displayPath, .csvReadAsToldUTF8, ["encoding": encoding.displayName]))
            case let told?:
                notes.append(Problem(file: file.displayPath, .csvReadAsTold, ["encoding": encoding.displayName, "told": told.rawValue]))
            }
        }
        let expected = rule.columns.map(\.described).joined(separator: ", ")
        let row = rule.headerRow
        guard let header = head.columns(row: row, encoding: rule.encoding), !(header.count == 1 && header[0].isEmpty) else {
            let problem = if row > 1 && head.rows.count < row {
                Problem(file: file.displayPath, .csvNoHeaderRow, ["row": String(row), "rows": String(head.rows.count), "expected": expected])
            } else if row > 1 {
                Problem(file: file.displayPath, .csvHeaderRowEmpty, ["row": String(row), "expected": expected])
            } else {
                Problem(file: file.displayPath, .csvNoHeader, ["expected": expected])
            }
            return ([problem], notes)
        }
        let missing = rule.columns.filter { !$0.isPresent(in: Set(header.map(ColumnName.normalised))) }
        guard !missing.isEmpty else { return ([], notes) }
        let names = header.prefix(20).joined(separator: ", ") + (header.count > 20 ? ", …" : "")
        var parameters = ["count": String(missing.count), "missing": missing.map(\.described).joined(separator: ", "),
                          "row": String(row), "found": names]
        let readAs = head.text == .notUTF8
        if readAs { parameters["encoding"] = encoding.displayName }
        let better = rowHolding(rule.columns, in: head, encoding: rule.encoding, except: row)
        if let better { parameters["better"] = String(better) }
        let code: ProblemCode = switch (readAs, better != nil) {
        case (false, false): .csvMissingInRow
        case (false, true): .csvMissingInRowHint
        case (true, false): .csvMissingInRowReadAs
        case (true, true): .csvMissingInRowReadAsHint
        }
        return ([Problem(file: file.displayPath, code, parameters)], notes)
    }

    /// The extensions of the workbooks an `xlsx:` rule reads (with macros or not).
    static let workbookExtensions: Set<String> = ["xlsx", "xlsm"]

    /// The `xlsx:` rule: the first row of the sheet named (or the first sheet) names every column.
    static func workbookProblems(_ file: SourceFile, _ workbook: WorkbookHeaders, rule: XLSXRule) -> [Problem] {
        if let problem = workbook.problem { return [Problem(file: file.displayPath, problem)] }
        let expected = rule.columns.map(\.described).joined(separator: ", ")
        let sheet: WorkbookHeaders.Sheet
        if let name = rule.sheet {
            let wanted = ColumnName.normalised(name)
            guard let found = workbook.sheets.first(where: { ColumnName.normalised($0.name) == wanted }) else {
                let names = workbook.sheets.prefix(20).map { "'\($0.name)'" }.joined(separator: ", ")
                return [Problem(file: file.displayPath, .workbookNoSuchSheet, ["sheet": name, "sheets": names.isEmpty ? "—" : names, "expected": expected])]
            }
            sheet = found
        } else {
            guard let first = workbook.sheets.first else {
                return [Problem(file: file.displayPath, .workbookNoSheet, ["expected": expected])]
            }
            sheet = first
        }
        let names = sheet.firstRow.map(CSVHeader.trimmed)
        guard names.contains(where: { !$0.isEmpty }) else {
            return [Problem(file: file.displayPath, .workbookEmptyFirstRow, ["sheet": sheet.name, "expected": expected])]
        }
        let missing = rule.columns.filter { !$0.isPresent(in: Set(names.map(ColumnName.normalised))) }
        guard !missing.isEmpty else { return [] }
        let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
        return [Problem(file: file.displayPath, .workbookMissingColumns,
                        ["sheet": sheet.name, "count": String(missing.count), "missing": missing.map(\.described).joined(separator: ", "), "found": shown])]
    }

    /// The first kept row, other than `except`, that names every column of the rule.
    static func rowHolding(_ columns: [ColumnRule], in head: CSVHead, encoding: CSVEncoding?, except: Int) -> Int? {
        for row in 1...max(1, head.rows.count) where row != except {
            guard let names = head.columns(row: row, encoding: encoding) else { continue }
            let normalised = Set(names.map(ColumnName.normalised))
            if columns.allSatisfy({ $0.isPresent(in: normalised) }) { return row }
        }
        return nil
    }
}

import Foundation
