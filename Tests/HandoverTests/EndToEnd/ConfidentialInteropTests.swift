import Foundation
import HandoverKit
import Testing

/// A bundle made without handover: the confidential file is encrypted by the real `age -r`,
/// bagit-python bags the folder, handover/manifest.yaml is added (and listed in the tag
/// manifest), and bsdtar packs it.
func handmadeConfidentialBundle(in work: TempDirectory, plaintext: String, recipient: String, tools: AgeTools) throws -> String {
    let bagit = try requireTool("bagit.py", install: "pip install bagit")
    let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
    let bag = work.path("bags/acme-handmade")
    try FileManager.default.createDirectory(atPath: bag + "/secrets", withIntermediateDirectories: true)
    let plain = try work.write("plain.csv", plaintext)
    let sealed = try runProcess(tools.age, ["-r", recipient, "-o", bag + "/secrets/break-glass.csv.age", plain])
    guard sealed.status == 0 else { throw FixtureError("age -r failed: \(sealed.stderr)") }
    let bagged = try runProcess(bagit, ["--sha256", "--quiet", bag])
    guard bagged.status == 0 else { throw FixtureError("bagit.py failed: \(bagged.stderr)") }
    let manifest = manifestText(deliverables: breakGlassDeliverable)
    try FileManager.default.createDirectory(atPath: bag + "/handover", withIntermediateDirectories: true)
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: bag + "/handover/manifest.yaml"))
    let line = "\(HandmadeBag.sha256(Array(manifest.utf8)))  handover/manifest.yaml\n"
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: bag + "/tagmanifest-sha256.txt"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(line.utf8))
    try handle.close()
    let bundle = work.path("handmade.tar")
    let packed = try runProcess(bsdtar, ["-cf", bundle, "-C", work.path("bags"), "acme-handmade"])
    guard packed.status == 0 else { throw FixtureError("bsdtar failed: \(packed.stderr)") }
    return bundle
}

@Suite("Confidential files encrypted by the real age are decrypted by extract")
struct ConfidentialInteropTests {
    @Test("age -r ciphertext in a bag made by bagit-python: verify needs no key, extract --identity decrypts")
    func realAgeCiphertext() throws {
        let parties = try AgeParties()
        let work = try TempDirectory("handover-handmade")
        let plaintext = "account,password\nroot,\(breakGlassSecret)\n"
        let bundle = try handmadeConfidentialBundle(in: work, plaintext: plaintext, recipient: parties.first.recipient, tools: parties.tools)
        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        let target = work.path("out")
        let result = try handover(["extract", bundle, "--to", target, "--identity", parties.first.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(try String(contentsOfFile: target + "/data/secrets/break-glass.csv", encoding: .utf8) == plaintext)
        #expect(!FileManager.default.fileExists(atPath: target + "/data/secrets/break-glass.csv.age"))

        let refused = try handover(["extract", bundle, "--to", work.path("out2"), "--identity", parties.second.path])
        #expect(refused.status == 1)
        #expect(!FileManager.default.fileExists(atPath: work.path("out2")))
    }

    @Test("A decrypted file that breaks its deliverable's rules: exit 1, nothing written")
    func plaintextBreaksRules() throws {
        let parties = try AgeParties()
        let work = try TempDirectory("handover-handmade")
        let bundle = try handmadeConfidentialBundle(in: work, plaintext: "account,secret\nroot,\(breakGlassSecret)\n",
                                                    recipient: parties.first.recipient, tools: parties.tools)
        // The ciphertext hides the header from verify: only decryption can tell.
        #expect(try handover(["verify", bundle, "--quiet"]).status == 0)
        let target = work.path("out")
        let result = try handover(["extract", bundle, "--to", target, "--identity", parties.first.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("break-glass: secrets/break-glass.csv: the header lacks column password"), "\(result.stderr)")
        #expect(result.stderr.contains("Nothing was written."))
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try handover(["extract", bundle, "--to", target, "--quiet"]).status == 0, "without --identity the ciphertext is extracted")
        // Accepted with --allow-incomplete: written, and each broken rule said as a warning.
        let accepted = work.path("accepted")
        let allowed = try handover(["extract", bundle, "--to", accepted, "--identity", parties.first.path, "--allow-incomplete"])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
        #expect(allowed.stderr.contains("warning: once decrypted, break-glass: secrets/break-glass.csv: the header lacks column password"), "\(allowed.stderr)")
        #expect(FileManager.default.fileExists(atPath: accepted + "/data/secrets/break-glass.csv"))
    }
}
