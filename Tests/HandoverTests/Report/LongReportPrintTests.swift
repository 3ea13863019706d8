import Foundation
@testable import HandoverKit
import Testing

/// A handover of 2,000 files, as a large ticket history or document store gives: the PV stays
/// signable when printed (every page numbered and marked, nothing past the edge, the signing
/// page whole).
extension ProcesVerbalPrintTests {
    @Test("a 2,000-file bundle prints with page X / Y on every page, nothing wider than the page, and the three signature blocks")
    func longReport() throws {
        // The handover render.sh shoots, made by the same script.
        let temp = try TempDirectory()
        let made = try runProcess("/bin/bash", [S3TestServer.repositoryRoot + "/Tests/Report/long-handover.sh", temp.path("long")])
        try #require(made.status == 0, "\(made.stderr)")
        let bundle = temp.path("long.tar")
        let build = try handover(["build", "--manifest", temp.path("long/handover.yaml"), temp.path("long/export"), "--output", bundle])
        try #require(build.status == 0, "\(build.stdout)\(build.stderr)")
        let html = temp.path("long-fr.html")
        let report = try handover(["report", bundle, "--lang", "fr", "--output", html, "--quiet"])
        #expect(report.status == 0, "\(report.stderr)")
        let json = try handover(["report", bundle, "--format", "json", "--output", "-"])
        let prefix = String(try #require(try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData).bundle?.sha256).prefix(16))
        #expect(try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData).bundle?.payloadFiles == 2_000)

        let pages = try Self.print(html, in: temp)
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
