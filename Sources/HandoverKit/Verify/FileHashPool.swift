import Foundation

/// Hashes whole payload files of a bag folder on worker threads, several files at once, while the
/// verifier goes on walking the folder: verifying a folder uses every core.
///
/// Each job is an open file that a worker reads to its end (or to its limit) with its own buffer
/// and hashes through `MultiHasher`. Jobs travel on tickets through a `BoundedChannel` and come
/// back with their result: at most four tickets per worker exist, so open files and memory stay
/// bounded (`workers` buffers of `bufferSize`), and a full pool makes the caller wait.
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

    /// A job on its round: queued, hashed by a worker, then back with its result.
    private final class Ticket {
        var job: Job?
        var done: Done?
    }

    private let channel: BoundedChannel<Ticket>
    /// Results taken back from the tickets, not yet handed out; the caller's thread only.
    private var collected: [Done] = []

    init(workers: Int, bufferSize: Int = 1 << 20) {
        // At most four jobs per worker wait or run at a time.
        channel = BoundedChannel(slots: (0..<(max(workers, 1) * 4)).map { _ in Ticket() })
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
        guard let ticket = channel.acquire() else {
            close(job.fd)
            return
        }
        take(ticket)
        ticket.job = job
        channel.send(ticket)
    }

    /// The files hashed since the last call, without waiting.
    func completed() -> [Done] {
        var tickets: [Ticket] = []
        while let ticket = channel.tryAcquire() {
            take(ticket)
            tickets.append(ticket)
        }
        for ticket in tickets { channel.release(ticket) }
        defer { collected.removeAll(keepingCapacity: true) }
        return collected
    }

    /// Waits until every file queued is hashed, and returns those not yet taken.
    func drain() -> [Done] {
        channel.waitUntilAllFree()
        return completed()
    }

    /// Stops the workers and closes the files still queued; waits for the workers to end.
    func shutdown() {
        for ticket in channel.cancel() {
            if let job = ticket.job { close(job.fd) }
            ticket.job = nil
        }
        channel.waitUntilAllFree()
    }

    /// Moves a free ticket's result, if it has one, to `collected`.
    private func take(_ ticket: Ticket) {
        if let done = ticket.done { collected.append(done) }
        ticket.done = nil
        ticket.job = nil
    }

    private func work(bufferSize: Int) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64)
        defer { buffer.deallocate() }
        // receive() never throws here: the pool ends the stream by cancelling it only.
        while let ticket = try? channel.receive() {
            if let job = ticket.job { ticket.done = hash(job, buffer: buffer) }
            ticket.job = nil
            channel.release(ticket)
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
            if channel.isCancelled { return Done(job: job, total: total, cut: true, digests: FileDigests(), error: nil) }
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
