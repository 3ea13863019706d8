/// One finding about a bag: a problem (the bag is not valid) or a warning (valid, but worth a look).
///
/// Findings are results, not thrown errors: the verifier reports every one it meets, each naming
/// the file it is about, so the person receiving the bundle sees the whole picture at once.
package struct BagIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether the finding makes the bag invalid.
    package enum Severity: String, Sendable, Hashable, Codable {
        case problem, warning
    }

    package var severity: Severity
    /// What rule the finding is about, stable for machines (JSON output, tests).
    package var code: Code
    /// The file concerned, relative to the bag's root ("data/a.csv", "bag-info.txt").
    package var file: String
    /// The line of `file` concerned, counted from 1, when the finding is about one line.
    package var line: Int?
    /// A sentence for the person at the terminal.
    package var message: String

    package init(_ severity: Severity, _ code: Code, file: String, line: Int? = nil, _ message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    package var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "\(place): \(message)"
    }

    /// The rules of RFC 8493 (and of prudence) a finding can be about.
    package enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        // bagit.txt (RFC 8493 §2.1.1)
        case missingDeclaration = "bagit-txt-missing"
        case declarationByteOrderMark = "bagit-txt-bom"
        case malformedDeclaration = "bagit-txt-malformed"
        case unsupportedVersion = "bagit-version-unsupported"
        /// A draft before 0.97: read, but worth knowing about.
        case oldVersion = "bagit-version-old"
        case unknownEncoding = "tag-encoding-unknown"
        // Text tag files (§2.3)
        case tagFileByteOrderMark = "tag-file-bom"
        case invalidText = "tag-file-invalid-text"
        case lineTooLong = "line-too-long"
        case tagFileTooLarge = "tag-file-too-large"
        // bag-info.txt (§2.2.2)
        case malformedBagInfo = "bag-info-malformed"
        case malformedPayloadOxum = "payload-oxum-malformed"
        case repeatedPayloadOxum = "payload-oxum-repeated"
        case payloadOxumMismatch = "payload-oxum-mismatch"
        case malformedBaggingDate = "bagging-date-malformed"
        case repeatedLabel = "bag-info-label-repeated"
        // Manifests (§2.1.3, §2.2.1)
        case missingPayloadDirectory = "payload-directory-missing"
        case noPayloadManifest = "payload-manifest-missing"
        case unsupportedAlgorithm = "algorithm-unsupported"
        case weakAlgorithmsOnly = "algorithms-weak"
        case malformedManifestLine = "manifest-line-malformed"
        case malformedChecksum = "checksum-malformed"
        case md5sumBinaryMarker = "md5sum-binary-marker"
        case repeatedManifestEntry = "manifest-entry-repeated"
        case conflictingManifestEntry = "manifest-entry-conflicting"
        case tagManifestListsTagManifest = "tag-manifest-lists-tag-manifest"
        case tagManifestOmitsManifest = "tag-manifest-omits-manifest"
        // Paths (§2.1.3, §6.1)
        case absolutePath = "path-absolute"
        case parentPath = "path-parent"
        case homePath = "path-home"
        case invalidPath = "path-invalid"
        case dotSegment = "path-dot-segment"
        case backslash = "path-backslash"
        case notUnderPayload = "path-outside-payload"
        case payloadInTagManifest = "tag-manifest-lists-payload"
        case percentNotEncoded = "path-percent-not-encoded"
        case normalizationMismatch = "path-normalization-mismatch"
        // Completeness and validity (§3)
        case unlistedFile = "file-unlisted"
        case missingFile = "file-missing"
        case checksumMismatch = "checksum-mismatch"
        /// Listed, present and read, yet no checksum of the manifest's algorithm was computed:
        /// said, since an unchecked file must never pass for a checked one.
        case notChecked = "file-not-checked"
        case notRegularFile = "entry-not-regular"
        case repeatedEntry = "entry-repeated"
        /// A path held as a file and as a folder (a folder entry of that name, or entries below it).
        case fileAndFolder = "entry-file-and-folder"
        /// A folder entry under data/ with nothing below it: no manifest covers it.
        case emptyFolder = "folder-empty"
        /// Outside data/ and listed in no tag manifest (in a signed bundle: not in the signed one).
        case unlistedEntry = "entry-unlisted"
        case exceedsPromise = "entry-exceeds-promise"
        // fetch.txt (§2.2.3)
        case malformedFetchLine = "fetch-line-malformed"
        case fetchNotInManifest = "fetch-not-in-manifest"
        case fetchLengthMismatch = "fetch-length-mismatch"
        /// A path fetch.txt lists twice (with one URL or two).
        case repeatedFetchPath = "fetch-path-repeated"
        case holeyBag = "bag-holey"
        /// `verify --fetch`: the object fetch.txt points at does not exist (incomplete).
        case objectMissing = "object-missing"
        /// `verify --fetch`: the object's size is not the one fetch.txt announces (altered).
        case objectSizeMismatch = "object-size-mismatch"
        // Interoperability (§7.2)
        case systemFile = "system-file"
        case caseCollision = "name-case-collision"
        case normalizationCollision = "name-normalization-collision"
        case tooManyIssues = "issues-truncated"
    }
}

/// Collects the findings of the parsers and the verifier, with a bound on how many are kept.
///
/// A hostile manifest of a million bad lines must not grow a million findings: past `limit` the
/// findings are counted, and one last finding says how many were left out.
package struct BagDiagnostics: Sendable {
    package private(set) var issues: [BagIssue] = []
    package private(set) var omitted = 0
    private var omittedProblems = 0
    package let limit: Int

    package init(limit: Int = 10_000) {
        self.limit = limit
    }

    package mutating func add(_ issue: BagIssue) {
        if issues.count < limit {
            issues.append(issue)
        } else {
            omitted += 1
            if issue.severity == .problem { omittedProblems += 1 }
        }
    }

    /// Counts a finding left out without building it (its message may be costly).
    package mutating func omit(_ severity: BagIssue.Severity) {
        omitted += 1
        if severity == .problem { omittedProblems += 1 }
    }

    /// Whether another finding would be kept.
    package var isFull: Bool { issues.count >= limit }

    package mutating func problem(_ code: BagIssue.Code, _ file: String, line: Int? = nil, _ message: String) {
        add(BagIssue(.problem, code, file: file, line: line, message))
    }

    package mutating func warning(_ code: BagIssue.Code, _ file: String, line: Int? = nil, _ message: String) {
        add(BagIssue(.warning, code, file: file, line: line, message))
    }

    /// The findings, with one more saying how many were left out, if any were.
    package var all: [BagIssue] {
        guard omitted > 0 else { return issues }
        let severity: BagIssue.Severity = omittedProblems > 0 ? .problem : .warning
        let note = BagIssue(severity, .tooManyIssues, file: ".", "\(omitted) further findings were left out of this report.")
        return issues + [note]
    }

    package var hasProblems: Bool { omittedProblems > 0 || issues.contains { $0.severity == .problem } }
}
