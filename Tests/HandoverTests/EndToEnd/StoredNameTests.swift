import Foundation
import Testing

/// A confidential file is stored encrypted as `<name>.age`: a file of that very name in another
/// deliverable would make two entries of one name, which build wrote and its own verify refused.
@Suite("Names in the bag: a confidential file's .age name, and backslashes")
struct StoredNameTests {
    @Test("a confidential a.csv and a plain a.csv.age: missing says so, build refuses, even --allow-incomplete")
    func ageNameClash() throws {
        let source = try SourceFixture(manifest: manifestText(deliverables: """
              - id: break-glass
                title: Break-glass accounts
                paths: ["secrets/*.csv"]
                confidential: true
              - id: notes
                title: Notes
                paths: ["secrets/*.age"]
            """), files: [
                "secrets/a.csv": "account,password\nroot,x\n",
                "secrets/a.csv.age": "a note that happens to end in .age\n",
            ])
        let missing = try handover(["missing", "--manifest", source.manifestPath, source.source])
        #expect(missing.status == 1, "\(missing.stdout)")
        #expect(missing.stdout.contains("secrets/a.csv.age: would be stored in the bundle as data/secrets/a.csv.age, the name of secrets/a.csv too"), "\(missing.stdout)")
        #expect(missing.stdout.contains("secrets/a.csv: would be stored in the bundle as data/secrets/a.csv.age, the name of secrets/a.csv.age too"), "\(missing.stdout)")
        let parties = try AgeParties()
        let output = source.temp.path("bundle.tar")
        for extra in [[], ["--allow-incomplete"]] {
            let build = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", output,
                                      "--recipient", parties.first.recipient] + extra)
            #expect(build.status == 1, "\(extra): \(build.stdout)\(build.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(extra): nothing written")
        }
        let forced = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", output,
                                   "--recipient", parties.first.recipient, "--allow-incomplete"])
        #expect(forced.stderr.contains("secrets/a.csv and secrets/a.csv.age would have one name in the bundle"), "\(forced.stderr)")
    }

    @Test("a backslash in a name is one Windows cannot hold: a warning, a problem with --windows-safe")
    func backslash() throws {
        let source = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/*"]
            """), files: ["docs/..\\..\\evil.txt": "x\n", "docs/plain.txt": "y\n"])
        let missing = try handover(["missing", "--manifest", source.manifestPath, source.source])
        #expect(missing.status == 0, "\(missing.stdout)")
        #expect(missing.stdout.contains("note: docs/..\\\\..\\\\evil.txt: holds a character Windows does not allow in a name: \\"), "\(missing.stdout)")
        let safe = try handover(["missing", "--manifest", source.manifestPath, source.source, "--windows-safe"])
        #expect(safe.status == 1, "\(safe.stdout)")
    }
}

@Suite("A confidential deliverable stored unencrypted")
struct StoredUnencryptedTests {
    @Test("the bundle's manifest says confidential, the file is there in plaintext: the deliverable is invalid")
    func plaintextFile() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack()
        // The bundle's copy of the manifest now calls the access list confidential, and the tag
        // manifest is made to match: the bag is intact, its promise is not.
        let copy = bag + "/handover/manifest.yaml"
        let text = try String(contentsOfFile: copy, encoding: .utf8)
        let marked = text.replacingOccurrences(of: "    title: Accounts and access rights\n", with: "    title: Accounts and access rights\n    confidential: true\n")
        try #require(marked != text, "\(text)")
        try Data(marked.utf8).write(to: URL(fileURLWithPath: copy))
        try rehash(manifest: bag + "/tagmanifest-sha256.txt", path: "handover/manifest.yaml", to: try sha256sum(copy))
        try stage.repack(bag, as: "plain.tar")
        let verify = try stage.verify("plain.tar")
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("access/accounts.csv: is stored unencrypted in the bundle, though its deliverable is confidential"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INCOMPLETE"), "\(verify.stdout)")
    }
}

@Suite("inspect says how a confidential deliverable is stored")
struct InspectConfidentialTests {
    @Test("a .age entry replaced by its plaintext: inspect no longer calls the deliverable encrypted")
    func plaintextEntry() throws {
        let parties = try AgeParties()
        let fixture = try confidentialSource()
        let work = try TempDirectory("handover-inspect-confidential")
        let bundle = try buildBundle(fixture, output: work.path("acme.tar"), extra: try parties.buildArguments())
        let encrypted = try handover(["inspect", bundle])
        #expect(encrypted.stdout.contains("Break-glass accounts (confidential, encrypted)"), "\(encrypted.stdout)")

        let unpacked = work.path("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try runProcess("bsdtar", ["-xf", bundle, "-C", unpacked]).status == 0)
        let top = try FileManager.default.contentsOfDirectory(atPath: unpacked)[0]
        let bag = unpacked + "/" + top
        try FileManager.default.removeItem(atPath: bag + "/data/secrets/break-glass.csv.age")
        try fixture.temp.read("source/secrets/break-glass.csv").write(to: URL(fileURLWithPath: bag + "/data/secrets/break-glass.csv"))
        let repacked = work.path("plain.tar")
        #expect(try runProcess("bsdtar", ["-cf", repacked, "-C", unpacked, top]).status == 0)
        let plain = try handover(["inspect", repacked])
        #expect(plain.stdout.contains("Break-glass accounts (confidential, but 1 file is stored unencrypted)"), "\(plain.stdout)")
    }
}
