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

    public var errorDescription: String? {
        switch self {
        case .tooManyEntries(let limit):
            "The bundle has more than \(limit) entries; handover does not verify bundles this large."
        case .tooManyManifestEntries(let file, let limit):
            "\(file) lists more than \(limit) files; handover does not verify bags this large."
        case .changedDuringVerification(let path):
            "\(path) changed while the bundle was being verified; verify it again once nothing is writing to it."
        case .invalidBagInfoLabel(let label):
            "The bag-info.txt label \"\(label)\" cannot be written: a label must not be empty, contain a colon or a line break, or start or end with whitespace."
        }
    }
}
