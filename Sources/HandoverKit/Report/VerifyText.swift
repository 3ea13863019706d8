/// The text `handover verify` prints: integrity, completeness, signature, time-stamp, verdict.
/// Warnings (what RFC 8493 calls SHOULD) go to stderr as `warning:` lines, printed by the command.
public enum VerifyText {
    public static func render(_ result: BundleVerification.Result) -> String {
        let bag = result.bag
        var out = "\(result.isFolder ? "Bag folder" : "Bundle") \(result.path)\n"
        let bytes = bag.payload.reduce(Int64(0)) { $0 + $1.size }
        let algorithms = bag.payloadAlgorithms.map(\.rawValue).joined(separator: ", ")
        var integrity = "Integrity: "
        if bag.isValid {
            integrity += "ok, \(bag.payload.count) payload files, \(ByteCount.format(bytes)), checksums \(algorithms.isEmpty ? "none" : algorithms) match"
        } else {
            integrity += "FAILED, \(bag.problems.count) problem\(bag.problems.count == 1 ? "" : "s")"
        }
        if bag.isHoley { integrity += " (holey bag: fetch.txt lists files to fetch)" }
        out += integrity + "\n"
        for problem in bag.problems { out += "  \(problem.description)\n" }

        if let completeness = result.completeness {
            let required = completeness.results.filter(\.deliverable.required)
            let notReady = required.filter { $0.status != .ok }
            if notReady.isEmpty {
                out += "Completeness: ok, all \(required.count) required deliverables delivered\n"
            } else {
                out += "Completeness: \(result.allowIncomplete ? "accepted incomplete (--allow-incomplete)" : "FAILED"), \(notReady.count) of \(required.count) required deliverables not delivered\n"
            }
            for item in completeness.results where item.status != .ok {
                out += "  \(CheckText.label(item.status)) \(item.deliverable.id): \(item.deliverable.title)\n"
                for problem in item.problems { out += "    \(problem.description)\n" }
            }
        } else if let problem = result.manifestProblem {
            out += "Completeness: FAILED, \(problem)\n"
        } else {
            out += "Completeness: not checked, the bag carries no \(BagLayout.manifestCopy)\n"
        }

        switch result.evidence.signature {
        case .absent: out += "Signature: none\n"
        case .checked(let verification):
            out += "Signature: \(verification.summary)\n"
            if verification.failure == nil && verification.signer == .notChecked {
                out += "  who signed is not checked: give --allowed-signers FILE listing the keys you trust\n"
            }
        case .unreadable(let reason): out += "Signature: FAILED, \(reason)\n"
        }
        switch result.evidence.timestamp {
        case .absent: out += "Time-stamp: none\n"
        case .checked(let verification):
            out += "Time-stamp: \(verification.passed ? "" : "FAILED, ")\(verification.message)\n"
            if verification.outcome == .notVerified {
                out += "  the time is not verified: give --tsa-ca PEM, the certificate of the TSA's CA\n"
            }
        }
        for problem in result.evidence.problems where !problemShown(problem, result) { out += "  \(problem)\n" }

        if result.passed {
            out += "Result: VALID, the bundle is intact\(result.completeness == nil ? "" : " and complete").\n"
        } else {
            out += "Result: INVALID, see the problems above.\n"
        }
        return out
    }

    /// Evidence problems already said on the signature or time-stamp line.
    static func problemShown(_ problem: String, _ result: BundleVerification.Result) -> Bool {
        problem.hasPrefix(BagLayout.signature) || problem.hasPrefix(BagLayout.timestamp)
    }
}
