import Foundation
@testable import HandoverKit
import Testing

/// Exit 1 or 2 for an archive that cannot be opened is decided by libarchive's error number
/// (ARCHIVE_ERRNO_FILE_FORMAT, or the system's), not by the English words of its message.
@Suite("opening an archive: the exit status follows archive_errno")
struct ArchiveOpenFailureTests {
    func openError(_ path: String) throws -> ArchiveError {
        do {
            _ = try ArchiveReader(path: path)
        } catch let error as ArchiveError {
            return error
        }
        throw FixtureError("\(path) opened")
    }

    @Test("plain text is not a bundle (exit 2), by ARCHIVE_ERRNO_FILE_FORMAT")
    func notAnArchive() throws {
        let temp = try TempDirectory()
        let error = try openError(try temp.write("notes.txt", "hello, this is not an archive at all\n"))
        #expect(error.exitStatus == .couldNotRun)
        #expect(error.message.hasPrefix("not a bundle: not a tar or zip archive"), "\(error.message)")
        #expect(ArchiveError.fileFormatErrno == EILSEQ)
    }

    @Test("a folder given as an archive cannot be opened (exit 2), by the system's errno")
    func folder() throws {
        let temp = try TempDirectory()
        let error = try openError(temp.path)
        #expect(error.exitStatus == .couldNotRun)
        #expect(error.message.hasPrefix("cannot open:"), "\(error.message)")
    }

    @Test("a gzip stream cut short is a damaged bundle (exit 1), by ARCHIVE_ERRNO_MISC")
    func truncatedGzip() throws {
        let temp = try TempDirectory()
        let tar = temp.path("bag.tar")
        var writerBytes: [UInt8] = []
        let writer = try ArchiveWriter(format: .tarGzip, name: tar) { writerBytes += $0 }
        try writer.addFile(Array("bag/bagit.txt".utf8), contents: Array(repeating: 0x41, count: 20_000), modified: handoverEpoch)
        try writer.finish()
        try temp.write("cut.tar.gz", Data(writerBytes.prefix(30)))
        let error = try openError(temp.path("cut.tar.gz"))
        #expect(error.exitStatus == .checkFailed)
        #expect(error.message.hasPrefix("the archive is damaged or truncated"), "\(error.message)")
    }
}
