import Foundation
import HandoverKit
import Testing

/// A client receives a bag made by another tool (the Library of Congress's bagit-python), as a
/// folder or serialized by bsdtar: `handover verify` accepts it, without a manifest of deliverables.
@Suite("handover verify accepts bags made by bagit-python")
struct VerifyBagitPythonTests {
    /// A bag made by `bagit.py` in `temp/<name>`, with names that need care.
    static func makeBag(in temp: TempDirectory, name: String = "legacy-bag", _ arguments: [String] = []) throws -> String {
        let folder = temp.path(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = [
            "contrats/CTR-2023-042 signé.txt": "Contrat d'infogérance\n",
            "access/accounts.csv": "account,system,role,mfa,owner\nroot,erp,admin,yes,ops\n",
            "exports/clients.json": "[{\"id\": 1}]\n",
        ]
        for (path, contents) in files { try RawFiles.write(folder, Array(path.utf8), Array(contents.utf8)) }
        let result = try runProcess(try StandardTools.bagitPython(), arguments + ["--quiet", "--source-organization", "Infogérance Ouest SAS", folder])
        guard result.status == 0 else { throw FixtureError("bagit.py: \(result.stderr)") }
        return folder
    }

    @Test("a bag folder made by bagit.py verifies: exit 0, no manifest of deliverables to check")
    func folder() throws {
        let temp = try TempDirectory("bagit-python-e2e")
        let bag = try Self.makeBag(in: temp)
        let verify = try handover(["verify", bag])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "\(verify.stderr)")
        #expect(verify.stdout.contains("Integrity: intact and complete, 3 payload files"))
        #expect(verify.stdout.contains("checksums sha256, sha512 match"))
        #expect(verify.stdout.contains("Completeness: not checked, the bag carries no handover/manifest.yaml"))
        #expect(verify.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact, but it is not signed"))
    }

    @Test("a bagit.py bag serialized by bsdtar verifies", arguments: ["tar", "tar.gz", "zip", "tar.zst", "tar.xz"])
    func serialized(_ ext: String) throws {
        let temp = try TempDirectory("bagit-python-e2e")
        let bag = try Self.makeBag(in: temp)
        let archive = temp.path("legacy.\(ext)")
        try StandardTools.pack(bag, to: archive)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("Bundle \(archive)\n"))
        #expect(verify.stdout.contains("Integrity: intact and complete, 3 payload files"))
    }

    @Test("bagit.py's --md5 alone is accepted with a warning on stderr")
    func md5Only() throws {
        let temp = try TempDirectory("bagit-python-e2e")
        let bag = try Self.makeBag(in: temp, ["--md5"])
        let archive = temp.path("legacy.tar")
        try StandardTools.pack(bag, to: archive)
        for target in [bag, archive] {
            let verify = try handover(["verify", target])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stderr.hasPrefix("warning: manifest-md5.txt"), "\(verify.stderr)")
        }
    }

    @Test("bagit.py's bag-info.txt is shown in verify --format json")
    func bagInfoInJSON() throws {
        let temp = try TempDirectory("bagit-python-e2e")
        let bag = try Self.makeBag(in: temp)
        let json = try jsonObject(try handover(["verify", bag, "--format", "json"]))
        let integrity = try #require(json["integrity"] as? [String: Any])
        let bagInfo = try #require(integrity["bagInfo"] as? [[String]])
        #expect(bagInfo.contains(["Source-Organization", "Infogérance Ouest SAS"]))
        #expect(bagInfo.contains { $0.first == "Bag-Software-Agent" && $0.last?.hasPrefix("bagit.py") == true })
        #expect(json["completeness"] == nil, "no manifest of deliverables in a bagit.py bag")
    }
}
