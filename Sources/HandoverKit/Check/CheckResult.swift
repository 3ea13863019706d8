/// Where a deliverable stands after its rules were checked.
package enum DeliverableStatus: String, Sendable, Codable {
    /// Every rule holds.
    case ok
    /// A required deliverable has no file at all.
    case missing
    /// Files are there but some rule fails.
    case invalid
    /// An optional deliverable with no file: fine, but said.
    case optionalAbsent = "optional-absent"

    /// Read back from a bundle's report.json: a status this version does not know (a newer
    /// tool's, or a file edited by hand) reads as invalid, never as fine, and the rest of the
    /// report stays readable.
    package init(from decoder: Decoder) throws {
        self = DeliverableStatus(rawValue: try decoder.singleValueContainer().decode(String.self)) ?? .invalid
    }
}

/// One thing wrong with a deliverable, naming the file when there is one.
///
/// A problem found by the checks carries a stable `code` and the `parameters` its sentence is
/// made from, so that a report can say it in its own language (`ProblemSentences`); `message`
/// is the English sentence, for the terminal and for readers of the JSON.
package struct Problem: Sendable, Equatable, Codable {
    /// The file's path relative to SOURCE (or to the bag's data/), when the problem is about one file.
    package var file: String?
    /// What is wrong, in words for the person who must fix it.
    package var message: String
    /// What kind of problem it is, stable for machines; absent from reports made before codes existed.
    package var code: ProblemCode?
    /// The values the sentence is made from, by name (`globs`, `expected`…).
    package var parameters: [String: String]?

    package init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    /// A problem whose English message is made from `code`'s sentence and `parameters`.
    package init(file: String? = nil, _ code: ProblemCode, _ parameters: [String: String] = [:]) {
        self.file = file
        self.code = code
        self.parameters = parameters.isEmpty ? nil : parameters
        self.message = ProblemSentences.english(code, parameters) ?? code.rawValue
    }

    package var description: String { file.map { "\($0): \(message)" } ?? message }

    /// Why an attestation is not attested: its evidence is absent.
    static func notAttested(_ attestation: Attestation, globs: String) -> Problem {
        switch attestation {
        case .signedDocument: Problem(.documentNotAttested, ["globs": globs])
        case .statement: Problem(.statementNotAttested, ["path": globs])
        }
    }
}

/// What kind of problem a `Problem` is: the deliverable checks' own codes, and the BagIt
/// findings' codes (`BagIssue.Code`) when a payload file fails its checksum. A string-backed
/// identifier rather than an enum, so that a report read back from an older or newer bundle
/// keeps the codes it does not know.
public struct ProblemCode: RawRepresentable, Hashable, Sendable, Codable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    package init(_ issue: BagIssue.Code) { rawValue = issue.rawValue }

    public init(from decoder: Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A required deliverable with no file: `globs`.
    public static let noFileMatches = ProblemCode(rawValue: "no-file-matches")
    /// An optional deliverable with no file (a note, not a problem): `globs`.
    public static let optionalAbsent = ProblemCode(rawValue: "optional-absent")
    /// Fewer files than `min-files`: `found`, `minimum`.
    public static let tooFewFiles = ProblemCode(rawValue: "too-few-files")
    /// An extension outside `formats`: `format` (without the dot), `expected`.
    public static let formatNotAllowed = ProblemCode(rawValue: "format-not-allowed")
    /// A file without extension where `formats` is set: `expected`.
    public static let extensionMissing = ProblemCode(rawValue: "extension-missing")
    public static let emptyFile = ProblemCode(rawValue: "empty-file")
    /// A CSV without header row: `expected`.
    public static let csvNoHeader = ProblemCode(rawValue: "csv-no-header")
    /// A CSV whose header lacks required columns: `count`, `missing`, `found`.
    public static let csvMissingColumns = ProblemCode(rawValue: "csv-missing-columns")
    /// A CSV header lacking columns, as read from row `row`: `count`, `missing`, `row`, `found`
    /// (the `-read-as` forms add `encoding`; the `-hint` forms add `better`, the row that holds them).
    public static let csvMissingInRow = ProblemCode(rawValue: "csv-missing-columns-in-row")
    public static let csvMissingInRowHint = ProblemCode(rawValue: "csv-missing-columns-in-row-hint")
    public static let csvMissingInRowReadAs = ProblemCode(rawValue: "csv-missing-columns-in-row-read-as")
    public static let csvMissingInRowReadAsHint = ProblemCode(rawValue: "csv-missing-columns-in-row-read-as-hint")
    /// A CSV decoded in an 8-bit code page because it is not UTF-8 (a note): `encoding`.
    public static let csvReadAsGuessed = ProblemCode(rawValue: "csv-read-as-guessed")
    /// The same, as `csv.encoding` says: `encoding`, `told`.
    public static let csvReadAsTold = ProblemCode(rawValue: "csv-read-as-told")
    /// `csv.encoding: utf-8` for a file that is not valid UTF-8 (a note): `encoding`.
    public static let csvReadAsToldUTF8 = ProblemCode(rawValue: "csv-read-as-told-utf-8")
    /// `csv.header-row` names a row past the file's end: `row`, `rows` (how many it has), `expected`.
    public static let csvNoHeaderRow = ProblemCode(rawValue: "csv-no-header-row")
    /// `csv.header-row` names an empty row: `row`, `expected`.
    public static let csvHeaderRowEmpty = ProblemCode(rawValue: "csv-header-row-empty")
    /// The newest file is older than `max-age-days`: `age`, `maximum` (at the handover date).
    public static let tooOld = ProblemCode(rawValue: "too-old")
    /// The same, measured today because the manifest has no handover date.
    public static let tooOldToday = ProblemCode(rawValue: "too-old-today")
    /// The newest file is too old only because its time is clamped to SOURCE_DATE_EPOCH, as the
    /// bundle stores it: `age`, `maximum`, `clamped` (the stored time, RFC 3339), `variable`
    /// (the variable's name, a parameter since a sentence holds no markup character such as `_`).
    public static let tooOldClamped = ProblemCode(rawValue: "too-old-clamped")
    /// The same, measured today because the manifest has no handover date.
    public static let tooOldTodayClamped = ProblemCode(rawValue: "too-old-today-clamped")
    /// `max-age-days` not judged (a note): `count` of the deliverable's files lie in object
    /// storage, where a bag records no date for them; `maximum`.
    public static let ageNotKnown = ProblemCode(rawValue: "age-not-known")
    /// A secret in a file of a deliverable that is not confidential: `finding`.
    public static let secretFound = ProblemCode(rawValue: "secret-found")
    /// A secret allowed by the manifest or `--allow-secrets` (a note): `finding`, `allowed-by`.
    public static let secretAllowed = ProblemCode(rawValue: "secret-allowed")
    /// Secrets counted past the listed ones: `count`.
    public static let secretsNotListed = ProblemCode(rawValue: "secrets-not-listed")
    /// An attestation whose signed document is absent: `globs`.
    public static let documentNotAttested = ProblemCode(rawValue: "attestation-document-absent")
    /// An attestation whose statement file is absent: `path`.
    public static let statementNotAttested = ProblemCode(rawValue: "attestation-statement-absent")
    /// A symbolic link, never followed: `target`.
    public static let symbolicLink = ProblemCode(rawValue: "symbolic-link")
    /// A FIFO, socket or device: `kind`.
    public static let notRegularFile = ProblemCode(rawValue: "not-regular-file")
    /// A folder with nothing in it, inside a deliverable (a note): the file is the folder, with a `/`.
    public static let emptyFolder = ProblemCode(rawValue: "empty-folder")
    /// An office document in object storage whose parts were not read (a warning): `checks`
    /// names what was not done (the `xlsx:` rule, the secret scan of its parts).
    public static let objectPartsNotRead = ProblemCode(rawValue: "object-parts-not-read")
    /// A name holds characters Windows refuses: `characters` (space-separated), `count`.
    public static let windowsCharacters = ProblemCode(rawValue: "windows-characters")
    /// A folder or file named as a Windows device (`CON`, `nul.txt`): `name`.
    public static let windowsReservedName = ProblemCode(rawValue: "windows-reserved-name")
    /// A name ending in a dot or a space, which Windows drops.
    public static let windowsTrailing = ProblemCode(rawValue: "windows-trailing")
    /// A path longer than Windows opens once extracted: `length`, `maximum`.
    public static let windowsPathTooLong = ProblemCode(rawValue: "windows-path-too-long")
    /// A path that another differs from only by case: `other`.
    public static let windowsCaseClash = ProblemCode(rawValue: "windows-case-clash")
    /// A file whose name in the bag is another's: a confidential file is stored encrypted as
    /// `<name>.age`, and another deliverable selects a file of that very name (`other`, `stored`).
    public static let storedNameClash = ProblemCode(rawValue: "stored-name-clash")
    /// A file of a confidential deliverable stored in the bundle as it is, not encrypted.
    public static let storedUnencrypted = ProblemCode(rawValue: "stored-unencrypted")
    /// A `handover:` value still as a template wrote it (about the manifest): `key`, `value`.
    public static let notFilledIn = ProblemCode(rawValue: "not-filled-in")
    /// Several files with the same problem, in one line: `count`, `problem`, `examples`.
    public static let grouped = ProblemCode(rawValue: "grouped")
    /// The archive's SHA-256 differs from its `.sha256` file: `sha256`, `sidecar`, `expected`.
    public static let archiveChecksumMismatch = ProblemCode(rawValue: "archive-checksum-mismatch")
    /// The archive's `.sha256` file holds no checksum: `sha256`, `sidecar`.
    public static let archiveChecksumMissing = ProblemCode(rawValue: "archive-checksum-missing")
}

/// A secret finding that does not fail the check, and what allowed it: `--allow-secrets`, or
/// the deliverable's `allow-secrets:` in the manifest (as written there).
package struct AllowedSecret: Sendable, Equatable, Codable {
    /// The file's path relative to SOURCE.
    package var file: String
    /// What was found and where (never the secret itself).
    package var finding: String
    /// `--allow-secrets`, `allow-secrets: true` or `allow-secrets: <glob>`.
    package var allowedBy: String

    package init(file: String, finding: String, allowedBy: String) {
        self.file = file
        self.finding = finding
        self.allowedBy = allowedBy
    }
}

/// The outcome of one deliverable's rules.
package struct DeliverableResult: Sendable {
    package var deliverable: Deliverable
    package var status: DeliverableStatus
    /// The files the deliverable's globs selected (including those that have problems).
    package var files: [SourceFile]
    package var problems: [Problem]
    /// Findings that do not fail the check: secrets allowed by `--allow-secrets`, optional notes.
    package var warnings: [Problem] = []
    /// The secret findings that were allowed, each with what allowed it.
    package var allowedSecrets: [AllowedSecret] = []
    /// Files its globs match that it ignores (system junk, `exclude:`): counted, never judged.
    package var ignored: [SourceFile] = []

    /// Bytes of the deliverable's files.
    package var bytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Whether this result fails the check: a required deliverable that is not ok.
    package var failsCheck: Bool { deliverable.required && (status == .missing || status == .invalid) }
}

/// The outcome of checking a SOURCE (or a bundle's payload) against a manifest.
public struct CheckReport: Sendable {
    package var manifest: Manifest
    /// The moment ages were measured at: the end of the handover date, or now.
    package var referenceTime: Timestamp
    package var results: [DeliverableResult]
    /// Files no deliverable selects; they are not packaged.
    package var notCollected: [SourceFile]
    /// Secret findings were allowed by `--allow-secrets` (they are still listed).
    public var secretsAllowed: Bool
    /// Files of SOURCE ignored as a whole (system junk, the manifest's `exclude:`); not packaged.
    package var ignored: [SourceFile] = []
    /// Folders of SOURCE with nothing in them (paths relative to SOURCE); no bundle holds them.
    public var emptyFolders: [String] = []
    /// Parties of `handover:` still as a template wrote them: the manifest is not ready.
    package var unfilled: [UnfilledField] = []
    /// Names Windows cannot hold were judged as problems (`--windows-safe`), not warnings.
    public var windowsSafe = false

    /// True when every required deliverable is ok and the parties are filled in.
    public var passed: Bool { !results.contains { $0.failsCheck } && unfilled.isEmpty }

    /// Every file selected by at least one deliverable, once, sorted by path.
    package var collectedFiles: [SourceFile] { Selection.once(results.map(\.files)) }
}
