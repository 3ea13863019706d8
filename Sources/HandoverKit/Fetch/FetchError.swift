/// Why `verify --fetch`, `--merge` or `--resume` could not give a verdict. Part and state files
/// are read as hostile input: each refusal names the file and what is wrong with it.
package enum FetchError: RemediableError, Equatable {
    /// The part or state file is not one handover wrote, or was altered.
    case badRecord(path: String, reason: String)
    /// The part or state file belongs to another bundle.
    case otherBundle(path: String, recorded: String, expected: String)
    /// The parts given to --merge do not make one whole run.
    case partsIncomplete(String)
    /// The state file was written for another shard.
    case otherShard(path: String, recorded: String, expected: String)
    /// A part given to --merge is of a shard whose run did not finish.
    case unfinishedShard(path: String, shard: String)

    /// An unfinished shard can be finished from its state file.
    package var remedy: Remedy? {
        if case .unfinishedShard = self { return .finishShard }
        return nil
    }

    package var errorDescription: String? { message(advice: nil) }

    package func message(advice: String?) -> String {
        switch self {
        case .badRecord(let path, let reason):
            "\(path): \(reason)"
        case .otherBundle(let path, let recorded, let expected):
            "\(path) was written for another bundle (its tag manifests' SHA-256 is \(recorded.prefix(16))…, this bundle's is \(expected.prefix(16))…); give the parts of this bundle"
        case .partsIncomplete(let reason):
            "the parts cannot be merged: \(reason)"
        case .otherShard(let path, let recorded, let expected):
            "\(path) records the run of shard \(recorded), not \(expected); give each shard its own state file"
        case .unfinishedShard(let path, let shard):
            "the parts cannot be merged: \(path) is shard \(shard) of a run that did not finish\(advice.map { "; " + $0 } ?? "")"
        }
    }
}
