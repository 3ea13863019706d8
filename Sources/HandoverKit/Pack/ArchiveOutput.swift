import Crypto
import Foundation

/// The archive's bytes on their way into the bundle file, hashed for the `.sha256` beside it
/// and written on a thread of their own: the thread that runs libarchive only copies them into
/// a free buffer. Writing to the file system and the archive's SHA-256 are about half of a
/// build's work on a plain tar; on the thread that also hashed the payload, they kept one core
/// busy while the other waited (issue 19).
///
/// Memory stays bounded by `segmentCount × segmentSize`: when every buffer is in use, `write`
/// waits. The first failure to write is thrown by the next `write`, or by `finish`.
final class ArchiveOutput: @unchecked Sendable {
    private let file: AtomicFile
    private let channel: BoundedChannel<Segment<Never>>
    /// The buffer being filled, on the writing side.
    private var current: Segment<Never>?
    /// On the output thread only, until `finish` has waited for it.
    private var hash = SHA256()
    /// Set by the output thread before it cancels the channel; read once every buffer is free.
    private var failure: Error?
    private var finished = false

    init(file: AtomicFile, segmentCount: Int = 4, segmentSize: Int = 1 << 20) {
        self.file = file
        channel = BoundedChannel(slots: Segment.make(max(segmentCount, 2), size: segmentSize))
        let thread = Thread { [self] in drain() }
        thread.name = "handover archive output"
        thread.start()
    }

    /// Copies `bytes` into the buffers, handing each full one to the output thread.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            if current == nil || current?.space == 0 {
                if let full = current {
                    current = nil
                    channel.send(full)
                }
                guard let next = channel.acquire() else { throw stopped() }
                next.reset()
                current = next
            }
            guard let segment = current else { continue }
            let count = min(segment.space, bytes.count - offset)
            UnsafeMutableRawBufferPointer(rebasing: segment.bytes[segment.used..<(segment.used + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)]))
            segment.used += count
            offset += count
        }
    }

    /// Sends what is left, waits until all of it is in the file, and returns the archive's
    /// SHA-256 in hex; throws the failure to write, if any.
    func finish() throws -> String {
        if let segment = current {
            current = nil
            channel.send(segment)
        }
        channel.close()
        channel.waitUntilAllFree()
        finished = true
        if let failure { throw failure }
        return hex(hash.finalize())
    }

    /// Stops the output thread after a failure elsewhere and waits until it has let go of the
    /// file (which the caller then removes). Does nothing after `finish`.
    func abandon() {
        guard !finished else { return }
        finished = true
        if let segment = current {
            current = nil
            channel.release(segment)
        }
        channel.cancel()
        channel.waitUntilAllFree()
    }

    private func stopped() -> Error {
        channel.waitUntilAllFree()
        return failure ?? FileError(path: file.destination, reason: "the archive output was stopped")
    }

    private func drain() {
        // receive() never throws here: the stream ends with close or cancel only.
        while let segment = try? channel.receive() {
            let bytes = UnsafeRawBufferPointer(rebasing: segment.bytes[0..<segment.used])
            hash.update(bufferPointer: bytes)
            do {
                try file.write(bytes)
                channel.release(segment)
            } catch {
                failure = error
                // The writing side's next wait for a buffer ends; what it queued is dropped.
                channel.cancel()
                channel.release(segment)
                return
            }
        }
    }
}
