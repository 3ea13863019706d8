/// Reads a BagIt Profile's JSON key by key: every key the specification defines is checked for
/// its type, and a wrong one is named (exit status 2) rather than taken as absent.
struct ProfileReader {
    private let root: [String: JSONValue]

    init(root: JSONValue) throws(ProfileError.Reason) {
        guard case .object(let object) = root else { throw .notAnObject }
        self.root = object
    }

    func profile(source: String) throws(ProfileError.Reason) -> BagProfile {
        guard let infoValue = root["BagIt-Profile-Info"] else { throw .missingKey("BagIt-Profile-Info") }
        guard case .object(let info) = infoValue else { throw .wrongType(key: "\"BagIt-Profile-Info\"", expected: "an object") }
        let infoKey = { (key: String) in "\"\(key)\" in \"BagIt-Profile-Info\"" }
        guard let identifier = try Self.string(info["BagIt-Profile-Identifier"], key: infoKey("BagIt-Profile-Identifier")) else {
            throw .missingKey("BagIt-Profile-Identifier\" in \"BagIt-Profile-Info")
        }
        guard !identifier.isEmpty else { throw .badValue(key: infoKey("BagIt-Profile-Identifier"), "is empty; it must be the profile's URI") }
        for key in ["Source-Organization", "External-Description", "Version", "BagIt-Profile-Version", "Contact-Name", "Contact-Email", "Contact-Phone"] {
            _ = try Self.string(info[key], key: infoKey(key))
        }
        guard let versions = try strings("Accept-BagIt-Version") else { throw .missingKey("Accept-BagIt-Version") }
        guard !versions.isEmpty else { throw .badValue(key: "\"Accept-BagIt-Version\"", "lists no version; it must list at least one") }

        let serializationText = try Self.string(root["Serialization"], key: "\"Serialization\"") ?? "optional"
        guard let serialization = BagProfile.Serialization(rawValue: serializationText) else {
            throw .badValue(key: "\"Serialization\"", "is \"\(serializationText)\"; it must be \"forbidden\", \"required\" or \"optional\"")
        }
        let profile = BagProfile(
            source: source,
            identifier: identifier,
            version: try Self.string(info["Version"], key: infoKey("Version")),
            publisher: try Self.string(info["Source-Organization"], key: infoKey("Source-Organization")),
            bagInfo: try tagRules(),
            manifestsRequired: try strings("Manifests-Required") ?? [],
            manifestsAllowed: try strings("Manifests-Allowed"),
            tagManifestsRequired: try strings("Tag-Manifests-Required") ?? [],
            tagManifestsAllowed: try strings("Tag-Manifests-Allowed"),
            tagFilesRequired: try strings("Tag-Files-Required") ?? [],
            tagFilesAllowed: try strings("Tag-Files-Allowed"),
            allowsFetch: try Self.bool(root["Allow-Fetch.txt"], key: "\"Allow-Fetch.txt\"") ?? true,
            requiresFetch: try Self.bool(root["Fetch.txt-Required"], key: "\"Fetch.txt-Required\"") ?? false,
            requiresEmptyData: try Self.bool(root["Data-Empty"], key: "\"Data-Empty\"") ?? false,
            serialization: serialization,
            acceptSerialization: try strings("Accept-Serialization"),
            acceptBagItVersion: versions)
        try Self.checkConsistent(profile)
        return profile
    }

    /// The `Bag-Info` rules, sorted by label.
    private func tagRules() throws(ProfileError.Reason) -> [BagProfile.TagRule] {
        guard let value = root["Bag-Info"] else { return [] }
        guard case .object(let labels) = value else { throw .wrongType(key: "\"Bag-Info\"", expected: "an object of bag-info.txt labels") }
        var rules: [BagProfile.TagRule] = []
        for label in labels.keys.sorted() {
            let at = { (key: String) in "\"\(key)\" of \"\(label)\" in \"Bag-Info\"" }
            guard case .object(let rule)? = labels[label] else {
                throw .wrongType(key: "\"\(label)\" in \"Bag-Info\"", expected: "an object (such as {\"required\": true})")
            }
            _ = try Self.string(rule["description"], key: at("description"))
            rules.append(BagProfile.TagRule(
                label: label,
                required: try Self.bool(rule["required"], key: at("required")) ?? false,
                values: try Self.strings(rule["values"], key: at("values")) ?? [],
                repeatable: try Self.bool(rule["repeatable"], key: at("repeatable")) ?? true))
        }
        return rules
    }

    /// The specification's "must include" between the required and the allowed lists.
    private static func checkConsistent(_ profile: BagProfile) throws(ProfileError.Reason) {
        if let allowed = profile.manifestsAllowed, let algorithm = profile.manifestsRequired.first(where: { !allowed.contains($0) }) {
            throw .contradiction("it requires \(algorithm) payload manifests, which its Manifests-Allowed does not allow")
        }
        if let allowed = profile.tagManifestsAllowed, let algorithm = profile.tagManifestsRequired.first(where: { !allowed.contains($0) }) {
            throw .contradiction("it requires \(algorithm) tag manifests, which its Tag-Manifests-Allowed does not allow")
        }
        if let allowed = profile.tagFilesAllowed,
           let file = profile.tagFilesRequired.first(where: { file in !allowed.contains { TagFilePattern.matches($0, file) } }) {
            throw .contradiction("it requires the tag file \(file), which its Tag-Files-Allowed does not allow")
        }
        if profile.requiresFetch && !profile.allowsFetch {
            throw .contradiction("it requires fetch.txt (Fetch.txt-Required) and forbids it (Allow-Fetch.txt false)")
        }
        if profile.serialization == .required, profile.acceptSerialization?.isEmpty == true {
            throw .contradiction("it requires a serialized bag, but its Accept-Serialization lists no type")
        }
    }

    private func strings(_ key: String) throws(ProfileError.Reason) -> [String]? {
        try Self.strings(root[key], key: "\"\(key)\"")
    }

    private static func string(_ value: JSONValue?, key: String) throws(ProfileError.Reason) -> String? {
        switch value {
        case nil: return nil
        case .string(let text)?: return text
        case let other?: throw .wrongType(key: key, expected: "a string, not \(other.kind)")
        }
    }

    private static func bool(_ value: JSONValue?, key: String) throws(ProfileError.Reason) -> Bool? {
        switch value {
        case nil: return nil
        case .bool(let flag)?: return flag
        case let other?: throw .wrongType(key: key, expected: "true or false, not \(other.kind)")
        }
    }

    private static func strings(_ value: JSONValue?, key: String) throws(ProfileError.Reason) -> [String]? {
        switch value {
        case nil: return nil
        case .array(let items)?:
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw .wrongType(key: key, expected: "a list of strings, but it holds \(item.kind)") }
                texts.append(text)
            }
            return texts
        case let other?: throw .wrongType(key: key, expected: "a list of strings, not \(other.kind)")
        }
    }
}

/// The patterns of `Tag-Files-Allowed`: `*` stands for any run of characters (`/` included, so
/// that the default `*` allows every tag file, as the specification means), `?` for one.
enum TagFilePattern {
    static func matches(_ pattern: String, _ path: String) -> Bool {
        matches(Array(pattern.unicodeScalars)[...], Array(path.unicodeScalars)[...])
    }

    private static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ path: ArraySlice<Unicode.Scalar>) -> Bool {
        // Iterative, with one backtracking point for the last `*`: linear in practice, and no
        // recursion for a hostile pattern of many stars.
        var p = pattern.startIndex, s = path.startIndex
        var star: (pattern: Int, path: Int)?
        while s < path.endIndex {
            if p < pattern.endIndex, pattern[p] == "*" {
                star = (p, s)
                p += 1
            } else if p < pattern.endIndex, pattern[p] == "?" || pattern[p] == path[s] {
                p += 1
                s += 1
            } else if let last = star {
                p = last.pattern + 1
                s = last.path + 1
                star = (last.pattern, last.path + 1)
            } else {
                return false
            }
        }
        while p < pattern.endIndex, pattern[p] == "*" { p += 1 }
        return p == pattern.endIndex
    }
}
