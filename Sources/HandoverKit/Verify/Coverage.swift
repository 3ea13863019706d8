/// Names every entry of a bag that no checksum protects, so that nothing the reader is given
/// passes unseen.
///
/// The signature and the time-stamp cover the bytes of `tagmanifest-sha256.txt`, which covers
/// the files it lists. An entry outside `data/` that it does not list (an extra
/// `IMPORTANT-read-first.html`, a `fetch.txt` added later) could be changed or added by anybody
/// without breaking the signature: in a signed or time-stamped bundle that is a problem. In a
/// bag without evidence, from another tool, such files are only warned about: nothing there is
/// proven anyway, and RFC 8493 makes tag manifests optional.
enum Coverage {
    /// The entries outside `data/` not covered, and whether they make the bag fail.
    struct Finding {
        var unlisted: [[UInt8]]
        var failsBag: Bool
    }

    static func find(in bag: BagVerification) -> Finding {
        let evidence: Set<[UInt8]> = [Array(BagLayout.signature.utf8), Array(BagLayout.timestamp.utf8)]
        let declaration = Array(BagDeclaration.fileName.utf8)
        let carriesEvidence = bag.tagEntries.contains { evidence.contains($0) }
        var covered: Set<[UInt8]>
        if carriesEvidence {
            // Only what the signed tag manifest lists is under the signature.
            let signed = bag.tagManifestListings[BagLayout.signedTagManifest] ?? []
            covered = signed
            covered.insert(Array(BagLayout.signedTagManifest.utf8))
            // Another tag manifest (`build --algorithm sha512` writes tagmanifest-sha512.txt)
            // that lists only files the signed one covers adds nothing unseen: its digests are
            // checked like any, so changing it can only make the bag fail.
            for (name, listed) in bag.tagManifestListings where name != BagLayout.signedTagManifest && listed.isSubset(of: signed) {
                covered.insert(Array(name.utf8))
            }
        } else {
            covered = bag.tagManifestListings.values.reduce(into: Set<[UInt8]>()) { $0.formUnion($1) }
            covered.formUnion(bag.tagManifestListings.keys.map { Array($0.utf8) })
        }
        let unlisted = bag.tagEntries.filter { path in
            path != declaration && !evidence.contains(path) && !covered.contains(path)
        }
        return Finding(unlisted: unlisted, failsBag: carriesEvidence)
    }

    /// Adds the finding to the bag's problems (signed) or warnings (not signed).
    static func apply(to bag: inout BagVerification) -> [[UInt8]] {
        let finding = find(in: bag)
        guard !finding.unlisted.isEmpty else { return [] }
        let manifests = finding.failsBag ? BagLayout.signedTagManifest : "any tag manifest"
        for path in finding.unlisted {
            let shown = BagPaths.display(path)
            if finding.failsBag {
                let message = "is in the bundle but not listed in \(manifests), so the signature and time-stamp do not cover it: it may have been added or changed after signing."
                bag.problems.append(BagIssue(.problem, .unlistedEntry, file: shown, message))
            } else {
                let message = "is not listed in \(manifests): no checksum protects it, so it may have been added or changed since the bag was made."
                bag.warnings.append(BagIssue(.warning, .unlistedEntry, file: shown, message))
            }
        }
        bag.problems.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        bag.warnings.sort { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        return finding.unlisted
    }
}
