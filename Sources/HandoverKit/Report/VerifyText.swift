/// The text `handover verify` prints: integrity, completeness, authenticity, time-stamp, the
/// archive's `.sha256`, then the verdict. Warnings (what RFC 8493 calls SHOULD, unlisted tag
/// files of an unsigned bag) go to stderr as `warning:` lines, printed by the command.
///
/// The verdict never says more than was checked: "VALID" alone is for a bundle that is intact,
/// complete and signed by a key the reader trusts.
public enum VerifyText {
    public static func render(_ result: VerifiedBundle) -> String {
        var out = "\(result.isFolder ? "Bag folder" : "Bundle") \(result.path)\n"
        out += integrity(result)
        if let remote = result.remote { out += self.remote(remote) }
        out += completeness(result)
        out += authenticity(result)
        out += timestamp(result)
        if let archive = result.archive {
            if let mismatch = archive.mismatchProblem {
                out += "Archive checksum: FAILED, \(mismatch)\n"
            } else if archive.sidecar == .match {
                out += "Archive checksum: matches \(archive.sidecarPath)\n"
            }
        }
        // The chain and the profile are said before the verdict, which takes them into account.
        if let chain = result.chain { out += chain.message + "\n" }
        if let profile = result.profile { out += self.profile(profile) }
        out += verdict(result)
        return out
    }

    static func integrity(_ result: VerifiedBundle) -> String {
        let bag = result.bag
        let bytes = bag.payload.totalSize
        let algorithms = bag.payloadAlgorithms.map(\.rawValue).joined(separator: ", ")
        var out = "Integrity: "
        switch result.integrity {
        case .intactAndComplete:
            let remote = result.remote?.count(.checked) ?? 0
            let files = bag.payload.count + remote, total = bytes + (result.remote?.checkedBytes ?? 0)
            out += "intact and complete, \(files) payload files, \(ByteCount.format(total)), checksums \(algorithms.isEmpty ? "none" : algorithms) match\(remote > 0 ? " (\(remote) of the files in object storage)" : "")\n"
        case .intactButIncomplete where result.remote != nil:
            out += "INCOMPLETE, intact so far but files listed in fetch.txt are missing from object storage or were not checked\n"
        case .intactButIncomplete:
            out += "INCOMPLETE, intact so far but files listed in fetch.txt are not in the bag\n"
        case .notIntact:
            out += "NOT INTACT, \(bag.problems.count) problem\(bag.problems.count == 1 ? "" : "s")\n"
        }
        for problem in bag.problems { out += "  \(problem.description)\n" }
        return out
    }

    /// "Remote payload: 12 of 12 objects checked in object storage (1.2 GB)…"
    static func remote(_ check: RemoteCheck) -> String {
        let checked = check.count(.checked)
        var out = "Remote payload: \(checked) of \(check.entries.count) object\(check.entries.count == 1 ? "" : "s") checked in object storage (\(ByteCount.format(check.checkedBytes)))"
        switch check.scope {
        case .whole: break
        case .shard(let shard): out += ", shard \(shard); \(check.outOfScope) left to the other shards"
        case .merged(let parts): out += ", merged from the parts of \(parts) shard\(parts == 1 ? "" : "s")"
        }
        let others: [(RemoteResult.State, String)] = [(.changed, "changed"), (.wrongSize, "of another size"), (.missing, "missing"), (.notChecked, "not checked")]
        let counts = others.map { (check.count($0.0), $0.1) }.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        out += counts.isEmpty ? (check.entries.isEmpty ? "" : ", every size and checksum matches") : "; \(counts.joined(separator: ", "))"
        if check.resumed > 0 { out += "; \(check.resumed) taken from the state file, not read again" }
        return out + "\n"
    }

    static func completeness(_ result: VerifiedBundle) -> String {
        guard let completeness = result.completeness else {
            if let problem = result.manifestProblem { return "Completeness: FAILED, \(problem)\n" }
            return "Completeness: not checked, the bag carries no \(BagLayout.manifestCopy)\n"
        }
        var out = ""
        let required = completeness.results.filter(\.deliverable.required)
        let notReady = required.filter { $0.status != .ok }
        if notReady.isEmpty {
            out += "Completeness: ok, all \(required.count) required deliverables delivered\n"
        } else {
            out += "Completeness: \(result.allowIncomplete ? "accepted incomplete (--allow-incomplete)" : "FAILED"), \(notReady.count) of \(required.count) required deliverables not delivered\n"
        }
        for item in completeness.results where item.status != .ok {
            out += "  \(CheckText.label(item)) \(item.deliverable.id): \(VisibleText.name(item.deliverable.title))\n"
            for problem in item.problems { out += "    \(problem.description)\n" }
        }
        // A rule that could not be judged is said even when the deliverable passes: "ok" must
        // not stand for a check nobody made.
        for item in completeness.results {
            for note in item.warnings where note.code == .ageNotKnown {
                out += "  note \(item.deliverable.id): \(note.description)\n"
            }
        }
        return out
    }

    static func authenticity(_ result: VerifiedBundle) -> String {
        let evidence = result.evidence
        var out = "Authenticity: "
        switch (evidence.authenticity, evidence.signature) {
        case (.authenticated, .checked(let verification)):
            out += "authenticated, signed by \(evidence.signedBy.joined(separator: ", ")) (\(verification.keyType) \(verification.fingerprint))"
            if let source = evidence.trustSource { out += ", trusted through \(source)" }
            out += "\n"
        case (.unknownKey, .checked(let verification)):
            out += "signed by an unknown key (\(verification.keyType) \(verification.fingerprint)): the signature holds, but nothing ties this key to the provider\n"
        case (.notSigned, _):
            out += "NOT SIGNED: anybody could have produced this bundle\n"
        case (_, .checked(let verification)):
            out += "FAILED, bad SSH signature (\(verification.keyType) \(verification.fingerprint))\n"
        default:
            out += "FAILED, the signature cannot be checked\n"
        }
        for problem in evidence.signatureProblems { out += "  \(problem)\n" }
        return out
    }

    static func timestamp(_ result: VerifiedBundle) -> String {
        var out: String
        switch result.evidence.timestamp {
        case .absent:
            out = "Time-stamp: none\n"
        case .checked(let verification):
            out = "Time-stamp: \(verification.passed ? "" : "FAILED, ")\(verification.message)\n"
            if verification.outcome == .notVerified {
                out += "  the time is not verified: give --tsa-ca PEM, the certificate of the TSA's CA\n"
            }
            for warning in verification.warnings { out += "  warning: \(warning)\n" }
        }
        // A failed time-stamp's message is on the line above already.
        for problem in result.evidence.timestampProblems where !problem.hasPrefix(BagLayout.timestamp + ": ") || result.evidence.time != .failed {
            out += "  \(problem)\n"
        }
        return out
    }

    static func profile(_ check: ProfileCheck.Result) -> String {
        guard !check.passed else { return "Profile: conforms to \(VisibleText.name(check.identifier)) (\(VisibleText.name(check.path)))\n" }
        let count = check.issues.count
        var out = "Profile: FAILED, \(count) rule\(count == 1 ? "" : "s") of \(VisibleText.name(check.identifier)) (\(VisibleText.name(check.path))) not met\n"
        // One line each: a value quoted from the bag or the profile cannot start a line of its own.
        for issue in check.issues { out += "  \(VisibleText.name(issue.description))\n" }
        return out
    }

    /// The three words of the verdict, as every output says them.
    package static func words(_ state: BundleVerification.Integrity) -> String {
        switch state {
        case .intactAndComplete: "intact and complete"
        case .intactButIncomplete: "intact but incomplete"
        case .notIntact: "not intact"
        }
    }

    /// What an intact but incomplete bundle lacks: the required deliverables not delivered, the
    /// parties its manifest leaves as the template wrote them, or the files fetch.txt lists.
    public static func whatIsMissing(_ result: VerifiedBundle) -> String {
        let notDelivered = result.notDelivered
        var parts: [String] = []
        if !notDelivered.isEmpty {
            let required = result.completeness?.results.filter(\.deliverable.required).count ?? 0
            let names = notDelivered.map { "\($0.deliverable.id) (\($0.status == .missing ? "missing" : "invalid"))" }
            parts.append("\(notDelivered.count) of \(required) required deliverable\(required == 1 ? "" : "s") not delivered: \(names.joined(separator: ", "))")
        }
        if !result.unfilled.isEmpty {
            let keys = result.unfilled.map { "handover.\($0.key)" }
            parts.append("the manifest's \(keys.joined(separator: ", ")) not filled in")
        }
        if parts.isEmpty, let remote = result.remote {
            return "\(remote.entries.count + remote.outOfScope - remote.count(.checked)) of the files listed in fetch.txt were not checked or are missing from object storage"
        }
        return parts.isEmpty ? "files listed in fetch.txt are not in the bag" : parts.joined(separator: "; ")
    }

    static func verdict(_ result: VerifiedBundle) -> String {
        let state = result.state
        var whole = result.completeness == nil ? "intact" : words(state)
        guard result.passed else {
            switch state {
            case .notIntact:
                return "Result: INVALID, the bundle is not intact (altered, forged or unreadable): see the problems above.\n"
            case .intactButIncomplete where result.failureReasons.count == result.bag.problems.count + result.notDelivered.count:
                return "Result: INCOMPLETE, the bundle is intact but incomplete: \(whatIsMissing(result)); nothing else was found wrong.\n"
            case .intactButIncomplete:
                return "Result: INVALID, the bundle is intact but incomplete (\(whatIsMissing(result))), and fails: see the problems above.\n"
            case .intactAndComplete:
                return "Result: INVALID, the bundle is \(whole), but fails: see the problems above.\n"
            }
        }
        if state == .intactButIncomplete { whole += " (\(whatIsMissing(result)); accepted as built incomplete)" }
        let evidence = result.evidence
        switch evidence.authenticity {
        case .authenticated:
            return "Result: VALID, the bundle is \(whole), and signed by \(evidence.signedBy.joined(separator: ", ")), a key you trust.\n"
        case .unknownKey:
            return """
                Result: NOT AUTHENTICATED, the bundle is \(whole), but it is signed by a key you have not said you trust, so anybody could have produced it.
                  To check that it comes from the provider, get the provider's public key or its fingerprint by another channel (a signed letter, a call) and run:
                  handover verify \(result.path) --signer \(evidence.fingerprint ?? "SHA256:...")   (if the fingerprints match)
                  or list the key in an allowed_signers file: --allowed-signers FILE\n
                """
        case .notSigned, .badSignature:
            return """
                Result: NOT AUTHENTICATED, the bundle is \(whole), but it is not signed, so anybody could have produced it (or altered it and recomputed its checksums).
                  Ask the provider for a signed bundle (handover build --sign KEY) and its public key, then verify with --allowed-signers FILE or --signer SHA256:...\n
                """
        }
    }
}
