import Foundation
@testable import HandoverKit
import Testing

@Suite("A manifest whose handover: section still holds the template's placeholders is not ready")
struct PlaceholderTests {
    @Test("every shipped template's parties are placeholders", arguments: ManifestTemplates.all.map(\.name))
    func templates(_ name: String) throws {
        let template = try #require(ManifestTemplates.named(name))
        let manifest = try ManifestParser.parse(template.bytes, fileName: name)
        #expect(Placeholders.unfilled(manifest.parties).map(\.key) == ["contract", "client", "provider", "recipient"])
    }

    @Test("missing says which are not filled in and fails, until they are changed")
    func missing() throws {
        let fixture = try bundleSource()
        let filled = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        try fixture.setManifest(filled.replacingOccurrences(of: "client: Acme SA", with: "client: Client name")
            .replacingOccurrences(of: "contract: CTR-2023-042", with: "contract: ' CTR-0000-000'"))
        let result = try fixture.missing()
        #expect(result.status == 1)
        #expect(result.stdout.contains("NOT FILLED IN"))
        #expect(result.stdout.contains("handover.client is still the template's \"Client name\"; write the client named in the contract"))
        #expect(result.stdout.contains("handover.contract is still the template's \" CTR-0000-000\""))
        #expect(result.stdout.hasSuffix("Result: all 3 required deliverables are ready, but the manifest is not: fill in handover.contract, handover.client.\n"), "\(result.stdout)")
        let json = try jsonObject(try fixture.missing(["--format", "json"]))
        #expect(json["passed"] as? Bool == false)
        #expect((json["notFilledIn"] as? [[String: String]])?.map { $0["key"] ?? "" } == ["contract", "client"])
        #expect(ProblemSentences.sentence(.notFilledIn, ["key": "client", "value": "Client name"], in: .fr, escape: { $0 })
            == "handover.client vaut encore « Client name », la valeur du modèle ; écrivez celle du contrat")

        try fixture.setManifest(filled)
        #expect(try fixture.missing().status == 0)
    }

    @Test("build refuses a manifest not filled in, unless --allow-incomplete")
    func build() throws {
        let fixture = try bundleSource()
        let filled = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        try fixture.setManifest(filled.replacingOccurrences(of: "provider: Infogerance Ouest SAS", with: "provider: Outgoing provider name"))
        let output = fixture.temp.path("draft.tar")
        let refused = try fixture.build(to: output)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("still holds the template's placeholders (handover.provider)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--allow-incomplete"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let draft = try fixture.build(to: output, ["--allow-incomplete"])
        #expect(draft.status == 0, "\(draft.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))

        // The draft verifies as incomplete, and says why: the placeholder, not fetch.txt.
        let verify = try handover(["verify", output])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("handover.provider not filled in"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("fetch.txt"), "\(verify.stdout)")
        let quiet = try handover(["verify", output, "-q"])
        #expect(quiet.status == 1 && (quiet.stdout + quiet.stderr).contains("handover.provider is not filled in"), "\(quiet.stdout)\(quiet.stderr)")
        let missing = try handover(["missing", output])
        #expect(missing.stdout.contains("handover.provider not filled in"), "\(missing.stdout)")
    }
}
