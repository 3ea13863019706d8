import Foundation
import HandoverKit
import Testing

/// The client, holding only the bundle, asks what was not delivered: `handover missing BUNDLE`
/// lists the deliverables of the manifest the bundle carries, checked against its payload.
@Suite("handover missing BUNDLE lists the deliverables of a bundle")
struct BundleMissingTests {
    @Test("a complete bundle: every deliverable ok, exit 0, as archive and as folder")
    func complete() throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.tar.zst")
        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        for target in [output, bag] {
            let result = try handover(["missing", target])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            #expect(result.stdout.hasPrefix("Contract CTR-2023-042: Acme SA, from Infogerance Ouest SAS to Nouveau Prestataire SAS\n"))
            for id in ["access-list", "documentation", "inventories"] {
                let line = try #require(result.stdout.split(separator: "\n").first { $0.contains(" \(id) ") })
                #expect(line.hasPrefix("ok "), "\(line)")
            }
            #expect(result.stdout.contains("documentation  2 files"))
            #expect(result.stdout.contains("optional-absent backup-plan"))
            #expect(result.stdout.hasSuffix("Result: the bundle is intact and complete: all 3 required deliverables are delivered.\n"), "\(result.stdout)")
        }
    }

    @Test("a bundle built with --allow-incomplete: the missing and invalid deliverables, exit 1")
    func incomplete() throws {
        let fixture = try bundleSource()
        try fixture.remove("inventory/servers.csv")
        try fixture.write("access/accounts.csv", "account;system;role\nalice;erp;admin\n")
        let output = try fixture.buildBundle("acme.zip", ["--allow-incomplete"])
        let result = try handover(["missing", output])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "a failed check is a report, not an error: \(result.stderr)")
        #expect(result.stdout.contains("MISSING         inventories"))
        #expect(result.stdout.contains("INVALID         access-list"))
        #expect(result.stdout.contains("access/accounts.csv: the header lacks columns mfa, owner (found in row 1: account, system, role)"), "\(result.stdout)")
        #expect(result.stdout.contains("no file matches inventory/*"))
        #expect(result.stdout.contains("Result: INCOMPLETE, the bundle is intact but incomplete: 2 of 3 required deliverables not delivered: "), "\(result.stdout)")
    }

    @Test("--format json gives the same object as missing --manifest, for the bundle")
    func json() throws {
        let fixture = try bundleSource()
        try fixture.remove("inventory/servers.csv")
        let output = try fixture.buildBundle("acme.tar", ["--allow-incomplete"])
        let result = try handover(["missing", output, "--format", "json"])
        #expect(result.status == 1)
        let object = try jsonObject(result)
        // The same keys, and the bundle's state in the verdict's words.
        #expect(Set(object.keys) == ["formatVersion", "manifest", "handover", "passed", "summary", "deliverables", "notCollected", "secretsAllowed",
                                     "ignored", "emptyFolders", "notFilledIn", "windowsSafe", "state"])
        #expect(object["state"] as? String == "intact-but-incomplete")
        #expect(object["manifest"] as? String == "handover/manifest.yaml")
        #expect(object["passed"] as? Bool == false)
        #expect(object["summary"] as? [String: Int] == ["required": 3, "ok": 2, "missing": 1, "invalid": 0, "optionalAbsent": 1])
        let deliverables = try #require(object["deliverables"] as? [[String: Any]])
        #expect(deliverables.compactMap { $0["status"] as? String } == ["ok", "ok", "missing", "optional-absent"])
        #expect(deliverables.compactMap { $0["bytes"] as? Int }.first == "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\n".utf8.count)
    }

    @Test("a bag without handover/manifest.yaml exits 2 and says so", arguments: [false, true])
    func noManifest(_ serialized: Bool) throws {
        let temp = try TempDirectory("bundle-missing")
        let bag = try VerifyBagitPythonTests.makeBag(in: temp)
        var target = bag
        if serialized {
            target = temp.path("legacy.tar.gz")
            try StandardTools.pack(bag, to: target)
        }
        let result = try handover(["missing", target])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("handover: error: \(target): carries no handover/manifest.yaml"), "\(result.stderr)")
        #expect(result.stderr.contains("--manifest FILE SOURCE"))
    }

    @Test("an export folder given without --manifest exits 2 at once, pointing at --manifest")
    func exportFolder() throws {
        let fixture = try bundleSource()
        let result = try handover(["missing", fixture.source])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("carries no handover/manifest.yaml"), "\(result.stderr)")
    }

    @Test("an unreadable bundle or a malformed carried manifest exits 2")
    func unreadable() throws {
        let temp = try TempDirectory("bundle-missing")
        let junk = try temp.write("junk.tar.zst", "not an archive\n")
        let notArchive = try handover(["missing", junk])
        #expect(notArchive.status == 2)
        #expect(notArchive.stderr.contains("not a bundle"), "\(notArchive.stderr)")
        let nowhere = try handover(["missing", temp.path("nowhere.tar")])
        #expect(nowhere.status == 2)

        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        try Data("version: 1\nhandover: [unclosed\n".utf8).write(to: URL(fileURLWithPath: bag + "/handover/manifest.yaml"))
        let malformed = try handover(["missing", bag])
        #expect(malformed.status == 2, "\(malformed.stdout)\(malformed.stderr)")
        #expect(malformed.stderr.contains("handover/manifest.yaml cannot be read"), "\(malformed.stderr)")
    }

    @Test("a tampered bundle: the list is shown, but exit 1 and stderr says to run verify")
    func tampered() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        try RawFiles.flipByte(bag, "data/docs/architecture.md", at: 3)
        let result = try handover(["missing", bag])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("are ready"), "a tampered bundle's list is never called ready: \(result.stdout)")
        #expect(result.stdout.contains("Result: NOT INTACT, the bundle is not intact (altered, forged or unreadable)"), "\(result.stdout)")
        #expect(result.stderr.contains("fails verification, so this list cannot be trusted"), "\(result.stderr)")
        #expect(result.stderr.contains("data/docs/architecture.md: its sha256 checksum is"), "\(result.stderr)")
        #expect(result.stderr.contains("handover verify \(bag)"))
    }

    @Test("--manifest FILE SOURCE is unchanged: it checks the export folder")
    func manifestAndSource() throws {
        let fixture = try bundleSource()
        let result = try fixture.missing()
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Not collected: 1 file"))
    }
}
