import Foundation
@testable import HandoverKit
import Testing

/// An export whose deliverables are all plain (nothing confidential), with nested folders and a
/// name outside ASCII.
func plainSource() throws -> SourceFixture {
    try SourceFixture(manifest: manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*.csv"]
            csv:
              required-columns: [account, system, role]
          - id: documentation
            title: Technical documentation
            paths: ["docs/**/*"]
            min-files: 2
        """), files: [
            "access/accounts.csv": "account,system,role\nalice,erp,admin\n",
            "docs/architecture.md": "# Architecture\n",
            "docs/runbooks/Procédure de sauvegarde.md": "1. Stop the service.\n",
            "scratch/notes.txt": "not part of the handover\n",
        ])
}

/// Builds the fixture's bundle with the binary at `output` (its extension picks the format).
@discardableResult
func buildBundle(_ fixture: SourceFixture, output: String, extra: [String] = []) throws -> String {
    let result = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output, "--quiet"] + extra,
                              environment: ["SOURCE_DATE_EPOCH": "1798675200"])
    guard result.status == 0 else { throw FixtureError("build failed (\(result.status)): \(result.stdout)\(result.stderr)") }
    return output
}

/// The regular files under `root`, by path relative to it, with their bytes.
func filesUnder(_ root: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: root) else { return files }
    while let relative = walker.nextObject() as? String {
        var info = stat()
        if lstat(root + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            files[relative] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))
        }
    }
    return files
}

func mode(of path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode : nil
}

@Suite("handover extract writes a verified bundle safely")
struct ExtractCommandTests {
    @Test("A valid bundle becomes a folder that bagit-python accepts, whose payload is SOURCE")
    func validBundle() throws {
        let bagit = try requireTool("bagit.py", install: "pip install bagit")
        let fixture = try plainSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar.zst"))
        try sandbox.refresh()
        let result = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Every regular file of the bag is written: count what is on disk and compare with the summary.
        let written = FileManager.default.enumerator(atPath: sandbox.target)?.allObjects.compactMap { $0 as? String }
            .filter { (try? FileManager.default.attributesOfItem(atPath: sandbox.target + "/" + $0)[.type] as? FileAttributeType) == .typeRegular }
        #expect(result.stdout.contains("Extracted \(written?.count ?? -1) files"), "\(result.stdout)")
        #expect((written?.count ?? 0) > 0)

        let validation = try runProcess(bagit, ["--validate", "--quiet", sandbox.target])
        #expect(validation.status == 0, "\(validation.stderr)")
        let payload = try filesUnder(sandbox.target + "/data")
        let collected = try filesUnder(fixture.source).filter { !$0.key.hasPrefix("scratch/") }
        #expect(payload == collected)
        #expect(sandbox.targetContents() == ["bag-info.txt", "bagit.txt", "data", "handover", "manifest-sha256.txt", "tagmanifest-sha256.txt"])
        #expect(mode(of: sandbox.target + "/data/access/accounts.csv").map { $0 & 0o7777 } == 0o644)
        #expect(mode(of: sandbox.target + "/data/docs/runbooks").map { $0 & 0o7777 } == 0o755)
        try sandbox.outsideUnchanged()

        // The extracted folder is itself a bundle handover verifies and extracts again.
        #expect(try handover(["verify", sandbox.target, "--quiet"]).status == 0)
        let again = try TempDirectory("handover-again")
        #expect(try handover(["extract", sandbox.target, "--to", again.path("copy"), "--quiet"]).status == 0)
        #expect(try filesUnder(again.path("copy")) == filesUnder(sandbox.target))
    }

    @Test("Every bundle format extracts to the same payload", arguments: ["tar", "tar.gz", "tar.xz", "zip"])
    func formats(_ format: String) throws {
        let fixture = try plainSource()
        let work = try TempDirectory("handover-formats")
        let bundle = try buildBundle(fixture, output: work.path("acme.\(format)"))
        let result = try handover(["extract", bundle, "--to", work.path("out/"), "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try filesUnder(work.path("out/data")) == filesUnder(fixture.source).filter { !$0.key.hasPrefix("scratch/") })
    }

    @Test("A folder that is not empty is refused without --force (exit 2); with it, same names are replaced")
    func nonEmptyDestination() throws {
        let fixture = try plainSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar"))
        try sandbox.refresh()
        try sandbox.temp.write("out/mine.txt", "my own notes\n")
        try sandbox.temp.write("out/bagit.txt", "an old bagit.txt\n")

        let refused = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(sandbox.target) is not empty"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"))
        #expect(sandbox.targetContents() == ["bagit.txt", "mine.txt"])
        #expect(try sandbox.temp.read("out/bagit.txt") == Data("an old bagit.txt\n".utf8))

        let forced = try handover(["extract", bundle, "--to", sandbox.target, "--force", "--quiet"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try sandbox.temp.read("out/mine.txt") == Data("my own notes\n".utf8))
        #expect(try sandbox.temp.read("out/bagit.txt") == Data("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8))
        try sandbox.outsideUnchanged()
    }

    @Test("A symbolic link planted in DIR is never followed, even with --force")
    func plantedLinks() throws {
        let fixture = try plainSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar.gz"))
        try sandbox.refresh()
        let elsewhere = try TempDirectory("handover-elsewhere")

        // DIR/data -> elsewhere: the bag's folder would be written through it.
        try FileManager.default.createDirectory(atPath: sandbox.target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sandbox.target + "/data", withDestinationPath: elsewhere.path)
        let refused = try handover(["extract", bundle, "--to", sandbox.target, "--force"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("\(sandbox.target)/data is a symbolic link; extract never writes through a link"), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(sandbox.targetContents() == ["data"], "nothing else was written")

        // A link deeper down, where a folder of the payload goes.
        try FileManager.default.removeItem(atPath: sandbox.target + "/data")
        try FileManager.default.createDirectory(atPath: sandbox.target + "/data", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: sandbox.target + "/data/docs", withDestinationPath: elsewhere.path)
        let deeper = try handover(["extract", bundle, "--to", sandbox.target, "--force"])
        #expect(deeper.status == 2)
        #expect(deeper.stderr.contains("\(sandbox.target)/data/docs is a symbolic link"), "\(deeper.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
        #expect(sandbox.targetContents() == ["data"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: sandbox.target + "/data") == ["docs"])

        // A link where a file goes is replaced by the file; what it pointed to is untouched.
        try FileManager.default.removeItem(atPath: sandbox.target + "/data")
        try FileManager.default.createSymbolicLink(atPath: sandbox.target + "/bagit.txt", withDestinationPath: sandbox.temp.path("outside.txt"))
        let replaced = try handover(["extract", bundle, "--to", sandbox.target, "--force", "--quiet"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(mode(of: sandbox.target + "/bagit.txt").map { $0 & S_IFMT } == S_IFREG)
        try sandbox.outsideUnchanged()
    }

    @Test("A tampered bundle writes nothing and says why (exit 1)")
    func tamperedBundle() throws {
        let fixture = try plainSource()
        let sandbox = try ExtractSandbox()
        let path = try buildBundle(fixture, output: sandbox.temp.path("acme.tar"))
        try sandbox.refresh()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let marker = Array("alice,erp,admin".utf8)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) })
        bytes.replaceSubrange(at..<(at + 5), with: Array("mal0r".utf8))
        let bundle = try sandbox.bundle("tampered.tar", bytes)

        let result = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Integrity: NOT INTACT"), "\(result.stdout)")
        #expect(result.stdout.contains("data/access/accounts.csv: its sha256 checksum is"))
        #expect(result.stderr.contains("the bundle is not intact (altered, forged or unreadable), and fails verification (see above); nothing was written"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
        try sandbox.outsideUnchanged()
    }

    @Test("A bundle swapped between verification and extraction is caught by the re-hash, and what was written is removed")
    func swappedBetweenReadings() throws {
        let fixture = try plainSource()
        let work = try TempDirectory("handover-swap")
        let original = try buildBundle(fixture, output: work.path("acme.tar"))
        // The same bag, one payload file changed but not its size: only its checksum tells.
        try fixture.write("access/accounts.csv", "account,system,role\nmallo,erp,admin\n")
        let swapped = try buildBundle(fixture, output: work.path("other.tar"))
        let target = work.path("out")

        var options = BundleExtractor.Options(destination: target)
        options.verification.now = Timestamp(seconds: 1_798_675_200)
        #expect(throws: ExtractError.changedSinceVerification(path: "data/access/accounts.csv", reason: "is not the file verified (its sha256 checksum differs)")) {
            try BundleExtractor.extract(bundle: original, options: options) {
                guard rename(swapped, original) == 0 else { throw FixtureError("rename: \(errno)") }
                return try ArchiveBagReader(path: original)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: target), "DIR, created by the run, is removed with all it held")
    }

    @Test("DIR that is a file, or whose parent is missing, is refused before reading (exit 2)")
    func unusableDestination() throws {
        let fixture = try plainSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar"))
        try sandbox.refresh()
        let file = try handover(["extract", bundle, "--to", sandbox.temp.path("outside.txt")])
        #expect(file.status == 2)
        #expect(file.stderr.contains("outside.txt exists and is not a folder"), "\(file.stderr)")
        let orphan = try handover(["extract", bundle, "--to", sandbox.temp.path("no/such/folder")])
        #expect(orphan.status == 2)
        #expect(orphan.stderr.contains("does not exist, nor does its parent folder"), "\(orphan.stderr)")
        try sandbox.outsideUnchanged()
    }

    @Test("--help says what is written")
    func help() throws {
        let result = try handover(["extract", "--help"])
        #expect(result.status == 0)
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["bagit.txt", "handover/", "data/", "0644", "--identity", "--force", "never through a symbolic link"] {
            #expect(text.contains(phrase), "\(phrase) missing from:\n\(result.stdout)")
        }
    }
}
