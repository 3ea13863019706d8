import Foundation
import HandoverKit
import Testing

/// Writes a file at `components` under `root`, one folder at a time relative to the last, so
/// that paths longer than PATH_MAX can be made; names are bytes (need not be UTF-8).
func writeNested(_ root: String, _ components: [[UInt8]], contents: String) throws {
    var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw FixtureError("cannot open \(root)") }
    for (index, name) in components.enumerated() {
        let cName = name.map { CChar(bitPattern: $0) } + [0]
        if index == components.count - 1 {
            let file = openat(fd, cName, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            close(fd)
            guard file >= 0 else { throw FixtureError("cannot create \(String(decoding: name, as: UTF8.self))") }
            let bytes = Array(contents.utf8)
            _ = bytes.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            close(file)
            return
        }
        if mkdirat(fd, cName, 0o755) != 0 && errno != EEXIST { close(fd); throw FixtureError("mkdirat failed: \(errno)") }
        let next = openat(fd, cName, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        close(fd)
        guard next >= 0 else { throw FixtureError("cannot open folder \(String(decoding: name, as: UTF8.self))") }
        fd = next
    }
}

/// Build never makes a bundle that its own verify refuses: the limits of paths, depth and
/// names, and the names each format can hold, are checked before anything is packed, and the
/// refusal names the file and the limit in the words verify uses.
@Suite("handover build refuses up front what verify would refuse")
struct BuildLimitTests {
    /// `docs/` then `folders` folders, then `deep.md`: the bag's path is
    /// `<bag>/data/docs/d/…/deep.md`, `folders + 4` levels.
    static func deepTree(folders: Int) throws -> SourceFixture {
        let fixture = try bundleSource()
        try writeNested(fixture.source, [Array("docs".utf8)] + Array(repeating: Array("d".utf8), count: folders) + [Array("deep.md".utf8)],
                        contents: "# deep\n")
        return fixture
    }

    /// The expected output is empty: no archive, no checksum, no temporary file.
    static func refused(_ fixture: SourceFixture, _ ext: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let folder = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let build = try fixture.build(to: folder + "/bundle.\(ext)")
        #expect(build.status == 1, "\(build.stdout)\(build.stderr)", sourceLocation: sourceLocation)
        #expect(build.stderr.contains("Nothing was written."), "\(build.stderr)", sourceLocation: sourceLocation)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [], "left in the output folder", sourceLocation: sourceLocation)
        return build
    }

    @Test("a deliverable nested 70 folders deep: refused, naming the file and the limit of 64 levels")
    func tooDeep() throws {
        let fixture = try Self.deepTree(folders: 70)
        let build = try Self.refused(fixture, "tar.zst")
        let reason = "levels deep, over the limit of 64 levels"
        #expect(build.stderr.contains("docs/" + String(repeating: "d/", count: 70) + "deep.md: its path in the bundle is 74 " + reason), "\(build.stderr)")

        // The same tree, made into a bag by bagit-python and packed by bsdtar: verify says the
        // same words (of the first folder past the limit, since bsdtar stores folders too).
        let bag = fixture.temp.path("bag/\(handoverBagName)")
        try FileManager.default.createDirectory(atPath: bag, withIntermediateDirectories: true)
        try writeNested(bag, [Array("docs".utf8)] + Array(repeating: Array("d".utf8), count: 70) + [Array("deep.md".utf8)], contents: "# deep\n")
        let made = try runProcess(try StandardTools.bagitPython(), ["--quiet", bag])
        try #require(made.status == 0, "\(made.stderr)")
        let archive = fixture.temp.path("deep.tar")
        try StandardTools.pack(bag, to: archive)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1 && verify.stderr.contains(reason), "\(verify.stderr)")
    }

    @Test("at the limit of 64 levels the same tree builds, verifies and extracts")
    func deepAtLimit() throws {
        let fixture = try Self.deepTree(folders: 60)
        let bundle = try fixture.buildBundle("deep.tar.zst")
        let verify = try handover(["verify", bundle])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let extract = try handover(["extract", bundle, "--to", fixture.temp.path("received")])
        #expect(extract.status == 0, "\(extract.stdout)\(extract.stderr)")
    }

    /// `docs/` then folders of 199 bytes, then a file, `relative` bytes in all from SOURCE.
    static func longTree(relative: Int) throws -> (SourceFixture, String) {
        let fixture = try bundleSource()
        var parts = [Array("docs".utf8)]
        var length = 4
        while relative - length > 1 + 199 + 1 + 20 {
            parts.append(Array(repeating: UInt8(ascii: "p"), count: 199))
            length += 200
        }
        let last = relative - length - 1
        parts.append(Array(repeating: UInt8(ascii: "f"), count: last - 3) + Array(".md".utf8))
        let path = parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
        #expect(path.utf8.count == relative)
        try writeNested(fixture.source, parts, contents: "# long\n")
        return (fixture, path)
    }

    @Test("a relative path of 4,064 bytes: refused, naming the file and the limit of 4096 bytes")
    func tooLong() throws {
        let (fixture, path) = try Self.longTree(relative: 4064)
        let build = try Self.refused(fixture, "tar")
        let inBundle = handoverBagName.utf8.count + "/data/".utf8.count + 4064
        #expect(build.stderr.contains("\(path): its path in the bundle is \(inBundle) bytes long, over the limit of 4096 bytes for a path"),
                "\(build.stderr)")
    }

    @Test("a relative path of 3,977 bytes fits in the bundle: it builds and verifies")
    func longWithinLimit() throws {
        // Not the bundle's limit itself (4,057 bytes here): build reads SOURCE by absolute path,
        // and /tmp/handover-source-<UUID>/source/ plus 4,057 bytes is past the system's PATH_MAX.
        let (fixture, _) = try Self.longTree(relative: 3977)
        let bundle = try fixture.buildBundle("long.tar")
        let verify = try handover(["verify", bundle])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("a name that is not UTF-8 cannot go in a zip: refused; a .tar.zst holds it and verifies")
    func notUTF8InZip() throws {
        let fixture = try bundleSource()
        // "café.md" in Latin-1, as an old Windows share may have written it.
        try writeNested(fixture.source, [Array("docs".utf8), Array("caf".utf8) + [0xE9] + Array(".md".utf8)], contents: "# cafe\n")
        let build = try Self.refused(fixture, "zip")
        #expect(build.stderr.contains("docs/caf\\xE9.md: its name is not valid UTF-8, and a zip archive cannot hold such a name as it is"),
                "\(build.stderr)")
        let bundle = try fixture.buildBundle("latin1.tar.zst")
        let verify = try handover(["verify", bundle])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test("a name of 253 bytes becomes 257 once encrypted as .age: refused before packing")
    func ageSuffixTooLong() throws {
        let fixture = try bundleSource()
        let name = String(repeating: "n", count: 250) + ".md"
        try fixture.write("docs/" + name, "# secret\n")
        var text = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "    min-files: 2\n", with: "    min-files: 2\n    confidential: true\n")
        try fixture.setManifest(text)
        let folder = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let keygen = try runProcess(try requireTool("age-keygen", install: "apt-get install age"), [])
        let recipient = try #require(keygen.stderr.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        let build = try fixture.build(to: folder + "/bundle.tar", ["--recipient", recipient])
        #expect(build.status == 1, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains("docs/\(name): it has a name of 257 bytes, over the limit of 255 bytes for a name"), "\(build.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }

    @Test("verify refuses a zip whose entry name is not UTF-8, in the words build uses")
    func notUTF8ZipVerified() throws {
        let temp = try TempDirectory("handover-zip-name")
        let bag = HandmadeBag()
        try temp.write("\(bag.top)/data/cafX.md", "Hello\n")
        for (name, bytes) in bag.tagFiles() { try temp.write("\(bag.top)/\(name)", Data(bytes)) }
        let archive = temp.path("latin1.zip")
        let packed = try runProcess(try StandardTools.bsdtar(), ["--format", "zip", "-cf", archive, "-C", temp.path, bag.top])
        try #require(packed.status == 0, "\(packed.stderr)")
        // What a careless writer makes: the name in Latin-1, flagged UTF-8 all the same.
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: archive)))
        let ascii = Array("data/cafX.md".utf8)
        var index = 0
        while index + ascii.count <= bytes.count {
            if Array(bytes[index..<(index + ascii.count)]) == ascii { bytes[index + 8] = 0xE9 }
            index += 1
        }
        for signature: [UInt8] in [[0x50, 0x4B, 3, 4], [0x50, 0x4B, 1, 2]] {
            let flags = signature[2] == 3 ? 6 : 8
            for start in 0..<(bytes.count - 4) where Array(bytes[start..<(start + 4)]) == signature {
                bytes[start + flags + 1] |= 0x08
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: archive))
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        // The zip structure check meets it first, with its own words; both name the entry.
        #expect(verify.stderr.contains("is flagged UTF-8 but its name is not valid UTF-8"), "\(verify.stderr)")
        #expect(verify.stderr.contains("caf\\xE9.md"), "\(verify.stderr)")
    }
}
