/// What checking one remote file found, as verify prints it and as part and state files keep it.
///
/// The digests computed are kept, not only the word "checked": `--merge` and `--resume` compare
/// them with the bundle's own manifests again, so a part file that says "checked" over digests
/// that do not match is not believed.
package struct RemoteResult: Sendable, Equatable, Codable {
    /// The outcome of one remote file.
    package enum State: String, Sendable, Codable {
        /// Read whole; its size and every checksum match.
        case checked
        /// Read whole; a checksum differs from the manifest's.
        case changed
        /// Its size differs from the one fetch.txt announces.
        case wrongSize = "wrong-size"
        /// The object store has no such object (404).
        case missing
        /// Not read: a URL handover does not fetch, or no checksum to compare with.
        case notChecked = "not-checked"
    }

    /// The path relative to the bag's root, as `displayPath` shows it.
    package var path: String
    package var url: String
    package var state: State
    /// The object's size as the store gave it (absent when there is no object, or it was not asked).
    package var size: Int64?
    /// The digests computed, by algorithm name (sha256, sha512…), lowercase hexadecimal.
    package var digests: [String: String]
    /// Why it was not checked, for `not-checked`.
    package var reason: String?

    package init(path: String, url: String, state: State, size: Int64? = nil, digests: [String: String] = [:], reason: String? = nil) {
        self.path = path
        self.url = url
        self.state = state
        self.size = size
        self.digests = digests
        self.reason = reason
    }

    /// The state this result earns against `file` as the bundle describes it: the stored state
    /// is only believed where the facts kept (size, digests) bear it out.
    func judged(against file: RemoteFile) -> State {
        switch state {
        case .missing, .notChecked:
            return state
        case .wrongSize:
            if let length = file.length, let size, size != length { return .wrongSize }
            return .notChecked
        case .checked, .changed:
            guard let size else { return .notChecked }
            if let length = file.length, size != length { return .wrongSize }
            guard !file.expected.algorithms.isEmpty else { return .notChecked }
            for algorithm in file.expected.algorithms {
                guard let computed = digests[algorithm.rawValue] else { return .notChecked }
                if computed != file.expected[algorithm] { return .changed }
            }
            return .checked
        }
    }
}
