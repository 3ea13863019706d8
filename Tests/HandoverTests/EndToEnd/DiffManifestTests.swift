import Foundation
import Testing

/// The contract's list of deliverables can change between deliveries too: diff says how.
@Suite("handover diff: manifest and tag-only changes")
struct DiffManifestTests {
    @Test("A deliverable added to the manifest, and a redefined one, are named; the payload alone unchanged")
    func manifestChanges() throws {
        let fixture = try bundleSource()
        let first = try fixture.buildBundle("first.tar")
        var text = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "title: Technical documentation", with: "title: Technical documentation, current")
        text += """
              - id: tickets
                title: Ticket history
                required: false
                paths: ["tickets/**"]

            """
        try fixture.setManifest(text)
        let second = try fixture.buildBundle("second.tar")
        let result = try handover(["diff", first, second])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("handover/manifest.yaml: changed; deliverables added: tickets; redefined: documentation"), "\(result.stdout)")
        #expect(result.stdout.contains("Result: the deliveries differ: 0 added, 0 removed, 0 changed, 0 moved, 4 unchanged"), "\(result.stdout)")
        let json = try jsonObject(try handover(["diff", first, second, "--format", "json"]))
        let manifest = try #require(json["manifest"] as? [String: Any])
        #expect(manifest["deliverablesAdded"] as? [String] == ["tickets"])
        #expect(manifest["deliverablesChanged"] as? [String] == ["documentation"])
        #expect(manifest["deliverablesRemoved"] as? [String] == [])
    }

    @Test("Only a tag file differs: the deliveries differ (exit 1) and the file is named")
    func tagOnly() throws {
        let fixture = try bundleSource()
        let bundle = try fixture.buildBundle("bundle.tar")
        let folder = try StandardTools.extract(bundle, into: fixture.temp.path("unpacked"))
        // A tag file of the receiver's, listed in the tag manifest as bagit.py would list it.
        try Data("seen by the receiver\n".utf8).write(to: URL(fileURLWithPath: folder + "/handover/notes.txt"))
        let line = "\(try sha256sum(folder + "/handover/notes.txt"))  handover/notes.txt\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/tagmanifest-sha256.txt"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.close()
        let result = try handover(["diff", bundle, folder])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Other tag files: handover/notes.txt added"), "\(result.stdout)")
        #expect(result.stdout.contains("0 added, 0 removed, 0 changed, 0 moved, 4 unchanged"))
    }
}
