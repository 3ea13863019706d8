import Foundation

/// The digests of the payload files, by their place in the plan's payload: what the payload
/// manifests are written from, whether the payload went through the archive or stayed remote.
protocol PayloadDigests {
    /// The hexadecimal digest of the `file`-th payload file; nil when it was not computed.
    func digest(_ algorithm: ChecksumAlgorithm, file: Int) -> String?
}

extension ArchiveFeed: PayloadDigests {}

/// A payload left in object storage (`--payload remote`): each object streamed once, hashed
/// with every algorithm and shown to its content inspector as it arrives, never held whole.
///
/// `jobs` threads each take the next object in turn with a client of their own (its own curl
/// handle and connection), so memory is a few buffers per job whatever the objects' sizes. The
/// first failure stops the others from starting a new object, and is thrown.
final class RemotePayloadHashing: PayloadDigests, @unchecked Sendable {
    private let plan: BuildPlan
    private let source: ObjectSource
    private let lock = NSLock()
    private var next = 0
    private var failure: Error?
    private var digests: [[String]?]
    private(set) var facts: [[UInt8]: FileFacts] = [:]
    private var done: Int64 = 0

    private init(plan: BuildPlan, source: ObjectSource) {
        self.plan = plan
        self.source = source
        digests = Array(repeating: nil, count: plan.payload.count)
    }

    /// Streams and hashes every payload object of `plan`; returns the digests and the facts a
    /// content rule can use (CSV headers, secrets), as the archive pass would have.
    static func hash(_ plan: BuildPlan, source: ObjectSource) throws -> RemotePayloadHashing {
        let run = RemotePayloadHashing(plan: plan, source: source)
        let jobs = max(1, min(plan.options.jobs, plan.payload.count))
        let group = DispatchGroup()
        for number in 0..<jobs {
            group.enter()
            let thread = Thread {
                run.work()
                group.leave()
            }
            thread.name = "handover object hasher \(number + 1)"
            thread.start()
        }
        group.wait()
        if let failure = run.failure { throw failure }
        return run
    }

    func digest(_ algorithm: ChecksumAlgorithm, file: Int) -> String? {
        guard let index = plan.options.algorithms.firstIndex(of: algorithm), file >= 0, file < digests.count else { return nil }
        return digests[file]?[index]
    }

    /// One job: objects in turn until none is left or another job failed.
    private func work() {
        let reader: ObjectPayloadReader
        do {
            reader = try ObjectPayloadReader(source)
        } catch {
            fail(error)
            return
        }
        while let index = take() {
            let item = plan.payload[index]
            var inspector = SourceCheck.inspector(for: item.file, selection: plan.selection, manifest: plan.manifest)
            let wantsContent = inspector.needsContent
            var hashers = plan.options.algorithms.map { $0.makeHasher() }
            do {
                try reader.read(item.file, into: nil) { chunk in
                    for hasher in hashers.indices { hashers[hasher].update(chunk) }
                    if wantsContent { inspector.consume(chunk) }
                }
            } catch {
                fail(error)
                return
            }
            let found = wantsContent ? inspector.finish() : nil
            finish(index, hashers.map { $0.finalizeHex() }, found, item.file)
        }
    }

    private func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil, next < plan.payload.count else { return nil }
        next += 1
        return next - 1
    }

    private func fail(_ error: Error) {
        lock.lock()
        if failure == nil { failure = error }
        lock.unlock()
    }

    private func finish(_ index: Int, _ hex: [String], _ found: FileFacts?, _ file: SourceFile) {
        lock.lock()
        defer { lock.unlock() }
        digests[index] = hex
        if let found, found.matter(for: file) { facts[file.path] = found }
        done += file.size
        // Under the lock: the callbacks are called from one job at a time.
        plan.options.packedFile?(file.displayPath, file.size)
        plan.options.progress?(done, plan.sourceBytes)
    }
}
