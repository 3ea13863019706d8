import Foundation
import Testing
@testable import HandoverKit
#if canImport(Glibc)
import Glibc
#endif

/// The one type that turns path bytes into the C string a system call or libarchive takes.
@Suite("BytePath: path bytes, never a NUL, one way to a C string")
struct BytePathTests {
    @Test("bytes that are not UTF-8 reach the system call unchanged")
    func rawBytes() throws {
        let dir = try TempDirectory("byte-path")
        let name: [UInt8] = [0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9, 0x2E, 0x63, 0x73, 0x76] // "résumé.csv" in Latin-1
        let path = try BytePath(dir.path("")).appending(try BytePath(name))
        let fd = path.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        try #require(fd >= 0)
        close(fd)
        let folder = open(dir.path(""), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(folder >= 0)
        defer { close(folder) }
        #expect(try DirectoryWalker.names(in: folder) == [name])
        #expect(path.withCString { strlen($0) } == path.bytes.count)
    }

    @Test("a NUL byte is refused with a typed error that shows where it was")
    func nulRefused() {
        #expect(throws: BytePath.Failure(shown: "data/a\\0b.csv")) { try BytePath(Array("data/a".utf8) + [0] + Array("b.csv".utf8)) }
        #expect(throws: BytePath.Failure.self) { try BytePath("x\u{0}") }
        let failure = BytePath.Failure(shown: "a\\0b")
        #expect(failure.errorDescription == "a\\0b: holds a NUL byte, which no file name can hold")
        #expect(failure.exitStatus == .couldNotRun)
    }

    @Test("a system call on bytes with a NUL is not made: it fails with EINVAL")
    func callRefusesNUL() throws {
        let dir = try TempDirectory("byte-path")
        let folder = open(dir.path(""), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(folder >= 0)
        defer { close(folder) }
        var called = false
        // Cut at the NUL, this name would create "made".
        let result = BytePath.call(Array("made".utf8) + [0] + Array("-elsewhere".utf8)) { name -> Int32 in
            called = true
            return openat(folder, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        #expect(result == -1)
        #expect(errno == EINVAL)
        #expect(!called)
        #expect(!dir.exists("made"))
        let made = BytePath.call(Array("made".utf8)) { openat(folder, $0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600) }
        #expect(made >= 0)
        close(made)
        #expect(dir.exists("made"))
    }

    @Test("joining puts exactly one slash between the parts")
    func joining() throws {
        let data = try BytePath("data")
        #expect(data.appending(try BytePath("a.csv")).bytes == Array("data/a.csv".utf8))
        #expect(try BytePath("data/").appending(try BytePath("a.csv")).bytes == Array("data/a.csv".utf8))
        #expect(try BytePath("").appending(data) == data)
        #expect(data.appending(try BytePath("")) == data)
        #expect(try BytePath([0xFF]).shown == "\u{FFFD}")
    }
}
