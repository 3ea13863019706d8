/// Holds a verified bag against a BagIt Profile (`handover verify --profile FILE`).
///
/// Everything it looks at was read by the verifier already (bag-info.txt, bagit.txt, the names
/// of the entries outside `data/`, the payload's sizes) or by the archive reader (what the
/// archive is): the bundle is not opened again. Every unmet rule is named, not only the first.
package enum ProfileCheck {
    /// What the check found.
    public struct Result: Sendable, Equatable {
        /// The profile's `BagIt-Profile-Identifier`.
        package var identifier: String
        /// The profile file, as given.
        package var path: String
        /// The rules the bag does not meet, in the order of the specification's fields.
        package var issues: [ProfileIssue]

        package var passed: Bool { issues.isEmpty }
    }

    /// The bag as the profile sees it: what the verifier read, and what the bundle is.
    package struct Subject {
        package var bag: BagVerification
        /// nil for a bag folder, and for an archive whose kind could not be told.
        package var serialization: ArchiveSerialization?
        package var isFolder: Bool

        package init(bag: BagVerification, serialization: ArchiveSerialization?, isFolder: Bool) {
            self.bag = bag
            self.serialization = serialization
            self.isFolder = isFolder
        }
    }

    package static func check(_ subject: Subject, against profile: BagProfile) -> Result {
        var issues: [ProfileIssue] = []
        issues += serialization(subject, profile)
        issues += version(subject.bag, profile)
        issues += bagInfo(subject.bag, profile)
        let entries = TagEntries(subject.bag)
        issues += manifests(entries.payloadManifests, required: profile.manifestsRequired, allowed: profile.manifestsAllowed,
                            prefix: "manifest-", kind: "payload", codes: (.manifestMissing, .manifestNotAllowed))
        issues += manifests(entries.tagManifests, required: profile.tagManifestsRequired, allowed: profile.tagManifestsAllowed,
                            prefix: "tagmanifest-", kind: "tag", codes: (.tagManifestMissing, .tagManifestNotAllowed))
        issues += tagFiles(entries, profile)
        issues += fetchAndData(subject.bag, entries, profile)
        return Result(identifier: profile.identifier, path: profile.source, issues: issues)
    }

    private static func serialization(_ subject: Subject, _ profile: BagProfile) -> [ProfileIssue] {
        let accepted = profile.acceptSerialization.map { " (\(listed($0)))" } ?? ""
        if subject.isFolder {
            guard profile.serialization == .required else { return [] }
            return [ProfileIssue(.serializationRequired, file: nil, "this is a bag folder, but the profile requires a serialized bag\(accepted).")]
        }
        guard let found = subject.serialization else { return [] }
        if profile.serialization == .forbidden {
            return [ProfileIssue(.serializationForbidden, file: nil, "this bag is serialized (\(found.name)), but the profile forbids serialized bags.")]
        }
        guard let acceptable = profile.acceptSerialization else { return [] }
        let lowered = Set(acceptable.map { $0.lowercased() })
        guard !found.mediaTypes.contains(where: { lowered.contains($0) }) else { return [] }
        return [ProfileIssue(.serializationNotAccepted, file: nil,
                             "this bag is a \(found.name) (\(found.mediaTypes[0])), a serialization the profile does not accept; it accepts \(listed(acceptable)).")]
    }

    private static func version(_ bag: BagVerification, _ profile: BagProfile) -> [ProfileIssue] {
        let accepted = "the profile accepts BagIt \(listed(profile.acceptBagItVersion))"
        guard let declared = bag.declaration?.version else {
            return [ProfileIssue(.versionNotAccepted, file: BagDeclaration.fileName, "no BagIt version could be read from it; \(accepted).")]
        }
        let matches = profile.acceptBagItVersion.contains { BagItVersion(parsing: $0) == declared }
        return matches ? [] : [ProfileIssue(.versionNotAccepted, file: BagDeclaration.fileName, "the bag is BagIt \(declared), but \(accepted).")]
    }

    private static func bagInfo(_ bag: BagVerification, _ profile: BagProfile) -> [ProfileIssue] {
        let file = bag.declaration?.version.metadataFileName ?? BagInfo.fileName
        guard let info = bag.bagInfo else {
            return [ProfileIssue(.bagInfoMissing, file: file, "the bag has none, so it cannot name the profile it follows (BagIt-Profile-Identifier) nor hold the fields the profile requires.")]
        }
        var issues: [ProfileIssue] = []
        let named = info.values("BagIt-Profile-Identifier")
        if named.isEmpty {
            issues.append(ProfileIssue(.identifierMissing, file: file, "lacks BagIt-Profile-Identifier, which names the profile a bag follows (this profile's is \(profile.identifier))."))
        } else if !named.contains(profile.identifier) {
            issues.append(ProfileIssue(.identifierMismatch, file: file, "its BagIt-Profile-Identifier names \(listed(named)), not this profile (\(profile.identifier))."))
        }
        for rule in profile.bagInfo {
            let values = info.values(rule.label)
            if rule.required && values.isEmpty {
                issues.append(ProfileIssue(.tagMissing, file: file, "lacks \(rule.label), which the profile requires."))
            }
            if !rule.values.isEmpty {
                for value in values where !rule.values.contains(value) {
                    issues.append(ProfileIssue(.tagValueNotAllowed, file: file,
                                               "\(rule.label) is \"\(value)\", which is not among the values the profile allows: \(listed(rule.values, quoted: true))."))
                }
            }
            if !rule.repeatable && values.count > 1 {
                issues.append(ProfileIssue(.tagRepeated, file: file, "gives \(rule.label) \(values.count) times, but the profile allows it once."))
            }
        }
        return issues
    }

    private static func manifests(_ present: [String], required: [String], allowed: [String]?, prefix: String, kind: String,
                                  codes: (missing: ProfileIssue.Code, notAllowed: ProfileIssue.Code)) -> [ProfileIssue] {
        var issues: [ProfileIssue] = []
        for algorithm in required where !present.contains(algorithm) {
            issues.append(ProfileIssue(codes.missing, file: "\(prefix)\(algorithm).txt", "absent, but the profile requires \(algorithm) \(kind) manifests."))
        }
        if let allowed {
            for algorithm in present where !allowed.contains(algorithm) {
                issues.append(ProfileIssue(codes.notAllowed, file: "\(prefix)\(algorithm).txt",
                                           "the profile does not allow \(algorithm) \(kind) manifests (it allows \(listed(allowed)))."))
            }
        }
        return issues
    }

    private static func tagFiles(_ entries: TagEntries, _ profile: BagProfile) -> [ProfileIssue] {
        var issues: [ProfileIssue] = []
        for file in profile.tagFilesRequired where !entries.all.contains(file) {
            issues.append(ProfileIssue(.tagFileMissing, file: file, "absent, but the profile requires this tag file."))
        }
        if let allowed = profile.tagFilesAllowed {
            for file in entries.otherTagFiles where !allowed.contains(where: { TagFilePattern.matches($0, file) }) {
                issues.append(ProfileIssue(.tagFileNotAllowed, file: file, "a tag file the profile does not allow (it allows \(listed(allowed)))."))
            }
        }
        return issues
    }

    private static func fetchAndData(_ bag: BagVerification, _ entries: TagEntries, _ profile: BagProfile) -> [ProfileIssue] {
        var issues: [ProfileIssue] = []
        let hasFetch = entries.all.contains(FetchFile.fileName)
        if hasFetch && !profile.allowsFetch {
            issues.append(ProfileIssue(.fetchNotAllowed, file: FetchFile.fileName, "present, but the profile does not allow fetch.txt (Allow-Fetch.txt is false)."))
        }
        if !hasFetch && profile.requiresFetch {
            issues.append(ProfileIssue(.fetchRequired, file: FetchFile.fileName, "absent, but the profile requires one (Fetch.txt-Required)."))
        }
        let payload = bag.payload
        if profile.requiresEmptyData, payload.count > 1 || payload.first.map({ $0.size > 0 }) == true {
            let bytes = payload.reduce(Int64(0)) { $0 + $1.size }
            issues.append(ProfileIssue(.dataNotEmpty, file: "data/",
                                       "holds \(payload.count) file\(payload.count == 1 ? "" : "s") (\(ByteCount.format(bytes))), but the profile requires an empty payload (Data-Empty: no file, or a single empty one)."))
        }
        return issues
    }

    /// At most ten items of a list a profile or a bag gave, with how many more there are.
    static func listed(_ items: [String], quoted: Bool = false) -> String {
        let shown = items.prefix(10).map { quoted ? "\"\($0)\"" : $0 }.joined(separator: ", ")
        return items.count > 10 ? "\(shown) and \(items.count - 10) more" : shown
    }
}

/// The entries outside `data/`, sorted into what the profile's rules speak of.
struct TagEntries {
    /// Every file outside `data/`, as a path relative to the bag's root.
    var all: Set<String>
    /// The algorithms of `manifest-*.txt` and `tagmanifest-*.txt`, whether handover computes
    /// them or not.
    var payloadManifests: [String] = []
    var tagManifests: [String] = []
    /// The tag files other than bagit.txt, bag-info.txt, fetch.txt and the manifests.
    var otherTagFiles: [String] = []

    init(_ bag: BagVerification) {
        let paths = bag.tagEntries.map { VisibleText.name(bytes: $0) }
        all = Set(paths)
        let metadata = bag.declaration?.version.metadataFileName ?? BagInfo.fileName
        for path in paths {
            if !path.contains("/"), path.hasSuffix(".txt") {
                if path.hasPrefix("manifest-") {
                    payloadManifests.append(String(path.dropFirst("manifest-".count).dropLast(4)))
                    continue
                }
                if path.hasPrefix("tagmanifest-") {
                    tagManifests.append(String(path.dropFirst("tagmanifest-".count).dropLast(4)))
                    continue
                }
                if [BagDeclaration.fileName, metadata, FetchFile.fileName].contains(path) { continue }
            }
            otherTagFiles.append(path)
        }
    }
}
