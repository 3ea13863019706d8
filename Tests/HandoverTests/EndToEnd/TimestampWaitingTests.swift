import Foundation
import HandoverKit
import Testing

/// `verify` checks the time-stamp from synchronous code (`TimestampVerifier.verifyWaiting`),
/// which waits for an async verification. That verification must not need a free thread of
/// Swift's cooperative pool: the caller may hold one, and the others may all be busy.
@Suite("Time-stamp verification from synchronous code")
struct TimestampWaitingTests {
    @Test("verifyWaiting finishes while every thread of the cooperative pool is blocked")
    func finishesWithPoolBlocked() throws {
        let pki = try TestPKI("waiting")
        let content = try pki.folder.write("tagmanifest-sha256.txt", "0123abcd  bagit.txt\n")
        let token = try pki.opensslTokenBytes(over: content)
        let verifier = try TimestampVerifier(caFile: pki.caPath)

        // Block the pool: as many tasks as it has threads, each stuck until released.
        let width = ProcessInfo.processInfo.activeProcessorCount
        let release = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        for _ in 0..<width {
            Task.detached {
                started.signal()
                release.wait()
            }
        }
        defer { for _ in 0..<width { release.signal() } }
        // This test holds a pool thread itself, and other tests may hold the rest: the blockers
        // that can start, start; those that cannot are queued ahead of any new pool task.
        var running = 0
        while running < width, started.wait(timeout: .now() + 1) == .success { running += 1 }

        final class Box: @unchecked Sendable { var outcome: TimestampVerification.Outcome? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.outcome = try? Self.verify(verifier, token, content).outcome
            done.signal()
        }
        thread.start()
        #expect(done.wait(timeout: .now() + 20) == .success, "the verification waited for the blocked pool")
        #expect(box.outcome == .verified)
    }

    static func verify(_ verifier: TimestampVerifier, _ token: [UInt8], _ path: String) throws -> TimestampVerification {
        try verifier.verifyWaiting(token, against: .file(path: path))
    }
}
