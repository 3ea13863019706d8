import Foundation

/// The JSON object `handover missing --format json` prints, documented in README.md
/// ("JSON output of missing"). Field names are stable; new fields may be added.
public struct CheckJSON: Codable, Sendable {
    public struct Parties: Codable, Sendable {
        public var contract, client, provider, recipient: String
        /// The handover date, YYYY-MM-DD, or null when the manifest gives none (today).
        public var date: String?
    }

    public struct DeliverableEntry: Codable, Sendable {
        public var id: String
        public var title: String
        /// The title per language, when the manifest gives one per language (`en`, `fr`).
        public var titles: [String: String]?
        public var category: String?
        public var required: Bool
        public var confidential: Bool
        /// ok, missing, invalid or optional-absent.
        public var status: DeliverableStatus
        public var files: Int
        public var bytes: Int64
        public var paths: [String]
        public var problems: [Problem]
        public var warnings: [Problem]
        /// Secret findings that were allowed, with what allowed each (`--allow-secrets`, or
        /// the deliverable's `allow-secrets:` in the manifest).
        public var allowedSecrets: [AllowedSecret]?
        /// In a bundle's report: each file with its size, path relative to SOURCE (the first
        /// ones only when `omitted.fileList` says how many more there are).
        public var fileList: [FileEntry]?
        /// `attestation` for a deliverable of `kind: attestation`; absent for files.
        public var kind: Kind?
        /// For an attestation: its evidence (`signed-document` or `statement`), and whether it
        /// is attested (the evidence is present and its rules hold).
        public var evidence: String?
        public var attested: Bool?
        /// Files its globs match that it ignores (system junk, `exclude:`), every one; absent
        /// when there are none.
        public var ignored: [String]?
        /// In a bundle's report: how many entries of this deliverable's lists are left out;
        /// absent when none is.
        public var omitted: Omitted?
    }

    /// How many entries of each list a bundle's report.json leaves out: it keeps the first ones
    /// and counts the rest, so that it stays a tag file verify keeps whole however many files
    /// the handover has (the payload manifests list every file with its digest). A count is
    /// absent when nothing of that list is left out.
    public struct Omitted: Codable, Sendable, Equatable {
        public var fileList, problems, warnings, allowedSecrets, ignored, emptyFolders: Int?

        /// Nil when nothing is left out, so that the key is absent.
        var orNil: Omitted? { self == Omitted() ? nil : self }

        /// The first `cap` of `list` (all when `cap` is nil), counting the rest in `count`.
        static func first<T>(_ list: [T], _ cap: Int?, counting count: inout Int?) -> [T] {
            guard let cap, list.count > cap else { return list }
            count = list.count - cap
            return Array(list.prefix(cap))
        }
    }

    /// What a deliverable is made of, when it is not files: a string-backed identifier, so that
    /// a report.json read back from another version keeps a kind this one does not know.
    public struct Kind: RawRepresentable, Hashable, Codable, Sendable {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        /// A deliverable of `kind: attestation`: evidence that something was done.
        public static let attestation = Kind(rawValue: "attestation")
    }

    public struct FileEntry: Codable, Sendable {
        public var path: String
        public var bytes: Int64
    }

    /// In a bundle's report: how and when it was built.
    public struct BuildInfo: Codable, Sendable {
        public var bagName: String
        /// RFC 3339, UTC.
        public var created: String
        public var tool: String
        public var algorithms: [String]
        public var allowIncomplete: Bool
        public var payloadFiles: Int
        public var payloadBytes: Int64
        /// The age recipients (public keys) confidential deliverables are encrypted for.
        public var recipients: [String]
        /// How many payload files are stored encrypted (`<name>.age`).
        public var encryptedFiles: Int
        /// "remote" when the payload stayed in object storage, listed in fetch.txt (absent when
        /// it is in the bundle, as in every bundle before this field).
        public var payload: String? = nil
    }

    public struct NotCollected: Codable, Sendable {
        public var count: Int
        public var bytes: Int64
        /// The first paths (1,000 at most), relative to SOURCE; `count` counts them all.
        public var files: [String]
    }

    public struct Summary: Codable, Sendable {
        public var required: Int
        public var ok: Int
        public var missing: Int
        public var invalid: Int
        public var optionalAbsent: Int
    }

    /// Always 1 for this shape.
    public var formatVersion = 1
    public var manifest: String
    public var handover: Parties
    /// True when every required deliverable is ok (exit status 0).
    public var passed: Bool
    public var summary: Summary
    public var deliverables: [DeliverableEntry]
    public var notCollected: NotCollected
    public var secretsAllowed: Bool
    /// Files of SOURCE ignored as a whole (system junk, the manifest's `exclude:`), every one;
    /// absent from reports made before it existed.
    public var ignored: NotCollected?
    /// Folders of SOURCE with nothing in them, paths relative to SOURCE.
    public var emptyFolders: [String]?
    /// In a bundle's report: how many empty folders `emptyFolders` leaves out.
    public var omitted: Omitted?
    /// `handover:` values still as a template wrote them; the manifest is then not ready.
    public var notFilledIn: [UnfilledField]?
    /// Names Windows cannot hold were judged as problems (`--windows-safe`).
    public var windowsSafe: Bool?
    /// Present in a bundle's `handover/report.json`, absent from `missing --format json`.
    public var build: BuildInfo?
    /// For `missing BUNDLE`: the bundle in the three words `verify` uses (intact-and-complete,
    /// intact-but-incomplete or not-intact); absent for a SOURCE folder.
    public var state: BundleVerification.Integrity?

    /// `listed` bounds each list (files, problems, warnings, findings, ignored and not collected
    /// files, empty folders) to its first entries and counts the rest in `omitted`; nil keeps
    /// every entry (`missing --format json`), except the not collected files' first 1,000.
    public init(_ report: CheckReport, build: BuildInfo? = nil, listed cap: Int? = nil) {
        self.build = build
        let parties = report.manifest.parties
        manifest = report.manifest.fileName
        handover = Parties(contract: parties.contract, client: parties.client, provider: parties.provider,
                           recipient: parties.recipient, date: parties.date?.description)
        passed = report.passed
        deliverables = report.results.map { result in
            var omitted = Omitted()
            // Only the first files become entries: a million files are not turned into strings.
            var files: [FileEntry]?
            if build != nil {
                let shown = result.files.prefix(cap ?? .max)
                if shown.count < result.files.count { omitted.fileList = result.files.count - shown.count }
                files = shown.map { FileEntry(path: $0.displayPath, bytes: $0.size) }
            }
            let ignored = Omitted.first(result.ignored, cap, counting: &omitted.ignored)
            return DeliverableEntry(
                id: result.deliverable.id, title: result.deliverable.title,
                titles: result.deliverable.titles.isEmpty ? nil : result.deliverable.titles, category: result.deliverable.category,
                required: result.deliverable.required, confidential: result.deliverable.confidential,
                status: result.status, files: result.files.count, bytes: result.bytes,
                paths: result.deliverable.paths.map(\.pattern),
                problems: Omitted.first(result.problems, cap, counting: &omitted.problems),
                warnings: Omitted.first(result.warnings, cap, counting: &omitted.warnings),
                allowedSecrets: Omitted.first(result.allowedSecrets, cap, counting: &omitted.allowedSecrets),
                fileList: files,
                kind: result.deliverable.attestation == nil ? nil : .attestation,
                evidence: result.deliverable.attestation?.evidenceName,
                attested: result.deliverable.attestation == nil ? nil : result.status == .ok,
                ignored: ignored.isEmpty ? nil : ignored.map(\.displayPath), omitted: omitted.orNil)
        }
        let required = report.results.filter(\.deliverable.required)
        summary = Summary(
            required: required.count,
            ok: report.results.filter { $0.status == .ok }.count,
            missing: report.results.filter { $0.status == .missing }.count,
            invalid: report.results.filter { $0.status == .invalid }.count,
            optionalAbsent: report.results.filter { $0.status == .optionalAbsent }.count)
        notCollected = NotCollected(
            count: report.notCollected.count,
            bytes: report.notCollected.reduce(0) { $0 + $1.size },
            files: report.notCollected.prefix(min(1000, cap ?? 1000)).map(\.displayPath))
        secretsAllowed = report.secretsAllowed
        ignored = NotCollected(count: report.ignored.count, bytes: report.ignored.reduce(0) { $0 + $1.size },
                               files: report.ignored.prefix(cap ?? .max).map(\.displayPath))
        var omitted = Omitted()
        emptyFolders = Omitted.first(report.emptyFolders, cap, counting: &omitted.emptyFolders)
        self.omitted = omitted.orNil
        notFilledIn = report.unfilled
        windowsSafe = report.windowsSafe
    }

    /// Pretty, key-sorted JSON text, with a final newline.
    public func encoded() -> String {
        encodeJSON(self)
    }
}

/// Pretty-printed, key-sorted JSON with a final newline; used for every JSON the tool writes.
public func encodeJSON<T: Encodable>(_ value: T) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value) else { return "{}\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
}
