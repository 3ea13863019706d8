import Foundation

/// What changed from one delivery to the next, per deliverable, from the two bundles' tag files.
///
/// A file is *added* or *removed* when its path is in one bag only, *changed* when the path is in
/// both with other digests, and *moved* when a removed path and an added one have the same digest.
/// The same value is printed by `handover diff` (text, JSON, Markdown) and carried by a chained
/// delivery as `handover/changes.json`.
public struct BundleDiff: Sendable {
    /// One of the two bundles.
    package struct Side: Sendable, Codable, Equatable {
        /// As given on the command line (only the file name inside a bundle).
        package var path: String
        package var bagName: String?
        /// bag-info.txt's `Handover-Delivery`, when the bundle is part of a chain.
        package var delivery: Int?
        package var tagManifestSHA256: String?
        /// The archive's SHA-256, when it was computed (the previous bundle of a chain).
        package var archiveSHA256: String? = nil
    }

    /// A file whose content stayed and whose path changed.
    package struct Move: Sendable, Codable, Equatable {
        package var from: String
        package var to: String
    }

    /// The changes of one deliverable; paths are relative to `data/`, sorted.
    package struct DeliverableChanges: Sendable, Codable {
        /// Nil for the files that no deliverable selects (or a bag without handover's manifest).
        package var id: String?
        package var title: String
        package var added: [String] = []
        package var removed: [String] = []
        package var changed: [String] = []
        package var moved: [Move] = []
        package var unchanged = 0

        package var isSame: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && moved.isEmpty }
        package var changeCount: Int { added.count + removed.count + changed.count + moved.count }
    }

    /// A bag-info.txt field whose values differ; nil on the side that lacks it.
    package struct FieldChange: Sendable, Codable, Equatable {
        package var label: String
        package var old: String?
        package var new: String?
    }

    /// How `handover/manifest.yaml` changed.
    package struct ManifestChanges: Sendable, Codable, Equatable {
        package var changed = false
        package var deliverablesAdded: [String] = []
        package var deliverablesRemoved: [String] = []
        /// Deliverables of both whose definition (title, paths, rules) differs.
        package var deliverablesChanged: [String] = []
    }

    /// Tag files (outside the payload, bag-info.txt and the manifests) that differ.
    package struct TagChanges: Sendable, Codable, Equatable {
        package var added: [String] = []
        package var removed: [String] = []
        package var changed: [String] = []
        package var isSame: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }
    }

    package var old: Side
    package var new: Side
    /// The algorithm whose digests were compared.
    public var algorithm: ChecksumAlgorithm
    /// Whether both bundles were verified first; otherwise the digests are what they claim.
    public var verified = false
    package var deliverables: [DeliverableChanges] = []
    package var bagInfo: [FieldChange] = []
    package var manifest = ManifestChanges()
    /// Nil when the tag files could not be compared (a side has no tag manifest).
    package var tagFiles: TagChanges?
    /// What could not be compared, one sentence each.
    public var notes: [String] = []

    /// Nothing differs that could be compared.
    public var isSame: Bool {
        deliverables.allSatisfy(\.isSame) && bagInfo.isEmpty && !manifest.changed && (tagFiles?.isSame ?? true)
    }

    /// Payload files that stayed as they were, in all deliverables (a file two deliverables
    /// select counts once).
    public var unchangedFiles: Int

    /// Compares two bundles' tag files.
    /// - Throws: `DiffError.noCommonAlgorithm` when their manifests share no algorithm.
    public static func compare(_ oldTags: BundleTags, _ newTags: BundleTags) throws -> BundleDiff {
        let common = Set(oldTags.payloadDigests.keys).intersection(newTags.payloadDigests.keys)
        let chosen: ChecksumAlgorithm? = common.contains(.sha256) ? .sha256 : common.max()
        guard let algorithm = chosen else {
            throw DiffError.noCommonAlgorithm(oldTags.path, newTags.path)
        }
        let oldFiles = payload(oldTags.payloadDigests[algorithm] ?? [:])
        let newFiles = payload(newTags.payloadDigests[algorithm] ?? [:])
        var diff = BundleDiff(old: side(oldTags), new: side(newTags), algorithm: algorithm, unchangedFiles: 0)

        // Path by path first; then a removed file and an added one with the same digest are a move.
        var added = newFiles.keys.filter { oldFiles[$0] == nil }.sorted()
        let removedPaths = oldFiles.keys.filter { newFiles[$0] == nil }.sorted()
        let changed = newFiles.keys.filter { oldFiles[$0] != nil && oldFiles[$0] != newFiles[$0] }.sorted()
        let unchanged = newFiles.keys.filter { oldFiles[$0] == newFiles[$0] }
        var addedByDigest: [String: [String]] = [:]
        for path in added { addedByDigest[newFiles[path] ?? "", default: []].append(path) }
        var removed: [String] = []
        var moves: [Move] = []
        for path in removedPaths {
            let digest = oldFiles[path] ?? ""
            if var candidates = addedByDigest[digest], !candidates.isEmpty {
                moves.append(Move(from: path, to: candidates.removeFirst()))
                addedByDigest[digest] = candidates
            } else {
                removed.append(path)
            }
        }
        let movedTo = Set(moves.map(\.to))
        added.removeAll { movedTo.contains($0) }
        diff.unchangedFiles = unchanged.count

        // Then each change goes to the deliverables that select its path, in the new manifest
        // (in the old one for what is gone).
        var groups = Groups(old: oldTags, new: newTags)
        for path in added { for index in groups.new(path) { groups.items[index].added.append(path) } }
        for path in changed { for index in groups.new(path) { groups.items[index].changed.append(path) } }
        for path in unchanged { for index in groups.new(path) { groups.items[index].unchanged += 1 } }
        for path in removed { for index in groups.old(path) { groups.items[index].removed.append(path) } }
        for move in moves {
            let indexes = groups.new(move.to) + groups.old(move.from)
            for index in Set(indexes).sorted() { groups.items[index].moved.append(move) }
        }
        diff.deliverables = groups.items.filter { $0.id != nil || $0.changeCount + $0.unchanged > 0 }
        diff.bagInfo = compareBagInfo(oldTags.bagInfo, newTags.bagInfo)
        diff.manifest = compareManifests(oldTags, newTags)
        diff.tagFiles = compareTagFiles(oldTags, newTags)
        if diff.tagFiles == nil, newTags.tagDigests != nil {
            diff.notes.append("Tag files other than bag-info.txt and the manifests were not compared: a bundle has no tag manifest in common with the other.")
        }
        if deliverablesUnknown(oldTags) || deliverablesUnknown(newTags) {
            diff.notes.append("A bundle carries no readable \(BagLayout.manifestCopy): its files are listed without deliverables.")
        }
        if (changed + removed + added).contains(where: { $0.hasSuffix(".age") }) {
            diff.notes.append("Encrypted files (.age) are encrypted anew at each build: their digests differ even when their content does not.")
        }
        diff.notes += oldTags.notes.map { "\(oldTags.path): \($0)" } + newTags.notes.map { "\(newTags.path): \($0)" }
        return diff
    }

    static func side(_ tags: BundleTags) -> Side {
        Side(path: tags.path, bagName: tags.bagName, delivery: tags.bagInfo?.value(DeliveryChain.deliveryField).flatMap { Int($0) },
             tagManifestSHA256: tags.tagManifestSHA256)
    }

    static func deliverablesUnknown(_ tags: BundleTags) -> Bool { tags.manifest == nil }

    /// Payload paths relative to `data/`, for people.
    static func payload(_ digests: [[UInt8]: String]) -> [String: String] {
        var files: [String: String] = [:]
        let prefix = Array("data/".utf8)
        for (path, digest) in digests where path.starts(with: prefix) {
            files[String(decoding: path.dropFirst(prefix.count), as: UTF8.self)] = digest
        }
        return files
    }

    /// The deliverables of both manifests, new ones first in their order, then those only the
    /// old manifest has, then the files no deliverable selects.
    struct Groups {
        var items: [DeliverableChanges]
        let oldTags: BundleTags, newTags: BundleTags
        private let newIndex: [Int], oldIndex: [Int]
        private let unselected: Int

        init(old: BundleTags, new: BundleTags) {
            oldTags = old
            newTags = new
            var items: [DeliverableChanges] = [], newIndex: [Int] = [], oldIndex: [Int] = []
            var byID: [String: Int] = [:]
            for deliverable in new.manifest?.deliverables ?? [] {
                byID[deliverable.id] = items.count
                newIndex.append(items.count)
                items.append(DeliverableChanges(id: deliverable.id, title: deliverable.title))
            }
            for deliverable in old.manifest?.deliverables ?? [] {
                if let index = byID[deliverable.id] { oldIndex.append(index); continue }
                byID[deliverable.id] = items.count
                oldIndex.append(items.count)
                items.append(DeliverableChanges(id: deliverable.id, title: deliverable.title))
            }
            unselected = items.count
            items.append(DeliverableChanges(id: nil, title: "Files no deliverable selects"))
            self.items = items
            self.newIndex = newIndex
            self.oldIndex = oldIndex
        }

        func new(_ path: String) -> [Int] { map(newTags.deliverables(of: path), newIndex) }
        func old(_ path: String) -> [Int] { map(oldTags.deliverables(of: path), oldIndex) }

        private func map(_ found: [Int], _ index: [Int]) -> [Int] {
            found.isEmpty ? [unselected] : found.map { index[$0] }
        }
    }

    static func compareBagInfo(_ old: BagInfo?, _ new: BagInfo?) -> [FieldChange] {
        var labels: [String] = []
        var seen = Set<String>()
        for field in (new?.fields ?? []) + (old?.fields ?? []) where seen.insert(field.label.lowercased()).inserted {
            labels.append(field.label)
        }
        return labels.compactMap { label -> FieldChange? in
            let before = old?.values(label) ?? [], after = new?.values(label) ?? []
            guard before != after else { return nil }
            return FieldChange(label: label, old: before.isEmpty ? nil : before.joined(separator: "; "),
                               new: after.isEmpty ? nil : after.joined(separator: "; "))
        }
    }

    static func compareManifests(_ old: BundleTags, _ new: BundleTags) -> ManifestChanges {
        var changes = ManifestChanges()
        guard old.manifestBytes != new.manifestBytes else { return changes }
        changes.changed = true
        let before = Dictionary((old.manifest?.deliverables ?? []).map { ($0.id, definition($0)) }) { first, _ in first }
        let after = Dictionary((new.manifest?.deliverables ?? []).map { ($0.id, definition($0)) }) { first, _ in first }
        changes.deliverablesAdded = after.keys.filter { before[$0] == nil }.sorted()
        changes.deliverablesRemoved = before.keys.filter { after[$0] == nil }.sorted()
        changes.deliverablesChanged = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
        return changes
    }

    /// What a deliverable asks for, in words that compare: its line in the file does not count.
    static func definition(_ deliverable: Deliverable) -> [String] {
        [deliverable.title, deliverable.category ?? "", "\(deliverable.required)", deliverable.paths.map(\.pattern).joined(separator: "\u{0}"),
         "\(deliverable.minFiles)", deliverable.formats?.joined(separator: ",") ?? "-", deliverable.requiredColumns.joined(separator: ","),
         deliverable.maxAgeDays.map { String($0) } ?? "-", "\(deliverable.confidential)", deliverable.notes ?? ""]
    }

    /// Tag files both tag manifests list, by digest; bag-info.txt, the manifest copy and the
    /// payload manifests are left out, since their changes are told above.
    static func compareTagFiles(_ old: BundleTags, _ new: BundleTags) -> TagChanges? {
        guard let oldDigests = old.tagDigests, let newDigests = new.tagDigests else { return nil }
        let common = Set(oldDigests.keys).intersection(newDigests.keys)
        let chosen: ChecksumAlgorithm? = common.contains(.sha256) ? .sha256 : common.max()
        guard let algorithm = chosen else { return nil }
        func files(_ digests: [[UInt8]: String]) -> [String: String] {
            var out: [String: String] = [:]
            for (path, digest) in digests {
                let name = String(decoding: path, as: UTF8.self)
                if name == BagInfo.fileName || name == BagLayout.manifestCopy || BagManifestName(fileName: path)?.kind == .payload { continue }
                out[name] = digest
            }
            return out
        }
        // What the tag manifests do not list (the signature, the time-stamp, a file added after
        // signing) is compared by its bytes: without it, a bundle re-signed by another key, or
        // with its time-stamp removed, had "no difference".
        func unlisted(_ tags: BundleTags, _ listed: [[UInt8]: String]) -> [String: String] {
            var out: [String: String] = [:]
            for (path, digest) in tags.tagEntryDigests where listed[path] == nil && path != Array(BagDeclaration.fileName.utf8) {
                out[VisibleText.name(bytes: path)] = "sha256:" + digest
            }
            return out
        }
        let oldListed = oldDigests[algorithm] ?? [:], newListed = newDigests[algorithm] ?? [:]
        let before = files(oldListed).merging(unlisted(old, oldListed)) { listed, _ in listed }
        let after = files(newListed).merging(unlisted(new, newListed)) { listed, _ in listed }
        return TagChanges(added: after.keys.filter { before[$0] == nil }.sorted(),
                          removed: before.keys.filter { after[$0] == nil }.sorted(),
                          changed: after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted())
    }
}
