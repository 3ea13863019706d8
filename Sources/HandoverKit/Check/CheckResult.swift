/// Where a deliverable stands after its rules were checked.
public enum DeliverableStatus: String, Sendable, Codable {
    /// Every rule holds.
    case ok
    /// A required deliverable has no file at all.
    case missing
    /// Files are there but some rule fails.
    case invalid
    /// An optional deliverable with no file: fine, but said.
    case optionalAbsent = "optional-absent"
}

/// One thing wrong with a deliverable, naming the file when there is one.
public struct Problem: Sendable, Equatable, Codable {
    /// The file's path relative to SOURCE (or to the bag's data/), when the problem is about one file.
    public var file: String?
    /// What is wrong, in words for the person who must fix it.
    public var message: String

    public init(file: String? = nil, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { file.map { "\($0): \(message)" } ?? message }
}

/// A secret finding that does not fail the check, and what allowed it: `--allow-secrets`, or
/// the deliverable's `allow-secrets:` in the manifest (as written there).
public struct AllowedSecret: Sendable, Equatable, Codable {
    /// The file's path relative to SOURCE.
    public var file: String
    /// What was found and where (never the secret itself).
    public var finding: String
    /// `--allow-secrets`, `allow-secrets: true` or `allow-secrets: <glob>`.
    public var allowedBy: String

    public init(file: String, finding: String, allowedBy: String) {
        self.file = file
        self.finding = finding
        self.allowedBy = allowedBy
    }
}

/// The outcome of one deliverable's rules.
public struct DeliverableResult: Sendable {
    public var deliverable: Deliverable
    public var status: DeliverableStatus
    /// The files the deliverable's globs selected (including those that have problems).
    public var files: [SourceFile]
    public var problems: [Problem]
    /// Findings that do not fail the check: secrets allowed by `--allow-secrets`, optional notes.
    public var warnings: [Problem] = []
    /// The secret findings that were allowed, each with what allowed it.
    public var allowedSecrets: [AllowedSecret] = []

    /// Bytes of the deliverable's files.
    public var bytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Whether this result fails the check: a required deliverable that is not ok.
    public var failsCheck: Bool { deliverable.required && (status == .missing || status == .invalid) }
}

/// The outcome of checking a SOURCE (or a bundle's payload) against a manifest.
public struct CheckReport: Sendable {
    public var manifest: Manifest
    /// The moment ages were measured at: the end of the handover date, or now.
    public var referenceTime: Timestamp
    public var results: [DeliverableResult]
    /// Files no deliverable selects; they are not packaged.
    public var notCollected: [SourceFile]
    /// Secret findings were allowed by `--allow-secrets` (they are still listed).
    public var secretsAllowed: Bool

    /// True when every required deliverable is ok.
    public var passed: Bool { !results.contains { $0.failsCheck } }

    /// Every file selected by at least one deliverable, once, sorted by path.
    public var collectedFiles: [SourceFile] {
        var seen = Set<[UInt8]>()
        var files: [SourceFile] = []
        for result in results {
            for file in result.files where seen.insert(file.path).inserted { files.append(file) }
        }
        return files.sorted { $0.path.lexicographicallyPrecedes($1.path) }
    }
}
