/// Why `verify --fetch`, `--merge` or `--resume` could not give a verdict. Part and state files
/// are read as hostile input: each refusal names the file and what is wrong with it.
package enum FetchError: HandoverError, Equatable {
    /// The part or state file is not one handover wrote, or was altered.
    case badRecord(path: String, reason: String)
    /// The part or state file belongs to another bundle.
    case otherBundle(path: String, recorded: String, expected: String)
    /// The parts given to --merge do not make one whole run.
    case partsIncomplete(String)
    /// The state file was written for another shard.
    case otherShard(path: String, recorded: String, expected: String)

    package var errorDescription: String? {
        switch self {
        case .badRecord(let path, let reason):
            "\(path): \(reason)"
        case .otherBundle(let path, let recorded, let expected):
            "\(path) was written for another bundle (its tag manifests' SHA-256 is \(recorded.prefix(16))…, this bundle's is \(expected.prefix(16))…); give the parts of this bundle"
        case .partsIncomplete(let reason):
            "the parts cannot be merged: \(reason)"
        case .otherShard(let path, let recorded, let expected):
            "\(path) records the run of shard \(recorded), not \(expected); give each shard its own state file"
        }
    }
}
