/// One rule of a BagIt Profile that a bag does not meet: a problem of the verdict (the bag is
/// not VALID against the profile, exit status 1).
package struct ProfileIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Which rule of the profile, stable for machines (JSON output, tests).
    package enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case bagInfoMissing = "profile-bag-info-missing"
        case identifierMissing = "profile-identifier-missing"
        case identifierMismatch = "profile-identifier-mismatch"
        case tagMissing = "profile-tag-missing"
        case tagValueNotAllowed = "profile-tag-value-not-allowed"
        case tagRepeated = "profile-tag-repeated"
        case manifestMissing = "profile-manifest-missing"
        case manifestNotAllowed = "profile-manifest-not-allowed"
        case tagManifestMissing = "profile-tag-manifest-missing"
        case tagManifestNotAllowed = "profile-tag-manifest-not-allowed"
        case tagFileMissing = "profile-tag-file-missing"
        case tagFileNotAllowed = "profile-tag-file-not-allowed"
        case fetchNotAllowed = "profile-fetch-not-allowed"
        case fetchRequired = "profile-fetch-required"
        case dataNotEmpty = "profile-data-not-empty"
        case versionNotAccepted = "profile-version-not-accepted"
        case serializationRequired = "profile-serialization-required"
        case serializationForbidden = "profile-serialization-forbidden"
        case serializationNotAccepted = "profile-serialization-not-accepted"
    }

    package var code: Code
    /// The file the rule is about, relative to the bag's root ("bag-info.txt"); nil when it is
    /// about the bag as a whole (its serialization).
    package var file: String?
    /// A sentence for the person at the terminal.
    package var message: String

    package init(_ code: Code, file: String?, _ message: String) {
        self.code = code
        self.file = file
        self.message = message
    }

    package var description: String { file.map { "\($0): \(message)" } ?? message }
}
