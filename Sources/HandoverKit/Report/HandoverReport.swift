/// The handover report: everything `handover report` shows, for people (HTML, Markdown) and for
/// machines (`--format json`, this very shape, documented in README.md "JSON output of report").
///
/// It is made from one of three sources: a bundle that was just verified (`init(verified:)`), a
/// SOURCE folder checked against a manifest (`init(checked:)`), or a build in progress, for the
/// `handover/report.html` each bundle carries (`init(building:)`). The renderers only read it,
/// so the HTML, the Markdown and the JSON always say the same thing.
/// Field names are stable; new fields may be added.
public struct HandoverReport: Codable, Sendable {
    /// What the report is about.
    public enum Kind: String, Codable, Sendable {
        /// A received bundle, verified: integrity, completeness, signature, time-stamp.
        case bundle
        /// A SOURCE folder checked against a manifest, before any bundle exists.
        case source
        /// The report written inside a bundle while it is built (`handover/report.html`).
        case build
    }

    /// The outcome in one word.
    package enum Verdict: String, Codable, Sendable {
        /// Every required deliverable is there and valid; for a bundle, it is also intact and its
        /// evidence holds.
        case complete
        /// Intact, but some required deliverable is missing or invalid.
        case incomplete
        /// The bundle is damaged or tampered with, or its signature or time-stamp fails.
        case invalid
        /// An intact bag that carries no manifest: completeness could not be checked.
        case intact
        /// A received bundle that is intact (and complete, when it carries a manifest), but not
        /// signed by a key the reader trusts: anybody could have produced it. It passes
        /// (`handover verify` exits 0 unless asked to require a signature), shown in amber.
        case unauthenticated
    }

    /// The dates of the handover, each RFC 3339 UTC or `YYYY-MM-DD`, a key is left out when unknown (as every absent value in this shape).
    package struct Dates: Codable, Sendable {
        /// The handover date of the manifest (YYYY-MM-DD); absent when the manifest gives none.
        package var handover: String?
        /// When the bundle was built (its bag-info.txt `Handover-Created`).
        package var bundleCreated: String?
        /// The time the bundle's RFC 3161 time-stamp asserts, once verified against a TSA the
        /// reader trusts; absent otherwise.
        package var timestamped: String?
        /// When this report was made.
        package var generated: String
    }

    /// The bundle itself: which file, its checksum, and how it was built.
    package struct Bundle: Codable, Sendable {
        package var path: String?
        package var bagName: String?
        /// False for a bag folder.
        package var isArchive: Bool
        /// The archive's size in bytes (absent for a folder).
        package var bytes: Int64?
        /// SHA-256 of the archive file as received (absent for a folder, and inside the bundle).
        package var sha256: String?
        /// How the SHA-256 compares with `<archive>.sha256` beside it: match, mismatch or absent.
        package var sidecar: ArchiveChecksum.Sidecar?
        package var payloadFiles: Int
        package var payloadBytes: Int64
        /// The build was asked to write the bundle even though deliverables were not ready.
        package var builtIncomplete: Bool
        /// How many payload files are stored encrypted with age, and for whom.
        package var encryptedFiles: Int
        package var recipients: [String]
        /// True when the payload stayed in object storage (fetch.txt); absent otherwise.
        package var remotePayload: Bool? = nil
        /// With `--fetch` or `--merge`: the files fetch.txt lists, and how many were checked in
        /// object storage. Absent otherwise.
        package var remoteObjects: Int?
        package var remoteChecked: Int?
        /// The tool that built the bundle, from its report.json.
        package var builtBy: String?
        /// bag-info.txt's fields, in order, as [label, value] pairs.
        package var bagInfo: [[String]]
        /// In a report made while building: whether a signature and a time-stamp are added
        /// after this report (they cover it). Absent from the other reports.
        package var signatureRequested: Bool?
        package var timestampRequested: Bool?
    }

    /// Always 1 for this shape.
    public var formatVersion = 1
    public var kind: Kind
    /// The bundle or SOURCE path as given on the command line (the bag name for `build`).
    public var subject: String
    /// The manifest the deliverables were checked against.
    public var manifest: String?
    public var tool: String
    package var verdict: Verdict
    /// The bundle in the three words every output uses: intact-and-complete,
    /// intact-but-incomplete or not-intact (as `handover verify --format json` says it).
    /// Absent for a SOURCE folder, which is not a bundle yet.
    package var state: BundleVerification.Integrity?
    /// True when `handover verify` would exit 0: complete, intact or unauthenticated.
    public var passed: Bool
    /// For a received bundle: authenticated, unknown-key, not-signed or bad-signature.
    package var authenticity: EvidenceCheck.Authenticity?
    /// The contract and the parties (from the manifest, or from bag-info.txt without one).
    package var handover: CheckJSON.Parties
    package var dates: Dates
    /// Counts of deliverables by status; absent when no manifest could be read.
    package var summary: CheckJSON.Summary?
    /// Each deliverable with its status, files (`fileList`, always present here) and problems.
    /// For a bundle, a payload file that fails its checksum makes its deliverable invalid.
    package var deliverables: [CheckJSON.DeliverableEntry]
    /// Files of SOURCE no deliverable selects (reports on SOURCE and at build time).
    package var notCollected: CheckJSON.NotCollected?
    /// Files of SOURCE ignored as a whole: system junk and the manifest's `exclude:`.
    package var ignored: CheckJSON.NotCollected?
    package var bundle: Bundle?
    /// The BagIt check (reports on a bundle).
    package var integrity: VerifyJSON.Integrity?
    /// Absent when the report is not about a received bundle (the evidence is checked on receipt).
    package var signature: VerifyJSON.Signature?
    package var timestamp: VerifyJSON.Timestamp?
    /// Problems with the bundle as a whole: an unreadable manifest, a failed signature or
    /// time-stamp, a damaged archive. Deliverable problems are under each deliverable.
    public var problems: [String]
    /// A chained delivery's changes since the previous one (its `handover/changes.json`).
    public var changes: DiffJSON?
    /// The same problems, in the same order, each with its code and parameters when it has
    /// them, so that a report in another language can say them in it.
    package var problemDetails: [Problem]?
    /// The reservations of the receiving parties, as given to `report --reservations` (plain
    /// text); printed in the signing page's reservations box. Absent when none were given.
    public var reservations: String?
    /// The signed receipts given to `report --receipt`, each as checked against this bundle.
    public var receipts: [ReceiptEntry]?

    /// Pretty, key-sorted JSON text with a final newline.
    public func encoded() -> String {
        var bytes: [UInt8] = []
        writeJSON { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same text in pieces, the file lists streamed rather than held whole (`FileListJSON`).
    public func writeJSON(_ write: ([UInt8]) throws -> Void) rethrows {
        try FileListJSON.write(self, write)
    }

    /// Why the report does not pass, one line each: the bundle's problems, then the
    /// deliverables not ready. Empty when it passes.
    public var failureReasons: [String] {
        guard !passed else { return [] }
        var reasons = (integrity?.problems ?? []).map(\.description) + problems
        for entry in deliverables where entry.required && (entry.status == .missing || entry.status == .invalid) {
            reasons.append("\(entry.id): \(entry.status.rawValue) (\(entry.title))")
        }
        return reasons
    }

    /// The deliverables in a given status, in manifest order.
    package func deliverables(_ status: DeliverableStatus) -> [CheckJSON.DeliverableEntry] {
        deliverables.filter { $0.status == status }
    }
}
