import Foundation
import HandoverKit
import Testing

/// An auditor, months later, checks the bundle with standard tools alone and reads what it says.
@Suite("A built bundle is a BagIt bag that standard tools accept")
struct BuildBagContentsTests {
    @Test("the .sha256 beside the bundle passes sha256sum -c", arguments: ["tar.zst", "zip"])
    func sidecar(_ ext: String) throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.\(ext)")
        let sidecar = try String(contentsOfFile: output + ".sha256", encoding: .utf8)
        #expect(sidecar.hasSuffix("  acme.\(ext)\n"), "\(sidecar)")
        #expect(sidecar.split(separator: " ").first?.count == 64)
        let check = try runProcess(try requireTool("sha256sum", install: "apt-get install coreutils"),
                                   ["-c", "acme.\(ext).sha256"], currentDirectory: fixture.temp.path("out"))
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout == "acme.\(ext): OK\n")

        // One changed byte, and sha256sum says so.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: output))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: output))
        let tampered = try runProcess("sha256sum", ["-c", "acme.\(ext).sha256"], currentDirectory: fixture.temp.path("out"))
        #expect(tampered.status == 1)
    }

    @Test("the extracted bag passes bagit.py --validate", arguments: bundleExtensions)
    func bagitPythonAccepts(_ ext: String) throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.\(ext)")
        let bag = try StandardTools.extract(output, into: fixture.temp.path("extracted"))
        #expect(URL(fileURLWithPath: bag).lastPathComponent == handoverBagName)
        let validate = try StandardTools.bagitValidate(bag)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        // And the folder verifies as well as the archive.
        let verify = try handover(["verify", bag])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("Bag folder \(bag)\n"))
    }

    @Test("the bag holds one folder with the tag files, the payload and nothing of scratch/")
    func layout() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        let expected = [
            "bag-info.txt", "bagit.txt", "data", "data/access", "data/access/accounts.csv",
            "data/docs", "data/docs/architecture.md", "data/docs/runbooks", "data/docs/runbooks/Procédure de sauvegarde.pdf",
            "data/inventory", "data/inventory/servers.csv",
            "handover", "handover/manifest.yaml", "handover/report.html", "handover/report.json", "manifest-sha256.txt", "tagmanifest-sha256.txt",
        ]
        #expect(pathsUnder(bag) == expected.sorted())
        #expect(try String(contentsOfFile: bag + "/bagit.txt", encoding: .utf8) == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        for path in bundlePayload {
            #expect(try Data(contentsOf: URL(fileURLWithPath: bag + "/data/" + path)) == Data(contentsOf: URL(fileURLWithPath: fixture.path(path))), "\(path)")
        }
        // The tag manifest covers every tag file, and not itself.
        let tagged = try lines(of: bag + "/tagmanifest-sha256.txt").filter { !$0.isEmpty }.map { String($0.split(separator: " ", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
        #expect(Set(tagged) == ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "handover/manifest.yaml", "handover/report.json", "handover/report.html"])
    }

    @Test("--algorithm sha512 adds manifest-sha512.txt and tagmanifest-sha512.txt that bagit.py accepts")
    func sha512() throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.tar.gz", ["--algorithm", "sha512"])
        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        for name in ["manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt", "tagmanifest-sha512.txt"] {
            #expect(FileManager.default.fileExists(atPath: bag + "/" + name), "\(name)")
        }
        let manifest = try lines(of: bag + "/manifest-sha512.txt").filter { !$0.isEmpty }
        #expect(manifest.count == 4)
        let accounts = try #require(manifest.first { $0.hasSuffix("  data/access/accounts.csv") })
        let expected = BagFixture.digest(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.path("access/accounts.csv")))), .sha512)
        #expect(accounts == "\(expected)  data/access/accounts.csv")
        #expect(try StandardTools.bagitValidate(bag).status == 0)
        let json = try jsonObject(try handover(["verify", output, "--format", "json"]))
        let integrity = try #require(json["integrity"] as? [String: Any])
        #expect(integrity["algorithms"] as? [String] == ["sha256", "sha512"])

        let refused = try fixture.build(to: fixture.temp.path("md5.tar"), ["--algorithm", "md5"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--algorithm md5 is not supported"))
    }

    @Test("bag-info.txt carries the handover's fields; Handover-Created is RFC 3339 UTC")
    func bagInfo() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar.xz"), into: fixture.temp.path("x"))
        var fields: [String: String] = [:]
        // Long values are folded on lines that start with white space (RFC 8493 §2.2.2).
        for line in try lines(of: bag + "/bag-info.txt") where !line.isEmpty && !line.hasPrefix(" ") && !line.hasPrefix("\t") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            try #require(parts.count == 2, "\(line)")
            fields[parts[0]] = parts[1]
        }
        let payloadBytes = try bundlePayload.reduce(0) { $0 + (try Data(contentsOf: URL(fileURLWithPath: fixture.path($1)))).count }
        #expect(fields["Bagging-Date"] == "2026-12-31")
        #expect(fields["Payload-Oxum"] == "\(payloadBytes).4")
        #expect(fields["Bag-Size"]?.isEmpty == false)
        #expect(fields["Source-Organization"] == "Infogerance Ouest SAS")
        #expect(fields["External-Identifier"] == "CTR-2023-042")
        #expect(fields["Handover-Client"] == "Acme SA")
        #expect(fields["Handover-Recipient"] == "Nouveau Prestataire SAS")
        #expect(fields["Handover-Created"] == "2026-12-31T12:00:00Z")
        #expect(fields["Bag-Software-Agent"] == HandoverVersion.nameAndVersion)
    }

    @Test("Handover-Created is the build's UTC time when SOURCE_DATE_EPOCH is not set")
    func createdNow() throws {
        let fixture = try bundleSource()
        let before = Timestamp.now.seconds
        let output = try fixture.buildBundle("acme.tar", epoch: nil)
        let after = Timestamp.now.seconds
        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        let created = try #require(try lines(of: bag + "/bag-info.txt").first { $0.hasPrefix("Handover-Created: ") })
        let accepted = (before...after).map { "Handover-Created: \(BagLayout.rfc3339($0))" }
        #expect(accepted.contains(created), "\(created)")
        #expect(created.range(of: #"^Handover-Created: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil)
    }

    @Test("handover/manifest.yaml is the manifest used, byte for byte (comments included)")
    func manifestCopy() throws {
        let fixture = try bundleSource()
        let original = "# Acme's handover, as signed on 2026-12-01  \r\n".utf8 + Array(try Data(contentsOf: URL(fileURLWithPath: fixture.manifestPath)))
        try Data(original).write(to: URL(fileURLWithPath: fixture.manifestPath))
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.zip"), into: fixture.temp.path("x"))
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: bag + "/handover/manifest.yaml"))) == original)
    }

    @Test("handover/report.json lists each deliverable with status, files and bytes")
    func report() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tgz"), into: fixture.temp.path("x"))
        let data = try Data(contentsOf: URL(fileURLWithPath: bag + "/handover/report.json"))
        let report = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(report["passed"] as? Bool == true)
        #expect(report["manifest"] as? String == "handover/manifest.yaml", "the copy in the bundle, not the provider's path")
        let build = try #require(report["build"] as? [String: Any])
        #expect(build["bagName"] as? String == handoverBagName)
        #expect(build["created"] as? String == "2026-12-31T12:00:00Z")
        #expect(build["allowIncomplete"] as? Bool == false)
        #expect(build["payloadFiles"] as? Int == 4)
        let deliverables = try #require(report["deliverables"] as? [[String: Any]])
        #expect(deliverables.compactMap { $0["id"] as? String } == ["access-list", "documentation", "inventories", "backup-plan"])
        #expect(deliverables.compactMap { $0["status"] as? String } == ["ok", "ok", "ok", "optional-absent"])
        #expect(deliverables.compactMap { $0["files"] as? Int } == [1, 2, 1, 0])
        let size = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: fixture.path(path))).count }
        let bytes = deliverables.compactMap { $0["bytes"] as? Int }
        #expect(bytes == [try size("access/accounts.csv"), try size("docs/architecture.md") + size("docs/runbooks/Procédure de sauvegarde.pdf"), try size("inventory/servers.csv"), 0])
        let documentation = try #require(deliverables[1]["fileList"] as? [[String: Any]])
        #expect(documentation.compactMap { $0["path"] as? String } == ["docs/architecture.md", "docs/runbooks/Procédure de sauvegarde.pdf"])
        let notCollected = try #require(report["notCollected"] as? [String: Any])
        #expect(notCollected["files"] as? [String] == ["scratch/notes.txt"])
    }
}
