import Crypto
import Foundation
@testable import HandoverKit
import Testing

/// The archive written on a thread of its own: every byte reaches the file in order, the
/// `.sha256` is of those bytes, and a write that fails stops the build with the system's reason.
@Suite("Archive output thread: the bytes, their digest, and a failing disk")
struct ArchiveOutputTests {
    @Test("writes of every size, across buffer boundaries, reach the file in order; the digest is the file's")
    func bytesInOrder() throws {
        let folder = try TempDirectory("archive-output")
        let file = try AtomicFile(destination: folder.path + "/out.bin", overwrite: false)
        defer { file.abort() }
        // Small buffers so that writes straddle them, and more bytes than all of them hold.
        let output = ArchiveOutput(file: file, segmentCount: 2, segmentSize: 4096)
        var expected: [UInt8] = []
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 4095, 4096, 4097, 10_000, 3, 65_536] + (0..<200).map({ _ in Int.random(in: 0...9000, using: &generator) }) {
            let chunk = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try chunk.withUnsafeBytes { try output.write($0) }
            expected += chunk
        }
        let digest = try output.finish()
        #expect(digest == SHA256.hash(data: expected).map { String(format: "%02x", $0) }.joined())
        let written = try #require(FileManager.default.contents(atPath: file.temporaryPath))
        #expect(Array(written) == expected)
    }

    @Test("a write the system refuses (a full disk) is thrown with its reason, and nothing hangs")
    func fullDisk() throws {
        let folder = try TempDirectory("archive-output-full")
        let file = try AtomicFile(destination: folder.path + "/out.bin", overwrite: false)
        defer { file.abort() }
        // Every write to /dev/full fails with ENOSPC.
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0, "/dev/full is needed")
        #expect(dup2(full, file.fd) == file.fd)
        close(full)
        let output = ArchiveOutput(file: file, segmentCount: 2, segmentSize: 4096)
        let chunk = [UInt8](repeating: 7, count: 3000)
        var thrown: Error?
        do {
            for _ in 0..<1000 { try chunk.withUnsafeBytes { try output.write($0) } }
            _ = try output.finish()
        } catch {
            thrown = error
        }
        let error = try #require(thrown as? FileError, "the failure to write was not thrown")
        #expect(error.reason.contains("No space left on device"))
        output.abandon()
    }
}
