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
        // The delivered deliverables counted, the others named, so that twenty still fit on the page.
        #expect(receipt.contains("Livré\u{a0}: 3 · Facultatif, absent\u{a0}: <code>backup-plan</code>"), "\(receipt)")

        let english_words = Set(ProcesVerbalTests.englishWords)
        for html in [french, receipt] {
            let words = try ProcesVerbalTests.words(ofFrench: html, names: Self.names + ["Le plan de sauvegarde manque."])
            let found = words.filter(english_words.contains)
            #expect(found.isEmpty, "English in the French rendering: \(found)")
        }
    }

    @Test("Chromium prints the certificate and a receipt, in English and in French, each on one A4 page with nothing past the edge")
    func onePage() throws {
        let stage = try StatementStage()
        #expect(try stage.deletion("c.json").status == 0)
        let reservations = try stage.work.write("reserves.txt", "Le plan de sauvegarde manque.\nLes comptes de service ne sont pas listés.\n")
        #expect(try stage.receipt("r.json", decision: "accepted-with-reservations", ["--reservations", reservations]).status == 0)
        let prints: [(command: String, file: String, lang: String, title: String)] = [
            ("certify", "c.json", "fr", "Certificat"), ("certify", "c.json", "en", "Certificate"),
            ("receipt", "r.json", "fr", "Accusé"), ("receipt", "r.json", "en", "Receipt"),
        ]
        for (command, file, lang, title) in prints {
            _ = try render(stage, command: command, file: file, lang: lang)
            let pages = try ProcesVerbalPrintTests.print(stage.work.path("\(file)-\(lang).html"), in: stage.work)
            #expect(pages.count == 1, "the \(lang) \(command) takes \(pages.count) pages")
            guard let page = pages.first else { continue }
            let text = page.words.map(\.text).joined(separator: " ")
            #expect(text.hasPrefix(title) || text.contains(" \(title) "), "\(lang) \(command): \(text.prefix(300))")
            #expect(text.contains("page 1 / 1"), "\(lang) \(command): \(text.suffix(300))")
            let past = page.words.filter { $0.xMax > page.width }
            #expect(past.isEmpty, "\(lang) \(command): words past the edge: \(past.prefix(5))")
            ProcesVerbalPrintTests.expectNotShrunk(page)
        }
    }

    @Test("the French rendering of an altered, misbound or stranger-signed statement says its problems in French; the English one in English")
    func problemsInFrench() throws {
        let stage = try StatementStage()
        #expect(try stage.deletion("c.json").status == 0)
        #expect(try stage.deletion("stranger.json", key: stage.strangerKey).status == 0)
        let altered = try stage.alterOneByte("c.json", into: "altered.json")
        let cases: [(file: String, bundle: String, french: String, english: String)] = [
            (altered, stage.bundle, "la signature ne correspond pas au contenu de la déclaration", "signature: "),
            (stage.work.path("c.json"), stage.other, "la déclaration porte sur une archive dont l'empreinte SHA-256 est", "bundle: the statement is about an archive"),
            (stage.work.path("stranger.json"), stage.bundle, "la clé qui a signé la déclaration n'est pas admise", "does not list it"),
        ]
        for (index, item) in cases.enumerated() {
            for lang in ["fr", "en"] {
                let output = stage.work.path("problem-\(index)-\(lang).html")
                let result = try handover(["certify", "--check", item.file, "--bundle", item.bundle, "--allowed-signers", stage.providerSigners,
                                           "--html", output, "--lang", lang])
                #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
                let html = try String(contentsOfFile: output, encoding: .utf8)
                let problems = html.components(separatedBy: lang == "fr" ? "<h2>Anomalies</h2>" : "<h2>Problems</h2>").dropFirst().first ?? ""
                #expect(problems.contains(lang == "fr" ? item.french : item.english), "\(lang) \(index): \(problems.prefix(600))")
                // The signer line says what failed: the bytes, nothing, or only the key's trust.
                let signerPhrase: StatementPhrase = [.signatureBad, .signatureGood, .signatureKeyNotListed][index]
                #expect(html.contains(signerPhrase.text(lang == "fr" ? .fr : .en)), "\(lang) \(index): \(html)")
                guard lang == "fr" else { continue }
                let digests = try [stage.bundle, stage.other].map(sha256sum)
                let words = try ProcesVerbalTests.words(ofFrench: html, names: Self.names + digests + [stage.bundle, stage.other, "--tsa-ca"])
                let found = words.filter(Set(ProcesVerbalTests.englishWords).contains)
                #expect(found.isEmpty, "English in the French rendering \(index): \(found)")
                #expect(!problems.contains("signature:") && !problems.contains("bundle:"), "\(problems.prefix(600))")
            }
        }
    }

    @Test("each statement problem has a sentence in both tables; a time-stamp over other bytes is named as the statement's")
    func problemCodes() {
        let codes: [ProblemCode] = [.statementSignatureUnreadable, .statementSignatureInvalid, .statementWrongNamespace, .statementSignerNotAllowed,
                                    .statementSignerMismatch, .statementArchiveMismatch, .statementTagManifestMismatch,
                                    .statementTimestampRequired, .statementTimestampImprint]
        for code in codes {
            for language in ReportLanguage.allCases {
                #expect(ProblemSentences.tables[language]?[code.rawValue] != nil, "\(language): no sentence for \(code.rawValue)")
            }
        }
        #expect(ProblemCode.statementTimestamp(.imprint) == .statementTimestampImprint)
        #expect(ProblemCode.statementTimestamp(.chain) == .timestampFailed(.chain))
        #expect(ProblemCode.statementSignature(.signatureMismatch(fingerprint: "SHA256:x")).0 == .statementSignatureInvalid)
        #expect(ProblemCode.statementSignature(.wrongNamespace(found: "handover", expected: "handover-receipt")).0 == .statementWrongNamespace)
        let french = ProblemSentences.sentence(.statementTimestampImprint, ["message": "The time-stamp is over other content"], in: .fr, escape: { $0 })
        #expect(french == "l'horodatage porte sur un autre contenu que la signature de la déclaration")
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
