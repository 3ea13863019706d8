/// What checking the remote payload found, for the verdict: each remote file of the run's scope
/// with its result (nil when it was not read), and the files left to other shards.
package struct RemoteCheck: Sendable {
    /// Which part of the remote payload the run was to check.
    package enum Scope: Sendable, Equatable {
        /// Every remote file (`verify --fetch`).
        case whole
        /// One shard's files (`verify --fetch --shard K/N`).
        case shard(Shard)
        /// Every remote file, from the parts of N shards (`verify --merge`).
        case merged(parts: Int)
    }

    package var scope: Scope
    /// The files of the scope, in path order, each with what was found.
    package var entries: [(file: RemoteFile, result: RemoteResult?)]
    /// Remote files of the bag outside the scope (those of the other shards).
    package var outOfScope: Int
    /// Files not read again because a state file had them (`--resume`).
    package var resumed = 0

    /// Each entry's state, judged against the bundle (never the stored word alone).
    package var states: [RemoteResult.State] {
        entries.map { $0.result?.judged(against: $0.file) ?? .notChecked }
    }

    package func count(_ state: RemoteResult.State) -> Int { states.filter { $0 == state }.count }

    /// The bytes of the files that were checked.
    package var checkedBytes: Int64 {
        zip(entries, states).reduce(Int64(0)) { $0 + ($1.1 == .checked ? ($1.0.result?.size ?? 0) : 0) }
    }

    /// Every file of the scope was checked and matches.
    package var allChecked: Bool { states.allSatisfy { $0 == .checked } }
}

extension VerifiedBundle {
    /// Replaces "the bag is holey" with what fetching found: a problem for each changed, resized
    /// or missing object, and "incomplete" only for what remains unchecked. With
    /// `countOutOfScope` false, the files of other shards are not held against the result (what
    /// a shard's own exit status is judged on; never the bundle's verdict).
    package mutating func apply(_ check: RemoteCheck, countOutOfScope: Bool = true) {
        remote = check
        var problems = bag.problems.filter { $0.code != .holeyBag }
        var unchecked: [String] = []
        for ((file, result), state) in zip(check.entries, check.states) {
            let shown = BagPaths.display(file.path)
            switch state {
            case .checked:
                continue
            case .changed:
                let algorithm = file.expected.algorithms.first { result?.digests[$0.rawValue] != file.expected[$0] } ?? .sha256
                let actual = result?.digests[algorithm.rawValue] ?? "?"
                problems.append(BagIssue(.problem, .checksumMismatch, file: shown,
                    "its \(algorithm.rawValue) checksum in object storage is \(actual), but manifest-\(algorithm.rawValue).txt says \(file.expected[algorithm] ?? "?"): the object \(VisibleText.name(file.url)) was changed or replaced after the bundle was built."))
            case .wrongSize:
                problems.append(BagIssue(.problem, .objectSizeMismatch, file: shown,
                    "the object \(VisibleText.name(file.url)) has \(result?.size ?? 0) bytes, but fetch.txt announces \(file.length ?? 0): it was changed or replaced after the bundle was built."))
            case .missing:
                problems.append(BagIssue(.problem, .objectMissing, file: shown,
                    "is to be fetched from \(VisibleText.name(file.url)), but the object store has no such object."))
            case .notChecked:
                unchecked.append(result?.reason ?? "not read")
            }
        }
        if !unchecked.isEmpty {
            let files = unchecked.count == 1 ? "1 payload file only referenced by fetch.txt was" : "\(unchecked.count) payload files only referenced by fetch.txt were"
            let reasons = Set(unchecked).sorted().prefix(3).joined(separator: "; ")
            problems.append(BagIssue(.problem, .holeyBag, file: FetchFile.fileName, "the bag is incomplete: \(files) not checked (\(reasons))."))
        }
        if countOutOfScope && check.outOfScope > 0, case .shard(let shard) = check.scope {
            let files = check.outOfScope == 1 ? "1 payload file is" : "\(check.outOfScope) payload files are"
            problems.append(BagIssue(.problem, .holeyBag, file: FetchFile.fileName,
                "the bag is incomplete as far as this run goes: \(files) left to the other shards (this run is shard \(shard)); the verdict on the whole comes from handover verify --merge."))
        }
        bag.problems = problems.sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        bag.isHoley = problems.contains { $0.code == .holeyBag || $0.code == .objectMissing }
    }
}
