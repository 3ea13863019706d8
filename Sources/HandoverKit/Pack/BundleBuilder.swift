import Crypto
import Foundation

/// Writes a handover bundle, in the order DESIGN.md gives: plan (every check that can refuse
/// before a byte is written), pack the payload in one streaming pass (each payload byte is read
/// once, hashed, inspected and archived), judge what that pass saw, write the tag files, seal
/// them (tag manifests, signature, time-stamp), and commit: the archive and its `.sha256`
/// appear at their paths together, and only when complete.
public enum BundleBuilder {
    package static func build(manifest: Manifest, source: String, options: BuildOptions) throws -> BuildResult {
        try build(manifest: manifest, source: .folder(source), options: options)
    }

    /// The same from a folder or an object-store prefix; with `options.payload == .remote`
    /// (a prefix only), the objects are hashed where they are and listed in fetch.txt.
    package static func build(manifest: Manifest, source: BuildSource, options: BuildOptions) throws -> BuildResult {
        let plan = try BuildPlan.make(manifest: manifest, source: source, options: options)
        let file = try AtomicFile(destination: plan.outputPath, overwrite: options.force)
        // Removed on every way out but the commit (after which abort does nothing). Not left to
        // deinit: the feed's writer thread may still hold the file for a moment after a throw,
        // and the process exits before it lets go.
        defer { file.abort() }
        // Hashed and written on a thread of its own; stopped before the file is removed.
        let output = ArchiveOutput(file: file)
        defer { output.abandon() }
        let writer = try ArchiveWriter(format: plan.format, name: plan.outputPath) { bytes in
            try output.write(bytes)
        }
        var tags = BundleTagWriter(writer: writer, plan: plan)
        let info = try tags.writeDeclarationAndInfo()
        let packed: (digests: PayloadDigests, facts: [[UInt8]: FileFacts])
        var remote: ObjectSource?
        if options.payload == .remote, case .objects(let objects) = plan.origin {
            let hashing = try RemotePayloadHashing.hash(plan, source: objects)
            packed = (hashing, hashing.facts)
            remote = objects
        } else {
            let local = try packPayload(plan, writer: writer)
            packed = (local.digests, local.facts)
        }
        // Content rules (CSV headers, secrets) rode on the same pass; judge them now.
        var report = DeliverableChecker.check(manifest: manifest, selection: plan.selection, facts: packed.facts, options: plan.checkOptions,
                                              names: plan.names)
        if case .objects = plan.origin { SourceCheck.noteObjectPartsNotRead(&report) }
        if !report.passed && !options.allowIncomplete {
            throw BuildError.incomplete(report)
        }
        try tags.writeManifests(packed.digests)
        if let remote { try tags.writeFetch(remote) }
        let changes = try tags.writeChanges(packed.digests, info: info)
        try tags.writeReports(report, changes: changes)
        let issued = try tags.seal()
        try writer.finish()
        return try commit(plan, bundle: file, archiveSHA256: try output.finish(), report: report, issued: issued)
    }

    /// The payload, in one pass: read and inspected on this thread, written on the feed's
    /// (hashed on whichever of the two has less to do; see ArchiveFeed). Returns the digests of
    /// every payload file and the facts a content rule can use.
    static func packPayload(_ plan: BuildPlan, writer: ArchiveWriter) throws -> (digests: ArchiveFeed, facts: [[UInt8]: FileFacts]) {
        let (manifest, options) = (plan.manifest, plan.options)
        let clamp = { (seconds: Int64) in options.sourceDateEpoch.map { min($0, seconds) } ?? seconds }
        var facts: [[UInt8]: FileFacts] = [:]
        var done: Int64 = 0
        let digests = try ArchiveFeed.feeding(writer, algorithms: options.algorithms, hashOnWriter: plan.format == .tar, files: plan.payload.count) { feed in
            let pump = try PayloadPump(origin: plan.origin, feed: feed, recipients: options.recipients)
            for item in plan.payload {
                var inspector = SourceCheck.inspector(for: item.file, selection: plan.selection, manifest: manifest)
                var found = try pump.pack(item, as: plan.root + item.bagPath, modified: clamp(item.file.modified.seconds), inspector: &inspector)
                // A folder's office documents are read once more, bounded (an object's are not:
                // the report says so, see `noteObjectPartsNotRead`).
                if let opener = pump.opener {
                    if var document = found, inspector.scansSecrets {
                        SourceCheck.addDocumentSecrets(&document, file: item.file, opener: opener)
                        found = document
                    }
                    // A workbook under an `xlsx:` rule: its first rows, read once more, bounded.
                    var workbook = found ?? FileFacts()
                    SourceCheck.addWorkbookHeaders(&workbook, file: item.file, opener: opener, manifest: manifest)
                    if workbook.workbook != nil { found = workbook }
                }
                if let found, found.matter(for: item.file) { facts[item.file.path] = found }
                done += item.file.size
                options.packedFile?(item.file.displayPath, item.file.size)
                options.progress?(done, plan.sourceBytes)
            }
        }
        return (digests, facts)
    }

    /// Writes the `.sha256` beside the bundle and places both. The bundle and its `.sha256`
    /// appear together or not at all: a full disk or a signal between the two once left a bundle
    /// without checksum, or a new bundle beside the old one.
    static func commit(_ plan: BuildPlan, bundle: AtomicFile, archiveSHA256: String, report: CheckReport,
                       issued: IssuedTimestamp?) throws -> BuildResult {
        let options = plan.options
        let sidecar = "\(archiveSHA256)  \(URL(fileURLWithPath: plan.outputPath).lastPathComponent)\n"
        let checksumFile = try AtomicFile(destination: plan.checksumPath, overwrite: options.force)
        defer { checksumFile.abort() }
        try Array(sidecar.utf8).withUnsafeBytes { try checksumFile.write($0) }
        try AtomicFile.commitTogether(bundle, checksumFile, between: options.betweenBundleAndChecksum)
        return BuildResult(
            archivePath: plan.outputPath, checksumPath: plan.checksumPath, archiveSHA256: archiveSHA256, bagName: plan.bagName,
            format: plan.format, report: report, payloadFiles: plan.payload.count, payloadBytes: plan.payloadBytes, payload: options.payload,
            encryptedFiles: plan.payload.filter(\.encrypted).count,
            signer: options.signer?.signerDescription, timestampTime: issued?.token.genTimeText,
            timestampAuthority: issued?.url.absoluteString, delivery: options.previous?.delivery)
    }

    /// The output path and format: a folder gets the default name, a file its extension's format.
    static func resolveOutput(_ output: String, client: String, options: BuildOptions) throws -> (String, ArchiveFormat) {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), isFolder.boolValue {
            let created = options.sourceDateEpoch ?? options.now.seconds
            let name = BagLayout.bagName(client: client, created: created) + ArchiveFormat.tarZstd.fileExtension
            return (URL(fileURLWithPath: output).appendingPathComponent(name).path, .tarZstd)
        }
        guard let format = ArchiveFormat.forOutput(output) else { throw BuildError.unknownFormat(output) }
        return (output, format)
    }
}

/// A payload file and how it is stored: as it is, or encrypted as `<name>.age`.
struct PayloadItem {
    let file: SourceFile
    let encrypted: Bool
    let recipients: [AgeRecipient]

    /// The path inside the bag: `data/<path>`, with `.age` added when encrypted.
    var bagPath: [UInt8] { Array("data/".utf8) + file.path + (encrypted ? Array(".age".utf8) : []) }

    /// The bytes stored in the bag; age's size is known in advance from the plaintext's.
    var storedSize: Int64 {
        encrypted ? AgeEncryptor.encryptedSize(plaintextSize: file.size, recipients: recipients) : file.size
    }
}

/// The tag files written so far, with their digests, for the tag manifests.
struct TagFileSet {
    let algorithms: [ChecksumAlgorithm]
    private(set) var entries: [(path: String, digests: [ChecksumAlgorithm: String])] = []

    init(algorithms: [ChecksumAlgorithm]) {
        self.algorithms = algorithms
    }

    /// Records a tag file hashed as it was written.
    mutating func record(_ path: String, digests: [ChecksumAlgorithm: String]) {
        entries.append((path, digests))
    }

    /// Records a tag file and gives its contents back, for writing.
    mutating func add(_ path: String, _ contents: [UInt8]) -> [UInt8] {
        var digests: [ChecksumAlgorithm: String] = [:]
        for algorithm in algorithms {
            var hasher = algorithm.makeHasher()
            contents.withUnsafeBytes { hasher.update($0) }
            digests[algorithm] = hasher.finalizeHex()
        }
        entries.append((path, digests))
        return contents
    }

    /// The tag manifest's lines; throws rather than write a line without a checksum.
    func tagManifest(_ algorithm: ChecksumAlgorithm) throws(BuildError) -> [UInt8] {
        var lines: [UInt8] = []
        for entry in entries {
            guard let digest = entry.digests[algorithm] else { throw .digestMissing(algorithm, entry.path) }
            lines += BagManifestWriter.line(checksum: digest, path: Array(entry.path.utf8))
        }
        return lines
    }
}
