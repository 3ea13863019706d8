import Foundation

/// Hands the payload to the archive writer on a thread of its own, so that reading and
/// inspecting (on the caller's thread) overlap with libarchive's work, compression and the
/// archive's own SHA-256 (on the writer's thread). The payload is hashed on the thread with less
/// to do: the writer's for a plain tar, the caller's when the writer also compresses.
///
/// The bytes travel in a few reusable buffers ("segments"): the caller reads files straight into
/// the free space of the current segment, and several small files share one segment, so that a
/// tree of tiny files costs one hand-over per segment rather than one per file. When every
/// segment is in use, the caller waits: memory stays bounded by `segmentCount × segmentSize`.
final class ArchiveFeed: @unchecked Sendable {
    /// What the writer does with a segment, in order.
    private enum Step {
        case begin(path: [UInt8], size: Int64, modified: Int64)
        case data(start: Int, count: Int)
        case end
    }

    /// A class, so that steps are added in place (a struct's array would be copied on write
    /// while a copy of the segment is alive).
    private final class Segment {
        let bytes: UnsafeMutableRawBufferPointer
        var used = 0
        var steps: [Step] = []

        init(bytes: UnsafeMutableRawBufferPointer) {
            self.bytes = bytes
        }
    }

    /// Ends the caller's work when the writer has failed; the writer's error is thrown by `finish`.
    struct WriterStopped: Error {}

    private let writer: ArchiveWriter
    private let algorithms: [ChecksumAlgorithm]
    private let hashOnWriter: Bool
    /// The hashers of the current file: the writer thread's, or the caller's.
    private var hashers: [StreamingHasher] = []
    /// For each algorithm, the hexadecimal digests of the files ended so far, end to end: no
    /// object per file (see `digest(_:file:)`).
    private var digests: [[UInt8]]
    private let segmentSize: Int
    private let lock = NSCondition()
    private var idle: [UnsafeMutableRawBufferPointer] = []
    private var full: [Segment] = []
    private var closed = false
    private var writerDone = false
    private var writerError: Error?
    private var all: [UnsafeMutableRawBufferPointer] = []
    private var current: Segment?

    init(writer: ArchiveWriter, algorithms: [ChecksumAlgorithm], hashOnWriter: Bool, segmentCount: Int = 4, segmentSize: Int = 1 << 20) {
        self.writer = writer
        self.algorithms = algorithms
        self.hashOnWriter = hashOnWriter
        digests = algorithms.map { _ in [] }
        self.segmentSize = segmentSize
        for _ in 0..<segmentCount {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: segmentSize, alignment: 64)
            all.append(bytes)
            idle.append(bytes)
        }
        let thread = Thread { [self] in drain() }
        thread.name = "handover archive writer"
        thread.start()
    }

    deinit {
        for bytes in all { bytes.deallocate() }
    }

    /// Runs `body` with a feed to `writer` and returns once all it fed is in the archive; the
    /// writer is free for other entries again then. The first error, the caller's or the
    /// writer's, is thrown. Returns the feed, for the files' digests.
    static func feeding(_ writer: ArchiveWriter, algorithms: [ChecksumAlgorithm], hashOnWriter: Bool,
                        _ body: (ArchiveFeed) throws -> Void) throws -> ArchiveFeed {
        let feed = ArchiveFeed(writer: writer, algorithms: algorithms, hashOnWriter: hashOnWriter)
        do {
            try body(feed)
        } catch is WriterStopped {
            // The writer failed first: its error is the one to tell.
            try feed.finish()
            throw ArchiveError(path: writer.name, "the archive writer stopped")
        } catch {
            feed.abandon()
            throw error
        }
        try feed.finish()
        return feed
    }

    /// The digest of the `file`-th file fed, once `feeding` has returned; nil for an algorithm
    /// the feed did not compute or a file it was not fed (never an empty text that a manifest
    /// would take for a checksum).
    func digest(_ algorithm: ChecksumAlgorithm, file: Int) -> String? {
        guard let index = algorithms.firstIndex(of: algorithm) else { return nil }
        let length = algorithm.hexLength
        let start = file * length
        guard start >= 0, start + length <= digests[index].count else { return nil }
        return String(decoding: digests[index][start..<(start + length)], as: UTF8.self)
    }

    // MARK: The caller's side

    /// Starts a file entry; its data follows through `fill` or `append`, then `endFile`.
    func beginFile(_ path: [UInt8], size: Int64, modified: Int64) throws {
        try segment(wanting: 0)
        current?.steps.append(.begin(path: path, size: size, modified: modified))
        if !hashOnWriter { hashers = algorithms.map { $0.makeHasher() } }
    }

    /// Ends the file entry: its digests are computed.
    func endFile() throws {
        if hashOnWriter {
            try segment(wanting: 0)
            current?.steps.append(.end)
        } else {
            finishDigests()
        }
    }

    /// Appends the current file's digests (on the thread that hashed it).
    private func finishDigests() {
        for (index, hasher) in hashers.enumerated() { digests[index] += hasher.finalizeHex().utf8 }
        hashers = []
    }

    /// Lets `body` write up to `limit` bytes into free space of the current segment; it returns
    /// how many it wrote (0 at the end of its input). The bytes written go to the archive.
    /// `body` gets at least `min(limit, minimum)` bytes of space.
    func fill(limit: Int, minimum: Int = 64 << 10, _ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        try segment(wanting: min(limit, minimum, segmentSize))
        guard let segment = current else { throw WriterStopped() }
        let space = min(limit, segment.bytes.count - segment.used)
        let region = UnsafeMutableRawBufferPointer(rebasing: segment.bytes[segment.used..<(segment.used + space)])
        let count = try body(region)
        guard count > 0 else { return 0 }
        if !hashOnWriter {
            let chunk = UnsafeRawBufferPointer(rebasing: region[0..<count])
            for index in hashers.indices { hashers[index].update(chunk) }
        }
        record(count)
        return count
    }

    /// Copies bytes (from the age encryptor) into the segments.
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            _ = try fill(limit: bytes.count - offset, minimum: 4096) { region in
                let count = min(region.count, bytes.count - offset)
                region.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
                offset += count
                return count
            }
        }
    }

    /// Sends what is left, waits until the writer has written everything, and rethrows its error.
    func finish() throws {
        if let segment = current {
            current = nil
            submit(segment)
        }
        lock.lock()
        closed = true
        lock.broadcast()
        while !writerDone { lock.wait() }
        let error = writerError
        lock.unlock()
        if let error { throw error }
    }

    /// Stops the writer after a failure of the caller; nothing more is written.
    func abandon() {
        current = nil
        lock.lock()
        closed = true
        full.removeAll()
        lock.broadcast()
        while !writerDone { lock.wait() }
        lock.unlock()
    }

    private func record(_ count: Int) {
        guard let segment = current else { return }
        // Consecutive data of one file in one segment is one step.
        if case .data(let start, let previous)? = segment.steps.last, start + previous == segment.used {
            segment.steps[segment.steps.count - 1] = .data(start: start, count: previous + count)
        } else {
            segment.steps.append(.data(start: segment.used, count: count))
        }
        segment.used += count
    }

    /// Makes sure the current segment has `wanting` bytes of space, sending it when it has not.
    private func segment(wanting: Int) throws {
        if let segment = current {
            if segment.bytes.count - segment.used >= max(wanting, 1) { return }
            current = nil
            submit(segment)
        }
        lock.lock()
        defer { lock.unlock() }
        while idle.isEmpty && writerError == nil { lock.wait() }
        if writerError != nil { throw WriterStopped() }
        current = Segment(bytes: idle.removeLast())
    }

    private func submit(_ segment: Segment) {
        lock.lock()
        full.append(segment)
        lock.broadcast()
        lock.unlock()
    }

    // MARK: The writer's side

    private func drain() {
        var failed = false
        while true {
            lock.lock()
            while full.isEmpty && !closed { lock.wait() }
            if full.isEmpty {
                writerDone = true
                lock.broadcast()
                lock.unlock()
                return
            }
            let segment = full.removeFirst()
            lock.unlock()
            if !failed {
                do {
                    try write(segment)
                } catch {
                    failed = true
                    lock.lock()
                    writerError = error
                    lock.broadcast()
                    lock.unlock()
                }
            }
            lock.lock()
            idle.append(segment.bytes)
            lock.broadcast()
            lock.unlock()
        }
    }

    private func write(_ segment: Segment) throws {
        for step in segment.steps {
            switch step {
            case .begin(let path, let size, let modified):
                if hashOnWriter { hashers = algorithms.map { $0.makeHasher() } }
                try writer.beginFile(path, size: size, modified: modified)
            case .data(let start, let count):
                let chunk = UnsafeRawBufferPointer(rebasing: segment.bytes[start..<(start + count)])
                // What goes into the archive is hashed: the ciphertext of a file encrypted.
                if hashOnWriter { for index in hashers.indices { hashers[index].update(chunk) } }
                try writer.write(chunk)
            case .end:
                finishDigests()
            }
        }
    }
}
