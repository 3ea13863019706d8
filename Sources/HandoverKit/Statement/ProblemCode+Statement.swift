/// The codes of what `receipt --check` and `certify --check` find wrong with a statement, so
/// that its French rendering says them in French (their sentences are in the
/// `ProblemSentences` tables, like the bundle's).
extension ProblemCode {
    /// The signature cannot be read or checked (malformed, unsupported key or algorithm): `reason`.
    public static let statementSignatureUnreadable = ProblemCode(rawValue: "statement-signature-unreadable")
    /// The signature does not hold over the statement's bytes: `reason`.
    public static let statementSignatureInvalid = ProblemCode(rawValue: "statement-signature-invalid")
    /// Signed for another use (SSHSIG namespace) than this kind of statement: `reason`.
    public static let statementWrongNamespace = ProblemCode(rawValue: "statement-wrong-namespace")
    /// The reader's allowed_signers does not allow the key (principal, validity, namespace): `reason`.
    public static let statementSignerNotAllowed = ProblemCode(rawValue: "statement-signer-not-allowed")
    /// The statement names another key than the one that signed it: `named`, `signer`.
    public static let statementSignerMismatch = ProblemCode(rawValue: "statement-signer-mismatch")
    /// About another archive: `claimed` (the digest the statement names), `name`, `bundle`, `actual`.
    public static let statementArchiveMismatch = ProblemCode(rawValue: "statement-archive-mismatch")
    /// About another tag manifest: `claimed`, `bundle`, `actual`.
    public static let statementTagManifestMismatch = ProblemCode(rawValue: "statement-tag-manifest-mismatch")
    /// `--tsa-ca` asks for a verified time-stamp and the statement has none.
    public static let statementTimestampRequired = ProblemCode(rawValue: "statement-timestamp-required")
    /// The time-stamp is over other bytes than the statement's signature: `message`.
    public static let statementTimestampImprint = ProblemCode(rawValue: "statement-timestamp-imprint")

    /// The code of a signature that does not hold over a statement.
    static func statementSignature(_ error: SSHSigError) -> (ProblemCode, [String: String]) {
        let reason = error.errorDescription ?? "\(error)"
        return switch error {
        case .signatureMismatch: (.statementSignatureInvalid, ["reason": reason])
        case .wrongNamespace: (.statementWrongNamespace, ["reason": reason])
        case .signerNotAllowed, .namespaceNotAllowed: (.statementSignerNotAllowed, ["reason": reason])
        default: (.statementSignatureUnreadable, ["reason": reason])
        }
    }

    /// The code of a failed time-stamp check on a statement: the bundle's codes, whose French
    /// sentences hold for any time-stamp, except the imprint's, which names what was stamped.
    static func statementTimestamp(_ check: TimestampCheck) -> ProblemCode {
        check == .imprint ? .statementTimestampImprint : .timestampFailed(check)
    }
}
