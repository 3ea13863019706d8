import Foundation
import HandoverKit
import Testing

@Suite("handover inspect lists a bundle without extracting or hashing it")
struct InspectCommandTests {
    @Test("text: bag-info.txt, the deliverables with their files and sizes, and the evidence present")
    func text() throws {
        let fixture = try ReportFixture()
        let result = try handover(["inspect", fixture.bundle])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.hasPrefix("Bag acme-sa-handover-20261231T120000Z in \(fixture.bundle) (BagIt 1.0)\n"))
        #expect(out.contains("Contract CTR-2023-042: Acme SA, from Infogerance Ouest SAS to Nouveau Prestataire SAS"))
        #expect(out.contains("  Payload-Oxum:"))
        #expect(out.contains("  Handover-Created:         2026-12-31T12:00:00Z"))
        #expect(out.contains("  BagIt-Profile-Identifier: \(BagLayout.profileIdentifier)\n"))
        #expect(out.contains("  ok              documentation  2 files, 24 bytes  Technical documentation\n"))
        #expect(out.contains("      docs/architecture.md  15 bytes\n"))
        #expect(out.contains("  MISSING         restore-test   0 files  Last restore test report\n"))
        #expect(out.contains("Payload: 3 files, 77 bytes\n"))
        #expect(out.contains("handover/report.json, handover/report.html"))
        #expect(out.contains("Signature: none\nTime-stamp: none\n"))
        #expect(out.contains("Nothing was extracted or checked."))
    }

    @Test("json: each file recorded at build time is matched with the bundle's listing")
    func json() throws {
        let fixture = try ReportFixture()
        let result = try handover(["inspect", fixture.bundle, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(Set(object.keys) == ["formatVersion", "path", "bagName", "bagItVersion", "bagInfo", "handover", "build", "deliverables",
                                     "payloadFiles", "payloadBytes", "unlisted", "tagFiles", "oddEntries", "signature", "timestamp", "notes"])
        #expect(object["payloadFiles"] as? Int == 3)
        #expect(object["unlisted"] as? [String] == [])
        let deliverables = try #require(object["deliverables"] as? [[String: Any]])
        let access = try #require(deliverables.first { $0["id"] as? String == "access-list" })
        let files = try #require(access["files"] as? [[String: Any]])
        #expect(files.first?["stored"] as? String == "data/access/accounts.csv")
        #expect(files.first?["inBundle"] as? Bool == true)
        let tags = try #require(object["tagFiles"] as? [[String: Any]])
        #expect(tags.contains { $0["path"] as? String == "handover/report.html" })
        #expect((object["signature"] as? [String: Any])?["present"] as? Bool == false)
    }

    @Test("a payload altered after the build is still listed: inspect proves nothing, verify does")
    func noHashing() throws {
        let fixture = try ReportFixture()
        let bag = try fixture.extracted()
        #expect(bag.hasSuffix("/acme-sa-handover-20261231T120000Z"))
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: "\(bag)/data/docs/architecture.md"))
        let inspect = try handover(["inspect", bag])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("docs/architecture.md  9 bytes"))
        #expect(try handover(["verify", bag, "--allow-incomplete"]).status == 1)
    }

    @Test("a file that is not a bundle: exit 2 and a sentence that says so")
    func notABundle() throws {
        let temp = try TempDirectory()
        let path = try temp.write("notes.txt", "hello\n")
        let result = try handover(["inspect", path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a bundle"), "\(result.stderr)")
    }
}
