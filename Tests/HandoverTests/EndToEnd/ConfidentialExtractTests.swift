import Foundation
import HandoverKit
import Testing

/// The break-glass passwords, in a row of the confidential CSV: this string must never appear
/// in a bundle's bytes.
let breakGlassSecret = "Zebra-Plaintext-4711"

/// The confidential deliverable, as YAML list items for `manifestText`.
let breakGlassDeliverable = """
      - id: break-glass
        title: Break-glass accounts
        paths: ["secrets/*.csv"]
        confidential: true
        csv:
          required-columns: [account, password]

    """

/// An export with a plain deliverable and a confidential one holding passwords, one file of it
/// larger than several age chunks.
func confidentialSource() throws -> SourceFixture {
    let bigRows = (0..<6000).map { "svc\($0),\(breakGlassSecret)-\($0)\n" }.joined()
    return try SourceFixture(manifest: manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*.csv"]
            csv:
              required-columns: [account, system, role]

        """ + breakGlassDeliverable), files: [
            "access/accounts.csv": "account,system,role\nalice,erp,admin\n",
            "secrets/break-glass.csv": "account,password\nroot,\(breakGlassSecret)\n",
            "secrets/services.csv": "account,password\n" + bigRows,
        ])
}

/// Two recipients who may read the secrets, and a third person who may not.
struct AgeParties {
    let tools: AgeTools
    let keys: TempDirectory
    let first, second, stranger: (path: String, recipient: String)

    init() throws {
        tools = try AgeTools()
        keys = try TempDirectory("handover-keys")
        first = try tools.newIdentity(in: keys, "first.txt")
        second = try tools.newIdentity(in: keys, "second.txt")
        stranger = try tools.newIdentity(in: keys, "stranger.txt")
    }

    /// `--recipient` for the first, `--recipients-file` for the second (age's own format).
    func buildArguments() throws -> [String] {
        let file = try keys.write("recipients.txt", "# the next provider\n\(second.recipient)\n")
        return ["--recipient", first.recipient, "--recipients-file", file]
    }
}

func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
    let bytes = Array(needle.utf8)
    guard bytes.count <= haystack.count else { return false }
    return (0...(haystack.count - bytes.count)).contains { haystack[$0..<($0 + bytes.count)].elementsEqual(bytes) }
}

@Suite("Confidential deliverables: encrypted in the bundle, decrypted by extract --identity")
struct ConfidentialExtractTests {
    @Test("Our ciphertext opens with the real age for each recipient; no plaintext is in the bundle's bytes; verify needs no key")
    func encryptedForEachRecipient() throws {
        let parties = try AgeParties()
        let fixture = try confidentialSource()
        let work = try TempDirectory("handover-confidential")
        let bundle = try buildBundle(fixture, output: work.path("acme.tar.zst"), extra: try parties.buildArguments())

        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        let raw = Array(try Data(contentsOf: URL(fileURLWithPath: bundle)))
        let tar = try filter("zstd", ["-dc"], raw, install: "apt-get install zstd")
        #expect(tar.count > raw.count)
        #expect(!contains(raw, breakGlassSecret) && !contains(tar, breakGlassSecret))
        #expect(contains(tar, "alice,erp,admin"), "the search does find a plain deliverable")

        let unpacked = work.path("bsdtar")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try runProcess(try requireTool("bsdtar", install: "apt-get install libarchive-tools"), ["-xf", bundle, "-C", unpacked]).status == 0)
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: unpacked).first)
        for (relative, bytes) in try filesUnder(unpacked) {
            #expect(!contains(Array(bytes), breakGlassSecret), "\(relative) holds the secret")
        }
        for name in ["break-glass.csv", "services.csv"] {
            let sealed = "\(unpacked)/\(bag)/data/secrets/\(name).age"
            #expect(!FileManager.default.fileExists(atPath: "\(unpacked)/\(bag)/data/secrets/\(name)"))
            for key in [parties.first, parties.second] {
                let opened = try runProcess(parties.tools.age, ["-d", "-i", key.path, sealed])
                #expect(opened.status == 0, "\(opened.stderr)")
                #expect(opened.stdoutData == (try Data(contentsOf: URL(fileURLWithPath: fixture.path("secrets/\(name)")))))
            }
            #expect(try runProcess(parties.tools.age, ["-d", "-i", parties.stranger.path, sealed]).status != 0)
        }

        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(unpacked)/\(bag)/handover/report.json")))
        let text = String(decoding: try JSONSerialization.data(withJSONObject: report), as: UTF8.self)
        #expect(text.contains(parties.first.recipient) && text.contains(parties.second.recipient), "\(text.prefix(2000))")
        #expect(!text.contains(parties.stranger.recipient))
    }

    @Test("extract without --identity writes the ciphertext as it is, and a valid bag")
    func withoutIdentity() throws {
        let parties = try AgeParties()
        let fixture = try confidentialSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar.gz"), extra: try parties.buildArguments())
        try sandbox.refresh()
        let result = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("2 confidential files were written encrypted (.age); give --identity FILE to decrypt"))
        let files = try filesUnder(sandbox.target)
        #expect(files["data/secrets/break-glass.csv.age"] != nil && files["data/secrets/break-glass.csv"] == nil)
        for (relative, bytes) in files { #expect(!contains(Array(bytes), breakGlassSecret), "\(relative) holds the secret") }
        let bagit = try requireTool("bagit.py", install: "pip install bagit")
        #expect(try runProcess(bagit, ["--validate", "--quiet", sandbox.target]).status == 0)
        try sandbox.outsideUnchanged()
    }

    @Test("Each recipient's identity decrypts on the way out (0600); a third key cannot, and nothing is written")
    func decryptOnExtract() throws {
        let parties = try AgeParties()
        let fixture = try confidentialSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar.zst"), extra: try parties.buildArguments())
        try sandbox.refresh()
        for (index, identities) in [[parties.first.path], [parties.second.path], [parties.stranger.path, parties.first.path]].enumerated() {
            let target = sandbox.temp.path("out-\(index)")
            let result = try handover(["extract", bundle, "--to", target] + identities.flatMap { ["--identity", $0] })
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("decrypted data/secrets/break-glass.csv"))
            for name in ["break-glass.csv", "services.csv"] {
                let plain = "\(target)/data/secrets/\(name)"
                #expect(try Data(contentsOf: URL(fileURLWithPath: plain)) == Data(contentsOf: URL(fileURLWithPath: fixture.path("secrets/\(name)"))))
                #expect(mode(of: plain).map { $0 & 0o7777 } == 0o600)
                #expect(!FileManager.default.fileExists(atPath: plain + ".age"))
            }
        }
        let sandboxAfter = try FolderSnapshot(sandbox.temp.path)
        let refused = try handover(["extract", bundle, "--to", sandbox.target, "--identity", parties.stranger.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("None of the given identities can decrypt data/secrets/"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
        #expect(try FolderSnapshot(sandbox.temp.path) == sandboxAfter, "nothing written anywhere")
    }

    @Test("A confidential deliverable and no recipient: exit 2, nothing written")
    func noRecipient() throws {
        let fixture = try confidentialSource()
        let work = try TempDirectory("handover-norecipient")
        let result = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", work.path("acme.tar.zst")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("break-glass is confidential, and no recipient was given"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).isEmpty)
    }

    @Test("The secrets check spares the confidential deliverable and still flags another one")
    func secretsCheck() throws {
        let parties = try AgeParties()
        let fixture = try confidentialSource()
        let clean = try fixture.missing()
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(!clean.stdout.contains("secrets/break-glass.csv:"))

        try fixture.write("access/passwords.csv", "account,system,role,password\nbob,erp,user,hunter2\n")
        let flagged = try fixture.missing()
        #expect(flagged.status == 1)
        #expect(flagged.stdout.contains("access/passwords.csv: holds"), "\(flagged.stdout)")
        #expect(!flagged.stdout.contains("secrets/break-glass.csv: holds"))
        #expect(!flagged.stdout.contains("hunter2"))

        let work = try TempDirectory("handover-secrets")
        let built = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", work.path("acme.tar")] + parties.buildArguments())
        #expect(built.status == 1)
        #expect(built.stdout.contains("access/passwords.csv: holds"), "\(built.stdout)")
        #expect(!built.stdout.contains("secrets/break-glass.csv: holds"))
        #expect(!FileManager.default.fileExists(atPath: work.path("acme.tar")))
    }
}
