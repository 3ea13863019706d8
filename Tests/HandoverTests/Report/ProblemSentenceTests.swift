import Foundation
@testable import HandoverKit
import Testing

@Suite("Each problem is said in the report's language, from its code and parameters")
struct ProblemSentenceTests {
    @Test("the English message is made from the English table, word for word as the terminal always said it")
    func englishMessages() {
        #expect(Problem(.formatNotAllowed, ["format": "xlsx", "expected": ".csv"]).message == "format .xlsx is not allowed here (expected .csv)")
        #expect(Problem(.noFileMatches, ["globs": "access/*.csv"]).message == "no file matches access/*.csv")
        #expect(Problem(.tooFewFiles, ["found": "1", "minimum": "2"]).message == "found 1 file; at least 2 required")
        #expect(Problem(.tooFewFiles, ["found": "0", "minimum": "2"]).message == "found 0 files; at least 2 required")
        #expect(Problem(.csvMissingColumns, ["count": "2", "missing": "mfa, owner", "found": "account"]).message
            == "the header lacks columns mfa, owner (found: account)")
        #expect(Problem(.emptyFile).message == "the file is empty")
    }

    @Test("every code has a French sentence that uses the same parameters, and no markup characters")
    func frenchTableIsComplete() throws {
        let english = try #require(ProblemSentences.tables[.en])
        let french = try #require(ProblemSentences.tables[.fr])
        let parameter = try Regex(#"\{([a-z-]+)[|}]"#)
        for (code, sentence) in english {
            let translated = try #require(french[code], "no French sentence for \(code)")
            let names = Set(sentence.matches(of: parameter).map { String($0.output[1].substring ?? "") })
            let frenchNames = Set(translated.matches(of: parameter).map { String($0.output[1].substring ?? "") })
            // `reason` and `message` carry an English detail from the format layers (SSHSIG,
            // RFC 3161): a translation says the failure in its own words instead.
            #expect(names.subtracting(["reason", "message"]) == frenchNames, "\(code): \(names) in English, \(frenchNames) in French")
        }
        for sentence in Array(english.values) + Array(french.values) {
            #expect(!sentence.contains(where: { "<>&*`[]_\\".contains($0) }), "\(sentence)")
        }
    }

    @Test("in the French report a problem reads in French; a code without a French sentence shows its English, marked EN")
    func rendered() throws {
        let view = ReportView(try ReportFixture().report(), ReportStrings(.fr), HTMLMarkup())
        let format = Problem(file: "inventaire.xlsx", .formatNotAllowed, ["format": "xlsx", "expected": ".csv, .ods"])
        #expect(view.problem(format) == "<code>inventaire.xlsx</code>: le format .xlsx n'est pas admis ici (formats attendus : .csv, .ods)")
        let old = Problem(file: "a.csv", .tooOld, ["age": "1", "maximum": "30"])
        #expect(view.problem(old).contains("date de 1 jour à la date de remise ; 30 jours au plus"))
        // Parameters come from input: they are escaped like everything else.
        let hostile = Problem(.noFileMatches, ["globs": "<b>x</b>"])
        #expect(view.problem(hostile) == "aucun fichier ne correspond à &lt;b&gt;x&lt;/b&gt;")
        var unknown = Problem("something new happened")
        unknown.code = ProblemCode(rawValue: "from-a-newer-version")
        #expect(view.problem(unknown) == "<span class=\"untranslated\" lang=\"en\"><abbr class=\"lang\">EN</abbr> something new happened</span>")
        // A problem from before codes existed is shown as it was written.
        #expect(ReportView(try ReportFixture().report(), ReportStrings(.en), HTMLMarkup()).problem(Problem("plain")) == "plain")
    }

    @Test("the codes and parameters are in the JSON, and a report without them still reads")
    func json() throws {
        let problem = Problem(file: "a.xlsx", .formatNotAllowed, ["format": "xlsx", "expected": ".csv"])
        let text = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        #expect(text.contains(#""code":"format-not-allowed""#))
        #expect(text.contains(#""format":"xlsx""#))
        let old = try JSONDecoder().decode(Problem.self, from: Data(#"{"file":"a","message":"m"}"#.utf8))
        #expect(old.code == nil && old.message == "m")
    }

    @Test("a manifest title per language is shown in that language, and the other language's, marked, when it lacks one")
    func titles() throws {
        let manifest = try ManifestParser.parse(Array("""
            version: 1
            handover: {contract: C-1, client: Acme SA, provider: Armor SAS, recipient: Acme SA}
            deliverables:
              - id: access-list
                title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
                paths: ["access/*.csv"]
              - id: inventory
                title: {en: Hardware inventory}
                paths: ["inventory/*.csv"]
            """.utf8), fileName: "m.yaml")
        #expect(manifest.deliverables[0].title == "Accounts and access rights")
        #expect(manifest.deliverables[0].titles == ["en": "Accounts and access rights", "fr": "Comptes et droits d'accès"])
        #expect(throws: ManifestError.self) {
            try ManifestParser.parse(Array("""
                version: 1
                handover: {contract: C-1, client: Acme SA, provider: Armor SAS, recipient: Acme SA}
                deliverables:
                  - id: access-list
                    title: {en: Accounts, de: Konten}
                    paths: ["access/*.csv"]
                """.utf8), fileName: "m.yaml")
        }
        var report = try ReportFixture().report()
        report.deliverables[0].titles = ["en": "Accounts and access rights", "fr": "Comptes et droits d'accès"]
        report.deliverables[1].titles = ["en": "Technical documentation"]
        let html = ReportHTML.render(report, language: .fr)
        #expect(html.contains("<span class=\"title\">Comptes et droits d&#39;accès</span>"))
        #expect(html.contains("<span class=\"title\"><span class=\"untranslated\" lang=\"en\"><abbr class=\"lang\">EN</abbr> Technical documentation</span></span>"))
    }

    @Test("an archive that differs from its .sha256 is said in French too, and the English stays as verify prints it")
    func archiveMismatch() throws {
        let fixture = try ReportFixture()
        let wrong = String(repeating: "0", count: 64)
        _ = try fixture.source.temp.write("acme.tar.sha256", "\(wrong)  acme.tar\n")
        let report = try fixture.report()
        let sha256 = try #require(report.bundle?.sha256)
        #expect(report.problems.contains("The archive's SHA-256 is \(sha256), but \(fixture.bundle).sha256 says \(wrong): the file is not the one that was built, or the .sha256 belongs to another file."), "\(report.problems)")
        #expect(report.problemDetails?.last?.code == .archiveChecksumMismatch)
        let html = ReportHTML.render(report, language: .fr)
        #expect(html.contains("L'empreinte SHA-256 de l'archive est \(sha256), mais \(fixture.bundle).sha256 indique \(wrong)"))
        #expect(!html.contains("class=\"untranslated\""))
    }
}
