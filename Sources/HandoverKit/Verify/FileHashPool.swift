import Foundation

/// Hashes whole payload files of a bag folder on worker threads, several files at once, while the
/// verifier goes on walking the folder: verifying a folder uses every core.
///
/// Each job is an open file that a worker reads to its end (or to its limit) with its own buffer
/// and hashes through `MultiHasher`. At most `maxPending` jobs wait or run at a time, so open
/// files and memory stay bounded (`workers` buffers of `bufferSize`).
final class FileHashPool: @unchecked Sendable {
    struct Job {
        let path: [UInt8]
        let fd: Int32
        let display: String
        let algorithms: Set<ChecksumAlgorithm>
        let limit: Int64?
        /// Why the limit is what it is, for the message when a file exceeds it.
        let reason: String?
        let size: Int64?
        let modified: Int64?
    }

    struct Done {
        let job: Job
        let total: Int64
        let cut: Bool
        let digests: FileDigests
        let error: Error?
    }

    private let lock = NSCondition()
    private var waiting: [Job] = []
    private var head = 0
    private var finished: [Done] = []
    private var pending = 0
    private var stopping = false
    private var alive = 0
    private let maxPending: Int

    init(workers: Int, bufferSize: Int = 1 << 20) {
        maxPending = workers * 4
        alive = workers
        for index in 0..<workers {
            let thread = Thread { [self] in work(bufferSize: bufferSize) }
            thread.name = "handover hasher \(index + 1)"
            thread.start()
        }
    }

    /// The number of hashing threads worth starting: one per core the process may use.
    static var defaultWorkers: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Queues a file; the pool owns (and closes) its descriptor from now on. Waits while the pool
    /// is full.
    func submit(_ job: Job) {
        lock.lock()
        while pending >= maxPending && !stopping { lock.wait() }
        if stopping {
            lock.unlock()
            close(job.fd)
            return
        }
        waiting.append(job)
        pending += 1
        lock.broadcast()
        lock.unlock()
    }

    /// The files hashed since the last call, without waiting.
    func completed() -> [Done] {
        lock.lock()
        defer { lock.unlock() }
        let done = finished
        finished.removeAll(keepingCapacity: true)
        return done
    }

    /// Waits until every file queued is hashed, and returns those not yet taken.
    func drain() -> [Done] {
        lock.lock()
        defer { lock.unlock() }
        while pending > 0 { lock.wait() }
        let done = finished
        finished.removeAll()
        return done
    }

    /// Stops the workers and closes the files still queued; waits for the workers to end.
    func shutdown() {
        lock.lock()
        stopping = true
        for job in waiting[head...] { close(job.fd) }
        pending -= waiting.count - head
        waiting.removeAll()
        head = 0
        lock.broadcast()
        while alive > 0 { lock.wait() }
        lock.unlock()
    }

    /// Whether `shutdown` was called: a large file being hashed is left unfinished.
    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func work(bufferSize: Int) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            lock.lock()
            while head == waiting.count && !stopping { lock.wait() }
            if stopping {
                alive -= 1
                lock.broadcast()
                lock.unlock()
                return
            }
            let job = waiting[head]
            head += 1
            if head == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                head = 0
            }
            lock.unlock()
            let done = hash(job, buffer: buffer)
            lock.lock()
            finished.append(done)
            pending -= 1
            lock.broadcast()
            lock.unlock()
        }
    }

    /// Reads the file to its end, stopping before the bytes read would exceed the job's limit.
    private func hash(_ job: Job, buffer: UnsafeMutableRawBufferPointer) -> Done {
        defer { close(job.fd) }
        var hasher = MultiHasher(job.algorithms)
        var total: Int64 = 0
        while true {
            let count = read(job.fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                return Done(job: job, total: total, cut: false, digests: FileDigests(),
                            error: FileError.fromErrno(job.display, "cannot read"))
            }
            if count == 0 { break }
            if isStopping { return Done(job: job, total: total, cut: true, digests: FileDigests(), error: nil) }
            if let limit = job.limit, total + Int64(count) > limit {
                return Done(job: job, total: total, cut: true, digests: FileDigests(), error: nil)
            }
            total += Int64(count)
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return Done(job: job, total: total, cut: false, digests: hasher.finalize(), error: nil)
    }
}

/// An observer that needs the bytes of some payload files only. The verifier may hash the other
/// files on other threads; for those it calls `beginPayloadFile` and `endPayloadFile` alone,
/// once they are hashed.
protocol PayloadDataFilter: PayloadObserver {
    func needsData(path: [UInt8]) -> Bool
}
