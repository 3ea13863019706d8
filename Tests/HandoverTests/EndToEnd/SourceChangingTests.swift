import Foundation
import HandoverKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// How a file of SOURCE changes while `handover build` is packing.
enum SourceChange: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// The large file, being read, gets a new modification time.
    case touchedWhileRead
    /// The large file, being read, gets bytes appended.
    case grownWhileRead
    /// The large file, being read, is cut short.
    case truncatedWhileRead
    /// The large file, being read, is deleted.
    case deletedWhileRead
    /// The large file, being read, is replaced by another file (an editor's save).
    case replacedWhileRead
    /// A file packed after the large one is deleted before its turn.
    case laterFileDeleted
    /// A file packed after the large one is replaced by a symbolic link before its turn.
    case laterFileBecomesSymlink

    var testDescription: String { rawValue }

    /// The file the build must name.
    var file: String { self == .laterFileDeleted || self == .laterFileBecomesSymlink ? "db/z-late.csv" : "db/a-export.bin" }

    /// What the message says happened to it.
    var explanation: [String] {
        switch self {
        case .touchedWhileRead: ["was modified"]
        case .grownWhileRead: ["grew", "changed size"]
        case .truncatedWhileRead: ["shrank", "changed size"]
        case .deletedWhileRead, .laterFileDeleted: ["disappeared"]
        // Replaced before it was opened, the new file is seen with another size or date.
        case .replacedWhileRead: ["disappeared", "changed size", "was modified"]
        case .laterFileBecomesSymlink: ["was replaced by a symbolic link"]
        }
    }

    func apply(_ fixture: SourceFixture) throws {
        let big = fixture.path("db/a-export.bin"), late = fixture.path("db/z-late.csv")
        switch self {
        case .touchedWhileRead:
            var times = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
            guard utimensat(AT_FDCWD, big, &times, 0) == 0 else { throw FixtureError("utimensat: \(errno)") }
        case .grownWhileRead:
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("more".utf8))
            try handle.close()
        case .truncatedWhileRead:
            guard truncate(big, 1 << 20) == 0 else { throw FixtureError("truncate: \(errno)") }
        case .deletedWhileRead:
            try FileManager.default.removeItem(atPath: big)
        case .replacedWhileRead:
            try Data("new".utf8).write(to: URL(fileURLWithPath: big + ".new"))
            guard rename(big + ".new", big) == 0 else { throw FixtureError("rename: \(errno)") }
        case .laterFileDeleted:
            try FileManager.default.removeItem(atPath: late)
        case .laterFileBecomesSymlink:
            try FileManager.default.removeItem(atPath: late)
            try FileManager.default.createSymbolicLink(atPath: late, withDestinationPath: "/etc/passwd")
        }
    }
}

@Suite("a SOURCE that changes while the bundle is written fails the build")
struct SourceChangingTests {
    /// SOURCE holds a large file packed first, then a small one. The change is made as soon as
    /// the bundle's temporary file exists: the build is then walking done and packing, and
    /// reading the large file takes far longer than the test takes to react.
    @Test("a file changed, deleted or replaced mid-build: exit 1, the file named, nothing written",
          arguments: SourceChange.allCases)
    func changedMidBuild(_ change: SourceChange) throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: database-export
                title: Database export
                paths: ["db/*"]
            """), files: ["db/z-late.csv": "id,name\n1,a\n"])
        try makeSparseFile(fixture.path("db/a-export.bin"), size: 512 << 20)
        let output = fixture.temp.path("out/acme.tar.zst")
        try FileManager.default.createDirectory(atPath: fixture.temp.path("out"), withIntermediateDirectories: true)
        let build = try fixture.backgroundBuild(output: output)
        try build.waitUntil("the temporary file appeared") { !temporaryFiles(besides: output).isEmpty }
        try change.apply(fixture)
        build.wait()
        #expect(build.exitStatus == 1, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains(change.file), "\(build.stderr)")
        #expect(change.explanation.contains { build.stderr.contains($0) }, "\(build.stderr)")
        #expect(build.stderr.contains("nothing was written"), "\(build.stderr)")
        #expect(folderListing(fixture.temp.path("out")).isEmpty, "\(folderListing(fixture.temp.path("out")))")
    }
}
