import Foundation

/// Hands the payload to the archive writer on a thread of its own, so that reading and
/// inspecting (on the caller's thread) overlap with libarchive's work and compression (on the
/// writer's thread); the archive's own SHA-256 and the writes to the file are on a third
/// (`ArchiveOutput`). The payload is hashed on the thread with less to do: the writer's for a
/// plain tar, the caller's when the writer also compresses.
///
/// The bytes travel in a few reusable buffers ("segments"): the caller reads files straight into
/// the free space of the current segment, and several small files share one segment, so that a
/// tree of tiny files costs one hand-over per segment rather than one per file. When every
/// segment is in use, the caller waits: memory stays bounded by `segmentCount × segmentSize`.
/// The segments go round through a `BoundedChannel`.
final class ArchiveFeed: @unchecked Sendable {
    /// What the writer does with a segment, in order.
    private enum Step {
        case begin(path: [UInt8], size: Int64, modified: Int64)
        case data(start: Int, count: Int)
        case end
    }

    /// Ends the caller's work when the writer has failed; the writer's error is thrown by `finish`.
    struct WriterStopped: Error {}

    private let writer: ArchiveWriter
    private let algorithms: [ChecksumAlgorithm]
    private let hashOnWriter: Bool
    /// The hashers of the current file: the writer thread's, or the caller's.
    private var hashers: [StreamingHasher] = []
    /// For each algorithm, the digests of the files ended so far, as bytes, end to end: no
    /// object per file, half the size of their text (see `digest(_:file:)`).
    private var digests: [[UInt8]]
    private let segmentSize: Int
    private let channel: BoundedChannel<Segment<Step>>
    /// The writer's failure; set before it cancels the channel, read once every segment is free.
    private var writerError: Error?
    /// The segment the caller is filling.
    private var current: Segment<Step>?

    init(writer: ArchiveWriter, algorithms: [ChecksumAlgorithm], hashOnWriter: Bool, files: Int = 0, segmentCount: Int = 4, segmentSize: Int = 1 << 20) {
        self.writer = writer
        self.algorithms = algorithms
        self.hashOnWriter = hashOnWriter
        // Reserved for the files announced: growing by doubling would keep up to twice as much.
        digests = algorithms.map { algorithm in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(max(0, files) * algorithm.hexLength / 2)
            return bytes
        }
        self.segmentSize = segmentSize
        channel = BoundedChannel(slots: Segment.make(max(segmentCount, 2), size: segmentSize))
        let thread = Thread { [self] in drain() }
        thread.name = "handover archive writer"
        thread.start()
    }

    /// Runs `body` with a feed to `writer` and returns once all it fed is in the archive; the
    /// writer is free for other entries again then. The first error, the caller's or the
    /// writer's, is thrown. Returns the feed, for the files' digests.
    static func feeding(_ writer: ArchiveWriter, algorithms: [ChecksumAlgorithm], hashOnWriter: Bool, files: Int = 0,
                        _ body: (ArchiveFeed) throws -> Void) throws -> ArchiveFeed {
        let feed = ArchiveFeed(writer: writer, algorithms: algorithms, hashOnWriter: hashOnWriter, files: files)
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
        let length = algorithm.hexLength / 2
        let start = file * length
        guard start >= 0, start + length <= digests[index].count else { return nil }
        return hex(digests[index][start..<(start + length)])
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
        for (index, hasher) in hashers.enumerated() { digests[index] += hasher.finalize() }
        hashers = []
    }

    /// Lets `body` write up to `limit` bytes into free space of the current segment; it returns
    /// how many it wrote (0 at the end of its input). The bytes written go to the archive.
    /// `body` gets at least `min(limit, minimum)` bytes of space.
    func fill(limit: Int, minimum: Int = 64 << 10, _ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        try segment(wanting: min(limit, minimum, segmentSize))
        guard let segment = current else { throw WriterStopped() }
        let space = min(limit, segment.space)
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
            channel.send(segment)
        }
        channel.close()
        channel.waitUntilAllFree()
        if let writerError { throw writerError }
    }

    /// Stops the writer after a failure of the caller; nothing more is written.
    func abandon() {
        if let segment = current {
            current = nil
            channel.release(segment)
        }
        channel.cancel()
        channel.waitUntilAllFree()
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
            if segment.space >= max(wanting, 1) { return }
            current = nil
            channel.send(segment)
        }
        guard let next = channel.acquire() else { throw WriterStopped() }
        next.reset()
        current = next
    }

    // MARK: The writer's side

    private func drain() {
        // receive() never throws here: the caller ends the stream with close or cancel only.
        while let segment = try? channel.receive() {
            do {
                try write(segment)
                channel.release(segment)
            } catch {
                writerError = error
                // The caller's next wait for a segment ends; what it queued is dropped.
                channel.cancel()
                channel.release(segment)
                return
            }
        }
    }

    private func write(_ segment: Segment<Step>) throws {
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
