import Crypto
import Foundation
import HandoverKit
import Testing

/// A small export that builds: two deliverables, one of which selects everything under SOURCE
/// (so that anything the build left inside SOURCE would be packaged, if it were not excluded).
func smallSource(everything: Bool = false) throws -> SourceFixture {
    try SourceFixture(manifest: manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*.csv"]
          - id: everything
            title: Everything else
            required: false
            paths: ["\(everything ? "**" : "docs/**")"]
        """), files: [
            "access/accounts.csv": "account,system,role,mfa,owner\nalice,erp,admin,yes,DSI\n",
            "docs/architecture.md": "# Architecture\n",
        ])
}

func sha256Hex(_ data: Data) -> String {
    SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
}

@Suite("handover build never leaves a half-written or replaced bundle by surprise")
struct AtomicOutputTests {
    @Test("an existing bundle is not overwritten without --force: exit 2, the file unchanged")
    func existingOutputKept() throws {
        let fixture = try smallSource()
        let output = fixture.temp.path("out/acme.tar")
        try fixture.temp.write("out/acme.tar", "an earlier bundle\n")
        let result = try fixture.build(output: output)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("acme.tar: already exists"), "\(result.stderr)")
        #expect(result.stderr.contains("--force"))
        #expect(try fixture.temp.read("out/acme.tar") == Data("an earlier bundle\n".utf8))
        #expect(folderListing(fixture.temp.path("out")) == ["acme.tar"])
    }

    @Test("an existing .sha256 alone is not overwritten either, and no bundle is written")
    func existingChecksumKept() throws {
        let fixture = try smallSource()
        let output = fixture.temp.path("out/acme.tar.gz")
        try fixture.temp.write("out/acme.tar.gz.sha256", "0000  acme.tar.gz\n")
        let result = try fixture.build(output: output)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("acme.tar.gz.sha256: already exists"), "\(result.stderr)")
        #expect(try fixture.temp.read("out/acme.tar.gz.sha256") == Data("0000  acme.tar.gz\n".utf8))
        #expect(folderListing(fixture.temp.path("out")) == ["acme.tar.gz.sha256"])
    }

    @Test("--force replaces the bundle and its .sha256, which then match")
    func forceReplaces() throws {
        let fixture = try smallSource()
        let output = fixture.temp.path("out/acme.tar.zst")
        try fixture.temp.write("out/acme.tar.zst", "an earlier bundle\n")
        try fixture.temp.write("out/acme.tar.zst.sha256", "0000  acme.tar.zst\n")
        let result = try fixture.build(output: output, ["--force"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let bundle = try fixture.temp.read("out/acme.tar.zst")
        #expect(bundle != Data("an earlier bundle\n".utf8))
        let sidecar = String(decoding: try fixture.temp.read("out/acme.tar.zst.sha256"), as: UTF8.self)
        #expect(sidecar == "\(sha256Hex(bundle))  acme.tar.zst\n")
        #expect(try bundleEntries(output).contains { $0.hasSuffix("/data/access/accounts.csv") })
        #expect(folderListing(fixture.temp.path("out")) == ["acme.tar.zst", "acme.tar.zst.sha256"])
        let verified = try handover(["verify", output])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("a build that fails with --force leaves the earlier bundle as it was")
    func failedForcedBuildKeepsOld() throws {
        let fixture = try smallSource()
        let output = fixture.temp.path("out/acme.tar")
        try fixture.temp.write("out/acme.tar", "an earlier bundle\n")
        try fixture.remove("access/accounts.csv")
        let result = try fixture.build(output: output, ["--force"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(try fixture.temp.read("out/acme.tar") == Data("an earlier bundle\n".utf8))
        #expect(folderListing(fixture.temp.path("out")) == ["acme.tar"])
    }

    @Test("a bundle written inside SOURCE is never packaged into itself, nor its .sha256 or temporary files")
    func outputInsideSource() throws {
        let fixture = try smallSource(everything: true)
        let output = fixture.path("out.tar")
        // What a build killed earlier may have left: its hidden temporary files.
        try fixture.write(".out.tar.tmp-AbC123", "half of an earlier bundle")
        try fixture.write(".out.tar.sha256.tmp-XyZ789", "half of an earlier checksum")
        for round in 1...2 {
            let result = try fixture.build(output: output, ["--force"])
            #expect(result.status == 0, "round \(round): \(result.stdout)\(result.stderr)")
            let entries = try bundleEntries(output)
            #expect(entries.contains { $0.hasSuffix("/data/docs/architecture.md") })
            let leaked = entries.filter { $0.contains("out.tar") }
            #expect(leaked.isEmpty, "round \(round): the bundle holds \(leaked)")
        }
        let report = try JSONSerialization.jsonObject(with: try bundleFile(output, "handover/report.json")) as? [String: Any]
        let everything = (report?["deliverables"] as? [[String: Any]])?.first { $0["id"] as? String == "everything" }
        let listed = (everything?["fileList"] as? [[String: Any]])?.compactMap { $0["path"] as? String }
        #expect(listed == ["access/accounts.csv", "docs/architecture.md"])
    }

    @Test("an output folder that does not exist: exit 2, a clear message, nothing written")
    func missingFolder() throws {
        let fixture = try smallSource()
        let output = fixture.temp.path("no-such-folder/acme.tar")
        let result = try fixture.build(output: output)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no-such-folder"), "\(result.stderr)")
        #expect(result.stderr.contains("No such file or directory"), "\(result.stderr)")
        #expect(!fixture.temp.exists("no-such-folder"))
    }

    @Test("an output folder that cannot be written: exit 2, a clear message, nothing written")
    func readOnlyFolder() throws {
        let fixture = try smallSource()
        try FileManager.default.createDirectory(atPath: fixture.temp.path("locked"), withIntermediateDirectories: true)
        chmod(fixture.temp.path("locked"), 0o555)
        defer { chmod(fixture.temp.path("locked"), 0o755) }
        let output = fixture.temp.path("locked/acme.tar")
        var arguments = ["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output]
        var executable = handoverBinary()
        if geteuid() == 0 {
            // root writes anywhere: run as nobody, for whom the folder is read-only.
            arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", executable] + arguments
            executable = try requireTool("setpriv", install: "apt-get install util-linux")
            for path in [fixture.temp.path, fixture.source, fixture.manifestPath] { chmod(path, 0o755) }
        }
        let result = try runProcess(executable, arguments)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("locked"), "\(result.stderr)")
        #expect(result.stderr.contains("Permission denied"), "\(result.stderr)")
        #expect(folderListing(fixture.temp.path("locked")).isEmpty)
    }
}
