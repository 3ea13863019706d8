import Foundation

/// Reads a bundle's entries and their data on a thread of its own, ahead of the one that
/// consumes them: libarchive's decompression (or the file system's reads) overlaps with the
/// verifier's hashing.
///
/// The data travels in a few reusable buffers ("segments"); several small entries share one, so
/// a bag of tiny files costs one hand-over per segment rather than one per file. When every
/// segment is full and waiting, the reading thread waits: memory stays bounded by
/// `segmentCount × segmentSize`. Errors come to the consumer at the place in the stream where
/// the underlying reader met them.
final class ReadAheadReader: BundleEntryReader {
    private let state: ReadAheadState
    private var segment: ReadAheadState.Segment?
    private var step = 0

    /// Starts reading `source` at once; `source` must not be used by anyone else afterwards.
    init(_ source: BundleEntryReader, segmentCount: Int = 4, segmentSize: Int = 1 << 20) {
        state = ReadAheadState(source: source, segmentCount: segmentCount, segmentSize: segmentSize)
        let state = self.state
        let thread = Thread { state.run() }
        thread.name = "handover bundle reader"
        thread.start()
    }

    deinit {
        if let segment { state.recycle(segment.bytes) }
        state.cancel()
    }

    func nextEntry() throws -> BundleEntry? {
        while true {
            guard let current = try currentStep() else { return nil }
            step += 1
            if case .entry(let entry) = current { return entry }
        }
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let chunk = try nextChunk(limit: buffer.count) else { return 0 }
        buffer.copyMemory(from: chunk)
        return chunk.count
    }

    /// The next bytes of the current entry without a copy, nil at its end; valid until the next
    /// call on this reader.
    func nextChunk(limit: Int = .max) throws -> UnsafeRawBufferPointer? {
        guard let current = try currentStep(), case .data(let start, let count) = current, let segment else { return nil }
        let taken = min(count, limit)
        if taken < count {
            segment.steps[step] = .data(start: start + taken, count: count - taken)
        } else {
            step += 1
        }
        return UnsafeRawBufferPointer(rebasing: segment.bytes[start..<(start + taken)])
    }

    /// The step at the reading position, taking the next segment when this one is used up; nil at
    /// the end of the bundle. A failure of the underlying reader is thrown here.
    private func currentStep() throws -> ReadAheadState.Step? {
        while true {
            if let segment, step < segment.steps.count {
                switch segment.steps[step] {
                case .end: return nil
                case .failure(let error): throw error
                case let current: return current
                }
            }
            if let segment { state.recycle(segment.bytes) }
            segment = state.take()
            step = 0
            if segment == nil { return nil }
        }
    }
}

/// What the reading thread and the consumer share.
final class ReadAheadState: @unchecked Sendable {
    enum Step {
        case entry(BundleEntry)
        case data(start: Int, count: Int)
        case end
        case failure(Error)
    }

    /// A class, so that steps change in place (a struct's array would be copied on write while
    /// a copy of the segment is alive).
    final class Segment {
        let bytes: UnsafeMutableRawBufferPointer
        var used = 0
        var steps: [Step] = []

        init(bytes: UnsafeMutableRawBufferPointer) {
            self.bytes = bytes
        }
    }

    private let source: BundleEntryReader
    private let lock = NSCondition()
    private var all: [UnsafeMutableRawBufferPointer] = []
    private var idle: [UnsafeMutableRawBufferPointer] = []
    private var full: [Segment] = []
    private var cancelled = false
    private var finished = false
    /// A read smaller than this starts a new segment: fewer, larger chunks for the hashers.
    private let minimumRead: Int

    init(source: BundleEntryReader, segmentCount: Int, segmentSize: Int) {
        self.source = source
        minimumRead = min(64 << 10, segmentSize)
        for _ in 0..<max(segmentCount, 2) {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: segmentSize, alignment: 64)
            all.append(bytes)
            idle.append(bytes)
        }
    }

    deinit {
        for bytes in all { bytes.deallocate() }
    }

    // MARK: The reading thread

    func run() {
        guard var segment = takeIdle() else { return finish() }
        // Each segment's steps: entries and the ranges of their data, in order.
        do {
            while let entry = try source.nextEntry() {
                segment.steps.append(.entry(entry))
                while true {
                    if segment.bytes.count - segment.used < minimumRead {
                        submit(segment)
                        guard let next = takeIdle() else { return finish() }
                        segment = next
                    }
                    let region = UnsafeMutableRawBufferPointer(rebasing: segment.bytes[segment.used...])
                    let count = try source.readData(into: region)
                    if count <= 0 { break }
                    segment.steps.append(.data(start: segment.used, count: count))
                    segment.used += count
                }
            }
            segment.steps.append(.end)
        } catch {
            segment.steps.append(.failure(error))
        }
        submit(segment)
        finish()
    }

    private func takeIdle() -> Segment? {
        lock.lock()
        defer { lock.unlock() }
        while idle.isEmpty && !cancelled { lock.wait() }
        if cancelled { return nil }
        return Segment(bytes: idle.removeLast())
    }

    private func submit(_ segment: Segment) {
        lock.lock()
        full.append(segment)
        lock.broadcast()
        lock.unlock()
    }

    private func finish() {
        lock.lock()
        finished = true
        lock.broadcast()
        lock.unlock()
    }

    // MARK: The consumer

    /// The next segment read, waiting for it; nil once the reading thread has stopped.
    func take() -> Segment? {
        lock.lock()
        defer { lock.unlock() }
        while full.isEmpty && !finished { lock.wait() }
        return full.isEmpty ? nil : full.removeFirst()
    }

    func recycle(_ bytes: UnsafeMutableRawBufferPointer) {
        lock.lock()
        idle.append(bytes)
        lock.broadcast()
        lock.unlock()
    }

    /// Stops the reading thread and waits for it, so that the source is no longer in use.
    func cancel() {
        lock.lock()
        cancelled = true
        lock.broadcast()
        while !finished { lock.wait() }
        lock.unlock()
    }
}
