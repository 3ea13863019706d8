import Foundation
import Testing
@testable import HandoverKit
#if canImport(Glibc)
import Glibc
#endif

/// A deep SOURCE: the files' absolute paths are longer than PATH_MAX (4096 bytes), so no call
/// can open them by path, while their paths relative to SOURCE are well within what a bag may
/// hold (BagLimits: 4096 bytes below data/). The walk and the build reach them one folder at a
/// time.
@Suite("a SOURCE whose files' absolute paths pass PATH_MAX is checked, built and verified")
struct LongSourcePathTests {
    @Test("missing, build and verify succeed; the bag holds the path as in SOURCE")
    func longAbsolutePath() throws {
        let temp = try TempDirectory("handover-long")
        // SOURCE itself: about 2,100 bytes, short enough to be named on the command line.
        let source = temp.path(Array(repeating: String(repeating: "s", count: 200), count: 10).joined(separator: "/"))
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        // Below it, 12 folders: the file's path relative to SOURCE is about 2,450 bytes.
        let folders = Array(repeating: String(repeating: "d", count: 200), count: 12)
        let relative = folders.joined(separator: "/") + "/accounts.csv"
        #expect((source + "/" + relative).utf8.count > Int(PATH_MAX))
        #expect(relative.utf8.count < BagLimits().pathBytes)

        let root = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        try #require(root >= 0)
        // The tree cannot be removed by path either: TempDirectory's removal would fail on it.
        defer {
            removeTree(folders[0], in: root)
            close(root)
        }
        try writeDeep(folders, file: "accounts.csv", contents: "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\n", below: root)

        let manifestPath = temp.path("handover.yaml")
        try Data(manifestText(deliverables: """
              - id: access-list
                title: Accounts and access rights
                paths: ["**/accounts.csv"]
                csv:
                  required-columns: [account, system, role, mfa, owner]
            """).utf8).write(to: URL(fileURLWithPath: manifestPath))

        // The CSV rule needs the file's content: it was read, through the walk's folders.
        let missing = try handover(["missing", "--manifest", manifestPath, source])
        #expect(missing.status == 0, "\(missing.stdout)\(missing.stderr)")
        let output = temp.path("bundle.tar")
        let build = try handover(["build", "--manifest", manifestPath, source, "--output", output],
                                 environment: ["SOURCE_DATE_EPOCH": String(handoverEpoch)])
        try #require(build.status == 0, "\(build.stdout)\(build.stderr)")
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let listing = try runProcess(try StandardTools.bsdtar(), ["-tf", output])
        #expect(listing.stdout.split(separator: "\n").contains { $0.hasSuffix("/data/" + relative) },
                "the bag holds data/<path as in SOURCE>: \(listing.stdout)")
    }

    /// Creates `folders` one inside the other below `parent`, and the file in the last.
    private func writeDeep(_ folders: [String], file: String, contents: String, below parent: Int32) throws {
        var fd = dup(parent)
        for name in folders {
            try #require(mkdirat(fd, name, 0o755) == 0, "mkdirat: \(errno)")
            let next = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            close(fd)
            try #require(next >= 0, "openat: \(errno)")
            fd = next
        }
        defer { close(fd) }
        let out = openat(fd, file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        try #require(out >= 0, "openat: \(errno)")
        defer { close(out) }
        let bytes = Array(contents.utf8)
        #expect(write(out, bytes, bytes.count) == bytes.count)
    }

    /// Removes the folder `name` below `parent` and all it holds, one folder at a time.
    private func removeTree(_ name: String, in parent: Int32) {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0 {
            for child in (try? DirectoryWalker.names(in: fd)) ?? [] {
                let childName = String(decoding: child, as: UTF8.self)
                if DirectoryWalker.status(of: child, in: fd).map({ $0.st_mode & S_IFMT == S_IFDIR }) == true {
                    removeTree(childName, in: fd)
                } else {
                    unlinkat(fd, childName, 0)
                }
            }
            close(fd)
        }
        unlinkat(parent, name, AT_REMOVEDIR)
    }
}
