import Foundation
@testable import HandoverKit
import Testing

/// The one-page rendering of a checked certificate or receipt, as the parties print it.
@Suite("Certificate and receipt renderings: English, French, one printed page")
struct StatementRenderTests {
    /// Free text the provider or the client wrote, and names: left out before looking for English.
    static let names = ["Jeanne Martin, DSI, Infogérance Ouest SAS", "ERP database and file shares", "LDAP entries, TLS certificates",
                        "Invoices (Code de commerce, L123-22)", StatementStage.client, StatementStage.provider, "CTR-2023-042",
                        "handover", "SHA-256", "jq", "ssh-keygen", "delivery-1.tar", "SSH"]

    func render(_ stage: StatementStage, command: String, file: String, lang: String) throws -> String {
        let signers = command == "certify" ? stage.providerSigners : stage.clientSigners
        let output = stage.work.path("\(file)-\(lang).html")
        let result = try handover([command, "--check", stage.work.path(file), "--bundle", stage.bundle, "--allowed-signers", signers,
                                   "--html", output, "--lang", lang])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    @Test("the deletion certificate and a receipt render in English and in French, the French without an English sentence")
    func bothLanguages() throws {
        let stage = try StatementStage()
        #expect(try stage.deletion("c.json").status == 0)
        let reservations = try stage.work.write("reserves.txt", "Le plan de sauvegarde manque.\n")
        #expect(try stage.receipt("r.json", decision: "accepted-with-reservations", ["--reservations", reservations]).status == 0)

        let english = try render(stage, command: "certify", file: "c.json", lang: "en")
        #expect(english.contains("<html lang=\"en\">") && english.contains("Certificate of deletion"))
        #expect(english.contains("Cryptographic erasure: every copy of the encryption keys destroyed"))
        #expect(english.contains("31 March 2027") && english.contains("until 31 December 2037"))
        #expect(english.contains("Valid statement"))

        let french = try render(stage, command: "certify", file: "c.json", lang: "fr")
        #expect(french.contains("<html lang=\"fr\">") && french.contains("Certificat de suppression des données"))
        #expect(french.contains("Effacement cryptographique") && french.contains("31 mars 2027") && french.contains("jusqu&#39;au 31 décembre 2037"))
        #expect(french.contains("Déclaration valide"))
        let receipt = try render(stage, command: "receipt", file: "r.json", lang: "fr")
        #expect(receipt.contains("Accusé de réception de livraison") && receipt.contains("Livraison acceptée avec réserves"))
        #expect(receipt.contains("Le plan de sauvegarde manque."))

        let english_words = Set(ProcesVerbalTests.englishWords)
        for html in [french, receipt] {
            let words = try ProcesVerbalTests.words(ofFrench: html, names: Self.names + ["Le plan de sauvegarde manque."])
            let found = words.filter(english_words.contains)
            #expect(found.isEmpty, "English in the French rendering: \(found)")
        }
    }

    @Test("Chromium prints the French certificate on one A4 page")
    func onePage() throws {
        let stage = try StatementStage()
        #expect(try stage.deletion("c.json").status == 0)
        _ = try render(stage, command: "certify", file: "c.json", lang: "fr")
        let pages = try ProcesVerbalPrintTests.print(stage.work.path("c.json-fr.html"), in: stage.work)
        #expect(pages.count == 1, "the certificate takes \(pages.count) pages")
        let text = pages.first?.words.map(\.text).joined(separator: " ") ?? ""
        #expect(text.contains("Certificat") && text.contains("page 1 / 1"), "\(text.prefix(300))")
        let past = pages.first?.words.filter { $0.xMax > (pages.first?.width ?? 0) } ?? []
        #expect(past.isEmpty, "words past the edge: \(past.prefix(5))")
    }

    @Test("every phrase of the rendering is in both tables and fills without a placeholder left; French differs from English")
    func phraseTables() {
        for phrase in StatementPhrase.allCases {
            for language in ReportLanguage.allCases {
                let text = ReportGrammar.fill(phrase.text(language), values: ["A", "B", "C"], counts: [], language: language)
                #expect(!text.isEmpty && !text.contains("{") && !text.contains("}"), "\(language) \(phrase): \(text)")
            }
            if phrase != .date { #expect(phrase.text(.fr) != phrase.text(.en), "\(phrase) is not translated") }
        }
    }
}
