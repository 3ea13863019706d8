import Foundation
@testable import HandoverKit
import Testing

/// The shipped samples built and received as render.sh does: complete and signed (verified
/// with the provider's key), incomplete, and tampered (one payload file altered after the build).
final class SampleBundles: @unchecked Sendable {
    let work: TempDirectory
    let complete: String
    let incomplete: String
    let tampered: String
    let allowedSigners: String

    init() throws {
        work = try TempDirectory("handover-pv")
        let manifest = BuildSamplesTests.sample("acme-manifest.yaml")
        let key = try OpenSSH.makeKey(in: work, name: "provider", passphrase: "", comment: EvidenceFixture.principal)
        allowedSigners = try work.write("allowed_signers", try OpenSSH.allowedLine(EvidenceFixture.principal, options: "", pubPath: key + ".pub") + "\n")
        complete = work.path("acme.tar")
        incomplete = work.path("acme-incomplete.tar")
        for (source, output, extra) in [("acme-export", complete, ["--sign", key]), ("acme-export-incomplete", incomplete, ["--allow-incomplete"])] {
            let build = try handover(["build", "--manifest", manifest, BuildSamplesTests.sample(source), "--output", output] + extra)
            guard build.status == 0 else { throw FixtureError("build of \(source) failed: \(build.stdout)\(build.stderr)") }
        }
        tampered = try StandardTools.extract(complete, into: work.path("tampered"))
        let access = try #require(try FileManager.default.contentsOfDirectory(atPath: tampered + "/data/access").sorted().first)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(tampered)/data/access/\(access)"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("mallory;erp;admin;no;nobody\n".utf8))
        try handle.close()
    }

    /// `handover report` on `bundle` in `language`, as HTML; returns the file's path.
    func report(_ bundle: String, _ language: String, _ extra: [String] = []) throws -> String {
        let output = work.path("\(URL(fileURLWithPath: bundle).lastPathComponent)-\(language)-\(extra.count).html")
        let result = try handover(["report", bundle, "--lang", language, "--output", output, "--force", "--quiet"] + extra)
        guard FileManager.default.fileExists(atPath: output) else { throw FixtureError("no report: \(result.stdout)\(result.stderr)") }
        return output
    }
}

@Suite("The procès-verbal a client signs: in French throughout, three parties, reservations, numbered pages")
struct ProcesVerbalTests {
    /// English words a French reader would stumble on. Names (parties, deliverable ids,
    /// categories, the tool's name) and codes (paths, checksums, commands) are left out first.
    static let englishWords = [
        "the", "and", "of", "is", "are", "with", "by", "to", "for", "from", "this", "that", "which", "not", "no",
        "file", "files", "missing", "invalid", "delivered", "required", "optional", "bundle", "deliverable",
        "deliverables", "found", "expected", "allowed", "holds", "empty", "header", "days", "old", "report",
        "problems", "problem", "changed", "checksum", "listed", "signed", "key", "trust", "valid", "made", "built",
        "handed", "received", "accepted", "reservations", "page", "bag", "payload", "none", "anybody",
    ]

    /// The words of the French report outside names and codes.
    static func words(ofFrench html: String, names: [String]) throws -> [String] {
        var text = html
        for element in ["style", "code", "title"] {
            text = text.replacing(try Regex("<\(element)[^>]*>.*?</\(element)>").dotMatchesNewlines(), with: " ")
        }
        var plain = try ParsedHTML.parse(text).text
        for name in names.sorted(by: { $0.count > $1.count }) { plain = plain.replacingOccurrences(of: name, with: " ") }
        return plain.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map { $0.lowercased() }
    }

    /// The French-reader's checklist: French throughout, no English word outside `names` and codes.
    static func expectFrench(_ html: String, names: [String], minimumWords: Int = 200, _ what: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(html.contains("<html lang=\"fr\">"), "\(what) is not in French", sourceLocation: sourceLocation)
        #expect(!html.contains("class=\"untranslated\""), "\(what) falls back to English somewhere", sourceLocation: sourceLocation)
        let words = try Self.words(ofFrench: html, names: names)
        #expect(words.count > minimumWords, "\(what) has too little text to judge", sourceLocation: sourceLocation)
        let left = Set(words).intersection(Set(Self.englishWords))
        #expect(left.isEmpty, "\(what) still says in English: \(left.sorted())", sourceLocation: sourceLocation)
        #expect(!html.contains("Sac BagIt"), sourceLocation: sourceLocation)
    }

    @Test("the French report of each sample (complete and signed, incomplete, tampered) has no English sentence outside names and codes")
    func frenchThroughout() throws {
        let samples = try SampleBundles()
        let renders = [try samples.report(samples.complete, "fr", ["--allowed-signers", samples.allowedSigners]),
                       try samples.report(samples.incomplete, "fr"), try samples.report(samples.tampered, "fr")]
        let json = try handover(["report", samples.complete, "--format", "json", "--output", "-"])
        let report = try JSONDecoder().decode(HandoverReport.self, from: Data(json.stdout.utf8))
        let names = [report.handover.client, report.handover.provider, report.handover.recipient, report.handover.contract,
                     report.tool, "handover", "SHA-256", "RFC", "age", "SSH", "EN"]
            + report.deliverables.flatMap { [$0.id, $0.category ?? ""] }.filter { !$0.isEmpty }
        for (index, path) in renders.enumerated() {
            try Self.expectFrench(try String(contentsOfFile: path, encoding: .utf8), names: names, "render \(index) (\(path))")
        }
        // What each render must say, in French.
        let complete = try String(contentsOfFile: renders[0], encoding: .utf8)
        #expect(complete.contains("Remise complète"))
        #expect(complete.contains("Dossier d&#39;architecture technique"))
        let incomplete = try String(contentsOfFile: renders[1], encoding: .utf8)
        #expect(incomplete.contains("Remise incomplète"))
        #expect(incomplete.contains("aucun fichier ne correspond à"))
        let tampered = try String(contentsOfFile: renders[2], encoding: .utf8)
        #expect(tampered.contains("Archive non valide"))
        #expect(tampered.contains("son empreinte ne correspond plus"))
    }

    @Test("a bundle whose CSV files fail every header rule reads in French too, its report French by handover.language")
    func frenchCSVProblems() throws {
        let manifest = manifestText(deliverables: """
              - id: access-list
                title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
                category: access
                paths: ["access/*.csv"]
                csv:
                  encoding: utf-8
                  required-columns:
                    - {name: account, aliases: [Compte]}
                    - Système
              - id: inventory
                title: {en: Server inventory, fr: Inventaire des serveurs}
                category: infrastructure
                paths: ["inventory/*.csv"]
                csv:
                  header-row: 3
                  required-columns: [hostname]
              - id: contacts
                title: {en: Contacts, fr: Annuaire des contacts}
                category: support
                paths: ["contacts/*.csv"]
                csv:
                  header-row: 2
                  required-columns: [nom]
            """).replacingOccurrences(of: "handover:\n", with: "handover:\n  language: fr\n")
        let source = try SourceFixture(manifest: manifest)
        // "Login;Système" in Windows-1252, though the manifest says UTF-8.
        try source.write("access/comptes.csv", Data(Array("Login;Syst".utf8) + [0xE8] + Array("me\r\njdupont;ERP\r\n".utf8)))
        try source.write("inventory/serveurs.csv", "hostname\r\n")
        try source.write("contacts/annuaire.csv", "Annuaire au 31/12/2026\r\n\r\nnom\r\njdupont\r\n")
        let bundle = source.temp.path("acme.tar")
        let build = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", bundle, "--allow-incomplete"])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")

        // No --lang: the bundle's manifest says fr.
        let output = source.temp.path("pv.html")
        let result = try handover(["report", bundle, "--output", output])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("(html, French)"), "\(result.stdout)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        let names = ["Acme SA", "Infogerance Ouest SAS", "Nouveau Prestataire SAS", "CTR-2023-042", HandoverVersion.nameAndVersion,
                     "handover", "SHA-256", "RFC", "age", "SSH", "access-list", "inventory", "contacts", "access", "infrastructure", "support"]
        try Self.expectFrench(html, names: names, "the French report of the CSV bundle")
        for sentence in ["lu en UTF-8, comme l'indique csv.encoding, bien que ce ne soit pas de l'UTF-8 valide",
                         "les colonnes account (ou Compte), Système manquent",
                         "pas de ligne 3 où lire l'en-tête (csv.header-row: 3) : le fichier compte 1 ligne ; colonnes attendues : hostname",
                         "pas de ligne d'en-tête (la ligne 2, indiquée par csv.header-row, est vide) ; colonnes attendues : nom"] {
            #expect(html.contains(sentence), "not in the French report: \(sentence)")
        }
        #expect(!html.contains("(or "))

        // --lang en says it in English, with "or"; a SOURCE report follows the manifest too.
        let english = try handover(["report", bundle, "--lang", "en", "--format", "md", "--output", "-"])
        #expect(english.stdout.contains("account (or Compte), Système"), "\(english.stdout)")
        #expect(english.stdout.contains("has no row 3 to read the header from (csv.header-row: 3); it has only 1 row;"))
        #expect(english.stdout.contains("though it is not valid UTF-8"))
        let checked = try handover(["report", "--manifest", source.manifestPath, source.source, "--output", source.temp.path("check.html")])
        #expect(checked.stdout.contains("(html, French)"), "\(checked.stdout)\(checked.stderr)")
        // The JSON keeps the placeholder, for a translator; the message says "or".
        let json = try handover(["report", bundle, "--format", "json", "--output", "-"])
        #expect(json.stdout.contains("account ({or} Compte), Système"))
        #expect(json.stdout.contains("the header lacks columns account (or Compte), Système"))
    }

    @Test("the signing page has a block per party: provider hands over, client and incoming provider receive")
    func threeParties() throws {
        var report = try ReportFixture().report()
        let parsed = try ParsedHTML.parse(ReportHTML.render(report, language: .fr))
        let blocks = parsed.attributes.filter { $0 == ["div", "class", "party"] }
        #expect(blocks.count == 3)
        #expect(parsed.attributes.contains(["div", "class", "signatures parties-3"]))
        let html = ReportHTML.render(report, language: .fr)
        let parties = html.components(separatedBy: "<div class=\"party\">").dropFirst().map { $0.components(separatedBy: "</div>")[0] }
        #expect(parties.count == 3)
        for (party, (act, name, role)) in zip(parties, [("Remis par", "Infogerance Ouest SAS", "Prestataire sortant"),
                                                         ("Reçu par", "Acme SA", "Client"),
                                                         ("Reçu par", "Nouveau Prestataire SAS", "Nouveau prestataire")]) {
            for words in [act, name, role, "Nom", "Qualité", "Date", "Signature"] {
                #expect(party.contains(words), "\(words) is not in the block: \(party)")
            }
        }
        #expect(html.contains("Fait en 3 exemplaires, un pour chaque partie."))

        // A recipient that is the client itself signs once.
        report.handover.recipient = "ACME SA "
        let two = ReportHTML.render(report, language: .en)
        #expect(two.components(separatedBy: "<div class=\"party\">").count - 1 == 2)
        #expect(two.contains("Made in 2 copies, one for each party."))
        let markdown = ReportMarkdown.render(report)
        #expect(markdown.contains("| | Handed over by | Received by |"))
    }

    @Test("report --reservations FILE prints them in the reservations box, escaped; a missing file stops with exit 2")
    func reservations() throws {
        let fixture = try ReportFixture()
        let file = try fixture.source.temp.write("reserves.txt", "Le registre des incidents 2025 manque.\n\nLes licences <Oracle> restent à transférer avant le 15 janvier.\n")
        let output = fixture.source.temp.path("pv.html")
        let result = try handover(["report", fixture.bundle, "--lang", "fr", "--reservations", file, "--output", output])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")  // the fixture is incomplete
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("<div class=\"reservations filled\"><p>Le registre des incidents 2025 manque.</p><p>Les licences &lt;Oracle&gt; restent à transférer avant le 15 janvier.</p></div>"))
        let markdown = try handover(["report", fixture.bundle, "--reservations", file, "--format", "md", "--output", "-"])
        #expect(markdown.stdout.contains("> Les licences \\<Oracle\\> restent à transférer avant le 15 janvier."))
        let json = try handover(["report", fixture.bundle, "--reservations", file, "--format", "json", "--output", "-"])
        #expect(json.stdout.contains(#""reservations" : "Le registre des incidents 2025 manque."#))

        let absent = try handover(["report", fixture.bundle, "--reservations", fixture.source.temp.path("nope.txt"), "--output", fixture.source.temp.path("x.html")])
        #expect(absent.status == 2)
        #expect(absent.stderr.contains("--reservations"), "\(absent.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.source.temp.path("x.html")))
    }

    @Test("every printed page carries the contract, the archive's SHA-256 prefix and page X / Y; long problems wrap inside the table")
    func pageFooterMarkup() throws {
        let report = try ReportFixture().report()
        let sha256 = try #require(report.bundle?.sha256)
        let parsed = try ParsedHTML.parse(ReportHTML.render(report, language: .fr))
        #expect(parsed.style.contains("@bottom-left { content: \"CTR-2023-042 · SHA-256 \(sha256.prefix(16))…\""))
        #expect(parsed.style.contains("@bottom-right { content: \"page \" counter(page) \" / \" counter(pages)"))
        #expect(parsed.style.contains("table.deliverables { table-layout: fixed; }"))
        #expect(parsed.style.contains("overflow-wrap: anywhere"))

        // A contract reference from input can never end the style element or the CSS string.
        var hostile = report
        hostile.handover.contract = "C-1\"; } </style><script>x</script>\\"
        let html = ReportHTML.render(hostile)
        let style = try #require(html.components(separatedBy: "<style>").last?.components(separatedBy: "</style>").first)
        #expect(style.contains(#"content: "C-1\22 ; } \3c \2f style\3e \3c script\3e x\3c \2f script\3e \5c  · SHA-256"#), "\(style.suffix(600))")
        #expect(!(try ParsedHTML.parse(html).tags.contains("script")))
    }
}

@Suite("The procès-verbal as Chromium prints it to PDF")
struct ProcesVerbalPrintTests {
    /// Prints `html` to PDF with headless Chromium, as Tests/Report/render.sh does; returns
    /// pdftotext's word boxes, page by page.
    static func print(_ html: String, in work: TempDirectory) throws -> [(width: Double, words: [(text: String, xMax: Double)])] {
        let chromium = try requireTool("chromium", install: "apt-get install chromium")
        let pdftotext = try requireTool("pdftotext", install: "apt-get install poppler-utils")
        let pdf = work.path("pv.pdf")
        let printed = try runProcess(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                                "--user-data-dir=\(work.path("chromium-profile"))", "--print-to-pdf=\(pdf)", "file://\(html)"])
        guard FileManager.default.fileExists(atPath: pdf) else { throw FixtureError("chromium printed nothing: \(printed.stderr.suffix(2000))") }
        let boxes = try runProcess(pdftotext, ["-bbox", pdf, "-"])
        var pages: [(width: Double, words: [(text: String, xMax: Double)])] = []
        let word = try Regex(#"<word xMin="[0-9.]+" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>"#)
        for chunk in boxes.stdout.components(separatedBy: "<page ").dropFirst() {
            let width = Double(chunk.firstMatch(of: try Regex(#"width="([0-9.]+)""#))?.output[1].substring ?? "") ?? 0
            let words = chunk.matches(of: word).map { (text: String($0.output[2].substring ?? ""), xMax: Double($0.output[1].substring ?? "") ?? 0) }
            pages.append((width, words))
        }
        return pages
    }

    /// Chromium shrinks a page whose content is wider than the paper, so that no word falls
    /// past the edge even when the table is too wide: what shows it is the masthead's contract
    /// reference (the right edge of the content) no longer lining up with the page number in
    /// the footer (the right margin, never shrunk).
    static func expectNotShrunk(_ page: (width: Double, words: [(text: String, xMax: Double)]), sourceLocation: SourceLocation = #_sourceLocation) {
        let words = page.words
        guard let slash = words.indices.last(where: { $0 >= 2 && words[$0].text == "/" && words[$0 - 2].text == "page" }),
              slash + 1 < words.count,
              let masthead = words.first(where: { $0.text == "CTR-2023-042" }) else {
            Issue.record("no masthead or page number on the first page", sourceLocation: sourceLocation)
            return
        }
        let margin = words[slash + 1].xMax
        #expect(abs(masthead.xMax - margin) < 2, "the content was shrunk to fit: its right edge is at \(masthead.xMax), the margin at \(margin)",
                sourceLocation: sourceLocation)
    }

    @Test("every page says page X / Y, the contract and the SHA-256 prefix, and no word runs past the page edge")
    func printed() throws {
        let samples = try SampleBundles()
        let html = try samples.report(samples.incomplete, "fr")
        try Self.printMarked(html, of: samples.incomplete, in: samples.work, minimumPages: 3)
    }

    /// `html`, the report on `bundle`, printed: at least `minimumPages`, the first not shrunk,
    /// every page marked with the bundle's SHA-256 prefix and nothing past its edge.
    @discardableResult
    static func printMarked(_ html: String, of bundle: String, in work: TempDirectory, minimumPages: Int,
                            sourceLocation: SourceLocation = #_sourceLocation) throws -> [(width: Double, words: [(text: String, xMax: Double)])] {
        let json = try handover(["report", bundle, "--format", "json", "--output", "-"])
        let report = try JSONDecoder().decode(HandoverReport.self, from: Data(json.stdout.utf8))
        let prefix = String(try #require(report.bundle?.sha256).prefix(16))
        let pages = try Self.print(html, in: work)
        #expect(pages.count >= minimumPages, "the PV should take several pages", sourceLocation: sourceLocation)
        if let first = pages.first { Self.expectNotShrunk(first, sourceLocation: sourceLocation) }
        Self.expectEveryPageMarked(pages, prefix: prefix, sourceLocation: sourceLocation)
        return pages
    }

    @Test("the complete signed bundle printed in English: page X / Y on every page, the three signature blocks, nothing past the edge")
    func printedEnglish() throws {
        let samples = try SampleBundles()
        // The samples' manifest says no handover.language: report is in English without --lang.
        let output = samples.work.path("acme-en.html")
        let result = try handover(["report", samples.complete, "--allowed-signers", samples.allowedSigners, "--output", output])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.contains("<html lang=\"en\">"))
        let pages = try Self.printMarked(output, of: samples.complete, in: samples.work, minimumPages: 2)
        // The signing page: one block per party, each with its act, name, role and boxes.
        let text = pages.flatMap(\.words).map(\.text).joined(separator: " ")
        #expect(text.components(separatedBy: "Handed over by").count - 1 == 1, "\(text.suffix(1500))")
        #expect(text.components(separatedBy: "Received by").count - 1 == 2, "\(text.suffix(1500))")
        for words in ["Infogérance Ouest SAS", "Acme SA", "Nouveau Prestataire SAS", "Incoming provider", "Made in 3 copies, one for each party."] {
            #expect(text.contains(words), "the printed PV lacks \(words)")
        }
        #expect(text.components(separatedBy: "Signature").count - 1 >= 3)
        #expect(text.contains("Technical architecture documentation"))
    }

    /// Every page says page X / Y, the contract and the SHA-256 prefix, and no word runs past its edge.
    static func expectEveryPageMarked(_ pages: [(width: Double, words: [(text: String, xMax: Double)])], prefix: String,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        for (index, page) in pages.enumerated() {
            let text = page.words.map(\.text).joined(separator: " ")
            #expect(text.contains("page \(index + 1) / \(pages.count)"), "page \(index + 1): \(text.suffix(200))", sourceLocation: sourceLocation)
            #expect(text.contains("CTR-2023-042"), "page \(index + 1) lacks the contract", sourceLocation: sourceLocation)
            #expect(text.contains(prefix), "page \(index + 1) lacks the SHA-256 prefix", sourceLocation: sourceLocation)
            let past = page.words.filter { $0.xMax > page.width }
            #expect(past.isEmpty, "page \(index + 1): words past the edge: \(past.prefix(5))", sourceLocation: sourceLocation)
        }
    }

    @Test("a long problem, a long path and a long title wrap inside the deliverables table")
    func longTextWraps() throws {
        let fixture = try ReportFixture()
        var report = try fixture.report()
        let long = "exports/" + String(repeating: "TresLongNomDeDossierSansEspace", count: 14) + "inventaire.xlsx"
        report.deliverables[0].problems.append(Problem(file: long, .formatNotAllowed, ["format": "xlsx", "expected": ".csv, " + String(repeating: "ods", count: 80)]))
        report.deliverables[0].title = String(repeating: "ComptesEtDroitsDAcces", count: 12)
        let html = try fixture.source.temp.write("long.html", ReportHTML.render(report, language: .fr))
        let pages = try Self.print(html, in: fixture.source.temp)
        let words = pages.flatMap(\.words).map(\.text).joined()
        #expect(words.contains("TresLongNomDeDossierSansEspaceinventaire.xlsx"), "the long path is cut in the PDF")
        #expect(words.contains(String(repeating: "ods", count: 80) + ")"), "the long problem is cut in the PDF")
        if let first = pages.first { Self.expectNotShrunk(first) }
        for (index, page) in pages.enumerated() {
            let past = page.words.filter { $0.xMax > page.width - 20 }
            #expect(past.isEmpty, "page \(index + 1): words past the margin: \(past.prefix(5))")
        }
    }
}
