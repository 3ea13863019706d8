/// Why two deliveries could not be compared, or a chain could not be followed.
///
/// `handover diff` keeps the exit statuses of `diff(1)`: 1 means "different", so every reason
/// it cannot compare is status 2, even a bundle that fails verification.
package enum DiffError: HandoverError {
    /// The file or folder is not a BagIt bag.
    case notABag(String, String)
    /// It could not be read (not an archive, damaged, unsafe, a limit passed).
    case unreadable(String, String)
    /// The two bags share no checksum algorithm, so their digests cannot be compared.
    case noCommonAlgorithm(String, String)
    /// `--verify` was asked and a bundle fails it.
    case failsVerification(String, [String])
    /// `--previous` names a folder: a chain records the archive's own SHA-256.
    case previousNotAnArchive(String)

    package var errorDescription: String? {
        switch self {
        case .notABag(let path, let why):
            "\(path) is not a bundle: \(why). Give a bundle built by handover (or any BagIt bag, as an archive or a folder)."
        case .unreadable(let path, let why):
            "cannot read \(path): \(why)"
        case .noCommonAlgorithm(let old, let new):
            "\(old) and \(new) have no checksum algorithm in common, so their files cannot be compared from their manifests."
        case .failsVerification(let path, let reasons):
            "\(path) fails verification, so comparing it would mean nothing ('handover verify \(path)' says more): "
                + reasons.prefix(5).joined(separator: "; ") + (reasons.count > 5 ? "; … and \(reasons.count - 5) more" : "")
        case .previousNotAnArchive(let path):
            "\(path) is a folder; a delivery is chained to the previous bundle's archive, whose SHA-256 it records. Give the archive file."
        }
    }
}
