/// How a deliverable's CSV files are read and what their header must hold (the `csv:` section).
package struct CSVRule: Sendable, Equatable {
    /// Columns every CSV file of the deliverable must have in its header row.
    package var columns: [ColumnRule]
    /// The row that names the columns, 1-based: exports often put a title row or two above it.
    package var headerRow: Int
    /// The code page of files that have no byte-order mark and are not UTF-8; nil is Windows-1252.
    package var encoding: CSVEncoding?

    /// The highest `header-row`: the scanner keeps this many rows of each CSV file.
    package static let maxHeaderRow = CSVScanner.keptRows

    package init(columns: [ColumnRule] = [], headerRow: Int = 1, encoding: CSVEncoding? = nil) {
        self.columns = columns
        self.headerRow = headerRow
        self.encoding = encoding
    }
}

/// The column rule of a deliverable's Excel workbooks (the `xlsx:` section): the first row of
/// the sheet named, or of the first sheet, must name every column.
package struct XLSXRule: Sendable, Equatable {
    /// The sheet's name as its tab shows it; nil is the first sheet.
    package var sheet: String?
    package var columns: [ColumnRule]

    package init(sheet: String? = nil, columns: [ColumnRule]) {
        self.sheet = sheet
        self.columns = columns
    }
}
