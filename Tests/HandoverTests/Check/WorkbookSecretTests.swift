import Foundation
@testable import HandoverKit
import Testing

@Suite("the secret scan reads an xlsx workbook's cells: a password typed under 'Mot de passe' is found, with its cell")
struct WorkbookSecretTests {
    /// The accounts sheet with a password column (an inline string header) and a column that only talks about passwords.
    static func accounts(password: String) -> String {
        WorkbookFixture.accounts(header: #"<c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Mot de passe</t></is></c>"#
            + #"<c r="C1" t="inlineStr"><is><t>Dernier changement de mot de passe</t></is></c>"#)
            .replacingOccurrences(of: "</sheetData>", with: #"<row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3" t="inlineStr"><is><t>\#(password)</t></is></c>"#
                + #"<c r="C3"><v>46022</v></c></row><row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="inlineStr"><is><t> </t></is></c></row></sheetData>"#)
    }

    @Test("the value is found at its cell, the column about passwords and a blank cell are not")
    func foundWithItsCell() throws {
        let temp = try TempDirectory()
        let password = "Tr0ub4dor&3-" + String(UUID().uuidString.prefix(8))
        let escaped = password.replacingOccurrences(of: "&", with: "&amp;")
        let path = temp.path("comptes.xlsx")
        try WorkbookFixture.write(to: path, in: temp, accounts: Self.accounts(password: escaped))
        let found = OfficeSecretScan.scan(path: path, workbook: true)
        #expect(found.findings == [SecretFinding(kind: "a value in a password or secret column", column: "Mot de passe", cell: "'Comptes'!B3")])
        #expect(found.more == 0)
        #expect(OfficeSecretScan.scan(path: path, workbook: false).findings.isEmpty, "the text pass alone cannot tell a password from a name")
    }

    @Test("missing names the workbook, the column and the cell, never the password")
    func missingReportsIt() throws {
        let password = "Hunter2-" + String(UUID().uuidString.prefix(8))
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Comptes
                paths: ["access/*"]
            """))
        try FileManager.default.createDirectory(atPath: fixture.path("access"), withIntermediateDirectories: true)
        try WorkbookFixture.write(to: fixture.path("access/comptes.xlsx"), in: fixture.temp, accounts: Self.accounts(password: password))
        let result = try fixture.missing()
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("access/comptes.xlsx: holds a value in a password or secret column in column 'Mot de passe' at cell 'Comptes'!B3"),
                "\(result.stdout)")
        #expect(!result.stdout.contains(password) && !result.stderr.contains(password))
    }
}
