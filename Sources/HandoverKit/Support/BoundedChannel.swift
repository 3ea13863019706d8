import Foundation

/// The one way threads of a pipeline hand work to each other: a fixed set of reusable slots
/// (buffers, jobs) that go round from a producer to a consumer and back.
///
/// The producer `acquire`s a free slot, fills it and `send`s it; the consumer `receive`s the
/// slots in the order sent, uses them and `release`s them. Memory stays bounded by the number of
/// slots: with every slot queued or in someone's hands, `acquire` waits (back-pressure); with
/// nothing queued, `receive` waits. Waiting is on a condition, never a busy loop.
///
/// The stream ends in one of three ways, each at its place: `close` (the consumer receives what
/// was sent, then nil), `fail` (what was sent, then the error, every time it asks), or `cancel`
/// from either side (what was queued is dropped and handed back for clean-up; a waiting
/// `acquire` or `receive` returns nil). `waitUntilAllFree` lets one side know that the other
/// holds nothing any more, for example that a reading thread no longer uses its source.
///
/// It is synchronous on purpose: the stages are plain threads calling blocking C libraries
/// (libarchive, read(2)), which `AsyncChannel` or NIO's async sequences would make hop through
/// the cooperative pool for every buffer. Several consumers (a pool of workers) may share it.
final class BoundedChannel<Slot: AnyObject>: @unchecked Sendable {
    private let lock = NSCondition()
    private let capacity: Int
    private var free: [Slot]
    /// Sent and not yet received, in order from `head`.
    private var queued: [Slot] = []
    private var head = 0
    private var closed = false
    private var failure: Error?
    private var cancelled = false

    /// A channel of `slots`, all free.
    init(slots: [Slot]) {
        precondition(!slots.isEmpty, "a channel needs at least one slot")
        capacity = slots.count
        free = slots
    }

    // MARK: The producer

    /// A free slot to fill, waiting while there is none; nil once the channel is cancelled.
    func acquire() -> Slot? {
        lock.lock()
        defer { lock.unlock() }
        while free.isEmpty && !cancelled { lock.wait() }
        return cancelled ? nil : free.removeLast()
    }

    /// A free slot if there is one at once; nil otherwise or once cancelled.
    func tryAcquire() -> Slot? {
        lock.lock()
        defer { lock.unlock() }
        return cancelled || free.isEmpty ? nil : free.removeLast()
    }

    /// Queues a filled slot for the consumer. After `cancel`, or after the end was said, the
    /// slot is freed instead: nobody will receive it.
    func send(_ slot: Slot) {
        lock.lock()
        if cancelled || closed || failure != nil {
            free.append(slot)
        } else {
            queued.append(slot)
        }
        lock.broadcast()
        lock.unlock()
    }

    /// Ends the stream: the consumer receives what was sent, then nil.
    func close() {
        lock.lock()
        closed = true
        lock.broadcast()
        lock.unlock()
    }

    /// Ends the stream with `error`: the consumer receives what was sent, then the error.
    func fail(_ error: Error) {
        lock.lock()
        if !closed && failure == nil { failure = error }
        lock.broadcast()
        lock.unlock()
    }

    // MARK: The consumer

    /// The next slot sent, waiting while none is queued; nil at the end of the stream (closed or
    /// cancelled); throws the producer's failure once what came before it is received.
    func receive() throws -> Slot? {
        lock.lock()
        defer { lock.unlock() }
        while head == queued.count && !closed && failure == nil && !cancelled { lock.wait() }
        if head < queued.count {
            let slot = queued[head]
            head += 1
            if head == queued.count {
                queued.removeAll(keepingCapacity: true)
                head = 0
            }
            return slot
        }
        if let failure, !cancelled { throw failure }
        return nil
    }

    /// Gives a slot back: it is free for the producer again. Either side may release a slot it
    /// holds (a producer that stops before sending one).
    func release(_ slot: Slot) {
        lock.lock()
        free.append(slot)
        lock.broadcast()
        lock.unlock()
    }

    // MARK: Either side

    /// Stops the stream: a waiting `acquire` or `receive` returns nil, and so do later ones.
    /// Returns the slots that were queued and will not be received, now free, so that the
    /// caller can clean up what they carry (a descriptor to close).
    @discardableResult
    func cancel() -> [Slot] {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        let dropped = Array(queued[head...])
        free += dropped
        queued.removeAll()
        head = 0
        lock.broadcast()
        return dropped
    }

    /// Whether `cancel` was called: a long task on a slot may stop early.
    var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Waits until every slot is free: nothing queued, nothing in anyone's hands. After `close`
    /// or `cancel`, the other side has then finished with everything it was given.
    func waitUntilAllFree() {
        lock.lock()
        while free.count < capacity { lock.wait() }
        lock.unlock()
    }
}

/// A reusable buffer that carries a producer's steps to a consumer through a `BoundedChannel`:
/// bytes written into its free space and, in order, what to do with them (begin an entry, a
/// range of data, end). Several small files share one segment, so that a tree of tiny files
/// costs one hand-over per segment rather than one per file.
///
/// A class, so that steps are added and consumed in place.
final class Segment<Step> {
    let bytes: UnsafeMutableRawBufferPointer
    /// Bytes written so far, from the start.
    var used = 0
    var steps: [Step] = []

    init(size: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
    }

    deinit { bytes.deallocate() }

    /// Space not yet written.
    var space: Int { bytes.count - used }

    /// Empties the segment for its next round.
    func reset() {
        used = 0
        steps.removeAll(keepingCapacity: true)
    }

    /// `count` segments of `size` bytes each.
    static func make(_ count: Int, size: Int) -> [Segment] {
        (0..<count).map { _ in Segment(size: size) }
    }
}
