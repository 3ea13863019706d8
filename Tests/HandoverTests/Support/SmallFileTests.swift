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

    @Test("a FIFO without a writer is refused at once, not waited on")
    func fifo() throws {
        let dir = try TempDirectory("small-file")
        let path = dir.path("pipe")
        try #require(mkfifo(path, 0o600) == 0)
        let outcome = try finishes(within: 10) { Result { try SmallFile.read(path, limit: 1024) } }
        #expect(throws: SmallFile.Failure.notAFile(kind: "a FIFO (named pipe)")) { try outcome.get() }
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

    @Test("the readers of age keys, SSH keys and CA files all go through it")
    func readersUseIt() throws {
        let dir = try TempDirectory("small-file")
        let path = dir.path("pipe")
        try #require(mkfifo(path, 0o600) == 0)
        let errors = try finishes(within: 10) {
            [caught { try AgeIdentity.parseFile(path) }, caught { try AgeRecipients.parseFile(path) },
             caught { try AllowedSigners(contentsOf: path) }, caught { try SSHPrivateKey(contentsOf: path) },
             caught { try TimestampVerifier(caFile: path) }, caught { try ManifestParser.load(path: path) }]
        }
        #expect(errors[0] is FileError && errors[1] is FileError, "\(errors)")
        #expect(errors[2] is SSHSigError && errors[3] is SSHSigError, "\(errors)")
        #expect(errors[4] is TimestampError, "\(errors)")
        #expect(errors[5] is ManifestError, "\(errors)")
        for error in errors { #expect("\(error.map { "\($0)" } ?? "")".contains("FIFO"), "\(String(describing: error))") }
    }

    @Test("an archive's .sha256 beside it: a FIFO or a file larger than one line does not match")
    func sidecar() throws {
        let dir = try TempDirectory("small-file")
        let digest = String(repeating: "ab", count: 32)
        let good = try dir.write("good.sha256", "\(digest)  bundle.tar\n")
        #expect(ArchiveChecksum.compare(digest, good) == (.match, digest))
        let pipe = dir.path("pipe.sha256")
        try #require(mkfifo(pipe, 0o600) == 0)
        let fromPipe = try finishes(within: 10) { ArchiveChecksum.compare(digest, pipe) }
        #expect(fromPipe == (.mismatch, nil))
        let big = try dir.write("big.sha256", "\(digest)  bundle.tar\n" + String(repeating: "#", count: ArchiveChecksum.sidecarLimit))
        #expect(ArchiveChecksum.compare(digest, big) == (.mismatch, nil))
        #expect(ArchiveChecksum.compare(digest, dir.path("absent.sha256")) == (.absent, nil))
    }
}
