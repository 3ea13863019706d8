import Crypto
import Foundation

/// Writes a handover bundle: checks SOURCE against the manifest, then packs the bag in one
/// streaming pass (each payload byte is read once, hashed, inspected and archived), then the tag
/// files, the signature and the time-stamp; the archive appears at its path only when complete.
public enum BundleBuilder {
    public static func build(manifest: Manifest, source: String, options: BuildOptions) throws -> BuildResult {
        let (outputPath, format) = try resolveOutput(options.output, client: manifest.parties.client, options: options)
        let checksumPath = outputPath + ".sha256"
        try OutputCollision.check(output: outputPath, named: "the bundle", inputs: options.inputs)
        try OutputCollision.check(output: checksumPath, named: "the bundle's .sha256", inputs: options.inputs)
        if !options.force {
            for path in [outputPath, checksumPath] where FileManager.default.fileExists(atPath: path) {
                throw FileError(path: path, reason: "already exists; choose another output or pass --force to replace it")
            }
        }
        try AtomicFile.checkFolder(of: outputPath)
        let confidentialIDs = manifest.deliverables.filter(\.confidential).map(\.id)
        if !confidentialIDs.isEmpty && options.recipients.isEmpty { throw BuildError.noRecipients(confidentialIDs) }
        let created = options.sourceDateEpoch ?? options.now.seconds
        // Judged as verify will judge the bundle: ages on the stored (clamped) file times, and
        // "today" being the bundle's Handover-Created. Judging the real times instead would need
        // them recorded in the bundle, and then two checkouts of the same files (same content,
        // other times) would no longer build the same bytes under SOURCE_DATE_EPOCH.
        let checkOptions = CheckOptions(now: Timestamp(seconds: created), allowSecrets: options.allowSecrets,
                                        fileTimesClampedTo: options.sourceDateEpoch, windowsSafe: options.windowsSafe)
        // Structure first (presence, counts, formats, ages): refuse before writing anything.
        // The output, its checksum and their temporary files may lie inside SOURCE: never packaged.
        let leftovers = AtomicFile.temporaryFiles(of: outputPath) + AtomicFile.temporaryFiles(of: checksumPath)
        let tree = try SourceTree.walk(source, excluding: Set([outputPath, checksumPath] + leftovers))
        let selection = Selection(manifest: manifest, files: tree.files, emptyFolders: tree.emptyFolders)
        let structural = DeliverableChecker.check(manifest: manifest, selection: selection, facts: [:], options: checkOptions)
        if !structural.passed && !options.allowIncomplete { throw BuildError.incomplete(structural) }

        let bagName = BagLayout.bagName(client: manifest.parties.client, created: created)
        let payload = structural.collectedFiles.filter { $0.kind == .regular }.map { file in
            PayloadItem(file: file, encrypted: selection.isConfidential(file), recipients: options.recipients)
        }
        let payloadBytes = payload.reduce(Int64(0)) { $0 + $1.storedSize }
        let sourceBytes = payload.reduce(Int64(0)) { $0 + $1.file.size }
        // What verify would refuse is refused now, before any byte is packed.
        try PackLimits.check(payload, bagName: bagName, format: format, manifestCopyBytes: manifest.originalBytes.count,
                             algorithms: options.algorithms)

        let file = try AtomicFile(destination: outputPath, overwrite: options.force)
        // Removed on every way out but the commit (after which abort does nothing). Not left to
        // deinit: the feed's writer thread may still hold the file for a moment after a throw,
        // and the process exits before it lets go.
        defer { file.abort() }
        var archiveHash = SHA256()
        let writer = try ArchiveWriter(format: format, name: outputPath) { bytes in
            archiveHash.update(bufferPointer: bytes)
            try file.write(bytes)
        }
        let root = Array(bagName.utf8) + [UInt8(ascii: "/")]
        let clamp = { (seconds: Int64) in options.sourceDateEpoch.map { min($0, seconds) } ?? seconds }
        var tags = TagFileSet(algorithms: options.algorithms)

        try writer.addDirectory(Array(bagName.utf8), modified: created)
        try writer.addFile(root + Array(BagDeclaration.fileName.utf8), contents: tags.add(BagDeclaration.fileName, BagDeclaration.current.serialized()), modified: created)
        var info = BagLayout.bagInfo(parties: manifest.parties, created: created, payloadBytes: payloadBytes,
                                     payloadFiles: payload.count, bagBytes: payloadBytes)
        // Listed in the tag manifest like every field, hence covered by the signature.
        info.fields += options.previous?.fields ?? []
        try writer.addFile(root + Array(BagInfo.fileName.utf8), contents: tags.add(BagInfo.fileName, try info.serialized()), modified: created)

        // The payload, in one pass: read and inspected on this thread, written on the feed's
        // (hashed on whichever of the two has less to do; see ArchiveFeed).
        var facts: [[UInt8]: FileFacts] = [:]
        var done: Int64 = 0
        let digests = try ArchiveFeed.feeding(writer, algorithms: options.algorithms, hashOnWriter: format == .tar) { feed in
            let pump = try PayloadPump(tree: tree, feed: feed, recipients: options.recipients)
            for item in payload {
                var inspector = SourceCheck.inspector(for: item.file, selection: selection, manifest: manifest)
                var found = try pump.pack(item, as: root + item.bagPath, modified: clamp(item.file.modified.seconds), inspector: &inspector)
                if var document = found, inspector.scansSecrets {
                    SourceCheck.addDocumentSecrets(&document, file: item.file, opener: pump.opener)
                    found = document
                }
                // A workbook under an `xlsx:` rule: its first rows, read once more, bounded.
                var workbook = found ?? FileFacts()
                SourceCheck.addWorkbookHeaders(&workbook, file: item.file, opener: pump.opener, manifest: manifest)
                if workbook.workbook != nil { found = workbook }
                // Kept only when a rule can use them (a CSV header, a workbook, a secret): no entry per file.
                if let found, item.file.fileExtension == "csv" || found.workbook != nil || !found.secrets.isEmpty || found.moreSecrets > 0 {
                    facts[item.file.path] = found
                }
                done += item.file.size
                options.packedFile?(item.file.displayPath, item.file.size)
                options.progress?(done, sourceBytes)
            }
        }

        // Content rules (CSV headers, secrets) rode on the same pass; judge them now.
        let report = DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts, options: checkOptions)
        if !report.passed && !options.allowIncomplete {
            throw BuildError.incomplete(report)
        }

        for algorithm in options.algorithms {
            var lines: [UInt8] = []
            for (index, item) in payload.enumerated() {
                guard let digest = digests.digest(algorithm, file: index) else {
                    throw BuildError.digestMissing(algorithm, String(decoding: item.bagPath, as: UTF8.self))
                }
                lines += BagManifestWriter.line(checksum: digest, path: item.bagPath)
            }
            let name = "manifest-\(algorithm.rawValue).txt"
            try writer.addFile(root + Array(name.utf8), contents: tags.add(name, lines), modified: created)
        }
        try writer.addFile(root + Array(BagLayout.manifestCopy.utf8), contents: tags.add(BagLayout.manifestCopy, manifest.originalBytes), modified: created)
        var changes: DiffJSON?
        if let previous = options.previous {
            var payloadDigests: [ChecksumAlgorithm: [[UInt8]: String]] = [:]
            for algorithm in options.algorithms {
                payloadDigests[algorithm] = Dictionary(try payload.enumerated().map { index, item in
                    guard let digest = digests.digest(algorithm, file: index) else {
                        throw BuildError.digestMissing(algorithm, String(decoding: item.bagPath, as: UTF8.self))
                    }
                    return (item.bagPath, digest)
                }) { first, _ in first }
            }
            let diff = try DeliveryChain.changes(since: previous, bagName: bagName, outputName: URL(fileURLWithPath: outputPath).lastPathComponent,
                                                 bagInfo: info, manifest: manifest, payloadDigests: payloadDigests)
            let bytes = Array(diff.encoded().utf8)
            try PackLimits.checkTagFile(BundleTags.changesFile, bytes: bytes.count)
            try writer.addFile(root + Array(BundleTags.changesFile.utf8), contents: tags.add(BundleTags.changesFile, bytes), modified: created)
            changes = diff
        }
        let buildInfo = CheckJSON.BuildInfo(
            bagName: bagName, created: BagLayout.rfc3339(created), tool: HandoverVersion.nameAndVersion,
            algorithms: options.algorithms.map(\.rawValue), allowIncomplete: options.allowIncomplete,
            payloadFiles: payload.count, payloadBytes: payloadBytes,
            recipients: options.recipients.map(\.encoded), encryptedFiles: payload.filter(\.encrypted).count)
        var reportObject = CheckJSON(report, build: buildInfo)
        // The copy inside the bundle, not the path given on the command line: that path would
        // make the bytes depend on where SOURCE sits, and show the provider's folders.
        reportObject.manifest = BagLayout.manifestCopy
        let reportJSON = Array(reportObject.encoded().utf8)
        try PackLimits.checkTagFile(BagLayout.reportJSON, bytes: reportJSON.count)
        try writer.addFile(root + Array(BagLayout.reportJSON.utf8), contents: tags.add(BagLayout.reportJSON, reportJSON), modified: created)
        var htmlReport = HandoverReport(building: report, build: buildInfo, signed: options.signer != nil, timestamped: options.timestamper != nil)
        htmlReport.changes = changes
        let language = options.language ?? report.manifest.parties.language ?? .en
        let reportHTML = Array(ReportHTML.render(htmlReport, language: language).utf8)
        try PackLimits.checkTagFile(BagLayout.reportHTML, bytes: reportHTML.count)
        try writer.addFile(root + Array(BagLayout.reportHTML.utf8), contents: tags.add(BagLayout.reportHTML, reportHTML), modified: created)

        // The tag manifests cover every tag file above; the signature and time-stamp cover them.
        var tagManifestSHA256: [UInt8] = []
        for algorithm in options.algorithms {
            let name = "tagmanifest-\(algorithm.rawValue).txt"
            let contents = try tags.tagManifest(algorithm)
            if algorithm == .sha256 { tagManifestSHA256 = contents }
            try writer.addFile(root + Array(name.utf8), contents: contents, modified: created)
        }
        if let signer = options.signer {
            try writer.addFile(root + Array(BagLayout.signature.utf8), contents: try signer.sign(tagManifestSHA256), modified: created)
        }
        var issued: IssuedTimestamp?
        if let timestamper = options.timestamper {
            let digest = Array(SHA256.hash(data: tagManifestSHA256))
            let stamp = try timestamper.timestamp(sha256: digest)
            try writer.addFile(root + Array(BagLayout.timestamp.utf8), contents: stamp.responseBytes, modified: created)
            issued = stamp
        }
        try writer.finish()
        let archiveSHA256 = hex(archiveHash.finalize())
        let sidecar = "\(archiveSHA256)  \(URL(fileURLWithPath: outputPath).lastPathComponent)\n"
        // The bundle and its .sha256 appear together or not at all: a full disk or a signal
        // between the two once left a bundle without checksum, or a new bundle beside the old one.
        let checksumFile = try AtomicFile(destination: checksumPath, overwrite: options.force)
        defer { checksumFile.abort() }
        try Array(sidecar.utf8).withUnsafeBytes { try checksumFile.write($0) }
        try AtomicFile.commitTogether(file, checksumFile, between: options.betweenBundleAndChecksum)
        return BuildResult(
            archivePath: outputPath, checksumPath: checksumPath, archiveSHA256: archiveSHA256, bagName: bagName,
            format: format, report: report, payloadFiles: payload.count, payloadBytes: payloadBytes,
            encryptedFiles: payload.filter(\.encrypted).count,
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
