import Foundation
import HandoverKit
import Testing

@Suite("csv required-columns: every CSV file's header names the columns the contract asks for")
struct CSVRuleTests {
    static let manifest = manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*"]
            csv:
              required-columns: [account, system, role, mfa]
        """)

    /// The access-list result for one file `access/<name>` holding `contents`.
    func check(_ contents: String, name: String = "accounts.csv") throws -> DeliverableResult {
        let fixture = try SourceFixture(manifest: Self.manifest, files: ["access/" + name: contents])
        return try fixture.check().result("access-list")
    }

    @Test("headers the way spreadsheets write them are accepted", arguments: [
        ("commas", "account,system,role,mfa\nalice,erp,admin,yes\n"),
        ("semicolons, as French exports write them", "account;system;role;mfa\nalice;erp;admin;oui\n"),
        ("a UTF-8 byte-order mark", "\u{FEFF}account,system,role,mfa\n"),
        ("quoted names", "\"account\",\"system\",\"role\",\"mfa\"\r\nalice,erp,admin,yes\r\n"),
        ("other case and spaces", " Account ; SYSTEM;Role ;MFA\n"),
        ("extra columns, in another order", "owner,mfa,role,system,account,last login\n"),
        ("a header without a final newline", "account,system,role,mfa"),
        ("a quoted name holding the other delimiter", "\"account;id\",account,system,role,mfa\n"),
        ("a quoted name over two lines", "\"account\nname\",account,system,role,mfa\n"),
        ("CR line endings", "account,system,role,mfa\ralice,erp,admin,yes\r"),
    ])
    func accepted(_ story: String, _ contents: String) throws {
        let result = try check(contents)
        #expect(result.status == .ok, "\(story): \(result.problemText)")
    }

    @Test("the file extension is not case-sensitive")
    func upperCaseExtension() throws {
        let result = try check("account,system\n", name: "ACCOUNTS.CSV")
        #expect(result.status == .invalid)
        #expect(result.problemText.contains("ACCOUNTS.CSV: the header lacks columns role, mfa"))
    }

    @Test("missing columns are named, with the header that was found")
    func missingColumns() throws {
        let result = try check("account;system;owner\nalice;erp;bob\n")
        #expect(result.status == .invalid)
        #expect(result.problemText == "access/accounts.csv: the header lacks columns role, mfa (found in row 1: account, system, owner)")
    }

    @Test("one missing column is named in the singular")
    func oneMissingColumn() throws {
        let result = try check("account,system,role\n")
        #expect(result.problemText == "access/accounts.csv: the header lacks column mfa (found in row 1: account, system, role)")
    }

    @Test("the delimiter is the one of the header, not of the values")
    func delimiterFromHeader() throws {
        // One comma in a value must not make a semicolon file look comma-separated.
        let result = try check("account;system;role;mfa\n\"Dupont, Jean\";erp;admin;oui\n")
        #expect(result.status == .ok)
    }

    @Test("a CSV without a header row is named")
    func noHeader() throws {
        let result = try check("\n\nalice,erp\n")
        #expect(result.status == .invalid)
        #expect(result.problemText.contains("access/accounts.csv: has no header row; expected columns account, system, role, mfa"))
    }

    @Test("an empty CSV is empty and has no header")
    func emptyCSV() throws {
        let result = try check("")
        #expect(result.problemText.contains("the file is empty"))
        #expect(result.problemText.contains("has no header row"))
    }

    @Test("files that are not CSV are not held to the header rule")
    func notCSV() throws {
        let result = try check("PK\u{3}\u{4} spreadsheet", name: "accounts.xlsx")
        #expect(result.status == .ok)
    }

    @Test("a header row of hundreds of KiB is cut, not held whole, and the message stays short")
    func hugeHeader() throws {
        let filler = (0..<60_000).map { "column\($0)" }.joined(separator: ",")
        #expect(filler.utf8.count > 512 << 10)
        let result = try check(filler + ",account,system,role,mfa\nx\n")
        #expect(result.status == .invalid, "the columns after the first 64 KiB of the header are not read")
        #expect(result.problemText.contains("(found in row 1: column0, column1,"))
        #expect(result.problemText.hasSuffix(", …)"))
        #expect(result.problemText.utf8.count < 1000)
        let wide = try check((0..<2000).map { "c\($0)" }.joined(separator: ";") + ";account;system;role;mfa\n")
        #expect(wide.status == .ok)
    }
}
