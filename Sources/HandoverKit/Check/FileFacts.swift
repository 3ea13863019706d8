/// What reading a file's content taught: its CSV text and first rows, the secrets found in it.
///
/// Facts are gathered while the bytes stream by (during `missing`, during the build's single
/// pass, during verification); the rules judge them afterwards.
package struct FileFacts: Sendable, Equatable {
    /// How a CSV file's text is written and its first rows, when the file is a CSV.
    package var csv: CSVHead?
    /// The first rows of an Excel workbook's sheets, when a rule asked for them.
    package var workbook: WorkbookHeaders?
    /// The credentials found, without the secret itself.
    package var secrets: [SecretFinding] = []
    /// How many more findings there were beyond those kept.
    package var moreSecrets = 0

    package init(csv: CSVHead? = nil, secrets: [SecretFinding] = [], moreSecrets: Int = 0) {
        self.csv = csv
        self.secrets = secrets
        self.moreSecrets = moreSecrets
    }

    /// Whether a rule can use these facts of `file` (a CSV header, a workbook, a secret): others
    /// are not kept, so that a million files leave no entry each.
    package func matter(for file: SourceFile) -> Bool {
        file.fileExtension == "csv" || workbook != nil || !secrets.isEmpty || moreSecrets > 0
    }

    /// The names of the first row of a CSV file, trimmed, read as detected (no manifest rule);
    /// nil when the file is not a CSV or is empty.
    package var csvColumns: [String]? { csv?.columns() }
}

/// A credential found in a file: what kind, and where; never its value.
package struct SecretFinding: Sendable, Equatable, Codable {
    package var kind: String
    /// 1-based line, when the finding is in a text file.
    package var line: Int?
    /// The CSV column, when the finding is a value in a column named like a secret.
    package var column: String?
    /// The part of an office document (`word/document.xml`) the finding is in.
    package var part: String?
    /// The workbook cell (`'Comptes'!C2`), when the finding is a value in a spreadsheet.
    package var cell: String?

    package init(kind: String, line: Int? = nil, column: String? = nil, part: String? = nil, cell: String? = nil) {
        self.kind = kind
        self.line = line
        self.column = column
        self.part = part
        self.cell = cell
    }

    package var description: String {
        var text = kind
        if let column { text += " in column '\(column)'" }
        if let part { text += " in its part \(part)" }
        if let cell { text += " at cell \(cell)" }
        if let line { text += " at line \(line)" }
        return text
    }
}

/// Reads one file's bytes as they stream by and gathers its facts.
///
/// Feed it with `consume` in any chunk sizes, then call `finish`. It keeps a bounded amount of
/// state whatever the file's size.
package struct FileInspector {
    private var csv: CSVScanner?
    private var secrets: SecretScanner?
    private let fileName: String

    /// - Parameters:
    ///   - fileName: the file's name, whose extension says whether it is a CSV or a key store.
    ///   - scanSecrets: look for credentials (off for confidential deliverables, which are encrypted).
    ///   - csvHeaderRow: the row of a CSV file that names its columns (`csv.header-row`), so
    ///     that values in secret columns are looked for below it.
    package init(fileName: String, readCSV: Bool, scanSecrets: Bool, csvHeaderRow: Int = 1) {
        self.fileName = fileName
        csv = readCSV ? CSVScanner(lookForSecretColumns: scanSecrets, headerRow: csvHeaderRow) : nil
        secrets = scanSecrets ? SecretScanner() : nil
    }

    /// Whether the inspector needs the content at all (so a caller can skip reading the file).
    package var needsContent: Bool { csv != nil || secrets != nil }

    /// Whether the file is scanned for credentials (so an office document's parts are too).
    package var scansSecrets: Bool { secrets != nil }

    package mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        csv?.consume(bytes)
        secrets?.consume(bytes)
    }

    package mutating func finish() -> FileFacts {
        var facts = FileFacts()
        if var csv {
            csv.finish()
            facts.csv = csv.head
            facts.secrets += csv.findings
            facts.moreSecrets += csv.moreFindings
        }
        if var secrets {
            secrets.finish()
            facts.secrets += secrets.findings
            facts.moreSecrets += secrets.moreFindings
            if let store = SecretFileNames.kind(fileName: fileName) {
                facts.secrets.insert(SecretFinding(kind: store), at: 0)
            }
        }
        return facts
    }
}
