import Crypto
import Foundation

/// Chained deliveries: each bundle names the one before it in bag-info.txt, by the SHA-256 of
/// its archive and of its tag manifest. bag-info.txt is listed in the tag manifest, which the
/// signature covers, so a signed delivery vouches for its whole chain.
public enum DeliveryChain {
    public static let deliveryField = "Handover-Delivery"
    public static let previousBundleField = "Handover-Previous-Bundle"
    public static let previousSHA256Field = "Handover-Previous-SHA256"
    public static let previousTagManifestField = "Handover-Previous-Tagmanifest-SHA256"

    /// The bundle a new delivery follows, as `build --previous` reads it.
    package struct Previous: Sendable {
        /// The archive's file name (not its folder: that would make the new bundle depend on
        /// where the old one lies).
        package var name: String
        package var archiveSHA256: String
        package var tagManifestSHA256: String
        /// The new delivery's number: one after the previous one's (a bundle without a number
        /// was the first).
        package var delivery: Int
        package var tags: BundleTags

        /// The four bag-info.txt fields of the new delivery.
        package var fields: [BagInfo.Field] {
            [BagInfo.Field(deliveryField, String(delivery)), BagInfo.Field(previousBundleField, name),
             BagInfo.Field(previousSHA256Field, archiveSHA256), BagInfo.Field(previousTagManifestField, tagManifestSHA256)]
        }
    }

    /// Reads the previous bundle: its tag files, and its archive whole for its SHA-256.
    /// - Throws: `DiffError` (exit status 2) for a folder, a non-bag, or a bag without
    ///   `tagmanifest-sha256.txt`.
    package static func previous(path: String) throws -> Previous {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw DiffError.previousNotAnArchive(path)
        }
        let tags = try BundleTags.read(path: path)
        guard let tagManifest = tags.tagManifestSHA256 else {
            throw DiffError.notABag(path, "it has no \(BagLayout.signedTagManifest), which a chained delivery names")
        }
        let checksum: ArchiveChecksum
        do {
            checksum = try ArchiveChecksum.compute(path: path)
        } catch let error as HandoverError {
            throw DiffError.unreadable(path, error.errorDescription ?? "\(error)")
        }
        let before = tags.bagInfo?.value(deliveryField).flatMap { Int($0) } ?? 1
        return Previous(name: URL(fileURLWithPath: path).lastPathComponent, archiveSHA256: checksum.sha256,
                        tagManifestSHA256: tagManifest, delivery: before + 1, tags: tags)
    }

    /// How a delivery's record of the previous one compares with the bundle given as previous.
    public struct Check: Sendable {
        package enum Outcome: String, Sendable, Codable {
            /// Both digests match the bundle given.
            case confirmed
            /// The delivery names another bundle.
            case mismatch
            /// The delivery records no previous bundle.
            case unchained = "not-chained"
        }

        package var outcome: Outcome
        public var delivery: Int?
        public var previousPath: String
        public var recordedSHA256: String?
        public var actualSHA256: String
        public var recordedTagManifest: String?
        public var actualTagManifest: String?

        public var passed: Bool { outcome == .confirmed }

        /// One sentence for the person at the terminal, naming both digests when they differ.
        public var message: String {
            switch outcome {
            case .confirmed:
                return "Chain: delivery \(delivery.map(String.init) ?? "?") follows \(previousPath) (archive SHA-256 \(actualSHA256), tag manifest SHA-256 \(actualTagManifest ?? "?")): confirmed."
            case .unchained:
                return "Chain: the bundle records no previous delivery (no \(previousSHA256Field) in bag-info.txt), so it does not follow \(previousPath)."
            case .mismatch:
                var parts: [String] = []
                if recordedSHA256 != actualSHA256 {
                    parts.append("it records the previous archive's SHA-256 as \(recordedSHA256 ?? "(none)"), but \(previousPath) has \(actualSHA256)")
                }
                if recordedTagManifest != actualTagManifest {
                    parts.append("it records the previous tag manifest's SHA-256 as \(recordedTagManifest ?? "(none)"), but \(previousPath)'s is \(actualTagManifest ?? "(none)")")
                }
                return "Chain broken: \(parts.joined(separator: "; and ")). This delivery does not follow that bundle."
            }
        }
    }

    /// Compares the chain fields of `bagInfo` (a delivery's) with the bundle at `previous`.
    package static func check(_ bagInfo: BagInfo?, previous: String) throws -> Check {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: previous, isDirectory: &isFolder), isFolder.boolValue {
            throw DiffError.previousNotAnArchive(previous)
        }
        let tags = try BundleTags.read(path: previous)
        let checksum: ArchiveChecksum
        do {
            checksum = try ArchiveChecksum.compute(path: previous)
        } catch let error as HandoverError {
            throw DiffError.unreadable(previous, error.errorDescription ?? "\(error)")
        }
        let recorded = bagInfo?.value(previousSHA256Field)?.lowercased()
        let recordedTags = bagInfo?.value(previousTagManifestField)?.lowercased()
        var check = Check(outcome: .confirmed, delivery: bagInfo?.value(deliveryField).flatMap { Int($0) }, previousPath: previous,
                          recordedSHA256: recorded, actualSHA256: checksum.sha256,
                          recordedTagManifest: recordedTags, actualTagManifest: tags.tagManifestSHA256)
        if recorded == nil && recordedTags == nil {
            check.outcome = .unchained
        } else if recorded != checksum.sha256 || recordedTags != tags.tagManifestSHA256 {
            check.outcome = .mismatch
        }
        return check
    }
}

extension DeliveryChain {
    /// The changes since `previous` of a bundle being built, for its `handover/changes.json`:
    /// from the digests just computed and the manifest used, since the new bag's tag files do
    /// not exist yet (its other tag files are therefore not compared).
    static func changes(since previous: Previous, bagName: String, outputName: String, bagInfo: BagInfo, manifest: Manifest,
                        payloadDigests: [ChecksumAlgorithm: [[UInt8]: String]]) throws -> DiffJSON {
        var tags = BundleTags(path: outputName, isFolder: false)
        tags.bagName = bagName
        tags.bagInfo = bagInfo
        tags.manifest = manifest
        tags.manifestBytes = manifest.originalBytes
        tags.payloadDigests = payloadDigests
        tags.tagDigests = nil
        var diff = try BundleDiff.compare(previous.tags, tags)
        // The file name alone: the folder it was read from is the provider's business, and
        // would make the bundle's bytes depend on it.
        diff.old.path = previous.name
        diff.old.archiveSHA256 = previous.archiveSHA256
        diff.notes = diff.notes.map { $0.replacingOccurrences(of: previous.tags.path + ": ", with: previous.name + ": ") }
        return DiffJSON(diff)
    }
}
