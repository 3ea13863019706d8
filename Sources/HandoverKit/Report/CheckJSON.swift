import Foundation

/// The JSON object `handover missing --format json` prints, documented in README.md
/// ("JSON output of missing"). Field names are stable; new fields may be added.
public struct CheckJSON: Codable, Sendable {
    package struct Parties: Codable, Sendable {
        package var contract, client, provider, recipient: String
        /// The handover date, YYYY-MM-DD, or null when the manifest gives none (today).
        package var date: String?
    }

    package struct DeliverableEntry: Codable, Sendable {
        package var id: String
        package var title: String
        /// The title per language, when the manifest gives one per language (`en`, `fr`).
        package var titles: [String: String]?
        package var category: String?
        package var required: Bool
        package var confidential: Bool
        /// ok, missing, invalid or optional-absent.
        package var status: DeliverableStatus
        package var files: Int
        package var bytes: Int64
        package var paths: [String]
        package var problems: [Problem]
        package var warnings: [Problem]
        /// Secret findings that were allowed, with what allowed each (`--allow-secrets`, or
        /// the deliverable's `allow-secrets:` in the manifest).
        package var allowedSecrets: [AllowedSecret]?
        /// In a bundle's report: each file with its size, path relative to SOURCE (the first
        /// ones only when `omitted.fileList` says how many more there are).
        package var fileList: [FileEntry]?
        /// `attestation` for a deliverable of `kind: attestation`; absent for files.
        package var kind: Kind?
        /// For an attestation: its evidence (`signed-document` or `statement`), and whether it
        /// is attested (the evidence is present and its rules hold).
        package var evidence: String?
        package var attested: Bool?
        /// Files its globs match that it ignores (system junk, `exclude:`), every one; absent
        /// when there are none.
        package var ignored: [String]?
        /// In a bundle's report: how many entries of this deliverable's lists are left out;
        /// absent when none is.
        package var omitted: Omitted?
    }

    /// How many entries of each list a bundle's report.json leaves out: it keeps the first ones
    /// and counts the rest, so that it stays a tag file verify keeps whole however many files
    /// the handover has (the payload manifests list every file with its digest). A count is
    /// absent when nothing of that list is left out.
    package struct Omitted: Codable, Sendable, Equatable {
        package var fileList, problems, warnings, allowedSecrets, ignored, emptyFolders: Int?

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

    /// A file and its size. Made from a SourceFile it keeps that file's path bytes (shared, not
    /// copied) and makes the text when asked: a report on a million files holds no million
    /// Strings.
    package struct FileEntry: Codable, Sendable {
        private enum Path: Sendable {
            case source([UInt8])
            case text(String)
        }

        private var storedPath: Path
        package var bytes: Int64

        package init(path: String, bytes: Int64) {
            storedPath = .text(path)
            self.bytes = bytes
        }

        /// The file of SOURCE (or of a bag's payload): its path is shown as `displayPath` would.
        package init(_ file: SourceFile) {
            storedPath = .source(file.path)
            bytes = file.size
        }

        /// The path relative to SOURCE, as shown (VisibleText).
        package var path: String {
            switch storedPath {
            case .source(let bytes): VisibleText.name(bytes: bytes)
            case .text(let text): text
            }
        }

        private enum CodingKeys: String, CodingKey { case path, bytes }

        package init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            storedPath = .text(try container.decode(String.self, forKey: .path))
            bytes = try container.decode(Int64.self, forKey: .bytes)
        }

        package func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(bytes, forKey: .bytes)
        }
    }

    /// In a bundle's report: how and when it was built.
    package struct BuildInfo: Codable, Sendable {
        package var bagName: String
        /// RFC 3339, UTC.
        package var created: String
        package var tool: String
        package var algorithms: [String]
        package var allowIncomplete: Bool
        package var payloadFiles: Int
        package var payloadBytes: Int64
        /// The age recipients (public keys) confidential deliverables are encrypted for.
        package var recipients: [String]
        /// How many payload files are stored encrypted (`<name>.age`).
        package var encryptedFiles: Int
        /// "remote" when the payload stayed in object storage, listed in fetch.txt (absent when
        /// it is in the bundle, as in every bundle before this field).
        package var payload: String? = nil
    }

    package struct NotCollected: Codable, Sendable {
        package var count: Int
        package var bytes: Int64
        /// The first paths (1,000 at most), relative to SOURCE; `count` counts them all.
        package var files: [String]
    }

    package struct Summary: Codable, Sendable {
        package var required: Int
        package var ok: Int
        package var missing: Int
        package var invalid: Int
        package var optionalAbsent: Int
    }

    /// Always 1 for this shape.
    public var formatVersion = 1
    public var manifest: String
    package var handover: Parties
    /// True when every required deliverable is ok (exit status 0).
    public var passed: Bool
    package var summary: Summary
    package var deliverables: [DeliverableEntry]
    package var notCollected: NotCollected
    public var secretsAllowed: Bool
    /// Files of SOURCE ignored as a whole (system junk, the manifest's `exclude:`), every one;
    /// absent from reports made before it existed.
    package var ignored: NotCollected?
    /// Folders of SOURCE with nothing in them, paths relative to SOURCE.
    public var emptyFolders: [String]?
    /// In a bundle's report: how many empty folders `emptyFolders` leaves out.
    package var omitted: Omitted?
    /// `handover:` values still as a template wrote them; the manifest is then not ready.
    package var notFilledIn: [UnfilledField]?
    /// Names Windows cannot hold were judged as problems (`--windows-safe`).
    public var windowsSafe: Bool?
    /// Present in a bundle's `handover/report.json`, absent from `missing --format json`.
    package var build: BuildInfo?
    /// For `missing BUNDLE`: the bundle in the three words `verify` uses (intact-and-complete,
    /// intact-but-incomplete or not-intact); absent for a SOURCE folder.
    package var state: BundleVerification.Integrity?

    /// `listed` bounds each list (files, problems, warnings, findings, ignored and not collected
    /// files, empty folders) to its first entries and counts the rest in `omitted`; nil keeps
    /// every entry (`missing --format json`), except the not collected files' first 1,000.
    package init(_ report: CheckReport, build: BuildInfo? = nil, listed cap: Int? = nil) {
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
                files = shown.map { FileEntry($0) }
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
