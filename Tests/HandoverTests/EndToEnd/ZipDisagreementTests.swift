import Foundation
import HandoverKit
import Testing

/// A zip bundle edited so that libarchive and the other zip readers (unzip, Python, Windows)
/// would see different entries, and what `verify` and `extract` must say.
enum ZipTampering: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case swappedNames, undecodableEntry, countTooHigh, countTooLow

    var testDescription: String { rawValue }

    /// What the message must say.
    var message: String {
        switch self {
        case .swappedNames:
            "central directory names entry 5 \"\(handoverBagName)/data/docs/a.md\" but its local header says \"\(handoverBagName)/data/docs/b.md\": zip readers would disagree"
        case .undecodableEntry:
            "entry 15 \"\(handoverBagName)/data/docs/\\xFF\\xFE.md\" is flagged UTF-8 but its name is not valid UTF-8"
        case .countTooHigh:
            "end record counts 15 entries but its central directory holds 14"
        case .countTooLow:
            "end record counts 13 entries but its central directory holds 14"
        }
    }

    /// Edits the bytes of a zip built by `handover build`.
    func apply(to patch: inout ZipPatch) throws {
        switch self {
        case .swappedNames:
            // Same length, so every offset holds; only libarchive (local headers) sees the swap.
            let a = try patch.entry(endingWith: "data/docs/a.md"), b = try patch.entry(endingWith: "data/docs/b.md")
            try patch.renameLocal(a, to: b.name)
            try patch.renameLocal(b, to: a.name)
        case .undecodableEntry:
            // libarchive skips this entry (its name cannot be converted), Python refuses the zip,
            // unzip writes the file: before the structure check, verify passed it.
            patch.append(name: Array("\(handoverBagName)/data/docs/".utf8) + [0xFF, 0xFE] + Array(".md".utf8),
                         contents: Array("unlisted, unseen\n".utf8), flags: 0x0800)
        case .countTooHigh:
            patch.setEndCount(try patch.entries().count + 1)
        case .countTooLow:
            patch.setEndCount(try patch.entries().count - 1)
        }
    }
}

@Suite("Zip bundles that zip readers would read differently: verify, extract, missing and report refuse them")
struct ZipDisagreementTests {
    /// A bundle built by `handover build --output bundle.zip`, with two documents whose paths
    /// have the same length.
    static func source() throws -> SourceFixture {
        try bundleSource(extraFiles: ["docs/a.md": "# A\n", "docs/b.md": "# B, other bytes\n"])
    }

    @Test("each edited zip bundle: exit 1, the cause named, nothing extracted", arguments: ZipTampering.allCases)
    func tampered(_ kind: ZipTampering) throws {
        let source = try Self.source()
        var patch = try ZipPatch(file: try source.buildBundle("bundle.zip"))
        #expect(try patch.entries().count == 14)
        try kind.apply(to: &patch)
        let sandbox = try ExtractSandbox()
        let bundle = try sandbox.bundle("tampered.zip", patch.bytes)

        let verified = try handover(["verify", bundle])
        #expect(verified.status == 1, "verify: \(verified.stdout)\(verified.stderr)")
        #expect(verified.stderr.contains("\(bundle): not intact: "), "verify: \(verified.stderr)")
        #expect(verified.stderr.contains(kind.message), "verify: \(verified.stderr)")
        #expect(!verified.stderr.contains("Fatal error") && !verified.stderr.contains("Stack dump"))

        let missing = try handover(["missing", bundle])
        #expect(missing.status == 1, "missing: \(missing.stdout)\(missing.stderr)")
        #expect(missing.stderr.contains(kind.message), "missing: \(missing.stderr)")
        let reports = try TempDirectory("zip-report")
        let reportPath = reports.path("report.json")
        let report = try handover(["report", bundle, "--output", reportPath])
        #expect(report.status == 1, "report: \(report.stdout)\(report.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [String: Any])
        #expect(json["verdict"] as? String == "invalid", "a red report")
        #expect((json["problems"] as? [String] ?? []).contains { $0.contains(kind.message) }, "report: \(json["problems"] ?? [])")

        let extracted = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(extracted.status == 1, "extract: \(extracted.stdout)\(extracted.stderr)")
        #expect(extracted.stderr.contains(kind.message), "extract: \(extracted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.target), "DIR was created: \(sandbox.targetContents())")
        try FileManager.default.createDirectory(atPath: sandbox.target, withIntermediateDirectories: false)
        #expect(try handover(["extract", bundle, "--to", sandbox.target]).status == 1)
        #expect(sandbox.targetContents().isEmpty)
        try sandbox.outsideUnchanged()
    }

    @Test("the untouched zip bundle verifies and extracts")
    func untouched() throws {
        let source = try Self.source()
        let bundle = try source.buildBundle("bundle.zip")
        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let sandbox = try ExtractSandbox()
        let extracted = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(extracted.status == 0, "\(extracted.stdout)\(extracted.stderr)")
        #expect(FileManager.default.fileExists(atPath: sandbox.target + "/data/docs/b.md"))
        withExtendedLifetime(source) {}
    }

    @Test("a bag made by bagit.py, zipped by bsdtar and by Python's zipfile, verifies", arguments: ["bsdtar", "python"])
    func standardZip(_ tool: String) throws {
        let temp = try TempDirectory("zip-standard")
        try temp.write("acme-bag/access/accounts.csv", "account;owner\nalice;DSI\n")
        try temp.write("acme-bag/docs/Proce\u{0301}dure de sauvegarde.md", "# Sauvegarde\n")
        try temp.write("acme-bag/docs/architecture.md", "# Architecture\n")
        let made = try runProcess(try StandardTools.bagitPython(), ["--quiet", temp.path("acme-bag")])
        try #require(made.status == 0, "bagit.py: \(made.stderr)")
        let archive = temp.path("bag.zip")
        if tool == "bsdtar" {
            try StandardTools.pack(temp.path("acme-bag"), to: archive)
        } else {
            try PythonZip.zip(temp.path("acme-bag"), to: archive)
        }
        #expect(try PythonZip.names(archive).status == 0)
        let verified = try handover(["verify", archive])
        #expect(verified.status == 0, "\(tool): \(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("Integrity: intact and complete, 3 payload files"), "\(verified.stdout)")
    }
}
