import Foundation

/// `verify --fetch` after the bag itself was verified: the remote payload (or one shard of it)
/// read from the object store and judged, with a state file kept as it goes (`--resume`) and a
/// part file at the end (`--result`).
public enum FetchVerification {
    /// Options of `verify --fetch`.
    public struct Options {
        /// Parallel transfers, each its own connection.
        public var jobs = 4
        public var shard: Shard?
        /// Where to write the part file at the end.
        public var resultPath: String?
        /// The state file to continue from (if it exists) and keep up to date.
        public var statePath: String?
        /// Remote bytes read so far, and the total to read.
        public var progress: ((Int64, Int64) -> Void)?
        /// Each remote file once judged (`--verbose`), with whether it was read in this run.
        package var fileDone: ((RemoteResult, Bool) -> Void)?
        /// The least time between two writes of the state file.
        public var stateInterval: TimeInterval = 1
        public init() {}
    }

    /// Checks the remote payload of `result.bag` and applies what was found to `result`.
    /// - Throws: `ObjectStoreError` when the store cannot be used (exit status 2; the state file
    ///   keeps what was checked), `FetchError` for a state file that is not this run's.
    package static func check(_ result: inout VerifiedBundle, configuration: ObjectStoreConfiguration, options: Options) throws {
        let files = RemotePayload.files(of: result.bag)
        let identity = BundleIdentity.of(result.bag)
        let scope = options.shard.map { ShardPlan.files(files, shard: $0.index, of: $0.count) } ?? files
        let done = Found()
        let bundlePath = result.path
        if let statePath = options.statePath, FileManager.default.fileExists(atPath: statePath) {
            let state = try FetchRecord.read(statePath, identity: identity, remote: byPath(files))
            guard state.shard == options.shard else {
                throw FetchError.otherShard(path: statePath, recorded: state.shard?.description ?? "none (the whole payload)",
                                            expected: options.shard?.description ?? "none (the whole payload)")
            }
            for file in state.files where file.state != .notChecked { done.results[file.path] = file }
        }
        let resumed = done.results.count
        for file in scope { if let kept = done.results[file.displayPath] { options.fileDone?(kept, false) } }
        let todo = scope.filter { done.results[$0.displayPath] == nil }
        let total = todo.reduce(Int64(0)) { $0 + ($1.length ?? 0) }
        let keeper = StateKeeper(path: options.statePath, interval: options.stateInterval) { complete in
            FetchRecord(bundle: bundlePath, bundleSHA256: identity, shard: options.shard, complete: complete,
                        files: scope.compactMap { done.results[$0.displayPath] })
        }
        var run = FetchRun.Options()
        run.jobs = options.jobs
        run.progress = options.progress.map { progress in { (done: Int64) in progress(done, total) } }
        run.fileDone = { _, checked in
            done.results[checked.path] = checked
            options.fileDone?(checked, true)
            keeper.changed()
        }
        do {
            _ = try FetchRun.run(todo, configuration: configuration, options: run)
        } catch {
            try? keeper.write(complete: false)
            throw error
        }
        let complete = scope.allSatisfy { done.results[$0.displayPath] != nil }
        try keeper.write(complete: complete)
        var check = RemoteCheck(scope: options.shard.map { .shard($0) } ?? .whole,
                                entries: scope.map { ($0, done.results[$0.displayPath]) }, outOfScope: files.count - scope.count)
        check.resumed = resumed
        if let resultPath = options.resultPath {
            try keeper.record(complete).write(to: resultPath)
        }
        result.apply(check)
    }

    /// `verify --merge`: the parts of N shards, from this bundle, each complete, covering every
    /// remote file exactly once in the shard the plan gives it, applied to `result`.
    public static func merge(_ result: inout VerifiedBundle, parts: [String]) throws {
        let files = RemotePayload.files(of: result.bag)
        let identity = BundleIdentity.of(result.bag)
        let known = byPath(files)
        let records = try parts.map { try FetchRecord.read($0, identity: identity, remote: known) }
        var count: Int?
        var byShard: [Int: (path: String, record: FetchRecord)] = [:]
        for (path, record) in zip(parts, records) {
            guard let shard = record.shard else {
                throw FetchError.partsIncomplete("\(path) is the result of a whole run, not of one shard; a whole run needs no merge")
            }
            if let count, count != shard.count {
                throw FetchError.partsIncomplete("\(path) is shard \(shard), but the other parts are of \(count) shards")
            }
            count = shard.count
            if let other = byShard[shard.index] {
                throw FetchError.partsIncomplete("\(other.path) and \(path) are both shard \(shard); give each shard once")
            }
            guard record.complete else {
                throw FetchError.unfinishedShard(path: path, shard: "\(shard)")
            }
            byShard[shard.index] = (path, record)
        }
        guard let count else { throw FetchError.partsIncomplete("no part given") }
        let absent = (1...count).filter { byShard[$0] == nil }
        guard absent.isEmpty else {
            let list = absent.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ")
            throw FetchError.partsIncomplete("\(absent.count == 1 ? "shard" : "shards") \(list)\(absent.count > 10 ? "…" : "") \(absent.count == 1 ? "is" : "are") missing; every shard 1/\(count) to \(count)/\(count) must be given once")
        }
        let plan = ShardPlan.assign(files, count: count)
        var found: [String: RemoteResult] = [:]
        for (file, shard) in zip(files, plan) {
            guard let part = byShard[shard], let checked = part.record.files.first(where: { $0.path == file.displayPath }) else {
                throw FetchError.partsIncomplete("\(file.displayPath) belongs to shard \(shard)/\(count), and \(byShard[shard]?.path ?? "its part") does not have it")
            }
            found[file.displayPath] = checked
        }
        for (index, part) in byShard where part.record.files.count != files.indices.filter({ plan[$0] == index }).count {
            throw FetchError.partsIncomplete("\(part.path) has files that are not shard \(index)/\(count)'s: it was not made by the same plan")
        }
        result.apply(RemoteCheck(scope: .merged(parts: count), entries: files.map { ($0, found[$0.displayPath]) }, outOfScope: 0))
    }

    private static func byPath(_ files: [RemoteFile]) -> [String: RemoteFile] {
        Dictionary(files.map { ($0.displayPath, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The results so far, by path; changed only under the run's lock, read after it.
private final class Found {
    var results: [String: RemoteResult] = [:]
}

/// Writes the state file at most once per `interval` as files finish, and at the end.
private final class StateKeeper {
    let path: String?
    let interval: TimeInterval
    let record: (Bool) -> FetchRecord
    private var last = Date.distantPast

    init(path: String?, interval: TimeInterval, record: @escaping (Bool) -> FetchRecord) {
        self.path = path
        self.interval = interval
        self.record = record
    }

    /// Called under the run's lock, one file at a time.
    func changed() {
        guard path != nil, Date().timeIntervalSince(last) >= interval else { return }
        try? write(complete: false)
    }

    func write(complete: Bool) throws {
        guard let path else { return }
        last = Date()
        try record(complete).write(to: path)
    }
}
