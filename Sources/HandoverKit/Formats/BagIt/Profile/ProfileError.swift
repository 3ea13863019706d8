/// Why a BagIt Profile file could not be used: no verdict can be given against it (exit status 2).
///
/// Rules a bag fails are not errors: they are `ProfileIssue`s in the result of `ProfileCheck`.
package struct ProfileError: HandoverError, Equatable {
    /// What is wrong with the file.
    package enum Reason: Error, Sendable, Equatable {
        /// It could not be read (missing, a folder, too large); the reason follows "PATH: ".
        case unreadable(String)
        /// It is not JSON; the parser's words for where.
        case notJSON(String)
        /// It is JSON, but its top level is not an object.
        case notAnObject
        /// A key every profile has is absent (`BagIt-Profile-Info`, `Accept-BagIt-Version`).
        case missingKey(String)
        /// A key holds a value of the wrong kind; `expected` says which, in words.
        case wrongType(key: String, expected: String)
        /// A key holds a value of the right kind that the specification does not allow.
        case badValue(key: String, String)
        /// Two rules of the profile contradict each other, so that no bag could meet both.
        case contradiction(String)
    }

    package let path: String
    package let reason: Reason

    package init(path: String, _ reason: Reason) {
        self.path = path
        self.reason = reason
    }

    package var errorDescription: String? {
        let notProfile = "is not a BagIt Profile"
        switch reason {
        case .unreadable(let why):
            return "\(path): \(why)"
        case .notJSON(let why):
            return "\(path): \(notProfile): it cannot be read as JSON (\(why))."
        case .notAnObject:
            return "\(path): \(notProfile): its JSON is not an object of profile keys such as \"BagIt-Profile-Info\"."
        case .missingKey(let key):
            return "\(path): \(notProfile): it has no \"\(key)\", which the BagIt Profiles specification requires."
        case .wrongType(let key, let expected):
            return "\(path): \(notProfile) as the specification defines one: \(key) must be \(expected)."
        case .badValue(let key, let why):
            return "\(path): \(notProfile) as the specification defines one: \(key) \(why)."
        case .contradiction(let why):
            return "\(path): the profile contradicts itself, so no bag could meet it: \(why)."
        }
    }
}
