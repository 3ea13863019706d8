import Foundation
import HandoverKit
import Testing

/// Deliverables that are not files: a knowledge-transfer session held (a signed attendance sheet)
/// and licences transferred (the provider's statement, a text file in SOURCE).
func attestationSource(files: [String: String] = [:]) throws -> SourceFixture {
    var all = ["access/accounts.csv": "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\n"]
    all.merge(files) { $1 }
    return try SourceFixture(manifest: manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*.csv"]
          - id: knowledge-transfer
            title: {en: Knowledge-transfer sessions held, fr: Transfert de compétences réalisé}
            kind: attestation
            evidence: {path: "attestations/kt-*.pdf"}
          - id: licences
            title: {en: Licences transferred, fr: Licences cédées}
            kind: attestation
            evidence: statement
        """), files: all)
}

let attestationFiles = [
    "attestations/kt-2026-11-30.pdf": "%PDF-1.7\nfeuille d'émargement signée\n",
    "attestations/licences.txt": "Infogerance Ouest SAS atteste avoir cédé à Acme SA les 40 licences ERP qu'elle détenait.\n",
]

@Suite("attestations: deliverables that are not files, attested or not, in missing, build, verify and the report")
struct AttestationTests {
    @Test("missing: without their evidence both are NOT ATTESTED, saying what is expected; exit 1")
    func notAttested() throws {
        let fixture = try attestationSource()
        let result = try fixture.missing()
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("NOT ATTESTED    knowledge-transfer"), "\(result.stdout)")
        #expect(result.stdout.contains("not attested: no signed document matches attestations/kt-*.pdf"))
        #expect(result.stdout.contains("NOT ATTESTED    licences"))
        #expect(result.stdout.contains("not attested: the provider's statement is expected in attestations/licences.txt"))
        #expect(result.stdout.contains("ok              access-list"))
    }

    @Test("missing: with a signed document and a statement both are attested; exit 0; JSON says so")
    func attested() throws {
        let fixture = try attestationSource(files: attestationFiles)
        let result = try fixture.missing()
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("attested        knowledge-transfer  1 file"), "\(result.stdout)")
        #expect(result.stdout.contains("attested        licences"))
        let object = try jsonObject(try fixture.missing(["--format", "json"]))
        let entries = try #require(object["deliverables"] as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == [nil, "attestation", "attestation"])
        #expect(entries.map { $0["evidence"] as? String } == [nil, "signed-document", "statement"])
        #expect(entries.map { $0["attested"] as? Bool } == [nil, true, true])
    }

    @Test("an empty statement is no statement: INVALID")
    func emptyStatement() throws {
        let fixture = try attestationSource(files: ["attestations/kt-1.pdf": "%PDF-1.7\n", "attestations/licences.txt": ""])
        let result = try fixture.missing()
        #expect(result.status == 1)
        #expect(result.stdout.contains("INVALID         licences"), "\(result.stdout)")
        #expect(result.stdout.contains("attestations/licences.txt: the file is empty"))
    }

    @Test("build packs the statement under the payload manifest; missing BUNDLE and verify list the attestation that is not attested")
    func bundle() throws {
        let fixture = try attestationSource(files: ["attestations/licences.txt": attestationFiles["attestations/licences.txt"] ?? ""])
        let refused = try fixture.build(to: fixture.temp.path("refused.tar"))
        #expect(refused.status == 1, "a required attestation not attested stops the build: \(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("NOT ATTESTED    knowledge-transfer"), "\(refused.stdout)")
        let output = try fixture.buildBundle("acme.tar", ["--allow-incomplete"])
        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        let payload = try lines(of: bag + "/manifest-sha256.txt")
        #expect(payload.contains { $0.hasSuffix("  data/attestations/licences.txt") }, "\(payload)")
        #expect(try lines(of: bag + "/tagmanifest-sha256.txt").contains { $0.hasSuffix("  manifest-sha256.txt") })

        let missing = try handover(["missing", output])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("attested        licences"), "\(missing.stdout)")
        #expect(missing.stdout.contains("NOT ATTESTED    knowledge-transfer"))
        let verify = try handover(["verify", output])
        #expect(verify.stdout.contains("NOT ATTESTED knowledge-transfer: Knowledge-transfer sessions held"), "\(verify.stdout)")
        #expect(verify.stdout.contains("not attested: no signed document matches attestations/kt-*.pdf"))
    }

    @Test("the report says Attested / Not attested, in English and in French", arguments: [
        ("en", "Attested", "Not attested", "not attested: no signed document matches attestations/kt-*.pdf"),
        ("fr", "Attesté", "Non attesté", "non attesté : aucun document signé ne correspond à attestations/kt-*.pdf"),
    ])
    func report(_ language: String, _ attested: String, _ notAttested: String, _ sentence: String) throws {
        let fixture = try attestationSource(files: ["attestations/licences.txt": attestationFiles["attestations/licences.txt"] ?? ""])
        let output = try fixture.buildBundle("acme.tar", ["--allow-incomplete"])
        let report = fixture.temp.path("report-\(language).html")
        let result = try handover(["report", output, "--format", "html", "--lang", language, "--output", report])
        #expect(result.status == 1, "\(result.stderr)")
        let text = String(decoding: try fixture.temp.read("report-\(language).html"), as: UTF8.self)
        #expect(text.contains("&nbsp;\(attested)</span>"), "the statement is there")
        #expect(text.contains("&nbsp;\(notAttested)</span>"), "the attendance sheet is not")
        #expect(text.contains(sentence))
    }

    @Test("a malformed attestation exits 2 naming the line", arguments: [
        ("    kind: attestation\n    evidence: statement\n    paths: [\"a/*\"]", "paths:", "takes its file from 'evidence', not 'paths'"),
        ("    paths: [\"a/*\"]\n    evidence: statement", "evidence:", "'evidence' belongs to a deliverable of kind: attestation"),
        ("    kind: attestation", "kind:", "has no 'evidence'"),
        ("    kind: attestation\n    evidence: signed", "evidence:", "'evidence' must be statement or {path: GLOB}"),
        ("    kind: atestation\n    evidence: statement", "kind:", "'kind' must be files or attestation"),
    ])
    func malformed(_ body: String, _ marker: String, _ message: String) throws {
        let text = manifestText(deliverables: "  - id: handed-over\n    title: Accounts handed over in person\n" + body + "\n")
        let fixture = try SourceFixture(manifest: text)
        let result = try fixture.missing()
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        if message.contains("has no 'evidence'") { return } // reported at the deliverable's line
        let line = try #require(lineNumber(of: marker, in: text))
        #expect(result.stderr.contains("handover.yaml:\(line):"), "\(result.stderr)")
    }
}
