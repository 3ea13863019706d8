import Foundation

/// What `build` decides before it writes a byte: where the bundle goes and in which format, the
/// files of SOURCE and the deliverables they belong to, the payload in bag order, and every
/// refusal that needs no file content (an output in the way, no recipients for confidential
/// files, a missing or invalid deliverable by structure, a limit verify would refuse).
struct BuildPlan {
    let manifest: Manifest
    let options: BuildOptions
    let outputPath: String
    let checksumPath: String
    let format: ArchiveFormat
    /// The bundle's time: `SOURCE_DATE_EPOCH` when set, else now.
    let created: Int64
    /// How deliverables are judged, as verify will judge the bundle.
    let checkOptions: CheckOptions
    /// The walked folder or the listed prefix, for the pass that reads the payload.
    let origin: PayloadOrigin
    let selection: Selection
    /// The Windows rules' findings on the selection's names, for both checks of the build.
    let names: NameFindings
    let bagName: String
    let payload: Payload
    /// Bytes stored in the bag (encrypted files at their encrypted size).
    let payloadBytes: Int64
    /// Bytes read from SOURCE, for the progress line.
    let sourceBytes: Int64
    /// The payload's paths as the manifests write them, in bytes, all lines together.
    let encodedPathBytes: Int64

    /// `<bag name>/`, the prefix of every path in the archive.
    var root: [UInt8] { Array(bagName.utf8) + [UInt8(ascii: "/")] }

    static func make(manifest: Manifest, source: BuildSource, options: BuildOptions) throws -> BuildPlan {
        let (outputPath, format) = try BundleBuilder.resolveOutput(options.output, client: manifest.parties.client, options: options)
        let checksumPath = outputPath + ".sha256"
        try OutputCollision.check(output: outputPath, named: "the bundle", inputs: options.inputs)
        try OutputCollision.check(output: checksumPath, named: "the bundle's .sha256", inputs: options.inputs)
        if !options.force {
            for path in [outputPath, checksumPath] where FileManager.default.fileExists(atPath: path) {
                throw FileError.outputExists(path)
            }
        }
        try AtomicFile.checkFolder(of: outputPath)
        let confidentialIDs = manifest.deliverables.filter(\.confidential).map(\.id)
        // A remote payload stays in the store as it is: nothing there can be encrypted.
        if options.payload == .remote && !confidentialIDs.isEmpty { throw BuildError.remoteConfidential(confidentialIDs) }
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
        // An object-store prefix is listed instead: the listing stands for the walk.
        let origin: PayloadOrigin
        let selection: Selection
        let walked: [SourceFile]
        switch source {
        case .folder(let path):
            if options.payload == .remote { throw BuildError.remoteNeedsObjects(path) }
            let leftovers = AtomicFile.temporaryFiles(of: outputPath) + AtomicFile.temporaryFiles(of: checksumPath)
            let tree = try SourceTree.walk(path, excluding: Set([outputPath, checksumPath] + leftovers))
            origin = .folder(tree)
            walked = tree.files
            selection = Selection(manifest: manifest, files: tree.files, emptyFolders: tree.emptyFolders)
        case .objects(let objects):
            origin = .objects(objects)
            walked = objects.files
            selection = Selection(manifest: manifest, files: objects.files)
        }
        let names = NameFindings(manifest: manifest, selection: selection)
        let structural = DeliverableChecker.check(manifest: manifest, selection: selection, facts: [:], options: checkOptions, names: names)
        if !structural.passed && !options.allowIncomplete { throw BuildError.incomplete(structural) }
        if let (path, clash) = names.storedClashes.min(by: { $0.key.bytewisePrecedes($1.key) }) {
            throw BuildError.storedNameClash(VisibleText.name(bytes: path), clash.other)
        }

        let bagName = BagLayout.bagName(client: manifest.parties.client, created: created)
        let payload = Payload(collected: structural.collectedFiles.filter { $0.kind == .regular }, walked: walked,
                              isConfidential: selection.isConfidential, recipients: options.recipients)
        let payloadBytes = payload.reduce(Int64(0)) { $0 + $1.storedSize }
        let sourceBytes = payload.reduce(Int64(0)) { $0 + $1.file.size }
        // What verify would refuse is refused now, before any byte is packed.
        let encodedPathBytes = try PackLimits.check(payload, bagName: bagName, format: format, manifestCopyBytes: manifest.originalBytes.count,
                             algorithms: options.algorithms)
        if options.payload == .remote, case .objects(let objects) = origin {
            try checkRemote(payload, objects: objects)
        }
        return BuildPlan(manifest: manifest, options: options, outputPath: outputPath, checksumPath: checksumPath,
                         format: format, created: created, checkOptions: checkOptions, origin: origin, selection: selection,
                         names: names, bagName: bagName, payload: payload, payloadBytes: payloadBytes, sourceBytes: sourceBytes,
                         encodedPathBytes: encodedPathBytes)
    }

    /// What a remote payload cannot hold, refused before anything is read: paths that fetch.txt
    /// cannot carry safely, and a fetch.txt larger than verify keeps.
    private static func checkRemote(_ payload: Payload, objects: ObjectSource) throws {
        var bytes = 0
        for item in payload {
            let url = ObjectLocation.url(bucket: objects.location.bucket, key: objects.key(of: item.file))
            if let why = FetchFile.unsafePath(item.bagPath) { throw BuildError.unsafeFetchPath(url, why) }
            bytes += FetchFile.line(url: url, length: item.file.size, path: item.bagPath).count
        }
        try PackLimits.checkTagFile(FetchFile.fileName, bytes: bytes)
    }
}
