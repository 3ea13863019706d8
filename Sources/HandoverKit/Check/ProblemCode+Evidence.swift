/// The codes of the workbook rule's problems and of the signature and time-stamp findings, so
/// that a report in another language says them in it (their sentences are in the
/// `ProblemSentences` tables, like the other codes).
extension ProblemCode {
    /// A `.xlsx` that is not a zip archive (a renamed CSV or .xls).
    public static let workbookNotZip = ProblemCode(rawValue: "xlsx-not-zip")
    /// A `.xlsx` whose zip structure libarchive cannot open.
    public static let workbookDamaged = ProblemCode(rawValue: "xlsx-damaged")
    /// A zip without `xl/workbook.xml`.
    public static let workbookNoWorkbookPart = ProblemCode(rawValue: "xlsx-no-workbook-part")
    /// The sheet named by `xlsx.sheet` is not in the workbook: `sheet`, `sheets`, `expected`.
    public static let workbookNoSuchSheet = ProblemCode(rawValue: "xlsx-no-such-sheet")
    /// A workbook without any sheet: `expected`.
    public static let workbookNoSheet = ProblemCode(rawValue: "xlsx-no-sheet")
    /// The sheet's first row is empty: `sheet`, `expected`.
    public static let workbookEmptyFirstRow = ProblemCode(rawValue: "xlsx-empty-first-row")
    /// The sheet's first row lacks columns: `sheet`, `count`, `missing`, `found`.
    public static let workbookMissingColumns = ProblemCode(rawValue: "xlsx-missing-columns")

    /// A signature by a trusted key was required and there is none.
    public static let signatureRequired = ProblemCode(rawValue: "signature-required")
    /// Signed by `key`, not among the keys trusted through `source`.
    public static let signatureUntrustedKey = ProblemCode(rawValue: "signature-untrusted-key")
    /// Signed by `key`, a signature by a trusted key was required, and none was given.
    public static let signatureNoTrustedKey = ProblemCode(rawValue: "signature-no-trusted-key")
    /// The signature cannot be read or checked (malformed, unsupported key or algorithm): `reason`.
    public static let signatureUnreadable = ProblemCode(rawValue: "signature-unreadable")
    /// The signature does not hold over the tag manifest: `reason`.
    public static let signatureInvalid = ProblemCode(rawValue: "signature-invalid")
    /// The reader's allowed_signers does not allow the signing key (principal, validity,
    /// namespace): `reason`.
    public static let signatureSignerNotAllowed = ProblemCode(rawValue: "signature-signer-not-allowed")

    /// A verified time-stamp was required and there is none.
    public static let timestampRequired = ProblemCode(rawValue: "timestamp-required")
    /// A verified time-stamp was required; the one present was not checked against a TSA CA.
    public static let timestampNotVerifiedRequired = ProblemCode(rawValue: "timestamp-not-verified-required")

    /// A time-stamp whose check `check` failed: `message` (the English sentence of the check).
    package static func timestampFailed(_ check: TimestampCheck) -> ProblemCode {
        ProblemCode(rawValue: "timestamp-" + check.rawValue)
    }
}
