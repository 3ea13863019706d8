import Foundation
import Testing
@testable import HandoverKit
#if canImport(Glibc)
import Glibc
#endif

/// The one small-file reader behind every key, signer list, identity, CA and manifest file.
@Suite("SmallFile: regular files only, within the caller's limit")
struct SmallFileTests {
    @Test("a regular file is read whole")
    func regular() throws {
        let dir = try TempDirectory("small-file")
        let path = try dir.write("key.txt", "age1example\n")
        #expect(try SmallFile.read(path, limit: 1024) == Array("age1example\n".utf8))
        #expect(try SmallFile.read(try dir.write("empty", ""), limit: 0) == [])
    }

    @Test("a FIFO without a writer is refused at once, not waited on", .timeLimit(.minutes(1)))
    func fifo() throws {
        let dir = try TempDirectory("small-file")
        let path = dir.path("pipe")
        try #require(mkfifo(path, 0o600) == 0)
        #expect(throws: SmallFile.Failure.notAFile(kind: "a FIFO (named pipe)")) { try SmallFile.read(path, limit: 1024) }
    }

    @Test("a device, a folder and a missing file are each named")
    func others() throws {
        let dir = try TempDirectory("small-file")
        #expect(throws: SmallFile.Failure.notAFile(kind: "a character device")) { try SmallFile.read("/dev/zero", limit: 1024) }
        #expect(throws: SmallFile.Failure.notAFile(kind: "a folder")) { try SmallFile.read(dir.path(""), limit: 1024) }
        #expect(throws: SmallFile.Failure.unreadable("no such file")) { try SmallFile.read(dir.path("nope"), limit: 1024) }
    }

    @Test("one byte over the limit is refused; exactly the limit is read")
    func limit() throws {
        let dir = try TempDirectory("small-file")
        let path = try dir.write("big", String(repeating: "x", count: 1025))
        #expect(throws: SmallFile.Failure.tooLarge(limit: 1024)) { try SmallFile.read(path, limit: 1024) }
        #expect(try SmallFile.read(path, limit: 1025).count == 1025)
    }

    @Test("the readers of age keys, SSH keys and CA files all go through it", .timeLimit(.minutes(1)))
    func readersUseIt() throws {
        let dir = try TempDirectory("small-file")
        let path = dir.path("pipe")
        try #require(mkfifo(path, 0o600) == 0)
        #expect(throws: FileError.self) { try AgeIdentity.parseFile(path) }
        #expect(throws: FileError.self) { try AgeRecipients.parseFile(path) }
        #expect(throws: SSHSigError.self) { try AllowedSigners(contentsOf: path) }
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(contentsOf: path) }
        #expect(throws: TimestampError.self) { try TimestampVerifier(caFile: path) }
        #expect(throws: ManifestError.self) { try ManifestParser.load(path: path) }
    }

    @Test("an archive's .sha256 beside it: a FIFO or a file larger than one line does not match", .timeLimit(.minutes(1)))
    func sidecar() throws {
        let dir = try TempDirectory("small-file")
        let digest = String(repeating: "ab", count: 32)
        let good = try dir.write("good.sha256", "\(digest)  bundle.tar\n")
        #expect(ArchiveChecksum.compare(digest, good) == (.match, digest))
        let pipe = dir.path("pipe.sha256")
        try #require(mkfifo(pipe, 0o600) == 0)
        #expect(ArchiveChecksum.compare(digest, pipe) == (.mismatch, nil))
        let big = try dir.write("big.sha256", "\(digest)  bundle.tar\n" + String(repeating: "#", count: ArchiveChecksum.sidecarLimit))
        #expect(ArchiveChecksum.compare(digest, big) == (.mismatch, nil))
        #expect(ArchiveChecksum.compare(digest, dir.path("absent.sha256")) == (.absent, nil))
    }
}
