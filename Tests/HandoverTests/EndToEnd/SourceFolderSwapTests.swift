import Foundation
import Testing
@testable import HandoverKit
#if canImport(Glibc)
import Glibc
#endif

/// Someone who can write in SOURCE swaps a folder for a symbolic link to a folder outside it,
/// after the walk and before the build reads the folder's files. The link's folder holds a
/// decoy of the same size and modification time as the real file, so that the size and date
/// checks alone would let it through.
@Suite("a folder of SOURCE swapped for a link mid-build is refused, nothing from outside is packed")
struct SourceFolderSwapTests {
    /// The real file and its decoy: the same length, so that only the bytes differ.
    static let real = "the real plan of the site\n"
    static let decoy = "DECOY from outside SOURCE\n"

    @Test("the folder, or a folder above it, becomes a link after the walk: exit 1, the file named, no bundle",
          arguments: ["docs", "sites/paris"])
    func swappedFolder(_ folder: String) throws {
        #expect(Self.real.utf8.count == Self.decoy.utf8.count)
        let file = folder + "/plan.txt"
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["a-first.txt", "\(file)"]
                min-files: 2
            """), files: ["a-first.txt": "packed before the swap\n", file: Self.real])
        // The decoy outside SOURCE, dated like the real file to the nanosecond.
        let outside = fixture.temp.path("outside")
        let decoyPath = try fixture.temp.write("outside/plan.txt", Self.decoy)
        var info = stat()
        #expect(stat(fixture.path(file), &info) == 0)
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, decoyPath, &times, 0) == 0)

        let out = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var options = BuildOptions(output: out + "/bundle.tar")
        options.sourceDateEpoch = handoverEpoch
        var swapped = false
        // Called once a file is packed: the first one is, the folder's file is not read yet.
        options.packedFile = { path, _ in
            guard path == "a-first.txt", !swapped else { return }
            swapped = true
            let real = fixture.path(folder)
            guard rename(real, fixture.temp.path("moved-away")) == 0, symlink(outside, real) == 0 else { return }
        }
        let error = try #require(throws: BuildError.self) {
            try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source, options: options)
        }
        #expect(swapped, "the swap did not happen: the test proves nothing")
        #expect(error.exitStatus == .checkFailed)
        let message = error.errorDescription ?? ""
        #expect(message.contains(file), "the message names the file: \(message)")
        #expect(message.contains("replaced by a symbolic link"), "\(message)")
        #expect(message.contains(folder + ","), "the message names the folder that became a link: \(message)")
        #expect(folderListing(out).isEmpty, "nothing is written: \(folderListing(out))")
    }

    @Test("`missing` meets the same link the same way, and reads nothing through it")
    func missingRefusesTheLink() throws {
        let fixture = try SourceFixture(manifest: "", files: ["docs/plan.csv": "account\nalice\n"])
        let tree = try SourceTree.walk(fixture.source)
        try FileManager.default.createDirectory(atPath: fixture.temp.path("outside"), withIntermediateDirectories: true)
        _ = try fixture.temp.write("outside/plan.csv", "account\nmallory\n")
        #expect(rename(fixture.path("docs"), fixture.temp.path("moved-away")) == 0)
        #expect(symlink(fixture.temp.path("outside"), fixture.path("docs")) == 0)
        let opener = try SourceOpener(tree: tree)
        let file = try #require(tree.files.first)
        let error = try #require(throws: SourceOpener.Failure.self) { _ = try opener.open(file, unchanged: false) }
        guard case .changed(let what) = error else {
            Issue.record("not told as a change of SOURCE: \(error)")
            return
        }
        #expect(what == "is in docs, a folder that was replaced by a symbolic link")
    }

    @Test("SOURCE itself replaced by another folder after the walk is told, not read")
    func sourceReplaced() throws {
        let fixture = try SourceFixture(manifest: "", files: ["docs/plan.txt": Self.real])
        let tree = try SourceTree.walk(fixture.source)
        #expect(rename(fixture.source, fixture.temp.path("moved-away")) == 0)
        _ = try fixture.write("docs/plan.txt", Self.decoy)
        let error = try #require(throws: SourceOpener.Failure.self) { _ = try SourceOpener(tree: tree) }
        guard case .changed(let what) = error else {
            Issue.record("not told as a change of SOURCE: \(error)")
            return
        }
        #expect(what == "was replaced by another folder")
    }
}
