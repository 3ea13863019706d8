/// What a contract requires to be handed over: the parties and the list of deliverables.
///
/// A manifest is written in YAML (JSON is accepted, being YAML too) and read strictly by
/// `ManifestParser`: an unknown key is an error, not something silently ignored.
package struct Manifest: Sendable {
    /// The manifest format version; only 1 exists.
    package var version: Int
    package var parties: HandoverParties
    package var deliverables: [Deliverable]
    /// The manifest file's bytes, verbatim, as stored in a bundle at `handover/manifest.yaml`.
    package var originalBytes: [UInt8]
    /// The name the manifest was read from, for messages.
    package var fileName: String
    /// `exclude:` at the top: globs of files that are no deliverable's (they are ignored, like
    /// system junk: never collected, never packed, only counted).
    package var exclude: [Glob] = []

    package init(version: Int, parties: HandoverParties, deliverables: [Deliverable], originalBytes: [UInt8], fileName: String) {
        self.version = version
        self.parties = parties
        self.deliverables = deliverables
        self.originalBytes = originalBytes
        self.fileName = fileName
    }
}

/// The parties of the handover and its date (the `handover:` section).
package struct HandoverParties: Sendable, Equatable {
    package var contract: String
    package var client: String
    package var provider: String
    package var recipient: String
    /// The handover date; nil means today.
    package var date: CalendarDate?
    /// The language of the handover (`handover.language`): the report `handover build` writes
    /// into the bundle is in it, unless `build --lang` says otherwise; nil means English.
    package var language: ReportLanguage?

    package init(contract: String, client: String, provider: String, recipient: String, date: CalendarDate?, language: ReportLanguage? = nil) {
        self.contract = contract
        self.client = client
        self.provider = provider
        self.recipient = recipient
        self.date = date
        self.language = language
    }
}

/// One thing the contract says must be handed over, and the rules its files must follow.
package struct Deliverable: Sendable {
    /// Unique within the manifest: lowercase letters, digits and dashes.
    package var id: String
    /// The title: the English one when the manifest gives one per language, else the only one.
    package var title: String
    /// The title per language (`title: {en: …, fr: …}`), by language code; empty when the
    /// manifest gives one title for all.
    package var titles: [String: String] = [:]
    /// A free word used to group deliverables in reports.
    package var category: String?
    /// A required deliverable that is missing or invalid fails the check.
    package var required: Bool
    /// Globs relative to SOURCE that select the deliverable's files.
    package var paths: [Glob]
    /// The fewest files the deliverable must have.
    package var minFiles: Int
    /// Allowed file extensions, lowercase, without the dot; nil allows any.
    package var formats: [String]?
    /// How its CSV files are read, and the columns their header must hold.
    package var csv: CSVRule
    /// The column rule of its .xlsx workbooks, if any.
    package var xlsx: XLSXRule?
    /// The names of the columns every CSV file must have (without their aliases).
    package var requiredColumns: [String] { csv.columns.map(\.name) }
    /// The newest file must be at most this many days old at the handover date.
    package var maxAgeDays: Int?
    /// Confidential files are encrypted for the recipients inside the bundle.
    package var confidential: Bool
    /// Free text: deadlines, the contract clause, hints for whoever fills the manifest.
    package var notes: String?
    /// Secret findings reviewed and accepted for this deliverable.
    package var allowSecrets: SecretAllowance
    /// Globs of files its `paths` select that are not part of it (`exclude:`): they are ignored
    /// by this deliverable, counted, never judged.
    package var exclude: [Glob] = []
    /// Where the deliverable starts in the manifest file, for messages.
    package var line: Int
    /// The evidence of a deliverable of `kind: attestation`; nil for a deliverable of files.
    /// Its `paths` are then the evidence's glob.
    package var attestation: Attestation?

    package init(
        id: String, title: String, category: String? = nil, required: Bool = true, paths: [Glob],
        minFiles: Int = 1, formats: [String]? = nil, requiredColumns: [String] = [], csv: CSVRule? = nil, xlsx: XLSXRule? = nil,
        maxAgeDays: Int? = nil, confidential: Bool = false, notes: String? = nil,
        allowSecrets: SecretAllowance = .none, line: Int = 0
    ) {
        self.id = id
        self.title = title
        self.category = category
        self.required = required
        self.paths = paths
        self.minFiles = minFiles
        self.formats = formats
        self.csv = csv ?? CSVRule(columns: requiredColumns.map { ColumnRule(name: $0) })
        self.xlsx = xlsx
        self.maxAgeDays = maxAgeDays
        self.confidential = confidential
        self.notes = notes
        self.allowSecrets = allowSecrets
        self.line = line
    }
}

/// A day of the calendar, as written `YYYY-MM-DD` in a manifest.
package struct CalendarDate: Sendable, Equatable, CustomStringConvertible {
    package var year: Int
    package var month: Int
    package var day: Int

    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1, day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z at the start of this day, UTC.
    package var startOfDayEpoch: Int64 {
        // Days from civil, after Howard Hinnant's well-known algorithm.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400
    }

    package var description: String {
        func pad(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
