import Foundation

/// The JSON object `handover diff --format json` prints and a chained delivery carries as
/// `handover/changes.json`, documented in README.md ("handover diff"). Field names are stable;
/// new fields may be added.
public struct DiffJSON: Codable, Sendable {
    package struct Totals: Codable, Sendable, Equatable {
        package var added = 0, removed = 0, changed = 0, moved = 0, unchanged = 0
    }

    /// Always 1 for this shape.
    public var version = 1
    /// True when nothing compared differs.
    public var same: Bool
    package var old: BundleDiff.Side
    package var new: BundleDiff.Side
    /// The checksum algorithm whose digests were compared.
    public var algorithm: String
    /// False: only the tag files were read, the digests are what the bundles claim.
    public var payloadRead: Bool
    public var verified: Bool
    /// Every payload file, each counted once.
    package var totals: Totals
    package var deliverables: [BundleDiff.DeliverableChanges]
    package var bagInfo: [BundleDiff.FieldChange]
    package var manifest: BundleDiff.ManifestChanges
    /// Absent when the tag files could not be compared.
    package var tagFiles: BundleDiff.TagChanges?
    public var notes: [String]

    public init(_ diff: BundleDiff) {
        same = diff.isSame
        old = diff.old
        new = diff.new
        algorithm = diff.algorithm.rawValue
        payloadRead = diff.verified
        verified = diff.verified
        totals = Self.totals(diff)
        deliverables = diff.deliverables
        bagInfo = diff.bagInfo
        manifest = diff.manifest
        tagFiles = diff.tagFiles
        notes = diff.notes
    }

    /// Totals over the whole payload: a file two deliverables select is counted once.
    static func totals(_ diff: BundleDiff) -> Totals {
        var added = Set<String>(), removed = Set<String>(), changed = Set<String>(), moved = Set<String>()
        for group in diff.deliverables {
            added.formUnion(group.added)
            removed.formUnion(group.removed)
            changed.formUnion(group.changed)
            moved.formUnion(group.moved.map(\.to))
        }
        return Totals(added: added.count, removed: removed.count, changed: changed.count, moved: moved.count, unchanged: diff.unchangedFiles)
    }

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads `handover/changes.json`, as encoded above.
    public static func decode(_ bytes: [UInt8]) throws -> DiffJSON {
        return try JSONDecoder().decode(DiffJSON.self, from: Data(bytes))
    }
}
