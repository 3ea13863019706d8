import Foundation
import HandoverKit
import Testing

@Suite("The HTML report is a self-contained document people can sign")
struct ReportHTMLTests {
    @Test("it parses, its tags balance, and it shows every deliverable, the contract and the missing one")
    func content() throws {
        let fixture = try ReportFixture()
        let report = try fixture.report()
        let parsed = try ParsedHTML.parse(ReportHTML.render(report))
        #expect(parsed.balanced, "\(parsed.errors)")
        #expect(parsed.tags.first == "html")
        for title in ["Accounts and access rights", "Technical documentation", "Last restore test report", "Certificate of data return"] {
            #expect(parsed.text.contains(title), "\(title) is not in the report")
        }
        for party in ["CTR-2023-042", "Acme SA", "Infogerance Ouest SAS", "Nouveau Prestataire SAS", "31 December 2026"] {
            #expect(parsed.text.contains(party), "\(party) is not in the report")
        }
        // The missing deliverable: its row is marked, and says so in words and with a symbol.
        let rows = parsed.attributes.filter { $0 == ["tr", "class", "row-missing"] }
        #expect(rows.count == 1)
        #expect(parsed.text.contains("✗ Missing"))
        #expect(parsed.text.contains("○ Optional, absent"))
        #expect(parsed.text.contains("Handover incomplete"))
        #expect(parsed.text.contains("1 of 3 required deliverables is missing or invalid"))
        // Files and sizes, the archive's checksum, and the acceptance block.
        #expect(parsed.text.contains("access/accounts.csv"))
        #expect(parsed.text.contains(report.bundle?.sha256 ?? "no checksum"))
        for words in ["Acceptance", "Received by", "Handed over by", "Reservations or reasons", "☐ Accepted without reservation"] {
            #expect(parsed.text.contains(words), "\(words) is not in the report")
        }
        // Print rules: page breaks between sections, never inside a row.
        #expect(parsed.style.contains("@media print"))
        #expect(parsed.style.contains("break-inside: avoid"))
        #expect(parsed.style.contains(".acceptance { break-before: page"))
    }

    @Test("nothing is fetched from anywhere: no URL, no script, no external style or font")
    func selfContained() throws {
        let html = ReportHTML.render(try ReportFixture().report())
        // The bar chart's fill patterns are referenced within the document (url(#…)), which
        // fetches nothing; any other url( would.
        let withoutLocal = html.lowercased().replacingOccurrences(of: "url(#", with: "")
        for forbidden in ["http", "<script", "src=", "url(", "@import", "<link", "//"] {
            #expect(!withoutLocal.contains(forbidden), "the report contains \(forbidden)")
        }
        let parsed = try ParsedHTML.parse(html)
        let fetching = parsed.attributes.filter { ["src", "href", "xlink:href", "srcset", "action", "data", "poster"].contains($0[1]) }
        #expect(fetching.isEmpty, "\(fetching)")
        #expect(Set(parsed.tags).isDisjoint(with: ["script", "img", "iframe", "object", "embed", "link", "form", "image", "use", "foreignobject"]))
        #expect(parsed.tags.contains("svg"), "the first page's bar chart is inline SVG")
    }

    @Test("names, titles and paths from input are escaped, in HTML and in Markdown")
    func escaping() throws {
        let fixture = try ReportFixture(client: "Acme <u>SA</u> & \"Co\"", docTitle: "<script>alert(1)</script> docs",
                                        docName: "<img src=x onerror=alert(1)>.md")
        let report = try fixture.report()
        let parsed = try ParsedHTML.parse(ReportHTML.render(report))
        #expect(parsed.balanced, "\(parsed.errors)")
        #expect(!parsed.tags.contains("script"))
        #expect(!parsed.tags.contains("img"))
        #expect(!parsed.tags.contains("u"))
        #expect(parsed.text.contains("Acme <u>SA</u> & \"Co\""))
        #expect(parsed.text.contains("<script>alert(1)</script> docs"))
        #expect(parsed.text.contains("docs/<img src=x onerror=alert(1)>.md"))

        let markdown = ReportMarkdown.render(report)
        // Every "<" from input is backslash-escaped, so no renderer can take it for HTML.
        let unescaped = zip(markdown.dropFirst(), markdown).filter { $0.0 == "<" && $0.1 != "\\" }
        #expect(unescaped.isEmpty, "\(markdown)")
        #expect(markdown.contains(#"\<script\>alert(1)\</script\> docs"#))
        #expect(markdown.contains(#"docs/\<img src=x onerror=alert(1)\>.md"#))
    }

    @Test("--lang fr: the statuses, headings and dates are in French")
    func french() throws {
        let html = ReportHTML.render(try ReportFixture().report(), language: .fr)
        let parsed = try ParsedHTML.parse(html)
        #expect(parsed.balanced, "\(parsed.errors)")
        #expect(parsed.attributes.contains(["html", "lang", "fr"]))
        for words in ["Procès-verbal de remise", "✓ Livré", "✗ Manquant", "○ Facultatif, absent", "Remise incomplète",
                      "31 décembre 2026", "Réception", "Reçu par", "Remis par", "Réserves ou motifs", "Prestataire sortant"] {
            #expect(parsed.text.contains(words), "\(words) is not in the French report")
        }
        for english in ["Delivered", "Missing", "Acceptance", "Received by"] {
            #expect(!parsed.text.contains(english), "\(english) is left in the French report")
        }
    }

    @Test("every phrase exists in both languages, with the same placeholders and no markup characters")
    func phraseTables() {
        let english = ReportStrings(.en), french = ReportStrings(.fr)
        for phrase in Phrase.allCases {
            #expect(!english[phrase].isEmpty && !french[phrase].isEmpty, "\(phrase)")
            for index in 1...3 {
                #expect(english[phrase].contains("{\(index)}") == french[phrase].contains("{\(index)}"), "\(phrase) {\(index)}")
            }
            // Filled phrases are inserted as markup, so they must not contain any themselves.
            if english[phrase].contains("{1}") {
                // The bars of a form that agrees with a count ({1|file|files}) are grammar, not markup.
                for text in [english[phrase], french[phrase]].map({ $0.replacing(/\{[0-9]\|/, with: "{").replacingOccurrences(of: "|", with: " ") }) {
                    #expect(!text.contains(where: { "<>&|*`[]_\\".contains($0) }), "\(phrase): \(text)")
                }
            }
        }
        #expect(french.bytes(1_234_567) == "1,2\u{00A0}Mo")
        #expect(english.bytes(1_234_567) == "1.2\u{00A0}MB")
        #expect(french.number(12_345) == "12\u{202F}345")
        #expect(french.day("2026-03-01") == "1er mars 2026")
        #expect(english.time("2026-12-31T12:00:00Z") == "31 December 2026, 12:00 UTC")
    }

    @Test("a payload file altered after the build makes its deliverable invalid and the bundle not valid")
    func tampered() throws {
        let fixture = try ReportFixture()
        let bag = try fixture.extracted()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(bag)/data/access/accounts.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("mallory;erp;admin;no;nobody\n".utf8))
        try handle.close()

        let result = try BundleVerification.verify(path: bag, options: BundleVerification.Options())
        let report = HandoverReport(verified: result, archive: nil, now: ReportFixture.epoch)
        #expect(report.verdict == .invalid)
        #expect(!report.passed)
        let access = try #require(report.deliverables.first { $0.id == "access-list" })
        #expect(access.status == .invalid)
        #expect(access.problems.contains { $0.file == "access/accounts.csv" })
        let parsed = try ParsedHTML.parse(ReportHTML.render(report))
        #expect(parsed.text.contains("Bundle not valid"))
        #expect(parsed.text.contains("a folder, not an archive file"))
    }
}
