/// The one table of bounds that build, verify and extract share.
///
/// Build refuses up front what verify would refuse (so a bundle handover writes is one handover
/// reads), and verify and extract stop a bundle that goes past them, whatever the order of its
/// entries. The fixed bounds (depth, path and name bytes, tag file sizes) come from file systems
/// and from what a verifier can hold; the others (entries, empty folders, expansion) guard
/// against bombs, and the person who trusts a bundle can raise them.
public struct BagLimits: Sendable {
    /// The most bytes of an entry's path in the archive, the bag's folder included (PATH_MAX).
    public var pathBytes = 4096
    /// The most levels of an entry's path in the archive, the bag's folder included.
    public var depth = 64
    /// The most bytes of one name (NAME_MAX of Linux; macOS and Windows file systems agree).
    public var nameBytes = 255
    /// The size of a tag file kept whole (bagit.txt, bag-info.txt, fetch.txt, tag manifests,
    /// `handover/`); beyond it the file is a problem, "tag file too large".
    public var keptTagFileBytes = 16 << 20
    /// The size of any other tag file (payload manifests, other tag folders).
    public var otherTagFileBytes: Int64 = 1 << 30
    /// The length of one line of a text tag file.
    public var lineBytes = 64 << 10
    /// The entries of the bundle and the lines of all manifests the verifier keeps track of.
    public var entries = 5_000_000
    /// Folders of the bundle that hold no file: a bag needs none, and each costs a folder on
    /// disk at extraction, so a few hundred kilobytes of archive could make millions.
    public var emptyFolders = 10_000
    /// The most an archive may expand, as a multiple of its own size, on top of
    /// `expansionSlack` and of the payload a Payload-Oxum declared before the payload.
    public var expansionRatio: Int64 = 100
    /// Expansion always allowed, so that small bundles of compressible text are never refused.
    public var expansionSlack: Int64 = 32 << 20
    /// The findings kept; more are counted and summarized.
    public var issues = 10_000
    /// The least slack allowed over a promised size before reading stops (see `margin(over:)`).
    public var minimumMargin: Int64 = 16 << 20
    /// A bound on all payload bytes read, on top of what the bag promises; nil for none.
    public var payloadBytes: Int64?

    public init() {}

    /// The limits in force for the readings this task starts: the command line sets them for
    /// verify and extract with `BagLimits.$current.withValue(_:operation:)`, so that every
    /// reader of the bundle, however deep in the pipeline it is opened, keeps to them.
    @TaskLocal public static var current = BagLimits()

    /// How far beyond a promised size reading may go before it stops: an eighth more, and at
    /// least `minimumMargin`, so a bag that is merely wrong is still read and reported in full.
    public func margin(over promised: Int64) -> Int64 {
        max(promised / 8, minimumMargin)
    }

    /// The promised size with its margin, without overflowing on a hostile promise.
    public func allowance(over promised: Int64) -> Int64 {
        let promised = max(0, promised)
        let (sum, overflow) = promised.addingReportingOverflow(margin(over: promised))
        return overflow ? .max : sum
    }

    /// The most bytes an archive of `archiveBytes` may expand to: `expansionRatio` times its
    /// size plus `expansionSlack`, plus the allowance over a payload declared before it.
    public func expansionCeiling(archiveBytes: Int64, declaredPayload: Int64?) -> Int64 {
        let (scaled, overflow) = max(0, archiveBytes).multipliedReportingOverflow(by: max(1, expansionRatio))
        var ceiling = overflow ? Int64.max : scaled
        ceiling = ceiling.addingReportingOverflow(expansionSlack).overflow ? .max : ceiling + expansionSlack
        if let declaredPayload {
            let allowed = allowance(over: declaredPayload)
            ceiling = ceiling.addingReportingOverflow(allowed).overflow ? .max : ceiling + allowed
        }
        return ceiling
    }

    /// Checks an entry's path as it is (or will be) in the archive, bag folder included,
    /// against the fixed bounds: path bytes, depth, name bytes. `shown` names it in the message.
    public func checkEntryPath(_ parts: [[UInt8]], bytes: Int, shown: @autoclosure () -> String) throws(BagLimitError) {
        try checkEntryPath(bytes: bytes, depth: parts.count, longName: parts.first { $0.count > nameBytes }?.count, shown: shown())
    }

    /// The same bounds on a path's numbers: its bytes, its segments, and the bytes of its first
    /// name over `nameBytes` (nil when none is).
    func checkEntryPath(bytes: Int, depth segments: Int, longName: Int?, shown: @autoclosure () -> String) throws(BagLimitError) {
        if bytes > pathBytes {
            throw BagLimitError(.pathBytes, path: shown(), found: Int64(bytes), limit: Int64(pathBytes))
        }
        if segments > depth {
            throw BagLimitError(.depth, path: shown(), found: Int64(segments), limit: Int64(depth))
        }
        if let longName {
            throw BagLimitError(.nameBytes, path: shown(), found: Int64(longName), limit: Int64(nameBytes))
        }
    }
}

/// A bundle, or a bundle about to be built, goes past one of the `BagLimits`.
///
/// Build and verify throw the same error with the same words, so that what build refuses reads
/// as what verify would have said. The options that raise a limit belong to the command line,
/// which names them (see `BagLimitError.Limit.isRaisable`).
public struct BagLimitError: HandoverError, Equatable {
    /// Which bound was passed.
    public enum Limit: String, Sendable, CaseIterable {
        case pathBytes, depth, nameBytes, entries, emptyFolders, expansion, tagFileBytes
        /// A name the archive format cannot store as it is (zip and a name that is not UTF-8).
        case nameEncoding

        /// Whether the reader may raise it (a guard against bombs), rather than a fact of file
        /// systems and formats.
        public var isRaisable: Bool { self == .entries || self == .emptyFolders || self == .expansion }
    }

    public let limit: Limit
    /// The entry, file or bundle concerned, as shown to the user.
    public let path: String
    /// What was found (bytes, levels, entries, folders) and the bound.
    public let found: Int64
    public let bound: Int64
    /// The bundle read, when verify or extract stopped.
    public var bundle: String?
    /// Whether nothing was written (a build), or reading stopped (verify, extract).
    public var building = false

    public init(_ limit: Limit, path: String, found: Int64, limit bound: Int64) {
        self.limit = limit
        self.path = path
        self.found = found
        self.bound = bound
    }

    public var exitStatus: ExitStatus { .checkFailed }

    /// The words build and verify share.
    public var reason: String {
        switch limit {
        case .pathBytes:
            "its path in the bundle is \(found) bytes long, over the limit of \(bound) bytes for a path"
        case .depth:
            "its path in the bundle is \(found) levels deep, over the limit of \(bound) levels"
        case .nameBytes:
            "it has a name of \(found) bytes, over the limit of \(bound) bytes for a name (file systems hold no longer)"
        case .entries:
            "the bundle has more than \(bound) entries, the limit of entries"
        case .emptyFolders:
            "the bundle has more than \(bound) folders that hold no file, the limit of empty folders"
        case .expansion:
            "the bundle would expand to at least \(found) bytes, over its limit of \(bound) bytes (the limit of expansion: a multiple of the archive's size, or the Payload-Oxum declared before the payload), as a decompression bomb would"
        case .tagFileBytes:
            "tag file too large: it is \(found) bytes, over the limit of \(bound) bytes for such a file"
        case .nameEncoding:
            "its name is not valid UTF-8, and a zip archive cannot hold such a name as it is"
        }
    }

    public var errorDescription: String? {
        let subject = [bundle, path.isEmpty ? nil : path].compactMap { $0 }.map { "\($0): " }.joined()
        return subject + reason + (building ? ". Nothing was written." : "; reading stopped there.")
    }
}
