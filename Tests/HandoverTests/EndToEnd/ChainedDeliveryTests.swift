import Foundation
import Testing

/// The provider delivers twice: the second bundle names the first by its digests, carries what
/// changed, and the receiver checks that the chain is real.
@Suite("Chained deliveries")
struct ChainedDeliveryTests {
    @Test("build --previous records the previous bundle in bag-info.txt, under the tag manifest, with changes.json; bagit.py validates the bag")
    func buildRecordsThePrevious() throws {
        let pair = try DeliveryPair(secondExtra: { ["--previous", $0] })
        let firstBag = try StandardTools.extract(pair.first, into: pair.fixture.temp.path("first"))
        let bag = try StandardTools.extract(pair.second, into: pair.fixture.temp.path("second"))
        let info = try lines(of: bag + "/bag-info.txt")
        #expect(info.contains("Handover-Delivery: 2"), "\(info)")
        #expect(info.contains("Handover-Previous-Bundle: delivery-1.tar"))
        #expect(info.contains("Handover-Previous-SHA256: \(try sha256sum(pair.first))"))
        #expect(info.contains("Handover-Previous-Tagmanifest-SHA256: \(try sha256sum(firstBag + "/tagmanifest-sha256.txt"))"))
        let tagManifest = try lines(of: bag + "/tagmanifest-sha256.txt")
        #expect(tagManifest.contains { $0.hasSuffix("  bag-info.txt") })
        #expect(tagManifest.contains("\(try sha256sum(bag + "/handover/changes.json"))  handover/changes.json"))

        let changes = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bag + "/handover/changes.json"))) as? [String: Any])
        let old = try #require(changes["old"] as? [String: Any])
        #expect(old["path"] as? String == "delivery-1.tar")
        #expect(old["archiveSHA256"] as? String == (try sha256sum(pair.first)))
        #expect(try deliverableChanges(changes, "access-list")["changed"] as? [String] == ["access/accounts.csv"])
        #expect(try deliverableChanges(changes, "inventories")["added"] as? [String] == ["inventory/switches.csv"])
        #expect(try deliverableChanges(changes, "inventories")["removed"] as? [String] == ["inventory/licences.csv"])
        let moved = try deliverableChanges(changes, "documentation")["moved"] as? [[String: String]]
        #expect(moved == [["from": "docs/guide.md", "to": "docs/manuals/guide.md"]])

        let html = try String(contentsOfFile: bag + "/handover/report.html", encoding: .utf8)
        #expect(html.contains("Changes since delivery 1"), "the report inside the bundle has the changes section")
        #expect(html.contains("<code>inventory/switches.csv</code>"))
        let validated = try StandardTools.bagitValidate(bag)
        #expect(validated.status == 0, "bagit.py: \(validated.stdout)\(validated.stderr)")
        // Each delivery is a complete bag on its own.
        let verified = try handover(["verify", pair.second])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("verify --previous confirms the right bundle (exit 0) and refuses another, naming both digests (exit 1)")
    func verifyChecksTheChain() throws {
        let pair = try DeliveryPair(secondExtra: { ["--previous", $0] })
        let good = try handover(["verify", pair.second, "--previous", pair.first])
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("Chain: delivery 2 follows \(pair.first) (archive SHA-256 \(try sha256sum(pair.first))"), "\(good.stdout)")
        #expect(good.stdout.contains("confirmed"))

        // Another bundle, built from the same export a minute later: not the one recorded.
        let other = try pair.fixture.buildBundle("other.tar", epoch: handoverEpoch + 60)
        let bad = try handover(["verify", pair.second, "--previous", other])
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.contains("Chain broken"), "\(bad.stdout)")
        #expect(bad.stdout.contains("Result: INVALID") && !bad.stdout.contains("Result: VALID"), "a broken chain is never valid: \(bad.stdout)")
        let (recorded, actual) = (try sha256sum(pair.first), try sha256sum(other))
        #expect(bad.stdout.contains(recorded) && bad.stdout.contains(actual), "both digests are named: \(bad.stdout)")
        let quiet = try handover(["verify", pair.second, "--previous", other, "--quiet"])
        #expect(quiet.status == 1 && quiet.stderr.contains("Chain broken"), "\(quiet.stderr)")
        let json = try jsonObject(try handover(["verify", pair.second, "--previous", other, "--format", "json"]))
        let previous = try #require(json["previous"] as? [String: Any], "\(json.keys)")
        #expect(previous["outcome"] as? String == "mismatch")
        #expect(json["passed"] as? Bool == false)
        #expect(previous["recordedSHA256"] as? String == (try sha256sum(pair.first)))

        // A first delivery records no previous one: it cannot follow anything.
        let unchained = try handover(["verify", pair.first, "--previous", other])
        #expect(unchained.status == 1 && unchained.stdout.contains("records no previous delivery"), "\(unchained.stdout)")
    }

    @Test("A third delivery is number 3, and the French report says what changed since delivery 2")
    func chainOfThree() throws {
        let pair = try DeliveryPair(secondExtra: { ["--previous", $0] })
        try pair.fixture.write("inventory/printers.csv", "name,os\nprn1,fw\n")
        let third = try pair.fixture.buildBundle("delivery-3.tar", ["--previous", pair.second], epoch: handoverEpoch + 2 * 86_400)
        let verified = try handover(["verify", third, "--previous", pair.second])
        #expect(verified.status == 0 && verified.stdout.contains("Chain: delivery 3 follows"), "\(verified.stdout)\(verified.stderr)")
        let report = try handover(["report", third, "--lang", "fr", "--format", "md", "--output", "-"])
        #expect(report.stdout.contains("Modifications depuis la livraison 2"), "\(report.stdout)")
        #expect(report.stdout.contains("ajouté `inventory/printers.csv`"), "\(report.stdout)")
        let diff = try handover(["diff", pair.second, third])
        #expect(diff.status == 1 && diff.stdout.contains("Handover-Delivery: 2 -> 3"), "\(diff.stdout)")
    }

    @Test("--previous must be a readable bundle archive: a folder or a missing file could not run (exit 2)")
    func previousMustBeABundle() throws {
        let fixture = try bundleSource()
        let first = try fixture.buildBundle("delivery-1.tar")
        let folder = try StandardTools.extract(first, into: fixture.temp.path("unpacked"))
        for previous in [folder, fixture.temp.path("absent.tar")] {
            let result = try fixture.build(to: fixture.temp.path("out/delivery-2.tar"), ["--previous", previous])
            #expect(result.status == 2, "\(previous): \(result.stdout)\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: fixture.temp.path("out/delivery-2.tar")))
        }
    }
}
