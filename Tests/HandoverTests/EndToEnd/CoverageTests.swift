import Foundation
import Testing

/// A signed bundle altered outside what its signature covers, as an attacker would: every
/// command that reads it (verify, extract, missing BUNDLE, report) fails, naming the cause.
@Suite("What the signature does not cover is named, and fails a signed bundle")
struct CoverageTests {
    /// One alteration of the unpacked bag, and the words the verdict must contain.
    struct Tamper: CustomStringConvertible, Sendable {
        let description: String
        let cause: String
        let change: @Sendable (String) throws -> Void
    }

    static let tampers: [Tamper] = [
        Tamper(description: "a payload file deleted, fetch.txt standing in for it",
               cause: "fetch.txt: is in the bundle but not listed in tagmanifest-sha256.txt") { bag in
            let size = try FileManager.default.attributesOfItem(atPath: bag + "/data/docs/architecture.md")[.size] as? Int ?? 0
            try FileManager.default.removeItem(atPath: bag + "/data/docs/architecture.md")
            try Data("https://files.example.net/architecture.md \(size) data/docs/architecture.md\n".utf8)
                .write(to: URL(fileURLWithPath: bag + "/fetch.txt"))
        },
        Tamper(description: "an extra tag file at the top",
               cause: "IMPORTANT-read-first.html: is in the bundle but not listed in tagmanifest-sha256.txt") { bag in
            try Data("<p>Send the payment to IBAN FR76…</p>\n".utf8).write(to: URL(fileURLWithPath: bag + "/IMPORTANT-read-first.html"))
        },
        Tamper(description: "an extra tag file under handover/",
               cause: "handover/IMPORTANT.html: is in the bundle but not listed in tagmanifest-sha256.txt") { bag in
            try Data("<p>New bank details</p>\n".utf8).write(to: URL(fileURLWithPath: bag + "/handover/IMPORTANT.html"))
        },
        Tamper(description: "a payload manifest line duplicated",
               cause: "is listed twice (first on line") { bag in
            let manifest = bag + "/manifest-sha256.txt"
            let text = try String(contentsOfFile: manifest, encoding: .utf8)
            let first = try #require(text.split(separator: "\n").first)
            try Data((text + first + "\n").utf8).write(to: URL(fileURLWithPath: manifest))
            try rehash(manifest: bag + "/tagmanifest-sha256.txt", path: "manifest-sha256.txt", to: try sha256sum(manifest))
        },
    ]

    @Test("verify, extract, missing and report all fail, naming the cause", arguments: tampers)
    func tampered(_ tamper: Tamper) throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key])
        let bag = try stage.unpack()
        try tamper.change(bag)
        try stage.repack(bag, as: "altered.tar")
        let altered = stage.path("altered.tar")

        for trust in [["--allowed-signers", signer.allowed], []] {
            let verify = try stage.verify("altered.tar", trust)
            #expect(verify.status == 1, "\(tamper) \(trust): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains(tamper.cause), "\(tamper): \(verify.stdout)")
            #expect(verify.stdout.contains("Result: INVALID") || verify.stdout.contains("Result: INCOMPLETE"), "\(verify.stdout)")
        }

        let target = stage.path("out")
        let extract = try handover(["extract", altered, "--to", target, "--allowed-signers", signer.allowed])
        #expect(extract.status == 1, "\(extract.stdout)\(extract.stderr)")
        #expect(extract.stdout.contains(tamper.cause), "\(extract.stdout)")
        #expect(!FileManager.default.fileExists(atPath: target), "nothing is written for an altered bundle")

        let missing = try handover(["missing", altered])
        #expect(missing.status == 1, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stderr.contains("fails verification"), "\(missing.stderr)")
        #expect(missing.stderr.contains(tamper.cause), "\(missing.stderr)")

        let reportPath = stage.path("report.json")
        let report = try handover(["report", altered, "--output", reportPath])
        #expect(report.status == 1, "\(report.stdout)\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [String: Any])
        #expect(json["verdict"] as? String == "invalid", "a red report")
        let html = try handover(["report", altered, "--output", stage.path("report.html")])
        #expect(html.status == 1)
        #expect(try String(contentsOfFile: stage.path("report.html"), encoding: .utf8).contains("class=\"verdict v-invalid\""))
    }

    @Test("an unsigned bag from another tool may carry an unlisted tag file: a warning that names it")
    func unsignedUnlistedIsAWarning() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack()
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: bag + "/README-provider.txt"))
        let verify = try handover(["verify", bag])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("warning: README-provider.txt: is not listed in any tag manifest"), "\(verify.stderr)")
        let json = try jsonObject(try handover(["verify", bag, "--format", "json"]))
        let integrity = try #require(json["integrity"] as? [String: Any])
        #expect(integrity["unlistedEntries"] as? [String] == ["README-provider.txt"])
    }

    @Test("a lying .sha256 beside the archive fails verify, extract, missing and report, naming both digests")
    func lyingSidecar() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bundle = stage.path("bundle.tar")
        let real = try sha256sum(bundle)
        let fake = String(repeating: "ab", count: 32)
        try Data("\(fake)  bundle.tar\n".utf8).write(to: URL(fileURLWithPath: bundle + ".sha256"))

        let verify = try stage.verify()
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Archive checksum: FAILED"), "\(verify.stdout)")
        #expect(verify.stdout.contains(real) && verify.stdout.contains(fake), "both digests named: \(verify.stdout)")
        let json = try jsonObject(try stage.verify("bundle.tar", ["--format", "json"]))
        let archive = try #require(json["archive"] as? [String: Any])
        #expect(archive["matches"] as? Bool == false)
        #expect(archive["sha256"] as? String == real)
        #expect(archive["expected"] as? String == fake)

        let target = stage.path("out")
        let extract = try handover(["extract", bundle, "--to", target])
        #expect(extract.status == 1)
        #expect(!FileManager.default.fileExists(atPath: target))
        let missing = try handover(["missing", bundle])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains(fake), "\(missing.stderr)")
        let report = try handover(["report", bundle, "--output", stage.path("r.md")])
        #expect(report.status == 1)
        let markdown = try String(contentsOfFile: stage.path("r.md"), encoding: .utf8)
        #expect(markdown.contains("Bundle not valid"), "\(markdown)")

        // Put right, the same bundle passes.
        try Data("\(real)  bundle.tar\n".utf8).write(to: URL(fileURLWithPath: bundle + ".sha256"))
        let fixed = try stage.verify()
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(fixed.stdout.contains("Archive checksum: matches"))
    }

    @Test("--quiet prints nothing for a bundle that passes, and why for one that fails")
    func quietNeverHidesTheReason() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let ok = try stage.verify("bundle.tar", ["-q"])
        #expect(ok.status == 0)
        #expect(ok.stdout.isEmpty && !ok.stderr.contains("error"), "\(ok.stdout)\(ok.stderr)")

        try Data("\(String(repeating: "0", count: 64))  bundle.tar\n".utf8).write(to: URL(fileURLWithPath: stage.path("bundle.tar.sha256")))
        let failed = try stage.verify("bundle.tar", ["-q"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("The archive's SHA-256 is"), "\(failed.stderr)")

        let required = try stage.verify("bundle.tar", ["--quiet", "--require-signature"])
        #expect(required.stderr.contains("not signed, but a signature by a trusted key was required"), "\(required.stderr)")
    }
}
