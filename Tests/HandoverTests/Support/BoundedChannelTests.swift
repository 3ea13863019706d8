import Foundation
@testable import HandoverKit
import Testing

/// The one channel between the threads of build, verify and extract: what goes in comes out in
/// order, a full channel holds the producer back, the end (closed, failed, cancelled) arrives at
/// its place, and nobody is left waiting.
@Suite("the bounded channel between threads")
struct BoundedChannelTests {
    /// A slot that carries one number.
    final class Box {
        var value = 0
    }

    struct Broken: Error, Equatable {}

    /// Runs `body` on a thread of its own; the semaphore is signalled when it returns.
    private func spawn(_ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
        return done
    }

    private func channel(_ slots: Int) -> BoundedChannel<Box> {
        BoundedChannel(slots: (0..<slots).map { _ in Box() })
    }

    @Test("a consumer on another thread receives every value in the order sent, then the end")
    func ordering() throws {
        let channel = channel(3)
        let count = 10_000
        let done = spawn {
            for value in 0..<count {
                guard let box = channel.acquire() else { return }
                box.value = value
                channel.send(box)
            }
            channel.close()
        }
        var received: [Int] = []
        while let box = try channel.receive() {
            received.append(box.value)
            channel.release(box)
        }
        #expect(received == Array(0..<count))
        #expect(try channel.receive() == nil, "the end stays the end")
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test("a producer with every slot out waits until the consumer gives one back")
    func backPressure() throws {
        let channel = channel(2)
        for value in 1...2 {
            let box = try #require(channel.acquire())
            box.value = value
            channel.send(box)
        }
        #expect(channel.tryAcquire() == nil)
        let acquired = Locked<Int?>(nil)
        let done = spawn {
            let box = channel.acquire()
            acquired.set(box?.value)
        }
        // Still waiting after a while: nothing was given back.
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(acquired.get() == nil)
        let first = try #require(try channel.receive())
        #expect(first.value == 1)
        channel.release(first)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(acquired.get() == 1, "the slot given back is the one handed out again")
    }

    @Test("a failure reaches the consumer after what was sent before it, and every time it asks")
    func failureInPlace() throws {
        let channel = channel(4)
        for value in [7, 8] {
            let box = try #require(channel.acquire())
            box.value = value
            channel.send(box)
        }
        channel.fail(Broken())
        let late = try #require(channel.acquire())
        channel.send(late)
        #expect(try channel.receive()?.value == 7)
        #expect(try channel.receive()?.value == 8)
        #expect(throws: Broken.self) { try channel.receive() }
        #expect(throws: Broken.self) { try channel.receive() }
        channel.close()
        #expect(throws: Broken.self, "a close after a failure does not hide it") { try channel.receive() }
    }

    @Test("a consumer waiting on an empty channel is woken by the close")
    func closeWakesConsumer() throws {
        let channel = channel(2)
        let ended = Locked(false)
        let done = spawn {
            let box = try? channel.receive()
            ended.set(box == nil)
        }
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
        channel.close()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(ended.get())
    }

    @Test("the consumer's cancel unblocks a waiting producer and hands back what was queued")
    func consumerCancel() throws {
        let channel = channel(2)
        for value in 1...2 {
            let box = try #require(channel.acquire())
            box.value = value
            channel.send(box)
        }
        let got = Locked<Bool?>(nil)
        let done = spawn { got.set(channel.acquire() != nil) }
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
        let dropped = channel.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(got.get() == false, "a cancelled channel hands out no slot")
        #expect(dropped.map(\.value) == [1, 2])
        #expect(try channel.receive() == nil)
        #expect(channel.isCancelled)
        channel.waitUntilAllFree()
    }

    @Test("the producer's cancel wakes a waiting consumer, and what it sends afterwards is dropped")
    func producerCancel() throws {
        let channel = channel(2)
        let ended = Locked(false)
        let done = spawn { ended.set((try? channel.receive()) == nil) }
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
        let box = try #require(channel.acquire())
        channel.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(ended.get())
        channel.send(box)
        #expect(try channel.receive() == nil)
        channel.waitUntilAllFree()
    }

    @Test("waiting until every slot is free lasts until the consumer has given back the last one")
    func waitUntilAllFree() throws {
        let channel = channel(3)
        let box = try #require(channel.acquire())
        channel.send(box)
        channel.close()
        let released = Locked(false)
        let done = spawn {
            channel.waitUntilAllFree()
            released.set(true)
        }
        let taken = try #require(try channel.receive())
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)
        #expect(!released.get())
        channel.release(taken)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(released.get())
    }

    @Test("many values through few slots to several consumers: each arrives once, no slot is made anew")
    func stress() throws {
        let channel = channel(4)
        let count = 200_000
        let consumers = 3
        let sums = Locked<[Int]>([])
        let seen = Locked<Set<ObjectIdentifier>>([])
        var finished: [DispatchSemaphore] = []
        for _ in 0..<consumers {
            finished.append(spawn {
                var sum = 0
                var received = 0
                var boxes = Set<ObjectIdentifier>()
                while let box = try? channel.receive() {
                    sum += box.value
                    received += 1
                    boxes.insert(ObjectIdentifier(box))
                    channel.release(box)
                }
                sums.update { $0.append(sum) }
                seen.update { $0.formUnion(boxes) }
            })
        }
        for value in 1...count {
            let box = try #require(channel.acquire())
            box.value = value
            channel.send(box)
        }
        channel.close()
        for done in finished { #expect(done.wait(timeout: .now() + 60) == .success) }
        channel.waitUntilAllFree()
        #expect(sums.get().count == consumers)
        #expect(sums.get().reduce(0, +) == count * (count + 1) / 2)
        #expect(seen.get().count <= 4)
    }

    @Test("a reader dropped half way stops its reading thread; the source is free again")
    func readAheadDropped() throws {
        let source = EndlessReader()
        var reader: ReadAheadReader? = ReadAheadReader(source, segmentCount: 2, segmentSize: 4096)
        #expect(try reader?.nextEntry()?.path == Array("entry-0".utf8))
        // The reading thread is ahead, and waits for a segment; dropping the reader must end it.
        reader = nil
        let entries = source.entries.get()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(source.entries.get() == entries, "the source is read no more once the reader is gone")
    }

    /// A value shared between a test and the threads it starts.
    final class Locked<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value

        init(_ value: Value) { self.value = value }

        func get() -> Value { lock.withLock { value } }
        func set(_ new: Value) { lock.withLock { value = new } }
        func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
    }

    /// A bundle of entries without end, each with 1 KiB of data: only a cancel stops reading it.
    final class EndlessReader: BundleEntryReader, @unchecked Sendable {
        let entries = Locked(0)
        private var left = 0

        func nextEntry() throws -> BundleEntry? {
            let index = entries.get()
            entries.set(index + 1)
            left = 1024
            return BundleEntry(path: Array("entry-\(index)".utf8), kind: .file, size: 1024, modified: nil)
        }

        func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = min(left, buffer.count)
            for index in 0..<count { buffer[index] = 0x61 }
            left -= count
            return count
        }
    }
}
