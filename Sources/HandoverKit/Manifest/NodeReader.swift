import Foundation
import Yams

/// Walks the YAML tree of a manifest, checking each key and value and building the model.
struct NodeReader {
    let fileName: String

    func error(_ node: Node?, _ message: String) -> ManifestError {
        ManifestError(file: fileName, line: node?.mark?.line, column: node?.mark?.column, message)
    }

    // MARK: The three levels of the manifest

    func manifest(_ root: Node, bytes: [UInt8]) throws(ManifestError) -> Manifest {
        let top = try mapping(root, what: "the manifest", known: ManifestParser.topKeys)
        guard let versionNode = top["version"] else {
            throw error(root, "the manifest has no 'version'; add `version: 1` at the top")
        }
        guard case .scalar(let versionScalar) = versionNode, versionScalar.string == "1" else {
            throw error(versionNode, "unsupported manifest version '\(describe(versionNode))'; this handover reads version 1")
        }
        guard let handoverNode = top["handover"] else {
            throw error(root, "the manifest has no 'handover' section (contract, client, provider, recipient)")
        }
        let parties = try self.parties(handoverNode)
        guard let listNode = top["deliverables"] else {
            throw error(root, "the manifest has no 'deliverables' list; list what the contract requires")
        }
        guard case .sequence(let list) = listNode else {
            throw error(listNode, "'deliverables' must be a list of deliverables (lines starting with '- ')")
        }
        guard !list.isEmpty else {
            throw error(listNode, "'deliverables' is empty; list at least one deliverable")
        }
        guard list.count <= ManifestParser.maxDeliverables else {
            throw error(listNode, "more than \(ManifestParser.maxDeliverables) deliverables; split the handover")
        }
        var deliverables: [Deliverable] = []
        var seen: [String: Int] = [:]
        for item in list {
            let deliverable = try self.deliverable(item)
            if let firstLine = seen[deliverable.id] {
                throw error(item, "duplicate deliverable id '\(deliverable.id)' (first used at line \(firstLine)); ids must be unique")
            }
            seen[deliverable.id] = deliverable.line
            deliverables.append(deliverable)
        }
        var manifest = Manifest(version: 1, parties: parties, deliverables: deliverables, originalBytes: bytes, fileName: fileName)
        if let excludeNode = top["exclude"] { manifest.exclude = try globs(excludeNode, key: "exclude", owner: "the manifest") }
        return manifest
    }

    func parties(_ node: Node) throws(ManifestError) -> HandoverParties {
        let map = try mapping(node, what: "'handover'", known: ManifestParser.handoverKeys)
        func required(_ key: String) throws(ManifestError) -> String {
            guard let value = map[key] else {
                throw error(node, "'handover' has no '\(key)'; every handover names its contract, client, provider and recipient")
            }
            let text = try string(value, key: key)
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw error(value, "'\(key)' is empty") }
            return text
        }
        var date: CalendarDate?
        if let dateNode = map["date"] {
            let text = try string(dateNode, key: "date")
            guard let parsed = CalendarDate(text) else {
                throw error(dateNode, "'date' must be a day written YYYY-MM-DD, such as 2026-12-31 (found '\(text.prefix(40))')")
            }
            date = parsed
        }
        var language: ReportLanguage?
        if let languageNode = map["language"] {
            let text = try string(languageNode, key: "language")
            let known = ReportLanguage.allCases.map(\.rawValue)
            guard let parsed = ReportLanguage(rawValue: text) else {
                throw error(languageNode, "'language' must be one of the languages reports are written in: \(known.joined(separator: ", ")) (found '\(text.prefix(40))')")
            }
            language = parsed
        }
        return HandoverParties(
            contract: try required("contract"), client: try required("client"),
            provider: try required("provider"), recipient: try required("recipient"), date: date, language: language)
    }

    func deliverable(_ node: Node) throws(ManifestError) -> Deliverable {
        let map = try mapping(node, what: deliverableName(node), known: ManifestParser.deliverableKeys)
        let line = node.mark?.line ?? 0
        guard let idNode = map["id"] else { throw error(node, "a deliverable has no 'id'; give each a unique id such as access-list") }
        let id = try string(idNode, key: "id")
        guard isValidID(id) else {
            throw error(idNode, "deliverable id '\(id.prefix(60))' must be lowercase letters, digits and dashes, starting with a letter")
        }
        guard let titleNode = map["title"] else { throw error(node, "deliverable '\(id)' has no 'title'; say in a few words what it is") }
        let (title, titles) = try self.titles(titleNode, id: id)
        let attestation = try self.attestation(map, id: id, node: node)
        var globs: [Glob] = attestation.map { evidenceGlobs($0, id: id) } ?? []
        let pathsNode = map["paths"]
        guard attestation != nil || pathsNode != nil else {
            throw error(node, "deliverable '\(id)' has no 'paths'; list the globs that select its files, such as \"access/*.csv\"")
        }
        if let pathsNode {
            let selected = try self.globs(pathsNode, key: "paths", owner: "deliverable '\(id)'")
            guard !selected.isEmpty else { throw error(pathsNode, "deliverable '\(id)' has an empty 'paths' list") }
            globs += selected
        }
        var formats: [String]?
        if let formatsNode = map["formats"] {
            formats = try stringList(formatsNode, key: "formats").map { format, _ in
                var lowered = format.lowercased()
                if lowered.hasPrefix(".") { lowered.removeFirst() }
                return lowered
            }
        }
        let csv = try map["csv"].map { (n: Node) throws(ManifestError) in try csvRule(n, id: id) } ?? CSVRule()
        let xlsx = try map["xlsx"].map { (n: Node) throws(ManifestError) in try xlsxRule(n, id: id) }
        let minFiles = try map["min-files"].map { (n: Node) throws(ManifestError) in try integer(n, key: "min-files", minimum: 0) } ?? 1
        let maxAge = try map["max-age-days"].map { (n: Node) throws(ManifestError) in try integer(n, key: "max-age-days", minimum: 1) }
        var deliverable = Deliverable(
            id: id, title: title,
            category: try map["category"].map { (n: Node) throws(ManifestError) in try string(n, key: "category") },
            required: try map["required"].map { (n: Node) throws(ManifestError) in try bool(n, key: "required") } ?? true,
            paths: globs, minFiles: minFiles, formats: formats, csv: csv, xlsx: xlsx, maxAgeDays: maxAge,
            confidential: try map["confidential"].map { (n: Node) throws(ManifestError) in try bool(n, key: "confidential") } ?? false,
            notes: try map["notes"].map { (n: Node) throws(ManifestError) in try string(n, key: "notes") },
            allowSecrets: try map["allow-secrets"].map { (n: Node) throws(ManifestError) in try allowance(n, id: id) } ?? .none,
            line: line)
        deliverable.titles = titles
        deliverable.attestation = attestation
        if attestation == .statement, deliverable.formats == nil { deliverable.formats = ["txt"] }
        if let excludeNode = map["exclude"] { deliverable.exclude = try self.globs(excludeNode, key: "exclude", owner: "deliverable '\(id)'") }
        return deliverable
    }

    /// `title: Accounts` (one title for all), or `title: {en: Accounts, fr: Comptes}`: one per
    /// report language, the English one (else the first) standing for the deliverable elsewhere.
    func titles(_ node: Node, id: String) throws(ManifestError) -> (String, [String: String]) {
        guard case .mapping = node else { return (try string(node, key: "title"), [:]) }
        let languages = ReportLanguage.allCases.map(\.rawValue)
        let map = try mapping(node, what: "the 'title' of deliverable '\(id)' (one key per language)", known: languages)
        var titles: [String: String] = [:]
        for (language, value) in map {
            let text = try string(value, key: "title.\(language)")
            guard !text.isEmpty else { throw error(value, "deliverable '\(id)' has an empty 'title.\(language)'") }
            titles[language] = text
        }
        guard let primary = languages.lazy.compactMap({ titles[$0] }).first else {
            throw error(node, "deliverable '\(id)' has an empty 'title'; give at least one of \(languages.joined(separator: ", "))")
        }
        return (primary, titles)
    }

    /// `allow-secrets: true`, `false`, or the globs of the files whose findings were reviewed.
    func allowance(_ node: Node, id: String) throws(ManifestError) -> SecretAllowance {
        if case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string.lowercased()) {
            return scalar.string.lowercased() == "true" ? .all : .none
        }
        if case .mapping = node {
            throw error(node, "deliverable '\(id)': 'allow-secrets' must be true, false, or a list of files such as [docs/runbook.md]")
        }
        let globs = try self.globs(node, key: "allow-secrets", owner: "deliverable '\(id)'")
        guard !globs.isEmpty else {
            throw error(node, "deliverable '\(id)' has an empty 'allow-secrets' list; list the reviewed files, or write true or false")
        }
        return .files(globs)
    }

    /// A list of globs (`paths`, `exclude`, `allow-secrets`), each checked. A pattern written
    /// with Windows' `\` between folders would match nothing here, so it is refused with the
    /// pattern it should have been.
    func globs(_ node: Node, key: String, owner: String) throws(ManifestError) -> [Glob] {
        var globs: [Glob] = []
        for (pattern, patternNode) in try stringList(node, key: key) {
            let singular = key == "paths" ? "path" : key
            if pattern.contains("\\") {
                let meant = pattern.replacingOccurrences(of: "\\", with: "/")
                throw error(patternNode, "\(owner): \(singular) '\(pattern.prefix(200))' separates folders with '\\'; globs use '/' on every system: write \"\(meant.prefix(200))\"")
            }
            do {
                globs.append(try Glob(pattern))
            } catch {
                throw self.error(patternNode, "\(owner): \(singular) '\(pattern.prefix(200))': \(error)")
            }
        }
        return globs
    }

    /// "deliverable 'access-list'" when the id can be read, for messages about its keys.
    func deliverableName(_ node: Node) -> String {
        if case .mapping(let mapping) = node, case .scalar(let id)? = mapping["id"] {
            return "deliverable '\(id.string.prefix(60))'"
        }
        return "a deliverable"
    }

    // MARK: Values

    /// A mapping whose keys are all known; an unknown key is reported with the closest known one.
    func mapping(_ node: Node, what: String, known: [String]) throws(ManifestError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw error(node, "\(what) must be a mapping of keys to values (key: value)")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw error(keyNode, "a key of \(what) is not a plain word")
            }
            let key = keyScalar.string
            guard known.contains(key) else {
                var message = "unknown key '\(key.prefix(60))' in \(what)"
                if let suggestion = closestKey(to: key, among: known) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; known keys are \(known.joined(separator: ", "))"
                }
                throw error(keyNode, message)
            }
            result[key] = value
        }
        return result
    }

    func string(_ node: Node, key: String) throws(ManifestError) -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "'\(key)' must be a single value, not a list or mapping") }
        return scalar.string
    }

    func stringList(_ node: Node, key: String) throws(ManifestError) -> [(String, Node)] {
        switch node {
        case .scalar(let scalar):
            return [(scalar.string, node)]
        case .sequence(let sequence):
            guard sequence.count <= ManifestParser.maxListItems else {
                throw error(node, "'\(key)' has more than \(ManifestParser.maxListItems) items")
            }
            var items: [(String, Node)] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else { throw error(item, "each item of '\(key)' must be a single value") }
                items.append((scalar.string, item))
            }
            return items
        default:
            throw error(node, "'\(key)' must be a list, such as [csv, xlsx]")
        }
    }

    func bool(_ node: Node, key: String) throws(ManifestError) -> Bool {
        guard case .scalar(let scalar) = node else { throw error(node, "'\(key)' must be true or false") }
        switch scalar.string.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error(node, "'\(key)' must be true or false (found '\(scalar.string.prefix(40))')")
        }
    }

    func integer(_ node: Node, key: String, minimum: Int) throws(ManifestError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string), value >= minimum, value <= 1_000_000 else {
            throw error(node, "'\(key)' must be a whole number of at least \(minimum) (found '\(describe(node))')")
        }
        return value
    }

    func describe(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return String(scalar.string.prefix(40)) }
        return "a list or mapping"
    }

    func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.count <= 100 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
