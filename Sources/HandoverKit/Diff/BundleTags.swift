import Crypto
import Foundation

/// The tag files of a bundle, read in one pass that skips every payload entry unread.
///
/// The payload manifests already give each file's digest, and `handover/manifest.yaml` says which
/// deliverable each file belongs to, so two deliveries can be compared without reading a byte of
/// payload. Nothing here is verified: the digests are what the bundle claims (`handover diff
/// --verify` checks the claims first).
public struct BundleTags: Sendable {
    /// The bundle as named on the command line.
    public var path: String
    public var isFolder: Bool
    /// The bag's top-level folder name.
    public var bagName: String?
    package var bagInfo: BagInfo?
    /// Each payload manifest's entries: path relative to the bag's root (`data/…`) to digest.
    public var payloadDigests: [ChecksumAlgorithm: [[UInt8]: String]] = [:]
    /// Each tag manifest's entries: tag file path to digest. Nil when it is not known (a bundle
    /// still being built has no tag manifest yet).
    public var tagDigests: [ChecksumAlgorithm: [[UInt8]: String]]? = [:]
    /// The SHA-256 of `tagmanifest-sha256.txt`'s bytes: what a signature covers, and what a
    /// later delivery records to name this one.
    public var tagManifestSHA256: String?
    /// `handover/manifest.yaml`, parsed: which deliverable each file belongs to.
    package var manifest: Manifest?
    public var manifestBytes: [UInt8]?
    /// The SHA-256 of every other tag entry's bytes (outside `data/`, not a manifest): what the
    /// tag manifests list, and what they do not (the signature, the time-stamp, a file added
    /// later), so that a re-signed bundle or an added file is a difference too.
    public var tagEntryDigests: [[UInt8]: String] = [:]
    /// Payload entries met and skipped.
    public var payloadEntries = 0
    /// What could not be read, one sentence each.
    public var notes: [String] = []

    public init(path: String, isFolder: Bool) {
        self.path = path
        self.isFolder = isFolder
    }

    /// `handover/changes.json`, the diff a chained delivery carries.
    public static let changesFile = "handover/changes.json"

    /// Reads the tag files of the bundle (archive or bag folder) at `path`.
    /// - Throws: `DiffError` (exit status 2) when it is not a bag, or cannot be read.
    public static func read(path: String) throws -> BundleTags {
        let reader: BundleEntryReader
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        do {
            reader = try BundleVerification.reader(for: path)()
        } catch let error as HandoverError {
            throw DiffError.unreadable(path, error.errorDescription ?? "\(error)")
        }
        var tags = BundleTags(path: path, isFolder: isFolder.boolValue)
        do {
            try tags.collect(from: reader)
        } catch let error as DiffError {
            throw error
        } catch let error as HandoverError {
            throw DiffError.unreadable(path, error.errorDescription ?? "\(error)")
        }
        tags.bagName = (reader as? ArchiveBagReader)?.topLevel.map { String(decoding: $0, as: UTF8.self) }
            ?? (tags.isFolder ? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent : nil)
        guard tags.sawDeclaration else { throw DiffError.notABag(path, "it has no \(BagDeclaration.fileName)") }
        guard !tags.payloadDigests.isEmpty else { throw DiffError.notABag(path, "it has no payload manifest (manifest-<algorithm>.txt)") }
        return tags
    }

    private var sawDeclaration = false
    private var encoding = TagFileEncoding.utf8

    private mutating func collect(from reader: BundleEntryReader) throws {
        var count = 0
        let limit = BagLimits.current.entries
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        while let entry = try reader.nextEntry() {
            count += 1
            guard count <= limit else { throw BagError.tooManyEntries(limit: limit) }
            guard entry.kind == .file else { continue }
            // The payload is never read: its digests are in the payload manifests.
            if entry.path.starts(with: Array("data/".utf8)) {
                payloadEntries += 1
                continue
            }
            if let name = BagManifestName(fileName: entry.path), let algorithm = name.algorithm {
                if name.kind == .payload {
                    payloadDigests[algorithm] = try Self.streamManifest(reader, name: name, encoding: encoding, buffer: buffer)
                } else if let bytes = try BundleInspection.readSmall(reader, declared: entry.size ?? 0) {
                    var ignored = BagDiagnostics(limit: 0)
                    let entries = BagManifestParser.entries(of: bytes, name: name, encoding: encoding, diagnostics: &ignored)
                    tagDigests?[algorithm] = Dictionary(entries.map { ($0.path, $0.checksum) }) { first, _ in first }
                    if algorithm == .sha256 { tagManifestSHA256 = hex(SHA256.hash(data: bytes)) }
                } else {
                    notes.append("\(name.fileName) is too large to read; tag files are not compared.")
                }
                continue
            }
            let path = entry.displayPath
            guard path == BagDeclaration.fileName || path == BagInfo.fileName || path == BagLayout.manifestCopy else {
                var hasher = SHA256()
                while true {
                    let count = try reader.readData(into: buffer)
                    if count == 0 { break }
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
                if tagEntryDigests[entry.path] == nil { tagEntryDigests[entry.path] = hex(hasher.finalize()) }
                continue
            }
            guard let bytes = try BundleInspection.readSmall(reader, declared: entry.size ?? 0) else {
                notes.append("\(path) is too large to read.")
                continue
            }
            var diagnostics = BagDiagnostics()
            switch path {
            case BagDeclaration.fileName:
                sawDeclaration = true
                encoding = BagDeclaration.parse(bytes, diagnostics: &diagnostics)?.encoding ?? .utf8
            case BagInfo.fileName:
                bagInfo = BagInfo.parse(bytes, encoding: encoding, diagnostics: &diagnostics)
            default:
                manifestBytes = bytes
                do {
                    manifest = try ManifestParser.parse(bytes, fileName: BagLayout.manifestCopy)
                } catch {
                    notes.append("\(BagLayout.manifestCopy) cannot be read (\(error.errorDescription ?? "\(error)")); files are not grouped by deliverable.")
                }
            }
        }
    }

    /// A payload manifest, parsed as it streams: a million lines are never held as bytes.
    private static func streamManifest(_ reader: BundleEntryReader, name: BagManifestName, encoding: TagFileEncoding,
                                       buffer: UnsafeMutableRawBufferPointer) throws -> [[UInt8]: String] {
        var parser = BagManifestParser(name: name, encoding: encoding)
        var ignored = BagDiagnostics(limit: 0)
        var digests: [[UInt8]: String] = [:]
        while true {
            let count = try reader.readData(into: buffer)
            if count == 0 { break }
            parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), diagnostics: &ignored) { digests[$0.path] = $0.checksum }
        }
        parser.finish(diagnostics: &ignored) { digests[$0.path] = $0.checksum }
        return digests
    }

    /// The indexes of the deliverables that select a payload file (path relative to `data/`).
    /// A confidential file is stored as `<name>.age`, and the deliverable's globs name `<name>`.
    func deliverables(of path: String) -> [Int] {
        guard let manifest else { return [] }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var found: [Int] = []
        for (index, deliverable) in manifest.deliverables.enumerated() {
            if deliverable.paths.contains(where: { $0.matches(components) }) {
                found.append(index)
            } else if deliverable.confidential, path.hasSuffix(".age"), var last = components.last {
                last.removeLast(4)
                let plain = components.dropLast() + [last]
                if deliverable.paths.contains(where: { $0.matches(Array(plain)) }) { found.append(index) }
            }
        }
        return found
    }
}
