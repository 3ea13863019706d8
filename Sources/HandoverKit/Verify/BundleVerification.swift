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
        public var now: Timestamp = .now
        /// Called as payload bytes are read: the bytes read so far.
        public var progress: ((Int64) -> Void)?
        /// Called after each payload file is read and hashed, with its path relative to `data/`
        /// and its size (`--verbose` lists them).
        public var readFile: ((String, Int64) -> Void)?
        public init() {}
    }

    /// Everything verification found.
    public struct Result {
        public var path: String
        public var isFolder: Bool
        public var bag: BagVerification
        /// The deliverable rules re-run on the payload, when the bag carries a readable manifest.
        public var completeness: CheckReport?
        /// Why the carried manifest could not be used, when it could not.
        public var manifestProblem: String?
        public var allowIncomplete: Bool
        /// The signature and the time-stamp.
        public var evidence = EvidenceCheck.Result()

        /// Intact, complete (or accepted incomplete), and its evidence holds.
        public var passed: Bool {
            guard bag.isValid, manifestProblem == nil, evidence.passed else { return false }
            if let completeness, !completeness.passed, !allowIncomplete { return false }
            return true
        }
    }

    /// Opens `path` as a bag folder or a serialized bundle, detected by what it is, not its name.
    public static func reader(for path: String) throws -> () throws -> BundleEntryReader {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw FileError(path: path, reason: "no such file or folder")
        }
        if isFolder.boolValue {
            return { try FolderReader(path: path) }
        }
        return { try ArchiveBagReader(path: path) }
    }

    public static func verify(path: String, options: Options) throws -> Result {
        try verify(path: path, options: options, tap: nil)
    }

    /// Verifies with `tap` wrapped around each reader the verifier opens, so that extraction can
    /// learn what the verifier read (the digest of every tag file) without a third reading.
    static func verify(path: String, options: Options, tap: ((BundleEntryReader) -> BundleEntryReader)?) throws -> Result {
        let base = try reader(for: path)
        let open: () throws -> BundleEntryReader = tap.map { tap in { tap(try base()) } } ?? base
        var isFolder: ObjCBool = false
        FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        let observer = PayloadFacts(progress: options.progress, readFile: options.readFile)
        let bag = try BagVerifier(open: open).verify(observer: observer)
        var result = Result(path: path, isFolder: isFolder.boolValue, bag: bag, allowIncomplete: options.allowIncomplete)
        if let bytes = bag.tagFile(BagLayout.manifestCopy) {
            do {
                let manifest = try ManifestParser.parse(bytes, fileName: BagLayout.manifestCopy)
                result.completeness = completeness(manifest: manifest, bag: bag, facts: observer, now: options.now)
            } catch {
                result.manifestProblem = "\(BagLayout.manifestCopy) cannot be read: \(error.errorDescription ?? "\(error)")"
            }
        }
        result.evidence = try EvidenceCheck.check(bag, options: options.evidence)
        return result
    }

    /// Runs the deliverable rules on the payload as if it were SOURCE. Secrets are not looked for
    /// here: the recipient cannot undo a leak, and the bundle's report says what the sender allowed.
    static func completeness(manifest: Manifest, bag: BagVerification, facts: PayloadFacts, now: Timestamp) -> CheckReport {
        let files = bag.payload.map { file in
            let stored = SourceFile(bagPath: file.path, size: file.size, modified: facts.modified[file.path] ?? now.seconds)
            return plaintextName(of: stored, manifest: manifest) ?? stored
        }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        let selection = Selection(manifest: manifest, files: files)
        return DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts.facts,
                                        options: CheckOptions(now: now, allowSecrets: true))
    }
}

/// A confidential file is stored as `<name>.age`; the rules speak of `<name>`.
func plaintextName(of file: SourceFile, manifest: Manifest) -> SourceFile? {
    let suffix = Array(".age".utf8)
    guard file.path.count > suffix.count, Array(file.path.suffix(suffix.count)) == suffix else { return nil }
    let plain = SourceFile(bagPath: Array(file.path.dropLast(suffix.count)), size: file.size, modified: file.modified.seconds)
    let confidential = manifest.deliverables.contains { deliverable in
        deliverable.confidential && deliverable.paths.contains { $0.matches(plain.components) }
    }
    return confidential ? plain : nil
}

extension SourceFile {
    /// A payload file of a bag seen as a file of SOURCE (its path relative to `data/`).
    init(bagPath: [UInt8], size: Int64, modified: Int64) {
        let components = bagPath.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
        self.init(path: bagPath, components: components, kind: .regular, size: size, modified: Timestamp(seconds: modified))
    }
}

/// Gathers the facts of payload files (CSV headers) as the verifier streams them.
final class PayloadFacts: PayloadObserver {
    private(set) var facts: [[UInt8]: FileFacts] = [:]
    private(set) var modified: [[UInt8]: Int64] = [:]
    private var current: (path: [UInt8], inspector: FileInspector)?
    private var done: Int64 = 0
    private let progress: ((Int64) -> Void)?
    private let readFile: ((String, Int64) -> Void)?
    private var currentFile: (path: [UInt8], start: Int64)?

    init(progress: ((Int64) -> Void)?, readFile: ((String, Int64) -> Void)? = nil) {
        self.progress = progress
        self.readFile = readFile
    }

    func beginPayloadFile(path: [UInt8], size: Int64?, modified: Int64?) throws {
        if let modified { self.modified[path] = modified }
        currentFile = (path, done)
        let name = path.split(separator: UInt8(ascii: "/")).last.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let isCSV = name.lowercased().hasSuffix(".csv")
        current = isCSV ? (path, FileInspector(fileName: name, readCSV: true, scanSecrets: false)) : nil
    }

    func payloadData(_ chunk: UnsafeRawBufferPointer) throws {
        current?.inspector.consume(chunk)
        done += Int64(chunk.count)
        progress?(done)
    }

    func endPayloadFile(complete: Bool) throws {
        if let file = currentFile, let readFile { readFile(String(decoding: file.path, as: UTF8.self), done - file.start) }
        currentFile = nil
        if var current, complete {
            facts[current.path] = current.inspector.finish()
        }
        current = nil
    }
}
