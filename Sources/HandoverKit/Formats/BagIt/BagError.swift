/// Why a bag could not be read or written at all.
///
/// Problems found inside a readable bag are not errors: they are `BagIssue`s in the result of
/// the verifier. This type is for the cases where no verdict can be given.
public enum BagError: HandoverError, Equatable {
    /// The bundle has more entries than the verifier keeps track of.
    case tooManyEntries(limit: Int)
    /// A manifest has more lines than the verifier keeps track of.
    case tooManyManifestEntries(file: String, limit: Int)
    /// The second reading of the bundle did not find what the first one did.
    case changedDuringVerification(path: String)
    /// A bag-info.txt label that could not be written so that it reads back the same.
    case invalidBagInfoLabel(String)

    /// Too many entries or manifest lines is a bundle past the limit of entries, as verify
    /// judges it (exit status 1); the rest means no verdict could be given.
    public var exitStatus: ExitStatus {
        switch self {
        case .tooManyEntries, .tooManyManifestEntries: .checkFailed
        case .changedDuringVerification, .invalidBagInfoLabel: .couldNotRun
        }
    }

    /// The limit of `BagLimits` this error is about, when it is one.
    public var limit: BagLimitError.Limit? {
        switch self {
        case .tooManyEntries, .tooManyManifestEntries: .entries
        case .changedDuringVerification, .invalidBagInfoLabel: nil
        }
    }

    public var errorDescription: String? {
        switch self {
        case .tooManyEntries(let limit):
            "the bundle has more than \(limit) entries, the limit of entries; reading stopped there."
        case .tooManyManifestEntries(let file, let limit):
            "\(file) lists more than \(limit) files, the limit of entries; reading stopped there."
        case .changedDuringVerification(let path):
            "\(path) changed while the bundle was being verified; verify it again once nothing is writing to it."
        case .invalidBagInfoLabel(let label):
            "The bag-info.txt label \"\(label)\" cannot be written: a label must not be empty, contain a colon or a line break, or start or end with whitespace."
        }
    }
}
