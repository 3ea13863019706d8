import Foundation

/// What a bundle holds, found in one fast pass over its entries: headers are read and data is
/// skipped, except for a few small tag files (bagit.txt, bag-info.txt, handover/report.json).
/// Nothing is extracted, nothing is hashed: `handover inspect` answers "what is in there?", and
/// `handover verify` answers "can I trust it?".
public struct BundleInspection: Sendable {
    /// A file of the bundle and the size its header declares.
    package struct Entry: Sendable, Codable, Equatable {
        package var path: String
        package var bytes: Int64
    }

    public var path: String
    public var isFolder: Bool
    /// The bag's top-level folder (the archive's single folder, or the folder's own name).
    public var bagName: String?
    /// bagit.txt's version, when it could be read.
    public var bagItVersion: String?
    package var bagInfo: BagInfo?
    /// Files outside `data/`, with their sizes.
    package var tagFiles: [Entry] = []
    /// Files under `data/`, paths relative to `data/`, as stored (`.age` for encrypted ones),
    /// written with VisibleText's escapes.
    package var payload: [Entry] = []
    /// Entries that are neither files nor folders (links, devices), which a bag must not hold.
    public var oddEntries: [String] = []
    /// handover/report.json, the per-deliverable result written at build time.
    public var buildReport: CheckJSON?
    /// What could not be read, one sentence each.
    public var notes: [String] = []

    public var payloadBytes: Int64 { payload.reduce(0) { $0 + $1.bytes } }
    public var hasSignature: Bool { tagFiles.contains { $0.path == BagLayout.signature } }
    public var hasTimestamp: Bool { tagFiles.contains { $0.path == BagLayout.timestamp } }

    /// The largest tag file read whole; larger ones are listed, not read.
    static let smallFileLimit = 16 << 20
    /// The entries looked at, as many as the verifier accepts.
    static let entryLimit = BagLimits().entries
    static let kept: Set<[UInt8]> = [Array(BagDeclaration.fileName.utf8), Array(BagInfo.fileName.utf8), Array(BagLayout.reportJSON.utf8)]

    /// Lists the bundle (an archive, or a bag folder) at `path`.
    public static func inspect(path: String) throws -> BundleInspection {
        let open = try BundleVerification.reader(for: path)
        let reader = try open()
        var isFolder: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        var inspection = BundleInspection(path: path, isFolder: isFolder.boolValue)
        var small: [[UInt8]: [UInt8]] = [:]
        var count = 0
        while let entry = try reader.nextEntry() {
            count += 1
            guard count <= entryLimit else { throw BagError.tooManyEntries(limit: entryLimit) }
            switch entry.kind {
            case .directory: continue
            case .file: break
            case .symlink: inspection.oddEntries.append("\(entry.displayPath) (symbolic link)"); continue
            case .hardlink: inspection.oddEntries.append("\(entry.displayPath) (hard link)"); continue
            case .other(let word): inspection.oddEntries.append("\(entry.displayPath) (\(word))"); continue
            }
            let size = entry.size ?? 0
            if entry.path.starts(with: Array("data/".utf8)) {
                // Shown as report.json records names (VisibleText), so that the two compare.
                inspection.payload.append(Entry(path: VisibleText.name(bytes: Array(entry.path.dropFirst(5))), bytes: size))
                continue
            }
            inspection.tagFiles.append(Entry(path: entry.displayPath, bytes: size))
            if kept.contains(entry.path) && small[entry.path] == nil {
                small[entry.path] = try readSmall(reader, declared: size)
            }
        }
        inspection.bagName = (reader as? ArchiveBagReader)?.topLevel.map { String(decoding: $0, as: UTF8.self) }
            ?? (inspection.isFolder ? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent : nil)
        inspection.readTagFiles(small)
        return inspection
    }

    /// Reads the current entry whole, when it is small enough; nil otherwise.
    static func readSmall(_ reader: BundleEntryReader, declared: Int64) throws -> [UInt8]? {
        guard declared <= smallFileLimit else { return nil }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        while true {
            let count = try reader.readData(into: buffer)
            if count == 0 { return bytes }
            bytes += UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if bytes.count > smallFileLimit { return nil }
        }
    }

    mutating func readTagFiles(_ small: [[UInt8]: [UInt8]]) {
        var diagnostics = BagDiagnostics()
        var encoding = TagFileEncoding.utf8
        if let bytes = small[Array(BagDeclaration.fileName.utf8)], let declaration = BagDeclaration.parse(bytes, diagnostics: &diagnostics) {
            bagItVersion = declaration.version.description
            encoding = declaration.encoding ?? .utf8
        } else {
            notes.append("\(BagDeclaration.fileName) is missing or unreadable: this may not be a BagIt bag.")
        }
        if let bytes = small[Array(BagInfo.fileName.utf8)] {
            bagInfo = BagInfo.parse(bytes, encoding: encoding, diagnostics: &diagnostics)
        } else {
            notes.append("\(BagInfo.fileName) is missing or too large to read.")
        }
        if let bytes = small[Array(BagLayout.reportJSON.utf8)] {
            do {
                buildReport = try JSONDecoder().decode(CheckJSON.self, from: Data(bytes))
            } catch {
                notes.append("\(BagLayout.reportJSON) cannot be read, so the deliverables cannot be listed.")
            }
        } else {
            notes.append("\(BagLayout.reportJSON) is absent: this bundle was not built by handover, or is damaged; the deliverables cannot be listed.")
        }
    }
}
