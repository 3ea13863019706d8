import Foundation
import HandoverKit
import Testing

/// The provider builds a bundle in the format the client asked for; the client verifies it.
@Suite("handover build writes every archive format, and verify reads it by content")
struct BuildFormatTests {
    @Test("each format builds, then verifies with exit 0", arguments: bundleExtensions)
    func buildsAndVerifies(_ ext: String) throws {
        let fixture = try bundleSource()
        let output = fixture.temp.path("acme.\(ext)")
        let build = try fixture.build(to: output)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.isEmpty, "\(build.stderr)")
        #expect(build.stdout.contains("Wrote \(output)\n"))
        #expect(build.stdout.contains("bag \(handoverBagName), 4 files"))
        #expect(FileManager.default.fileExists(atPath: output + ".sha256"))

        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "no warning for a bundle handover wrote: \(verify.stderr)")
        #expect(verify.stdout.contains("Integrity: intact and complete, 4 payload files"))
        #expect(verify.stdout.contains("Completeness: ok, all 3 required deliverables delivered"))
        #expect(verify.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact and complete, but it is not signed"))
    }

    /// What each extension must produce, told by the archive's first bytes.
    static let magic: [(String, [UInt8])] = [
        ("tar.gz", [0x1F, 0x8B]), ("tgz", [0x1F, 0x8B]),
        ("tar.zst", [0x28, 0xB5, 0x2F, 0xFD]), ("tar.xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]),
        ("zip", [0x50, 0x4B, 0x03, 0x04]),
    ]

    @Test("the extension chooses the format: the bytes start with its signature")
    func extensionChoosesFormat() throws {
        let fixture = try bundleSource()
        for (ext, signature) in Self.magic {
            let output = try fixture.buildBundle("acme.\(ext)")
            let head = Array(try Data(contentsOf: URL(fileURLWithPath: output)).prefix(signature.count))
            #expect(head == signature, "\(ext)")
        }
        // A plain tar has "ustar" at offset 257 of its first header.
        let tar = try Data(contentsOf: URL(fileURLWithPath: try fixture.buildBundle("acme.tar")))
        #expect(Array(tar[257..<262]) == Array("ustar".utf8))
    }

    @Test("the format is read by content: a .tar.zst renamed .zip (and a name without extension) still verifies")
    func detectedByContent() throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.tar.zst")
        for misleading in ["acme.zip", "acme"] {
            let renamed = fixture.temp.path(misleading)
            try FileManager.default.copyItem(atPath: output, toPath: renamed)
            let verify = try handover(["verify", renamed])
            #expect(verify.status == 0, "\(misleading): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact"))
        }
    }

    @Test("a folder as --output gets <client>-handover-<UTC>.tar.zst and its .sha256")
    func folderOutput() throws {
        let fixture = try bundleSource()
        let folder = fixture.temp.path("bundles")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let build = try fixture.build(to: folder)
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let expected = "\(handoverBagName).tar.zst"
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [expected, expected + ".sha256"])
        let archive = Data(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + expected)).prefix(4))
        #expect(Array(archive) == [0x28, 0xB5, 0x2F, 0xFD], "zstd")
        #expect(try handover(["verify", folder + "/" + expected]).status == 0)
    }

    @Test("without SOURCE_DATE_EPOCH the default name carries the current UTC time")
    func folderOutputNow() throws {
        let fixture = try bundleSource()
        let folder = fixture.temp.path("bundles")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let before = Timestamp.now.seconds
        let build = try fixture.build(to: folder, epoch: nil)
        let after = Timestamp.now.seconds
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let names = (before...after).map { "acme-sa-handover-\(BagLayout.compactUTC($0)).tar.zst" }
        let written = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".tar.zst") }
        #expect(written.count == 1)
        #expect(names.contains(written.first ?? ""), "\(written)")
    }

    @Test("an unknown extension exits 2 and writes nothing", arguments: ["acme.rar", "acme.tar.bz2", "acme.7z", "acme"])
    func unknownExtension(_ name: String) throws {
        let fixture = try bundleSource()
        let folder = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let build = try fixture.build(to: folder + "/" + name)
        #expect(build.status == 2)
        #expect(build.stdout.isEmpty)
        #expect(build.stderr.contains("handover: error: \(folder)/\(name): cannot tell the archive format from the name"), "\(build.stderr)")
        #expect(build.stderr.contains(".tar.zst"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test("an existing output is not replaced without --force (exit 2); with --force it is")
    func existingOutput() throws {
        let fixture = try bundleSource()
        let output = fixture.temp.path("acme.tar")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: output))
        let refused = try fixture.build(to: output)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("keep me".utf8))
        #expect(!FileManager.default.fileExists(atPath: output + ".sha256"))
        let forced = try fixture.build(to: output, ["--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try handover(["verify", output]).status == 0)
    }

    @Test("a file that is not an archive exits 2, saying so")
    func notAnArchive() throws {
        let temp = try TempDirectory("not-archive")
        let path = try temp.write("bundle.tar.zst", "just some text, not an archive\n")
        let verify = try handover(["verify", path])
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("not a bundle"), "\(verify.stderr)")
        let missing = try handover(["verify", temp.path("nowhere.tar")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file or folder"), "\(missing.stderr)")
    }

    @Test("a truncated archive is a damaged bundle: exit 1, with libarchive's reason", arguments: ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"])
    func truncated(_ ext: String) throws {
        // Big enough that the cut falls inside the payload, not in what opening reads ahead.
        let big = String(repeating: "web1,debian,rack 4,2019\n", count: 120_000)
        let fixture = try bundleSource(extraFiles: ["inventory/assets.csv": big])
        let output = try fixture.buildBundle("acme.\(ext)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        for keep in [bytes.count / 2, 600] {
            let cut = fixture.temp.path("cut-\(keep).\(ext)")
            try bytes.prefix(keep).write(to: URL(fileURLWithPath: cut))
            let verify = try handover(["verify", cut])
            #expect(verify.status == 1, "\(ext) cut at \(keep): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stderr.contains("damaged or truncated") || verify.stdout.contains("Integrity: FAILED"), "\(ext) cut at \(keep): \(verify.stderr)")
        }
    }
}
