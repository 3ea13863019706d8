import Foundation

/// Verifies a handover bundle end to end: the bag's integrity (BagIt), then its completeness
/// against the manifest it carries, the signature and the time-stamp.
public enum BundleVerification {
    /// Options of `handover verify`.
    public struct Options {
        /// Accept a bundle whose report says it was built incomplete.
        public var allowIncomplete = false
        /// What the signature and the time-stamp must satisfy.
        public var evidence = EvidenceCheck.Options()
        package var now: Timestamp = .now
        /// Called as payload bytes are read: the bytes read so far, and the payload's size as
        /// bag-info.txt promises it (Payload-Oxum) once that was read, for a percentage.
        public var progress: ((_ done: Int64, _ total: Int64?) -> Void)?
        /// Called after each payload file is read and hashed, with its path relative to `data/`
        /// and its size (`--verbose` lists them).
        public var readFile: ((String, Int64) -> Void)?
        /// Hashes the archive in the verification's own reading (the report and the receipt
        /// record its SHA-256): `VerifiedBundle.archive` then gives it. After a failure, the caller asks
        /// the digest itself (`ArchiveChecksum.after`). An archive with a `.sha256` beside it is
        /// hashed so without asking.
        public var archiveDigest: ArchiveDigest?
        /// A BagIt Profile the bag must meet (`verify --profile FILE`).
        public var profile: BagProfile?
        public init() {}
    }

    /// How intact the bag is, in the words of the verdict.
    package enum Integrity: String, Codable, Sendable {
        /// Every entry is covered by a checksum that matches, and every listed file is there.
        case intactAndComplete = "intact-and-complete"
        /// Nothing was altered, but files listed in fetch.txt are not in the bag.
        case intactButIncomplete = "intact-but-incomplete"
        /// Altered, forged, damaged or unreadable.
        case notIntact = "not-intact"
    }

    /// Opens `path` as a bag folder or a serialized bundle, detected by what it is, not its name.
    /// The first reader of an archive hashes its bytes into `digest`, when one is given. A FIFO
    /// is read once: asked for a second reader, it says so rather than wait for a new writer.
    package static func reader(for path: String, digest: ArchiveDigest? = nil) throws -> () throws -> BundleEntryReader {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FileError(path: path, reason: "no such file or folder")
        }
        if isFolder.boolValue {
            return { try FolderReader(path: path) }
        }
        var digest = digest
        var opened = false
        return {
            defer {
                digest = nil
                opened = true
            }
            if opened, !isRegularFile(path) {
                throw FileError(path: path, reason: "is a FIFO (or another stream), which can be read only once, and this bundle needs a second reading; give it as a file")
            }
            return try ArchiveBagReader(path: path, digest: digest)
        }
    }

    /// Whether `path` is a regular file (following links): what can be read more than once.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    public static func verify(path: String, options: Options) throws -> VerifiedBundle {
        // With a .sha256 beside the archive, the archive is hashed as it is read for the bag:
        // one reading gives both (a FIFO can be verified against its sidecar).
        let digest = options.archiveDigest ?? (isArchiveWithSidecar(path) ? ArchiveDigest() : nil)
        var result = try checkContents(path: path, options: options, digest: digest)
        if let profile = options.profile {
            let subject = ProfileCheck.Subject(bag: result.bag, serialization: result.serialization, isFolder: result.isFolder)
            result.profile = ProfileCheck.check(subject, against: profile)
        }
        result.evidence = try EvidenceCheck.check(result.bag, options: options.evidence)
        result.unlisted = Coverage.apply(to: &result.bag)
        if let digest, digest.isAttached { result.archive = try ArchiveChecksum.after(digest, path: path) }
        return result
    }

    private static func isArchiveWithSidecar(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue && ArchiveChecksum.hasSidecar(path)
    }

    /// What `handover missing BUNDLE` lists: the deliverables of the manifest the bundle carries,
    /// checked against its payload, with the whole verification (the caller says whether the
    /// list can be trusted: a bundle that fails verification is not what the provider made).
    /// - Throws: a `FileError` (exit status 2) when the bundle carries no manifest, or one that
    ///   cannot be read, since there is then no list of deliverables to show.
    public static func deliverables(path: String, options: Options = Options()) throws -> (report: CheckReport, verification: VerifiedBundle) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
           !FileManager.default.fileExists(atPath: path + "/" + BagLayout.manifestCopy) {
            // Said at once, rather than after hashing what may be a whole export folder.
            throw FileError(path: path, reason: noManifest, remedy: .giveManifest)
        }
        let result = try verify(path: path, options: options)
        if let completeness = result.completeness { return (completeness, result) }
        if let problem = result.manifestProblem { throw FileError(path: path, reason: problem) }
        throw FileError(path: path, reason: noManifest, remedy: .giveManifest)
    }

    static let noManifest = "carries no \(BagLayout.manifestCopy), so it has no list of deliverables (was it made by handover build?)."

    /// The bag's integrity, then its completeness against the manifest it carries.
    static func checkContents(path: String, options: Options, digest: ArchiveDigest?) throws -> VerifiedBundle {
        let base = try reader(for: path, digest: digest)
        // The first reader is kept to ask what the archive turned out to be, once it was read.
        var first: BundleEntryReader?
        let open: () throws -> BundleEntryReader = {
            let reader = try base()
            if first == nil { first = reader }
            return reader
        }
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let observer = PayloadFacts(progress: options.progress, readFile: options.readFile)
        let bag = try BagVerifier(open: open).verify(observer: observer)
        var result = VerifiedBundle(path: path, isFolder: isFolder.boolValue, bag: bag, allowIncomplete: options.allowIncomplete)
        result.serialization = (first as? ArchiveBagReader)?.serialization
        if let bytes = bag.tagFile(BagLayout.manifestCopy) {
            do {
                let manifest = try ManifestParser.parse(bytes, fileName: BagLayout.manifestCopy)
                // A manifest without a handover date measured ages at build time: keep to it, so
                // that a bundle verified months later is judged as it was built.
                let asOf = bag.bagInfo.flatMap { createdTime($0) } ?? options.now
                result.completeness = completeness(manifest: manifest, bag: bag, facts: observer, now: asOf)
            } catch {
                result.manifestProblem = "\(BagLayout.manifestCopy) cannot be read: \(error.errorDescription ?? "\(error)")"
            }
        }
        return result
    }

    /// bag-info.txt's Handover-Created (`2026-12-31T12:00:00Z`, as `handover build` writes it),
    /// or nil when it is absent or in another form.
    static func createdTime(_ info: BagInfo) -> Timestamp? {
        guard let text = info.value("Handover-Created"), text.utf8.count == 20 else { return nil }
        let digits = Array(text.utf8)
        let shape = Array("0000-00-00T00:00:00Z".utf8)
        for (byte, expected) in zip(digits, shape) {
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard expected == UInt8(ascii: "0") ? isDigit : byte == expected else { return nil }
        }
        func number(_ from: Int, _ count: Int) -> Int32 {
            digits[from..<(from + count)].reduce(Int32(0)) { $0 * 10 + Int32($1 - UInt8(ascii: "0")) }
        }
        var parts = tm()
        parts.tm_year = number(0, 4) - 1900
        parts.tm_mon = number(5, 2) - 1
        parts.tm_mday = number(8, 2)
        parts.tm_hour = number(11, 2)
        parts.tm_min = number(14, 2)
        parts.tm_sec = number(17, 2)
        guard (0...11).contains(parts.tm_mon), (1...31).contains(parts.tm_mday), parts.tm_hour < 24, parts.tm_min < 60, parts.tm_sec < 61 else { return nil }
        return Timestamp(seconds: Int64(timegm(&parts)))
    }

    /// Runs the deliverable rules on the payload as if it were SOURCE. Secrets are not looked for
    /// here: the recipient cannot undo a leak, and the bundle's report says what the sender allowed.
    ///
    /// The files of a holey bag that fetch.txt lists (with a checksum in the manifests) count as
    /// delivered here, at the size fetch.txt gives: the manifest's rules speak of what the
    /// provider handed over, wherever it lies. Whether their bytes were checked is integrity's
    /// verdict (incomplete without `--fetch`), never this one's. Their ages are not known (a bag
    /// records no time for them): an age rule over them is not judged, and a note says so; their
    /// contents are not read here, so CSV headers are not judged for them.
    static func completeness(manifest: Manifest, bag: BagVerification, facts: PayloadFacts, now: Timestamp) -> CheckReport {
        let stored = bag.payload.lazy.map { SourceFile(bagPath: $0.path, size: $0.size, modified: $0.modified ?? now.seconds) }
        var options = CheckOptions(now: now, allowSecrets: true)
        let data = Array("data/".utf8)
        let remote = bag.fetchItems.filter { $0.path.starts(with: data) && bag.fetchDigests[$0.path] != nil }
        let selection: Selection
        // The files of confidential deliverables that are stored encrypted (as <name>.age).
        var encrypted = Set<[UInt8]>()
        if remote.isEmpty && !manifest.deliverables.contains(where: \.confidential) {
            // The payload as it is, already in byte order: no copy of a million files' list.
            selection = Selection(manifest: manifest, files: stored)
        } else {
            // The name the rules speak of: `<name>` for a confidential file stored as `<name>.age`.
            func ruleName(_ file: SourceFile) -> SourceFile {
                guard let plain = plaintextName(of: file, manifest: manifest) else { return file }
                encrypted.insert(plain.path)
                return plain
            }
            var files: [SourceFile] = stored.map(ruleName)
            var listed = Set<[UInt8]>()
            var undated = Set<[UInt8]>()
            var unsized = Set<[UInt8]>()
            for item in remote {
                let path = Array(item.path.dropFirst(data.count))
                guard !bag.payload.contains(path: path), listed.insert(path).inserted else { continue }
                let stored = SourceFile(bagPath: path, size: item.length ?? 0, modified: now.seconds)
                let file = ruleName(stored)
                files.append(file)
                undated.insert(file.path)
                if item.length == nil { unsized.insert(file.path) }
            }
            files.sort { $0.path.bytewisePrecedes($1.path) }
            selection = Selection(manifest: manifest, files: files)
            options.undated = undated
            options.unsized = unsized
        }
        var report = DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts.facts, options: options)
        // A confidential deliverable's file stored as it is: build never does so, and whoever
        // receives the bundle was promised it encrypted.
        for index in report.results.indices where report.results[index].deliverable.confidential {
            for file in report.results[index].files where !encrypted.contains(file.path) {
                report.results[index].problems.append(Problem(file: file.displayPath, .storedUnencrypted))
                if report.results[index].status == .ok { report.results[index].status = .invalid }
            }
        }
        return report
    }
}

/// A confidential file is stored as `<name>.age`; the rules speak of `<name>`.
func plaintextName(of file: SourceFile, manifest: Manifest) -> SourceFile? {
    let suffix = Array(".age".utf8)
    guard file.path.count > suffix.count, Array(file.path.suffix(suffix.count)) == suffix else { return nil }
    let plain = SourceFile(bagPath: Array(file.path.dropLast(suffix.count)), size: file.size, modified: file.modified.seconds)
    let components = plain.components
    let confidential = manifest.deliverables.contains { deliverable in
        deliverable.confidential && deliverable.paths.contains { $0.matches(components) }
    }
    return confidential ? plain : nil
}

extension SourceFile {
    /// A payload file of a bag seen as a file of SOURCE (its path relative to `data/`).
    init(bagPath: [UInt8], size: Int64, modified: Int64) {
        self.init(path: bagPath, kind: .regular, size: size, modified: Timestamp(seconds: modified))
    }
}

/// Gathers the facts of payload files (CSV headers) as the verifier streams them.
final class PayloadFacts: PayloadObserver {
    private(set) var facts: [[UInt8]: FileFacts] = [:]
    private var current: (path: [UInt8], inspector: FileInspector)?
    private var done: Int64 = 0
    private let progress: ((Int64, Int64?) -> Void)?
    private let readFile: ((String, Int64) -> Void)?
    private var currentFile: (path: [UInt8], start: Int64)?
    /// What bag-info.txt promises, once read.
    private var promised: Int64?

    init(progress: ((Int64, Int64?) -> Void)?, readFile: ((String, Int64) -> Void)? = nil) {
        self.progress = progress
        self.readFile = readFile
    }

    func beginPayloadFile(path: [UInt8], size: Int64?, modified: Int64?) throws {
        currentFile = (path, done)
        let name = Self.fileName(path)
        current = Self.isCSV(name) ? (path, FileInspector(fileName: name, readCSV: true, scanSecrets: false)) : nil
    }

    private static func fileName(_ path: [UInt8]) -> String {
        path.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private static func isCSV(_ name: String) -> Bool { name.lowercased().hasSuffix(".csv") }

    func payloadData(_ chunk: UnsafeRawBufferPointer) throws {
        current?.inspector.consume(chunk)
        done += Int64(chunk.count)
        progress?(done, promised)
    }

    func payloadPromised(_ octets: Int64) {
        if promised == nil { promised = octets }
    }

    func endPayloadFile(complete: Bool) throws {
        if let file = currentFile, let readFile { readFile(VisibleText.name(bytes: file.path), done - file.start) }
        currentFile = nil
        if var current, complete {
            facts[current.path] = current.inspector.finish()
        }
        current = nil
    }
}

extension PayloadFacts: PayloadDataFilter {
    /// The bytes of CSV files, for their header; of every file when progress is shown or files
    /// are listed with their sizes (--verbose).
    func needsData(path: [UInt8]) -> Bool { progress != nil || readFile != nil || Self.isCSV(Self.fileName(path)) }
}
