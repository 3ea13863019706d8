import Crypto
import Foundation
import HandoverKit
import Testing

@Suite("handover report writes the record people attach to the minutes")
struct ReportCommandTests {
    func object(_ path: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("--format json on a bundle: the documented shape, with the archive's real checksum")
    func jsonShape() throws {
        let fixture = try ReportFixture()
        let output = fixture.source.temp.path("report.json")
        let result = try fixture.runReport(["--format", "json", "--output", output])
        // Written all the same; the exit status says the handover is incomplete, as verify would.
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("incomplete; the report says why"), "\(result.stderr)")
        #expect(result.stdout.contains("Wrote \(output) (json, English): incomplete, 2 of 3 required deliverables delivered."))
        let json = try object(output)
        #expect(Set(json.keys) == ["formatVersion", "kind", "subject", "manifest", "tool", "verdict", "state", "passed", "handover", "dates",
                                   "summary", "deliverables", "bundle", "integrity", "authenticity", "signature", "timestamp", "problems"])
        #expect(json["state"] as? String == "intact-but-incomplete")
        #expect(json["authenticity"] as? String == "not-signed")
        #expect(json["formatVersion"] as? Int == 1)
        #expect(json["kind"] as? String == "bundle")
        #expect(json["verdict"] as? String == "incomplete")
        #expect(json["passed"] as? Bool == false)
        #expect(json["subject"] as? String == fixture.bundle)
        let handover = try #require(json["handover"] as? [String: Any])
        #expect(handover["contract"] as? String == "CTR-2023-042")
        #expect(handover["date"] as? String == "2026-12-31")
        let dates = try #require(json["dates"] as? [String: Any])
        #expect(dates["bundleCreated"] as? String == "2026-12-31T12:00:00Z")
        #expect(dates["generated"] is String)
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["required": 3, "ok": 2, "missing": 1, "invalid": 0, "optionalAbsent": 1])

        let deliverables = try #require(json["deliverables"] as? [[String: Any]])
        #expect(deliverables.compactMap { $0["id"] as? String } == ["access-list", "documentation", "restore-test", "data-return"])
        #expect(deliverables.compactMap { $0["status"] as? String } == ["ok", "ok", "missing", "optional-absent"])
        let documentation = try #require(deliverables[1]["fileList"] as? [[String: Any]])
        #expect(documentation.compactMap { $0["path"] as? String } == ["docs/architecture.md", "docs/runbooks/backup.md"])
        #expect(documentation.compactMap { $0["bytes"] as? Int } == [15, 9])
        let missing = try #require(deliverables[2]["problems"] as? [[String: Any]])
        #expect(missing.first?["message"] as? String == "no file matches backup/restore-tests/**/*")

        let bundle = try #require(json["bundle"] as? [String: Any])
        let archive = try Data(contentsOf: URL(fileURLWithPath: fixture.bundle))
        #expect(bundle["sha256"] as? String == hex(SHA256.hash(data: archive)))
        #expect(bundle["bytes"] as? Int == archive.count)
        #expect(bundle["sidecar"] as? String == "match")
        #expect(bundle["builtIncomplete"] as? Bool == true)
        #expect(bundle["payloadFiles"] as? Int == 3)
        let integrity = try #require(json["integrity"] as? [String: Any])
        #expect(integrity["valid"] as? Bool == true)
        #expect((json["signature"] as? [String: Any])?["present"] as? Bool == false)
        #expect((json["timestamp"] as? [String: Any])?["present"] as? Bool == false)
    }

    @Test("with --manifest, a report on SOURCE before the build, with the files not collected")
    func sourceReport() throws {
        let fixture = try ReportFixture()
        let output = fixture.source.temp.path("check.json")
        let result = try handover(["report", "--manifest", fixture.source.manifestPath, fixture.source.source, "--output", output])
        #expect(result.status == 1, "incomplete, as missing would say: \(result.stderr)")
        let json = try object(output)
        #expect(json["kind"] as? String == "source")
        #expect(json["verdict"] as? String == "incomplete")
        #expect(json["bundle"] == nil)
        let notCollected = try #require(json["notCollected"] as? [String: Any])
        #expect(notCollected["files"] as? [String] == ["scratch/notes.txt"])
    }

    @Test("an existing report is not replaced without --force; with it, it is")
    func noOverwrite() throws {
        let fixture = try ReportFixture()
        let output = try fixture.source.temp.write("report.html", "keep me")
        let refused = try fixture.runReport(["--output", output])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("already exists; choose another --output or pass --force"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
        let forced = try fixture.runReport(["--output", output, "--force", "--lang", "fr"])
        #expect(forced.status == 1, "written, and incomplete: \(forced.stderr)")
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("Procès-verbal de remise"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.source.temp.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("Markdown has the same content: deliverables, statuses, checksum and the acceptance boxes")
    func markdown() throws {
        let fixture = try ReportFixture()
        let result = try fixture.runReport(["--output", "-", "--format", "md"])
        #expect(result.status == 1, "the fixture is incomplete")
        let text = result.stdout
        #expect(text.hasPrefix("# Handover report — CTR-2023-042\n"))
        #expect(text.contains("| ✗ Missing | **Last restore test report**"))
        #expect(text.contains("| ✓ Delivered | **Accounts and access rights**"))
        #expect(text.contains("- [ ] Accepted without reservation"))
        #expect(text.contains("`access/accounts.csv`"))
        let archive = try Data(contentsOf: URL(fileURLWithPath: fixture.bundle))
        #expect(text.contains(hex(SHA256.hash(data: archive))))
    }

    @Test("a damaged archive still gets a report, saying it is not valid")
    func damaged() throws {
        // Cut in the middle of an entry: the archive opens, then breaks while it is read.
        let fixture = try ReportFixture()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.bundle))
        let damaged = try fixture.source.temp.write("damaged.tar", bytes.prefix(bytes.count / 2))
        let output = fixture.source.temp.path("damaged.json")
        let result = try handover(["report", damaged, "--output", output])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: output), "the report is written all the same")
        let json = try object(output)
        #expect(json["verdict"] as? String == "invalid")
        let problems = try #require(json["problems"] as? [String])
        #expect(problems.contains { $0.contains("damaged or truncated") }, "\(problems)")
    }

    @Test("a folder that is not a bag, without --manifest, is refused with what to do")
    func notABag() throws {
        let fixture = try ReportFixture()
        let result = try handover(["report", fixture.source.source, "--output", fixture.source.temp.path("r.html")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is a folder but not a bag (no bagit.txt); to report on a SOURCE folder, give --manifest FILE"))
        #expect(!fixture.source.temp.exists("r.html"))
    }

    @Test("every bundle carries handover/report.html, covered by tagmanifest-sha256.txt")
    func reportInBundle() throws {
        let fixture = try ReportFixture()
        let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        let html = try runProcess(bsdtar, ["-xOf", fixture.bundle, "*/handover/report.html"])
        #expect(html.status == 0)
        #expect(html.stdout.contains("Report written into the bundle when it was built"))
        #expect(html.stdout.contains("Last restore test report"))
        let tagManifest = try runProcess(bsdtar, ["-xOf", fixture.bundle, "*/tagmanifest-sha256.txt"]).stdout
        let digest = hex(SHA256.hash(data: html.stdoutData))
        #expect(tagManifest.contains("\(digest)  handover/report.html\n"), "\(tagManifest)")
        let verify = try handover(["verify", fixture.bundle, "--allow-incomplete"])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }
}
