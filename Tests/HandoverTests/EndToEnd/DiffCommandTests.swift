import Foundation
import Testing

/// The receiver of a second delivery asks "what changed since the first?", and gets it per
/// deliverable, from the tag files alone unless they ask to verify.
@Suite("handover diff")
struct DiffCommandTests {
    @Test("Each kind of change is found, in the deliverable it belongs to, in text (exit 1)")
    func textPerDeliverable() throws {
        let pair = try DeliveryPair()
        let result = try handover(["diff", pair.first, pair.second])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let out = result.stdout
        #expect(out.contains("Compared from the tag files alone"))
        #expect(out.contains("no payload file was read or hashed"))
        #expect(out.contains("access-list    Accounts and access rights: 1 changed, 0 unchanged"), "\(out)")
        #expect(out.contains("changed    access/accounts.csv"))
        #expect(out.contains("documentation  Technical documentation: 1 moved, 2 unchanged"), "\(out)")
        #expect(out.contains("moved      docs/guide.md -> docs/manuals/guide.md"))
        #expect(out.contains("inventories    Hardware and software inventories: 1 added, 1 removed, 1 unchanged"), "\(out)")
        #expect(out.contains("added      inventory/switches.csv"))
        #expect(out.contains("removed    inventory/licences.csv"))
        #expect(out.contains("backup-plan    Backup and recovery plan: no change (0 unchanged)"), "\(out)")
        #expect(out.contains("Handover-Created: 2026-12-31T12:00:00Z -> 2027-01-01T12:00:00Z"), "\(out)")
        #expect(out.contains("handover/manifest.yaml: no change"))
        #expect(out.contains("Result: the deliveries differ: 1 added, 1 removed, 1 changed, 1 moved, 3 unchanged"), "\(out)")
    }

    @Test("The JSON lists exactly those changes, per deliverable")
    func json() throws {
        let pair = try DeliveryPair()
        let result = try handover(["diff", pair.first, pair.second, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let json = try jsonObject(result)
        #expect(json["same"] as? Bool == false)
        #expect(json["payloadRead"] as? Bool == false)
        #expect(json["algorithm"] as? String == "sha256")
        let access = try deliverableChanges(json, "access-list")
        #expect(access["changed"] as? [String] == ["access/accounts.csv"])
        #expect(access["added"] as? [String] == [] && access["removed"] as? [String] == [] && access["moved"] as? [Any] != nil)
        let docs = try deliverableChanges(json, "documentation")
        let moved = try #require(docs["moved"] as? [[String: String]])
        #expect(moved == [["from": "docs/guide.md", "to": "docs/manuals/guide.md"]])
        #expect(docs["added"] as? [String] == [] && docs["removed"] as? [String] == [])
        #expect(docs["unchanged"] as? Int == 2)
        let inventories = try deliverableChanges(json, "inventories")
        #expect(inventories["added"] as? [String] == ["inventory/switches.csv"])
        #expect(inventories["removed"] as? [String] == ["inventory/licences.csv"])
        #expect(inventories["changed"] as? [String] == [])
        #expect(inventories["unchanged"] as? Int == 1)
        let backup = try deliverableChanges(json, "backup-plan")
        #expect(backup["unchanged"] as? Int == 0 && backup["added"] as? [String] == [])
        let totals = try #require(json["totals"] as? [String: Int])
        #expect(totals == ["added": 1, "removed": 1, "changed": 1, "moved": 1, "unchanged": 3])
        let fields = try #require(json["bagInfo"] as? [[String: String]])
        #expect(fields.contains { $0["label"] == "Handover-Created" && $0["new"] == "2027-01-01T12:00:00Z" })
    }

    @Test("Markdown gives a table row per deliverable and the lists of changed files")
    func markdown() throws {
        let pair = try DeliveryPair()
        let result = try handover(["diff", pair.first, pair.second, "--format", "md"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stdout.contains("| `inventories` Hardware and software inventories | 1 | 1 | 0 | 0 | 1 |"), "\(result.stdout)")
        #expect(result.stdout.contains("- moved `docs/guide.md` → `docs/manuals/guide.md`"))
    }

    @Test("The same bundle twice, or two identical builds, differ in nothing (exit 0)")
    func identical() throws {
        let fixture = try bundleSource()
        let first = try fixture.buildBundle("a.tar.zst")
        let second = try fixture.buildBundle("b.zip")
        for (old, new) in [(first, first), (first, second)] {
            let result = try handover(["diff", old, new])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("Result: no difference (4 payload files, all unchanged)."), "\(result.stdout)")
        }
        let json = try jsonObject(try handover(["diff", first, second, "--format", "json"]))
        #expect(json["same"] as? Bool == true)
    }

    @Test("A bundle and the bag folder extracted from it are the same (exit 0)")
    func bundleAndFolder() throws {
        let fixture = try bundleSource()
        let bundle = try fixture.buildBundle("bundle.tar.gz")
        let folder = try StandardTools.extract(bundle, into: fixture.temp.path("unpacked"))
        let result = try handover(["diff", bundle, folder])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let reverse = try handover(["diff", folder, bundle, "--verify"])
        #expect(reverse.status == 0, "\(reverse.stdout)\(reverse.stderr)")
        #expect(reverse.stdout.contains("Both bundles were verified first"))
    }

    @Test("Without --verify no payload is read: an altered file goes unseen; --verify refuses it (exit 2)")
    func verifyReadsThePayload() throws {
        let fixture = try bundleSource()
        let bundle = try fixture.buildBundle("bundle.tar")
        let folder = try StandardTools.extract(bundle, into: fixture.temp.path("unpacked"))
        try Data("name,os\nweb1,windows\n".utf8).write(to: URL(fileURLWithPath: folder + "/data/inventory/servers.csv"))
        let fast = try handover(["diff", bundle, folder])
        #expect(fast.status == 0, "\(fast.stdout)\(fast.stderr)")
        let verified = try handover(["diff", bundle, folder, "--verify"])
        #expect(verified.status == 2, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.contains("fails verification"), "\(verified.stderr)")
        #expect(verified.stderr.contains("servers.csv"), "\(verified.stderr)")
        #expect(!verified.stderr.contains("Fatal error"))
    }

    @Test("A bundle against a file or folder that is not a bundle: could not run (exit 2)")
    func notABundle() throws {
        let fixture = try bundleSource()
        let bundle = try fixture.buildBundle("bundle.tar")
        let text = try fixture.temp.write("notes.txt", "just some notes\n")
        for other in [text, fixture.source, fixture.temp.path("absent.tar")] {
            let result = try handover(["diff", bundle, other])
            #expect(result.status == 2, "\(other): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.hasPrefix("handover: error: "), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let folder = try handover(["diff", fixture.source, bundle])
        #expect(folder.stderr.contains("is not a bundle: it has no bagit.txt"), "\(folder.stderr)")
    }
}
