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
    /// What the reading thread found, in order, with the data in the segment's bytes.
    enum Step {
        case entry(BundleEntry)
        case data(start: Int, count: Int)
    }

    private let channel: BoundedChannel<Segment<Step>>
    private var segment: Segment<Step>?
    private var step = 0

    /// Starts reading `source` at once; `source` must not be used by anyone else afterwards.
    init(_ source: BundleEntryReader, segmentCount: Int = 4, segmentSize: Int = 1 << 20) {
        let channel = BoundedChannel(slots: Segment<Step>.make(max(segmentCount, 2), size: segmentSize))
        self.channel = channel
        let producer = ReadAheadProducer(source: source, channel: channel, minimumRead: min(64 << 10, segmentSize))
        let thread = Thread { producer.run() }
        thread.name = "handover bundle reader"
        thread.start()
    }

    deinit {
        if let segment { channel.release(segment) }
        // Stops the reading thread; once it has given back its segment, it no longer uses the source.
        channel.cancel()
        channel.waitUntilAllFree()
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
    /// the end of the bundle. A failure of the underlying reader is thrown here, after every
    /// step read before it, and again at every later call.
    private func currentStep() throws -> Step? {
        while true {
            if let segment, step < segment.steps.count { return segment.steps[step] }
            if let segment {
                channel.release(segment)
                self.segment = nil
            }
            guard let next = try channel.receive() else { return nil }
            segment = next
            step = 0
        }
    }
}

/// The reading thread's side of a `ReadAheadReader`: it alone uses the source, from its start
/// until it has given back its last segment.
private final class ReadAheadProducer: @unchecked Sendable {
    typealias Step = ReadAheadReader.Step
    private let source: BundleEntryReader
    private let channel: BoundedChannel<Segment<Step>>
    /// A read smaller than this starts a new segment: fewer, larger chunks for the hashers.
    private let minimumRead: Int

    init(source: BundleEntryReader, channel: BoundedChannel<Segment<Step>>, minimumRead: Int) {
        self.source = source
        self.channel = channel
        self.minimumRead = minimumRead
    }

    /// Reads entries and their data into segments until the end, a failure or a cancel.
    func run() {
        guard var segment = channel.acquire() else { return }
        segment.reset()
        do {
            while let entry = try source.nextEntry() {
                segment.steps.append(.entry(entry))
                while true {
                    if segment.space < minimumRead {
                        channel.send(segment)
                        guard let next = channel.acquire() else { return }
                        next.reset()
                        segment = next
                    }
                    let region = UnsafeMutableRawBufferPointer(rebasing: segment.bytes[segment.used...])
                    let count = try source.readData(into: region)
                    if count <= 0 { break }
                    segment.steps.append(.data(start: segment.used, count: count))
                    segment.used += count
                }
            }
            channel.send(segment)
            channel.close()
        } catch {
            channel.send(segment)
            channel.fail(error)
        }
    }
}
