import Foundation

/// Checks a receipt or certificate: its signature over the exact bytes it carries, that it is
/// about the bundle given (both digests), and its time-stamp when it has one.
///
/// Like `EvidenceCheck`, it throws only when it cannot check (an unreadable or malformed file,
/// an unreadable bundle or signer list); everything wrong with the statement itself is a
/// problem in the result, and the result is valid only when there is none.
public enum StatementCheck {
    /// What the reader trusts.
    public struct Options {
        /// OpenSSH allowed_signers: the signer must be listed (for the statement's namespace,
        /// when the line restricts namespaces).
        public var allowedSigners: String?
        /// PEM of the time-stamping authority's CA.
        public var tsaCA: String?
        public var now = Date()
        public init() {}
    }

    /// Everything the check found.
    public struct Result {
        public var path: String
        public var envelope: StatementEnvelope
        /// The statement, when its signed bytes could be read as one.
        public var statement: Statement?
        /// The signature, when it could be read and checked.
        package var signature: SSHSignatureVerification?
        /// The bundle's own digests.
        public var bundle: StatementSubject
        package var timestamp: TimestampVerification?
        /// Why the statement does not hold, each with its code (its sentence in every language
        /// is in `ProblemSentences`) and its English `message`; empty when it holds.
        package var problems: [Problem] = []

        public var passed: Bool { problems.isEmpty }

        /// Who signed: the principals allowed_signers gives the key, else the name the signer
        /// stated and the fingerprint.
        public var signedBy: String {
            if let signature, !signature.principals.isEmpty {
                return "\(signature.principals.joined(separator: ", ")) (\(signature.fingerprint))"
            }
            return statement?.signer.display ?? signature?.fingerprint ?? "an unknown key"
        }

        /// Whether the signer was matched to a signer list, rather than only found intact.
        public var signerChecked: Bool { signature.map { $0.signer != .notChecked } ?? false }
    }

    /// Checks the statement at `path` against the bundle at `bundle`; `expecting` is the kinds
    /// the command checks (a receipt given to `certify --check` is a usage mistake, exit 2).
    /// `subject` is the bundle's digests when the caller has them already (the report does).
    public static func check(statement path: String, bundle: String, expecting kinds: [Statement.Kind], options: Options,
                             subject known: StatementSubject? = nil) throws -> Result {
        let envelope = try StatementEnvelope(contentsOf: path)
        let anchors = try options.allowedSigners.map { try AllowedSigners(contentsOf: $0) }
        let subject = try known ?? StatementSubject.of(archive: bundle)
        var result = Result(path: path, envelope: envelope, bundle: subject)

        let expectedNamespace = kinds.first?.namespace ?? envelope.namespace
        do {
            let signature = try SSHSignature(armored: envelope.signature)
            let verification = try signature.verify(message: .bytes(envelope.signedBytes), namespace: expectedNamespace,
                                                    allowedSigners: anchors, at: options.now)
            result.signature = verification
            if let failure = verification.failure {
                let (code, parameters) = ProblemCode.statementSignature(failure)
                result.problems.append(Problem(code, parameters))
            }
        } catch let error as SSHSigError {
            let (code, parameters) = ProblemCode.statementSignature(error)
            result.problems.append(Problem(code, parameters))
        }
        // Read only once the signature holds: bytes nobody signed are not worth decoding, and a
        // statement altered into something unreadable is a failed check, not a malformed file.
        guard result.signature?.signatureValid == true else { return result }
        let statement = try envelope.decodedStatement(path: path)
        guard kinds.contains(statement.kind) else {
            throw StatementError.wrongKind(path, found: statement.kind, expected: kinds.map(\.rawValue).joined(separator: " or "))
        }
        result.statement = statement
        if statement.subject.archiveSHA256 != subject.archiveSHA256 {
            result.problems.append(Problem(.statementArchiveMismatch, [
                "claimed": statement.subject.archiveSHA256,
                "name": VisibleText.name(statement.subject.bundle), "bundle": bundle, "actual": subject.archiveSHA256]))
        }
        if statement.subject.tagManifestSHA256 != subject.tagManifestSHA256 {
            result.problems.append(Problem(.statementTagManifestMismatch, [
                "claimed": statement.subject.tagManifestSHA256,
                "bundle": bundle, "actual": subject.tagManifestSHA256]))
        }
        if let signature = result.signature, statement.signer.fingerprint != signature.fingerprint {
            result.problems.append(Problem(.statementSignerMismatch, ["named": statement.signer.fingerprint, "signer": signature.fingerprint]))
        }
        if let response = envelope.timestampBytes {
            let verifier = try options.tsaCA.map { try TimestampVerifier(caFile: $0) } ?? TimestampVerifier()
            let verification = try verifier.verifyWaiting(response, against: .bytes(Array(envelope.signature.utf8)),
                                                          contentName: "the statement's signature", subject: "The statement")
            result.timestamp = verification
            if let check = verification.failedCheck {
                result.problems.append(Problem(.statementTimestamp(check), ["message": verification.message]))
            }
        } else if options.tsaCA != nil {
            result.problems.append(Problem(.statementTimestampRequired))
        }
        if options.tsaCA != nil, let timestamp = result.timestamp, timestamp.outcome == .notVerified {
            result.problems.append(Problem(.timestampNotVerifiedRequired))
        }
        return result
    }
}
