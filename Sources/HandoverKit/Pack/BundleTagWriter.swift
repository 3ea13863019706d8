import Crypto
import Foundation

/// Writes a bundle's tag files into the archive, recording each one's digests for the tag
/// manifests, then seals them: the tag manifests cover every tag file written before them, the
/// signature covers the sha256 tag manifest, and the time-stamp covers that tag manifest's digest.
struct BundleTagWriter {
    let writer: ArchiveWriter
    let plan: BuildPlan
    private var tags: TagFileSet

    init(writer: ArchiveWriter, plan: BuildPlan) {
        self.writer = writer
        self.plan = plan
        tags = TagFileSet(algorithms: plan.options.algorithms)
    }

    /// Records the tag file and writes it under the bag's folder.
    private mutating func add(_ name: String, _ contents: [UInt8]) throws {
        try writer.addFile(plan.root + Array(name.utf8), contents: tags.add(name, contents), modified: plan.created)
    }

    /// The bag's folder, `bagit.txt` and `bag-info.txt` (first in the archive, so a reader
    /// learns the bag's version and size before its payload). Returns the bag-info written.
    mutating func writeDeclarationAndInfo() throws -> BagInfo {
        try writer.addDirectory(Array(plan.bagName.utf8), modified: plan.created)
        try add(BagDeclaration.fileName, BagDeclaration.current.serialized())
        var info = BagLayout.bagInfo(parties: plan.manifest.parties, created: plan.created, payloadBytes: plan.payloadBytes,
                                     payloadFiles: plan.payload.count, bagBytes: plan.payloadBytes)
        // Listed in the tag manifest like every field, hence covered by the signature.
        info.fields += plan.options.previous?.fields ?? []
        try add(BagInfo.fileName, try info.serialized())
        return info
    }

    /// The payload manifests, one per algorithm, then the manifest copy.
    mutating func writeManifests(_ digests: PayloadDigests) throws {
        for algorithm in plan.options.algorithms {
            try writePayloadManifest(algorithm, digests)
        }
        try add(BagLayout.manifestCopy, plan.manifest.originalBytes)
    }

    /// A payload manifest, written as it is made, a megabyte at a time: a million files make a
    /// manifest of a hundred megabytes, never held whole. Its size, which the archive's header
    /// carries, comes from the plan (the encoded paths were measured there against the limits).
    private mutating func writePayloadManifest(_ algorithm: ChecksumAlgorithm, _ digests: PayloadDigests) throws {
        let name = "manifest-\(algorithm.rawValue).txt"
        let size = plan.encodedPathBytes + Int64(plan.payload.count) * Int64(algorithm.hexLength + 3)
        let writer = self.writer
        try writer.beginFile(plan.root + Array(name.utf8), size: size, modified: plan.created)
        var hashers = plan.options.algorithms.map { $0.makeHasher() }
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.chunkBytes + 8 << 10)
        var written: Int64 = 0
        func flush() throws {
            chunk.withUnsafeBytes { bytes in for index in hashers.indices { hashers[index].update(bytes) } }
            try chunk.withUnsafeBytes { try writer.write($0) }
            written += Int64(chunk.count)
            chunk.removeAll(keepingCapacity: true)
        }
        for (index, item) in plan.payload.enumerated() {
            guard let digest = digests.digest(algorithm, file: index) else {
                throw BuildError.digestMissing(algorithm, String(decoding: item.bagPath, as: UTF8.self))
            }
            chunk += BagManifestWriter.line(checksum: digest, path: item.bagPath)
            if chunk.count >= Self.chunkBytes { try flush() }
        }
        try flush()
        // The header promised `size` bytes: any other count would make a broken archive.
        guard written == size else { throw BuildError.manifestSize(name, planned: size, written: written) }
        tags.record(name, digests: Dictionary(uniqueKeysWithValues: zip(plan.options.algorithms, hashers.map { $0.finalizeHex() })))
    }

    /// How much of a payload manifest is gathered before it is hashed and written.
    static let chunkBytes = 1 << 20

    /// Each payload file's digest in bag order; throws rather than list a file without one.
    private func payloadDigests(_ algorithm: ChecksumAlgorithm, _ digests: PayloadDigests) throws -> [(bagPath: [UInt8], digest: String)] {
        try plan.payload.enumerated().map { index, item in
            guard let digest = digests.digest(algorithm, file: index) else {
                throw BuildError.digestMissing(algorithm, String(decoding: item.bagPath, as: UTF8.self))
            }
            return (item.bagPath, digest)
        }
    }

    /// With a remote payload: fetch.txt, one line per payload file (its object's URL, its size
    /// and its path in the bag), listed in the tag manifests like every tag file written before
    /// them, hence under the signature.
    mutating func writeFetch(_ objects: ObjectSource) throws {
        // The payload folder, empty: every bag has one (RFC 8493 §2.1.2; bagit-python refuses a
        // bag without it), and a holey bag's files are not in it yet.
        try writer.addDirectory(plan.root + Array("data".utf8), modified: plan.created)
        var lines: [UInt8] = []
        for item in plan.payload {
            let url = ObjectLocation.url(bucket: objects.location.bucket, key: objects.key(of: item.file))
            lines += FetchFile.line(url: url, length: item.file.size, path: item.bagPath)
        }
        try add(FetchFile.fileName, lines)
    }

    /// With `--previous`: `handover/changes.json`, what changed since the previous delivery.
    mutating func writeChanges(_ digests: PayloadDigests, info: BagInfo) throws -> DiffJSON? {
        guard let previous = plan.options.previous else { return nil }
        var payloadDigests: [ChecksumAlgorithm: [[UInt8]: String]] = [:]
        for algorithm in plan.options.algorithms {
            payloadDigests[algorithm] = Dictionary(try self.payloadDigests(algorithm, digests).map { ($0.bagPath, $0.digest) }) { first, _ in first }
        }
        let diff = try DeliveryChain.changes(since: previous, bagName: plan.bagName, outputName: URL(fileURLWithPath: plan.outputPath).lastPathComponent,
                                             bagInfo: info, manifest: plan.manifest, payloadDigests: payloadDigests)
        let bytes = Array(diff.encoded().utf8)
        try PackLimits.checkTagFile(BundleTags.changesFile, bytes: bytes.count)
        try add(BundleTags.changesFile, bytes)
        return diff
    }

    /// `handover/report.json` and `handover/report.html`, in the handover's language.
    mutating func writeReports(_ report: CheckReport, changes: DiffJSON?) throws {
        let options = plan.options
        let buildInfo = CheckJSON.BuildInfo(
            bagName: plan.bagName, created: BagLayout.rfc3339(plan.created), tool: HandoverVersion.nameAndVersion,
            algorithms: options.algorithms.map(\.rawValue), allowIncomplete: options.allowIncomplete,
            payloadFiles: plan.payload.count, payloadBytes: plan.payloadBytes,
            recipients: options.recipients.map(\.encoded), encryptedFiles: plan.payload.filter(\.encrypted).count,
            payload: options.payload == .remote ? PayloadPlacement.remote.rawValue : nil)
        let reportJSON = try BuildReportJSON.encoded(report, build: buildInfo)
        try add(BagLayout.reportJSON, reportJSON)
        var htmlReport = HandoverReport(building: report, build: buildInfo, signed: options.signer != nil, timestamped: options.timestamper != nil)
        htmlReport.changes = changes
        let language = options.language ?? report.manifest.parties.language ?? .en
        let reportHTML = Array(ReportHTML.render(htmlReport, language: language).utf8)
        try PackLimits.checkTagFile(BagLayout.reportHTML, bytes: reportHTML.count)
        try add(BagLayout.reportHTML, reportHTML)
    }

    /// The tag manifests, then the signature and the time-stamp over the sha256 one. Returns the
    /// time-stamp granted, if one was asked for.
    func seal() throws -> IssuedTimestamp? {
        let options = plan.options
        var tagManifestSHA256: [UInt8] = []
        for algorithm in options.algorithms {
            let name = "tagmanifest-\(algorithm.rawValue).txt"
            let contents = try tags.tagManifest(algorithm)
            if algorithm == .sha256 { tagManifestSHA256 = contents }
            try writer.addFile(plan.root + Array(name.utf8), contents: contents, modified: plan.created)
        }
        if let signer = options.signer {
            try writer.addFile(plan.root + Array(BagLayout.signature.utf8), contents: try signer.sign(tagManifestSHA256), modified: plan.created)
        }
        guard let timestamper = options.timestamper else { return nil }
        let digest = Array(SHA256.hash(data: tagManifestSHA256))
        let stamp = try timestamper.timestamp(sha256: digest)
        try writer.addFile(plan.root + Array(BagLayout.timestamp.utf8), contents: stamp.responseBytes, modified: plan.created)
        return stamp
    }
}
