import Foundation
@testable import HandoverKit
import Testing

@Suite("The French procès-verbal says it the French way: elision and agreement")
struct FrenchGrammarTests {
    let french = ReportStrings(.fr)
    let english = ReportStrings(.en)

    @Test("de becomes d' before a vowel or a mute h, and stays before a consonant or an aspirated h")
    func elision() {
        #expect(french.format(.introduction, "Acme SA", "Armor", "CTR-1")
            == "Réversibilité du service informatique d'Acme SA au profit d'Armor, au titre du contrat CTR-1.")
        #expect(french.format(.introduction, "Nouveau SAS", "Hôpital Nord", "CTR-1").contains("de Nouveau SAS au profit d'Hôpital Nord"))
        #expect(french.format(.introduction, "Hachette", "Yaoundé Télécom", "CTR-1").contains("de Hachette au profit de Yaoundé Télécom"))
        #expect(french.format(.introduction, "Écluse", "Yvelines Numérique", "CTR-1").contains("d'Écluse au profit d'Yvelines Numérique"))
        // English never elides, and a value that starts with markup is left alone.
        #expect(english.format(.introduction, "Acme SA", "Armor", "CTR-1").contains("of Acme SA to Armor"))
        #expect(french.format(.introduction, "&amp; Co", "<code>x</code>", "CTR-1").contains("de &amp; Co au profit de <code>x</code>"))
    }

    @Test("counts agree with their words in both languages: 1 destinataire, 2 destinataires, 0 fichier, 0 files")
    func agreement() {
        #expect(french.format(.encrypted, french.files(1), "1", counts: 1, 1) == "1 fichier chiffré avec age pour 1 destinataire")
        #expect(french.format(.encrypted, french.files(3), "2", counts: 3, 2) == "3 fichiers chiffrés avec age pour 2 destinataires")
        #expect(english.format(.encrypted, english.files(1), "1", counts: 1, 1) == "1 file encrypted with age for 1 recipient")
        #expect(english.format(.encrypted, english.files(2), "3", counts: 2, 3) == "2 files encrypted with age for 3 recipients")
        #expect(french.files(0) == "0 fichier")
        #expect(english.files(0) == "0 files")
        #expect(french.format(.explainBundleIncomplete, "1", "3", counts: 1, 3)
            == "L'archive est intacte, mais 1 livrable obligatoire sur 3 est manquant ou non conforme.")
        #expect(french.format(.explainBundleIncomplete, "2", "3", counts: 2, 3)
            == "L'archive est intacte, mais 2 livrables obligatoires sur 3 sont manquants ou non conformes.")
        #expect(english.format(.explainBundleIncomplete, "1", "3", counts: 1, 3) == "The bundle is intact, but 1 of 3 required deliverables is missing or invalid.")
        #expect(french.format(.explainBundleComplete, "1", counts: 1).contains("l'unique livrable obligatoire est livré"))
        #expect(french.format(.explainBundleComplete, "20", counts: 20).contains("les 20 livrables obligatoires sont tous livrés"))
        #expect(french.format(.integrityFailed, "1", counts: 1) == "EN ÉCHEC : 1 anomalie")
        #expect(french.format(.copies, "3", counts: 3) == "Fait en 3 exemplaires, un pour chaque partie.")
        #expect(french.count(1, "destinataire", "destinataires") == "1 destinataire")
        #expect(french.count(2, "destinataire", "destinataires") == "2 destinataires")
    }

    @Test("no phrase is left with a placeholder or a form unfilled, whatever the counts")
    func everyPhraseFills() {
        for strings in [french, english] {
            for phrase in Phrase.allCases {
                for count in [0, 1, 2] {
                    let text = strings.format(phrase, "A", "B", "C", "D", "E", "F", "G", "H", counts: count, count, count, count, count, count, count, count)
                    #expect(!text.contains("{") && !text.contains("}") && !text.contains("|"), "\(strings.language) \(phrase): \(text)")
                }
            }
        }
    }

    @Test("no jargon: the French report says l'archive, and names BagIt once, in the technical annex")
    func noJargon() {
        let all = Phrase.allCases.map { french[$0] }
        #expect(!all.contains { $0.localizedCaseInsensitiveContains("sac") })
        #expect(all.filter { $0.contains("BagIt") }.count == 1)
        #expect(french[.technicalNote].contains("BagIt (RFC 8493)"))
    }
}
