/// Comparing two bundles named on the command line.
extension BundleDiff {
    /// Reads the tag files of both (and with `verify`, verifies both first), then compares them.
    /// - Throws: `DiffError` (exit status 2) when either cannot be read, is not a bag, or
    ///   fails verification.
    public static func compare(old: String, new: String, verify: Bool,
                               options: BundleVerification.Options = BundleVerification.Options()) throws -> BundleDiff {
        if verify {
            for path in [old, new] {
                let result: VerifiedBundle
                do {
                    result = try BundleVerification.verify(path: path, options: options)
                } catch let error as HandoverError {
                    throw DiffError.unreadable(path, error.errorDescription ?? "\(error)")
                }
                if !result.passed { throw DiffError.failsVerification(path, result.failureReasons) }
            }
        }
        var diff = try compare(BundleTags.read(path: old), BundleTags.read(path: new))
        diff.verified = verify
        return diff
    }
}
