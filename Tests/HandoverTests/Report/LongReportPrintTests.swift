import Foundation
@testable import HandoverKit
import Testing

/// A handover of 2,000 files, as a large ticket history or document store gives: the PV stays
/// signable when printed (every page numbered and marked, nothing past the edge, the signing
/// page whole).
extension ProcesVerbalPrintTests {
    @Test("a 2,000-file bundle prints with page X / Y on every page, nothing wider than the page, and the three signature blocks", .timeLimit(.minutes(2)))
    func longReport() throws {
        let source = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
                category: access
                paths: ["access/*.csv"]
              - id: documentation
                title: {en: Technical documentation, fr: Documentation technique}
                category: documentation
                paths: ["docs/**/*"]
              - id: ticket-history
                title: {en: Ticket history, fr: Historique des tickets}
                category: tickets
                paths: ["tickets/**/*.json"]
            """))
        _ = try source.write("access/accounts.csv", "account;system\nalice;erp\n")
        // 1,999 more files in nested folders, with long names, as an export lays them out.
        for index in 0..<1_200 {
            _ = try source.write(String(format: "docs/volume-%02d/procedure-d-exploitation-%04d.md", index / 100, index), "# Procédure \(index)\n")
        }
        for index in 0..<799 {
            _ = try source.write(String(format: "tickets/2026/%02d/INC-%06d-incident-sur-le-serveur-de-messagerie.json", index % 12 + 1, index),
                             "{\"id\": \(index)}\n")
        }
        let bundle = source.temp.path("long.tar")
        let build = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", bundle])
        try #require(build.status == 0, "\(build.stdout)\(build.stderr)")
        let html = source.temp.path("long-fr.html")
        let report = try handover(["report", bundle, "--lang", "fr", "--output", html, "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try handover(["report", bundle, "--format", "json", "--output", "-"])
        let prefix = String(try #require(try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData).bundle?.sha256).prefix(16))
        #expect(try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData).bundle?.payloadFiles == 2_000)

        let pages = try Self.print(html, in: source.temp)
        #expect(pages.count >= 10, "a 2,000-file PV lists its files over many pages, not \(pages.count)")
        if let first = pages.first { Self.expectNotShrunk(first) }
        Self.expectEveryPageMarked(pages, prefix: prefix)
        // The signing page: the provider hands over, the client and the incoming provider receive.
        let signing = try #require(pages.first { $0.words.map(\.text).joined(separator: " ").contains("Remis par") }, "no signing page")
        let text = signing.words.map(\.text).joined(separator: " ")
        #expect(text.components(separatedBy: "Reçu par").count - 1 == 2, "\(text)")
        for party in ["Infogerance Ouest SAS", "Acme SA", "Nouveau Prestataire SAS", "Prestataire sortant", "Nouveau prestataire"] {
            #expect(text.contains(party), "the signing page lacks \(party)")
        }
        #expect(text.components(separatedBy: "Signature").count - 1 >= 3, "three signature boxes")
    }
}
