import Foundation

/// Checks remote files with `jobs` threads, each with its own `ObjectStoreClient` (its own
/// libcurl handle and connection), taking the next file from one shared list.
///
/// A failure of the store itself (credentials refused, endpoint unreachable after the retries,
/// access denied) stops every thread and is thrown: the run could not be completed, which is
/// exit status 2, never a verdict. What was checked before it is already with `fileDone`.
enum FetchRun {
    struct Options {
        var jobs = 4
        /// Payload bytes read so far, over all threads.
        var progress: ((Int64) -> Void)?
        /// Each finished file, one at a time (calls are never concurrent).
        var fileDone: ((RemoteFile, RemoteResult) -> Void)?
        /// Where a file's bytes go as they are checked (extract); nil writes nothing.
        var sink: ((RemoteFile) throws -> FetchSink)?
    }

    static func run(_ files: [RemoteFile], configuration: ObjectStoreConfiguration, options: Options) throws -> [RemoteResult] {
        guard !files.isEmpty else { return [] }
        let shared = Shared(count: files.count)
        let jobs = max(1, min(options.jobs, files.count))
        let group = DispatchGroup()
        let job = Job(files: files, shared: shared, configuration: configuration, options: options)
        for index in 0..<jobs {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                job.work()
            }
            thread.name = "handover fetch \(index + 1)"
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        if let failure = shared.failure { throw failure }
        return shared.results.compactMap { $0 }
    }

    /// What every thread works from; the callbacks are only called under `Shared`'s lock.
    private final class Job: @unchecked Sendable {
        let files: [RemoteFile]
        let shared: Shared
        let configuration: ObjectStoreConfiguration
        let options: Options

        init(files: [RemoteFile], shared: Shared, configuration: ObjectStoreConfiguration, options: Options) {
            self.files = files
            self.shared = shared
            self.configuration = configuration
            self.options = options
        }

    func work() {
        let client: ObjectStoreClient
        do {
            client = try ObjectStoreClient(configuration)
        } catch {
            shared.fail(error)
            return
        }
        while let index = shared.next() {
            let file = files[index]
            do {
                let sink = try options.sink?(file)
                let write: ((UnsafeRawBufferPointer) -> Void)? = sink.map { sink in { bytes in sink.write(bytes) } }
                let result = try ObjectCheck.check(file, client: client, progress: { shared.add($0, options.progress) }, sink: write)
                // A file whose bytes could not be kept stops the run (exit status 2).
                try sink?.finish(result)
                shared.finish(index, file, result, options.fileDone)
            } catch {
                shared.fail(error)
                return
            }
        }
    }
    }

    /// What the threads share, behind one lock.
    private final class Shared: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private var bytes: Int64 = 0
        private(set) var results: [RemoteResult?]
        private(set) var failure: Error?

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func next() -> Int? {
            lock.withLock {
                guard failure == nil, nextIndex < results.count else { return nil }
                defer { nextIndex += 1 }
                return nextIndex
            }
        }

        func add(_ count: Int64, _ progress: ((Int64) -> Void)?) {
            lock.withLock {
                bytes += count
                progress?(bytes)
            }
        }

        func finish(_ index: Int, _ file: RemoteFile, _ result: RemoteResult, _ done: ((RemoteFile, RemoteResult) -> Void)?) {
            lock.withLock {
                results[index] = result
                done?(file, result)
            }
        }

        func fail(_ error: Error) {
            lock.withLock { if failure == nil { failure = error } }
        }
    }
}

/// Where extract puts one remote file's bytes as they arrive.
protocol FetchSink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer)
    /// Called once the file was read and judged; throws when its bytes could not be kept.
    func finish(_ result: RemoteResult) throws
}
