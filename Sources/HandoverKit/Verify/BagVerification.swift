/// A payload file as the verifier found it.
package struct PayloadFile: Sendable, Equatable {
    /// The path relative to `data/`, bytes as stored.
    package var path: [UInt8]
    /// The bytes read (or, for a file the verifier did not need to read, the size declared).
    package var size: Int64
    /// The digests computed: those of the payload manifests (or `initialAlgorithms` when there
    /// were none). Empty for a file the verifier did not read (unlisted while a manifest was
    /// known) or stopped reading (far larger than promised); both are problems of the result.
    package var digests: FileDigests
    /// The modification time the bundle gives (seconds since the epoch), when it gives one.
    package var modified: Int64? = nil

    /// The path relative to the bag's root, as manifests write it.
    package var bagPath: [UInt8] { Array("data/".utf8) + path }
    /// The path for messages: UTF-8, with any invalid byte shown as U+FFFD.
    package var displayPath: String { VisibleText.name(bytes: path) }
}

/// The payload files of a verified bag, sorted by path bytes: a view of the verifier's table of
/// found files (their paths in one arena), not a copy; each element is made as it is read.
package struct PayloadFiles: RandomAccessCollection, Sendable {
    private let table: PathMap<FoundFile>
    private let order: [Int32]

    /// The entries `order` names of `table`: regular files under `data/`, in byte order.
    init(_ table: PathMap<FoundFile>, order: [Int32]) {
        self.table = table
        self.order = order
    }

    /// The numbers of `table`'s regular files under `data/`, in byte order of their paths.
    static func order(of table: PathMap<FoundFile>) -> [Int32] {
        table.sortedIndices { id, file in
            file.isRegular && table.withPath(at: id) { $0.starts(with: BagPaths.dataPrefix) }
        }
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { order.count }

    package subscript(position: Int) -> PayloadFile {
        let id = Int(order[position])
        let file = table.value(at: id)
        let path = table.withPath(at: id) { Array($0.dropFirst(BagPaths.dataPrefix.count)) }
        return PayloadFile(path: path, size: file.size, digests: file.digests, modified: file.modified)
    }

    /// The payload file at `path` relative to the bag's root (`data/...`), or nil.
    package func file(atBagPath path: [UInt8]) -> (size: Int64, digests: FileDigests)? {
        number(ofBagPath: path).map { table.value(at: $0) }.map { ($0.size, $0.digests) }
    }

    /// A number for the payload file at `path` relative to the bag's root, distinct for each
    /// file and below `numbers`; nil when there is no such payload file.
    package func number(ofBagPath path: [UInt8]) -> Int? {
        guard path.starts(with: BagPaths.dataPrefix), let id = table.index(of: path), table.value(at: id).isRegular else { return nil }
        return id
    }

    /// Calls `body` with the path relative to the bag's root of the file `number(ofBagPath:)`
    /// gave `number`, without copying it.
    func withBagPath<Result>(ofNumber number: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try table.withPath(at: number, body)
    }

    /// The bound of `number(ofBagPath:)`.
    package var numbers: Int { table.indexCount }

    /// Whether the bag holds a payload file at `path` (relative to `data/`).
    package func contains(path: [UInt8]) -> Bool {
        table[BagPaths.dataPrefix + path]?.isRegular == true
    }

    /// The payload's size in bytes.
    package var totalSize: Int64 { order.reduce(Int64(0)) { $0 &+ table.value(at: Int($1)).size } }
}

/// A small tag file kept whole for the later stages (signature, timestamp, report).
package struct TagFile: Sendable, Equatable {
    /// The path relative to the bag's root ("bag-info.txt", "handover/manifest.yaml").
    package var path: [UInt8]
    package var bytes: [UInt8]

    package var displayPath: String { VisibleText.name(bytes: path) }
}

/// What `BagVerifier` found: every problem and warning, and what the later stages need.
package struct BagVerification: Sendable {
    /// Findings that make the bag invalid, sorted by file and line.
    package var problems: [BagIssue]
    /// Findings that leave the bag valid but deserve a look, sorted by file and line.
    package var warnings: [BagIssue]
    /// bagit.txt, when it could be read.
    package var declaration: BagDeclaration?
    /// bag-info.txt, when present.
    package var bagInfo: BagInfo?
    /// The payload files present, sorted by path bytes.
    package var payload: PayloadFiles
    /// The algorithms of the payload manifests (those handover computes), sorted.
    package var payloadAlgorithms: [ChecksumAlgorithm]
    /// The algorithms of the tag manifests (those handover computes), sorted.
    package var tagAlgorithms: [ChecksumAlgorithm]
    /// The lines of fetch.txt.
    package var fetchItems: [FetchItem]
    /// Some files listed in fetch.txt are absent: valid so far, but not complete until fetched.
    package var isHoley: Bool
    /// The checksums the payload manifests give for each file fetch.txt is to bring and the bag
    /// does not hold, by its path relative to the bag's root: what `verify --fetch` compares with.
    package var fetchDigests: [[UInt8]: FileDigests] = [:]
    /// bagit.txt, bag-info.txt, fetch.txt, the tag manifests and the files under `handover/`,
    /// each within the size limit, sorted by path.
    package var tagFiles: [TagFile]
    /// Every file outside `data/` found in the bundle, tag manifests included, sorted by path.
    package var tagEntries: [[UInt8]]
    /// The same files' sizes and SHA-256 as the first reading read them (the bytes the verifier
    /// parsed, whether or not a tag manifest lists them), by path: what extraction must find again.
    var tagEntriesRead: [[UInt8]: (size: Int64, sha256: String?)]
    /// The paths each tag manifest lists, by the tag manifest's file name.
    package var tagManifestListings: [String: Set<[UInt8]>]
    /// How many times the bundle was read: 1, or 2 when some digest or manifest needed it.
    package var passes: Int

    /// Whether the bag is valid: no problem found (warnings allowed). A holey bag is not: it is
    /// incomplete until its files are fetched.
    package var isValid: Bool { problems.isEmpty }

    /// The exit status this verdict leads to: 0 when valid, 1 when a problem was found.
    package var exitStatus: ExitStatus { isValid ? .ok : .checkFailed }

    /// The bytes of a kept tag file, by its path relative to the bag's root.
    package func tagFile(_ path: String) -> [UInt8]? {
        let key = Array(path.utf8)
        return tagFiles.first { $0.path == key }?.bytes
    }
}
