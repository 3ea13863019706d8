import Yams

extension NodeReader {
    static let kinds = ["files", "attestation"]

    /// `kind:` and `evidence:` of a deliverable: nil for a deliverable of files (the default),
    /// the evidence for `kind: attestation`. An attestation takes its file from `evidence`, so it
    /// has no `paths`.
    func attestation(_ map: [String: Node], id: String, node: Node) throws(ManifestError) -> Attestation? {
        let kind = try map["kind"].map { (n: Node) throws(ManifestError) in try string(n, key: "kind") } ?? "files"
        guard Self.kinds.contains(kind) else {
            throw error(map["kind"], "deliverable '\(id)': 'kind' must be files or attestation (found '\(kind.prefix(40))')")
        }
        guard kind == "attestation" else {
            if let evidence = map["evidence"] {
                throw error(evidence, "deliverable '\(id)': 'evidence' belongs to a deliverable of kind: attestation; add `kind: attestation` or remove it")
            }
            return nil
        }
        if let paths = map["paths"] {
            throw error(paths, "deliverable '\(id)' is an attestation: it takes its file from 'evidence', not 'paths'; remove 'paths'")
        }
        guard let evidence = map["evidence"] else {
            throw error(node, "attestation '\(id)' has no 'evidence'; write `evidence: statement` (a text in \(Attestation.statementPath(id: id))) "
                + "or `evidence: {path: \"attestations/*.pdf\"}` (a signed document)")
        }
        if case .scalar(let scalar) = evidence {
            guard scalar.string == "statement" else {
                throw error(evidence, "attestation '\(id)': 'evidence' must be statement or {path: GLOB} (found '\(scalar.string.prefix(40))')")
            }
            return .statement
        }
        let fields = try mapping(evidence, what: "the 'evidence' of attestation '\(id)'", known: ["path"])
        guard let pathNode = fields["path"] else {
            throw error(evidence, "the 'evidence' of attestation '\(id)' has no 'path'; give the glob of the signed document")
        }
        let pattern = try string(pathNode, key: "evidence.path")
        do {
            _ = try Glob(pattern)
        } catch {
            throw self.error(pathNode, "attestation '\(id)': evidence path '\(pattern.prefix(200))': \(error)")
        }
        return .signedDocument(glob: pattern)
    }

    /// The globs an attestation's evidence is looked for with.
    func evidenceGlobs(_ attestation: Attestation, id: String) -> [Glob] {
        switch attestation {
        case .signedDocument(let glob): (try? Glob(glob)).map { [$0] } ?? []
        case .statement: (try? Glob(Attestation.statementPath(id: id))).map { [$0] } ?? []
        }
    }
}
