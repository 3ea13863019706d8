import Foundation
@testable import HandoverKit
import Testing

/// The report a bundle carries is read by the client, in the language of the handover.
@Suite("build writes handover/report.html in the handover's language: --lang, else handover.language, else English")
struct BuildLanguageTests {
    static let deliverables = """
          - id: access-list
            title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
            category: access
            paths: ["access/*.csv"]
        """

    /// A manifest with `language` (or none) under `handover:`.
    static func manifest(language: String?) -> String {
        var text = manifestText(deliverables: deliverables)
        if let language { text = text.replacingOccurrences(of: "  date: 2026-12-31\n", with: "  date: 2026-12-31\n  language: \(language)\n") }
        return text
    }

    /// Builds with `extra` options and returns the bundle's report.html.
    static func builtReport(_ fixture: SourceFixture, _ name: String, _ extra: [String] = []) throws -> String {
        let bundle = fixture.temp.path("\(name).tar")
        let build = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", bundle] + extra)
        guard build.status == 0 else { throw FixtureError("build failed: \(build.stdout)\(build.stderr)") }
        let bag = try StandardTools.extract(bundle, into: fixture.temp.path("x-\(name)"))
        return try String(contentsOfFile: bag + "/" + BagLayout.reportHTML, encoding: .utf8)
    }

    @Test("handover.language: fr gives a French report; --lang en overrides it; neither gives English")
    func languageOfTheReport() throws {
        let files = ["access/accounts.csv": "account;system\nalice;erp\n"]
        let french = try SourceFixture(manifest: Self.manifest(language: "fr"), files: files)
        let fromManifest = try Self.builtReport(french, "fr")
        #expect(fromManifest.contains("<html lang=\"fr\">"))
        #expect(fromManifest.contains("Procès-verbal de remise"))
        #expect(fromManifest.contains("Comptes et droits d&#39;accès"))
        #expect(fromManifest.contains("Archive intacte et complète."))

        let overridden = try Self.builtReport(french, "en", ["--lang", "en"])
        #expect(overridden.contains("<html lang=\"en\">"))
        #expect(overridden.contains("Accounts and access rights"))

        let plain = try SourceFixture(manifest: Self.manifest(language: nil), files: files)
        #expect(try Self.builtReport(plain, "default").contains("<html lang=\"en\">"))
        let asked = try Self.builtReport(plain, "asked", ["--lang", "fr"])
        #expect(asked.contains("<html lang=\"fr\">"))
        #expect(asked.contains("Remise complète"))
    }

    @Test("a language without tables is refused with the file, the line, the key and the languages there are (exit 2)")
    func unknownLanguage() throws {
        let fixture = try SourceFixture(manifest: Self.manifest(language: "de"), files: ["access/accounts.csv": "account\nalice\n"])
        let output = fixture.temp.path("de.tar")
        for command in [["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output],
                        ["missing", "--manifest", fixture.manifestPath, fixture.source]] {
            let result = try handover(command)
            #expect(result.status == 2, "\(command[0]): \(result.stdout)\(result.stderr)")
            let line = try #require(lineNumber(of: "language: de", in: Self.manifest(language: "de")))
            #expect(result.stderr.contains("handover.yaml:\(line)"), "\(result.stderr)")
            #expect(result.stderr.contains("'language' must be one of the languages reports are written in: en, fr (found 'de')"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))

        try fixture.setManifest(Self.manifest(language: nil))
        let flag = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output, "--lang", "de"])
        #expect(flag.status == 2, "\(flag.stderr)")
        #expect(flag.stderr.contains("--lang"), "\(flag.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("the parser reads handover.language, and the JSON Schema lists the same languages")
    func parserAndSchema() throws {
        let manifest = try ManifestParser.parse(Array(Self.manifest(language: "fr").utf8), fileName: "handover.yaml")
        #expect(manifest.parties.language == .fr)
        #expect(try ManifestParser.parse(Array(Self.manifest(language: nil).utf8), fileName: "handover.yaml").parties.language == nil)
        let schema = try Data(contentsOf: BuildSamplesTests.repository.appendingPathComponent("Manifests/handover-manifest.schema.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: schema) as? [String: Any])
        let handover = try #require((root["properties"] as? [String: Any])?["handover"] as? [String: Any])
        let language = try #require((handover["properties"] as? [String: Any])?["language"] as? [String: Any])
        #expect(language["enum"] as? [String] == ReportLanguage.allCases.map(\.rawValue))
    }
}
