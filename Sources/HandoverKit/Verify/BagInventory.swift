import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A file the verifier met in the bundle.
struct FoundFile {
    enum State: Equatable {
        /// Read and hashed.
        case read
        /// Not read: unlisted while a payload manifest was already known. `size` is declared.
        case skipped
        /// Reading stopped early (far larger than promised); the digests are not to be trusted.
        case cut
        /// A symlink, hard link, device...: reported, never read.
        case notRegular
    }

    var size: Int64
    var digests: FileDigests
    /// Right after `digests`, in its padding: 64 bytes in all.
    var state: State
    /// The modification time as seconds, `Int64.min` for none (an optional would take 9 bytes).
    /// A bundle's time of Int64.min is kept as Int64.min + 1, still older than any age rule allows.
    private var modifiedSeconds: Int64

    init(size: Int64, digests: FileDigests, state: State, modified: Int64? = nil) {
        self.size = size
        self.digests = digests
        self.state = state
        modifiedSeconds = modified.map { max($0, .min + 1) } ?? .min
    }

    /// The modification time the bundle gives, for the age rules; kept here rather than in a
    /// second table keyed by path.
    var modified: Int64? {
        get { modifiedSeconds == .min ? nil : modifiedSeconds }
        // A real time of Int64.min is kept a second later: never taken for "no time".
        set { modifiedSeconds = newValue.map { max($0, .min + 1) } ?? .min }
    }

    var isRegular: Bool { state != .notRegular }
}

/// A checksum a manifest gives: 32 bytes when it is a SHA-256 (the usual case), its text
/// otherwise. A million lines of 64 hexadecimal characters would take 112 MB as Strings.
enum ListedChecksum: Equatable {
    case sha256(SHA256Bytes)
    case text(String)

    /// From the manifest's lowercase hexadecimal text.
    init(_ text: String) {
        if let bytes = SHA256Bytes(hex: text) { self = .sha256(bytes) } else { self = .text(text) }
    }

    /// The lowercase hexadecimal text.
    var text: String {
        switch self {
        case .sha256(let bytes): bytes.hex
        case .text(let text): text
        }
    }
}

/// One manifest's entries, by canonical path.
struct ManifestTable {
    /// 40 bytes a line: a million lines are held at once.
    struct Listed {
        var checksum: ListedChecksum
        private var lineNumber: Int32

        init(checksum: ListedChecksum, line: Int) {
            self.checksum = checksum
            lineNumber = Int32(clamping: line)
        }

        var line: Int { Int(lineNumber) }
    }

    let name: BagManifestName
    var entries = PathMap<Listed>()
    /// The path as the line wrote it (before percent-decoding), by the decoded path, for the
    /// few lines where they differ (see `BagManifestEntry.literalPath`).
    var literalPaths: [[UInt8]: [UInt8]] = [:]
    /// The first line of each non-ASCII path, by its NFC form, to find twins.
    var normalizedLines: [String: (path: [UInt8], line: Int)] = [:]
    /// All of the file has been parsed.
    var complete = false
    /// Too large to wait in memory for bagit.txt's encoding: to be parsed in a second pass.
    var deferred = false
}

/// A path listed a second time in a manifest, in another Unicode normalization form.
struct NormalizationTwin {
    var manifest: String
    var path: [UInt8]
    var line: Int
    var firstPath: [UInt8]
    var firstLine: Int
}

/// Everything the verifier has learned so far about the bag.
struct BagInventory {
    var diagnostics: BagDiagnostics
    let maxManifestEntries: Int
    var found = PathMap<FoundFile>()
    var manifests: [BagManifestName: ManifestTable] = [:]
    /// Payload manifests seen but not yet parsed, because bagit.txt had not come: their bytes.
    var pendingManifests: [BagManifestName: [UInt8]] = [:]
    /// Small tag files kept whole, by path.
    var kept: [[UInt8]: [UInt8]] = [:]
    var declaration: BagDeclaration?
    var sawDeclaration = false
    var sawDataDirectory = false
    var payloadBytesRead: Int64 = 0
    /// Payload-Oxum as read early from bag-info.txt, to bound what the payload may weigh.
    var oxumHint: PayloadOxum?
    var manifestEntryCount = 0
    /// Paths listed twice in one manifest under two Unicode normalization forms.
    var normalizationTwins: [NormalizationTwin] = []

    init(diagnostics: BagDiagnostics, maxManifestEntries: Int) {
        self.diagnostics = diagnostics
        self.maxManifestEntries = maxManifestEntries
    }

    /// The encoding of the tag files: the declared one, or UTF-8 until (or unless) it is known.
    var encoding: TagFileEncoding { declaration?.encoding ?? .utf8 }

    /// Payload manifests of an algorithm handover computes, whose name has been seen.
    var payloadAlgorithms: Set<ChecksumAlgorithm> {
        Set(manifests.keys.filter { $0.kind == .payload }.compactMap(\.algorithm))
    }

    /// Whether a fully read payload manifest lists no such path: the file is surely unlisted.
    func isSurelyUnlisted(_ path: [UInt8]) -> Bool {
        let complete = manifests.values.filter { $0.name.kind == .payload && $0.complete && $0.name.algorithm != nil }
        return !complete.isEmpty && complete.allSatisfy { $0.entries[path] == nil }
    }

    /// Adds one manifest line. A path listed twice, even with the same checksum or in another
    /// Unicode normalization form, is a problem: RFC 8493 §2.1.3 lists each file once, and a
    /// reader that keeps the first line and one that keeps the last would disagree.
    mutating func add(_ entry: BagManifestEntry, to name: BagManifestName) throws {
        let checksum = ListedChecksum(entry.checksum)
        if let existing = manifests[name]?.entries[entry.path] {
            let shown = BagPaths.display(entry.path)
            if existing.checksum == checksum {
                diagnostics.problem(.repeatedManifestEntry, name.fileName, line: entry.line, "\"\(shown)\" is listed twice (first on line \(existing.line)); a manifest lists each file once.")
            } else {
                diagnostics.problem(.conflictingManifestEntry, name.fileName, line: entry.line, "\"\(shown)\" is listed again (first on line \(existing.line)) with a different checksum.")
            }
            return
        }
        if !entry.path.isAllASCII {
            // Twins under normalization name one file on macOS and in bagit-python; whether they
            // are one line too many is known at the end, when the bag's files are (see BagChecks).
            let key = String(decoding: entry.path, as: UTF8.self).precomposedStringWithCanonicalMapping
            if let first = manifests[name]?.normalizedLines[key] {
                normalizationTwins.append(NormalizationTwin(manifest: name.fileName, path: entry.path, line: entry.line, firstPath: first.path, firstLine: first.line))
            } else {
                manifests[name, default: ManifestTable(name: name)].normalizedLines[key] = (entry.path, entry.line)
            }
        }
        manifestEntryCount += 1
        guard manifestEntryCount <= maxManifestEntries else {
            throw BagError.tooManyManifestEntries(file: name.fileName, limit: maxManifestEntries)
        }
        manifests[name, default: ManifestTable(name: name)].entries[entry.path] = ManifestTable.Listed(checksum: checksum, line: entry.line)
        if let literal = entry.literalPath { manifests[name]?.literalPaths[entry.path] = literal }
    }

    /// A payload manifest has been read whole: the found files will be about its lines, so the
    /// table is made that size at once (bounded by what the manifest itself took).
    mutating func payloadManifestComplete(_ name: BagManifestName) {
        guard name.kind == .payload, let entries = manifests[name]?.entries else { return }
        found.reserve(count: entries.count + 64, pathBytes: entries.pathBytes + 4096)
    }

    /// Empties a manifest's table before it is parsed (again).
    mutating func resetTable(_ name: BagManifestName) {
        manifestEntryCount -= manifests[name]?.entries.count ?? 0
        manifests[name] = ManifestTable(name: name)
        normalizationTwins.removeAll { $0.manifest == name.fileName }
    }

    /// Parses a whole manifest held in memory into its table.
    mutating func parseWhole(_ bytes: [UInt8], name: BagManifestName, encoding: TagFileEncoding) throws {
        resetTable(name)
        let entries = BagManifestParser.entries(of: bytes, name: name, encoding: encoding, diagnostics: &diagnostics)
        for entry in entries { try add(entry, to: name) }
        manifests[name]?.complete = true
        payloadManifestComplete(name)
    }

    /// bagit.txt has been read: the manifests waiting for its encoding can be parsed.
    mutating func declarationRead(_ bytes: [UInt8]) throws {
        sawDeclaration = true
        declaration = BagDeclaration.parse(bytes, diagnostics: &diagnostics)
        for (name, pending) in pendingManifests.sorted(by: { $0.key < $1.key }) {
            try parseWhole(pending, name: name, encoding: encoding)
        }
        pendingManifests = [:]
    }
}

extension Array where Element == UInt8 {
    /// Byte order, with memcmp: the generic comparison is slow on a million paths.
    func bytewisePrecedes(_ other: [UInt8]) -> Bool {
        let common = Swift.min(count, other.count)
        let order = withUnsafeBytes { a in other.withUnsafeBytes { b in common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common) } }
        return order != 0 ? order < 0 : count < other.count
    }
}

extension Sequence where Element == UInt8 {
    var isAllASCII: Bool { allSatisfy { $0 < 0x80 } }
}
