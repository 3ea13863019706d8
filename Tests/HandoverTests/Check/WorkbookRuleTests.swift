import Foundation
@testable import HandoverKit
import Testing

/// An .xlsx workbook as Excel lays it out, zipped by bsdtar from parts the test writes.
struct WorkbookFixture {
    static let workbook = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        <sheet name="Lisez-moi" sheetId="1" r:id="rId1"/><sheet name="Comptes" sheetId="2" r:id="rId2"/></sheets></workbook>
        """
    static let relations = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """
    static let readMe = """
        <worksheet><sheetData><row r="1"><c r="A1" t="str"><v>Export du 31/12/2026 &amp; notes</v></c></row></sheetData></worksheet>
        """
    /// Shared strings, one with rich-text runs and one with a typographic apostrophe and a space.
    static let shared = """
        <sst count="4" uniqueCount="4"><si><t>Compte</t></si><si><r><rPr><b/></rPr><t>Sys</t></r><r><t>tème</t></r></si>\
        <si><t>jdupont</t></si><si><t xml:space="preserve">Nom d’hôte </t></si></sst>
        """

    /// The accounts sheet: a header whose D column is empty, then a row of values.
    static func accounts(header: String = #"<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Rôle</t></is></c><c r="E1" t="s"><v>3</v></c>"#) -> String {
        #"<worksheet><sheetData><row r="1" spans="1:5">"# + header + #"</row><row r="2"><c r="A2" t="s"><v>2</v></c></row></sheetData></worksheet>"#
    }

    /// Writes the parts under `folder` and zips them into `output` with bsdtar, in `order`.
    static func write(to output: String, in temp: TempDirectory, accounts: String = accounts(), sharedFirst: Bool = false) throws {
        let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        let parts = temp.path("parts-" + UUID().uuidString)
        let files = [
            "[Content_Types].xml": #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
            "xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": relations,
            "xl/worksheets/sheet1.xml": readMe, "xl/worksheets/sheet2.xml": accounts, "xl/sharedStrings.xml": shared,
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: parts + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        var order = ["[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"]
        order.insert("xl/sharedStrings.xml", at: sharedFirst ? 1 : order.count)
        let result = try runProcess(bsdtar, ["--format", "zip", "-cf", output, "-C", parts] + order)
        guard result.status == 0 else { throw FixtureError("bsdtar: \(result.stderr)") }
    }
}

@Suite("xlsx required-columns: the first row of a named or first sheet of a workbook, read from its zipped XML")
struct WorkbookRuleTests {
    static func manifest(_ xlsx: String) -> String {
        manifestText(deliverables: """
              - id: access-list
                title: Comptes
                paths: ["access/*"]
                xlsx:
            \(xlsx)
            """)
    }

    static let columns = #"      required-columns: [{name: account, aliases: [Compte]}, Système, rôle, {name: hostname, aliases: ["Nom d'hôte"]}]"#

    func check(_ manifest: String, accounts: String = WorkbookFixture.accounts()) throws -> DeliverableResult {
        let fixture = try SourceFixture(manifest: manifest)
        try FileManager.default.createDirectory(atPath: fixture.path("access"), withIntermediateDirectories: true)
        try WorkbookFixture.write(to: fixture.path("access/comptes.xlsx"), in: fixture.temp, accounts: accounts)
        return try fixture.check().result("access-list")
    }

    @Test("the sheet named has the columns, through shared strings, rich text, inline strings and aliases")
    func namedSheet() throws {
        let result = try check(Self.manifest("      sheet: Comptes\n" + Self.columns))
        #expect(result.status == .ok, "\(result.problemText)")
    }

    @Test("without a sheet, the first sheet's first row is judged and shown")
    func firstSheet() throws {
        let result = try check(Self.manifest(Self.columns))
        #expect(result.status == .invalid)
        #expect(result.problemText == "access/comptes.xlsx: the first row of sheet 'Lisez-moi' lacks columns account (or Compte), "
            + "Système, rôle, hostname (or Nom d'hôte) (found: Export du 31/12/2026 & notes)")
    }

    @Test("a missing column and an unknown sheet are named")
    func mismatches() throws {
        let noRole = WorkbookFixture.accounts(header: #"<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c>"#)
        let missing = try check(Self.manifest("      sheet: comptes\n" + Self.columns), accounts: noRole)
        #expect(missing.problemText == "access/comptes.xlsx: the first row of sheet 'Comptes' lacks column rôle (found: Compte, Système, Nom d’hôte)")
        let unknown = try check(Self.manifest("      sheet: Inventaire\n" + Self.columns))
        #expect(unknown.problemText.contains("has no sheet named 'Inventaire' (its sheets: 'Lisez-moi', 'Comptes')"))
    }

    @Test("shared strings stored before the sheets are read as well")
    func sharedStringsFirst() throws {
        let temp = try TempDirectory()
        for sharedFirst in [false, true] {
            let path = temp.path("book-\(sharedFirst).xlsx")
            try WorkbookFixture.write(to: path, in: temp, sharedFirst: sharedFirst)
            let headers = WorkbookHeaderReader.read(path: path)
            #expect(headers.problem == nil)
            #expect(headers.sheets.map(\.name) == ["Lisez-moi", "Comptes"])
            #expect(headers.sheets.last?.firstRow == ["Compte", "Système", "Rôle", "", "Nom d’hôte "], "shared first: \(sharedFirst)")
        }
    }

    @Test("a file named .xlsx that is no workbook is named, not a crash")
    func notAWorkbook() throws {
        let fixture = try SourceFixture(manifest: Self.manifest(Self.columns), files: ["access/comptes.xlsx": "Compte;Système\n"])
        let result = try fixture.check().result("access-list")
        #expect(result.status == .invalid)
        #expect(result.problemText.contains("access/comptes.xlsx: is not an Excel workbook: an .xlsx file is a zip archive"), "\(result.problemText)")
    }

    @Test("a bad xlsx section exits 2 naming its line", arguments: [
        ("      sheet: Comptes", "sheet: Comptes", "'xlsx' has no 'required-columns'"),
        ("      sheets: Comptes\n" + columns, "sheets:", "unknown key 'sheets' in 'xlsx'; did you mean 'sheet'?"),
        ("      sheet: [Comptes]\n" + columns, "sheet:", "'sheet' must be a single value"),
        ("      required-columns: [{name: hostname, aliases: {fr: Serveur}}]", "required-columns", "the 'aliases' of column 'hostname' must be a list"),
    ])
    func manifestErrors(_ xlsx: String, _ marker: String, _ message: String) throws {
        let text = Self.manifest(xlsx)
        let fixture = try SourceFixture(manifest: text)
        let result = try fixture.missing()
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let line = try #require(lineNumber(of: marker, in: text))
        #expect(result.stderr.contains("handover.yaml:\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

@Suite("handover build judges the xlsx rule as missing does")
struct WorkbookBuildTests {
    @Test("a workbook with the columns builds; one without a column is refused, naming it")
    func buildJudgesWorkbooks() throws {
        let manifest = WorkbookRuleTests.manifest("      sheet: Comptes\n" + WorkbookRuleTests.columns)
        let noRole = WorkbookFixture.accounts(header: #"<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>3</v></c>"#)
        for (accounts, status) in [(WorkbookFixture.accounts(), Int32(0)), (noRole, Int32(1))] {
            let fixture = try SourceFixture(manifest: manifest)
            try FileManager.default.createDirectory(atPath: fixture.path("access"), withIntermediateDirectories: true)
            try WorkbookFixture.write(to: fixture.path("access/comptes.xlsx"), in: fixture.temp, accounts: accounts)
            let output = fixture.temp.path("out.tar")
            let build = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output])
            #expect(build.status == status, "\(build.stdout)\(build.stderr)")
            if status == 1 {
                #expect(build.stdout.contains("the first row of sheet 'Comptes' lacks column rôle"), "\(build.stdout)")
            } else {
                let verify = try handover(["verify", output])
                #expect(verify.status == 0, "\(verify.stdout)")
            }
        }
    }
}
