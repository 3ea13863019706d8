import Foundation

/// The result of `receipt --check` and `certify --check`, for the person at the terminal.
public enum StatementText {
    public static func render(_ result: StatementCheck.Result) -> String {
        var lines: [String] = []
        if let statement = result.statement {
            lines += describe(statement)
            lines.append("  signed by \(VisibleText.name(result.signedBy)) at \(statement.time) (by the signer's clock)")
            let subject = statement.subject
            let archive = subject.archiveSHA256 == result.bundle.archiveSHA256 ? "matches" : "does NOT match"
            let tags = subject.tagManifestSHA256 == result.bundle.tagManifestSHA256 ? "matches" : "does NOT match"
            lines.append("  bundle \(VisibleText.name(subject.bundle)): archive SHA-256 \(subject.archiveSHA256) \(archive) \(result.bundle.bundle); tag manifest SHA-256 \(tags)")
        } else {
            lines.append("Statement \(result.path) (namespace \(VisibleText.name(result.envelope.namespace)))")
        }
        if let signature = result.signature {
            lines.append("  signature: \(signature.summary)")
            if signature.signer == .notChecked && signature.failure == nil {
                lines.append("    nothing ties this key to a person: give --allowed-signers to check who signed")
            }
        }
        if let timestamp = result.timestamp {
            lines.append("  time-stamp: \(timestamp.message)")
        } else if result.envelope.timestampBytes != nil {
            lines.append("  time-stamp: present, not checked (the signature does not hold)")
        } else {
            lines.append("  time-stamp: none")
        }
        if result.passed {
            lines.append(result.signerChecked ? "Result: VALID" : "Result: VALID signature, signer not checked against a signer list")
        } else {
            lines.append("Result: INVALID")
            lines += result.problems.map { "  - \($0.message)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the statement says, a few lines.
    public static func describe(_ statement: Statement) -> [String] {
        var lines: [String] = []
        if let receipt = statement.receipt {
            lines.append("Receipt: \(receipt.decision.rawValue)")
            let check = receipt.verification
            let counts = Dictionary(grouping: check.deliverables, by: \.status).map { "\($0.value.count) \($0.key)" }.sorted()
            lines.append("  as the receiver verified it: \(check.integrity), \(check.complete == false ? "incomplete" : "complete"), \(check.authenticity); deliverables: \(counts.isEmpty ? "none listed" : counts.joined(separator: ", "))")
            if let reservations = receipt.reservations {
                lines.append("  reservations:")
                lines += reservations.split(separator: "\n", omittingEmptySubsequences: false).prefix(20).map { "    \($0)" }
            }
        }
        if let certificate = statement.certificate {
            lines.append("\(statement.kind == .deletion ? "Deletion" : "Return") certificate, certified by \(VisibleText.name(certificate.certifiedBy))")
            var how = "  \(statement.kind == .deletion ? "deleted" : "returned") on \(VisibleText.name(certificate.date))"
            if let method = certificate.method { how += " by \(method.rawValue)" }
            if let to = certificate.returnedTo { how += " to \(VisibleText.name(to))" }
            lines.append(how)
            let scope = certificate.scope.map { $0.category.rawValue + ($0.description.map { " (\(VisibleText.name($0)))" } ?? "") }
            lines.append("  scope: \(scope.joined(separator: "; "))")
            for kept in certificate.retention {
                lines.append("  kept under a legal duty until \(VisibleText.name(kept.until)): \(VisibleText.name(kept.what))\(kept.basis.map { " (\(VisibleText.name($0)))" } ?? "")")
            }
        }
        return lines
    }
}
