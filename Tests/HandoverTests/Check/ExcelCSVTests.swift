import Foundation
@testable import HandoverKit
import Testing

@Suite("CSV files as Excel writes them: Windows-1252, BOMs, UTF-16, ; and tabs, title rows, names as people type them")
struct ExcelCSVTests {
    /// The French access list a provider's Excel saves, and the rule the contract writes in English
    /// with the French names as aliases.
    static let manifest = manifestText(deliverables: """
          - id: access-list
            title: Comptes et droits d'accès
            paths: ["access/*"]
            csv:
              required-columns:
                - {name: account, aliases: [Compte]}
                - Système
                - Rôle
                - {name: hostname, aliases: ["Nom d'hôte", Hostname, Serveur]}
        """)

    static let header = ["Compte", "Système", "Rôle", "Nom d’hôte"]
    static let rows = [["jdupont", "ERP", "Administrateur", "srv-erp-01"], ["mlefèvre", "Messagerie", "Opérateur", "srv-mail"]]

    /// The sheet as text with `separator` and CRLF, as Excel writes every CSV.
    static func sheet(_ separator: String, title: String? = nil, header: [String] = header) -> String {
        var lines = title.map { [$0] } ?? []
        lines += [header.joined(separator: separator)] + rows.map { $0.joined(separator: separator) }
        return lines.map { $0 + "\r\n" }.joined()
    }

    func check(_ bytes: Data, manifest: String = manifest, name: String = "comptes.csv") throws -> DeliverableResult {
        let fixture = try SourceFixture(manifest: manifest)
        try fixture.write("access/" + name, bytes)
        return try fixture.check().result("access-list")
    }

    @Test("each way Excel saves the sheet is read, and its French header matches the English rule", arguments: [
        ("CSV (séparateur: point-virgule), Windows-1252", ExcelBytes.windows1252(sheet(";")), true),
        ("CSV with commas, Windows-1252", ExcelBytes.windows1252(sheet(",")), true),
        ("tab-separated, Windows-1252", ExcelBytes.windows1252(sheet("\t")), true),
        ("CSV UTF-8 (with a byte-order mark), ;", ExcelBytes.utf8WithMark(sheet(";")), false),
        ("Unicode text: UTF-16 LE with a mark, tabs", ExcelBytes.utf16(sheet("\t")), false),
        ("UTF-16 BE with a mark, tabs", ExcelBytes.utf16(sheet("\t"), littleEndian: false), false),
        ("UTF-16 LE with a mark, ;", ExcelBytes.utf16(sheet(";")), false),
        ("UTF-8 without a mark, commas, LF", Data(sheet(",").replacingOccurrences(of: "\r\n", with: "\n").utf8), false),
    ])
    func excelSaves(_ story: String, _ bytes: Data, _ isCodePage: Bool) throws {
        let result = try check(bytes)
        #expect(result.status == .ok, "\(story): \(result.problemText)")
        if isCodePage {
            #expect(result.warningText == "access/comptes.csv: read as Windows-1252 (it is not UTF-8 and has no byte-order mark; "
                + "if it is another code page, say so with csv.encoding)", "\(story)")
        } else {
            #expect(!result.warningText.contains("read as"), "\(story): \(result.warningText)")
        }
    }

    @Test("the issue's file: a Windows-1252 header no longer reads as Syst�me, R�le")
    func windows1252Header() throws {
        let facts = inspect(Array(ExcelBytes.windows1252(Self.sheet(";"))), fileName: "comptes.csv")
        #expect(facts.csv?.text == .notUTF8)
        #expect(facts.csvColumns == ["Compte", "Système", "Rôle", "Nom d’hôte"])
        #expect(!(facts.csvColumns ?? []).joined().contains("\u{FFFD}"))
    }

    @Test("a missing column in a Windows-1252 file is named with the row read and how it was read")
    func windows1252Mismatch() throws {
        let bytes = ExcelBytes.windows1252(Self.sheet(";", header: ["Compte", "Système", "Nom d’hôte"]))
        let result = try check(bytes)
        #expect(result.status == .invalid)
        #expect(result.problemText == "access/comptes.csv: the header lacks column Rôle "
            + "(found in row 1, read as Windows-1252: Compte, Système, Nom d’hôte)")
        #expect(result.warningText.contains("read as Windows-1252"))
    }

    @Test("names match whatever their case, accents, apostrophes, separators and surrounding spaces", arguments: [
        ("SYSTEME", "Système"), ("systeme", "Système"), ("Nom d’hôte", "Nom d'hôte"), ("NOM D'HOTE", "Nom d’hôte"),
        ("last_login", "Last login"), ("last-login", "last login"), ("  Last   Login ", "last_login"),
        ("Date\u{00A0}de\u{202F}création", "date de creation"), ("Cœur", "coeur"), ("\u{FEFF}Compte", "compte"),
        ("Adresse–IP", "adresse ip"),
    ])
    func normalisedNames(_ written: String, _ rule: String) {
        #expect(ColumnName.normalised(written) == ColumnName.normalised(rule), "\(written) = \(rule)")
    }

    @Test("names that differ in letters stay different", arguments: [
        ("Système", "Systèmes"), ("Rôle", "Role principal"), ("login", "logins"), ("nom d'hote", "nomdhote"),
    ])
    func differentNames(_ written: String, _ rule: String) {
        #expect(ColumnName.normalised(written) != ColumnName.normalised(rule), "\(written) ≠ \(rule)")
    }

    @Test("a header typed differently from the rule is accepted")
    func typedDifferently() throws {
        let header = ["COMPTE", " systeme ", "ROLE", "nom_d'hote"]
        let result = try check(Data(Self.sheet(";", header: header).utf8))
        #expect(result.status == .ok, "\(result.problemText)")
    }

    @Test("an alias stands for the column, and a missing column is named with its aliases")
    func aliases() throws {
        let withAlias = try check(Data(Self.sheet(";", header: ["Compte", "Système", "Rôle", "Serveur"]).utf8))
        #expect(withAlias.status == .ok, "\(withAlias.problemText)")
        let without = try check(Data(Self.sheet(";", header: ["Compte", "Système", "Rôle", "Machine"]).utf8))
        #expect(without.status == .invalid)
        #expect(without.problemText == "access/comptes.csv: the header lacks column hostname (or Nom d'hôte, Hostname, Serveur) "
            + "(found in row 1: Compte, Système, Rôle, Machine)")
    }

    static func manifest(csvExtra: String) -> String {
        manifestText(deliverables: """
              - id: access-list
                title: Comptes
                paths: ["access/*"]
                csv:
                  required-columns: [Compte, Système, Rôle]
            \(csvExtra)
            """)
    }

    @Test("header-row: 2 reads the header under a title row")
    func titleRow() throws {
        let bytes = ExcelBytes.windows1252(Self.sheet(";", title: "Export des comptes au 31/12/2026;;;", header: ["Compte", "Système", "Rôle"]))
        let result = try check(bytes, manifest: Self.manifest(csvExtra: "      header-row: 2"))
        #expect(result.status == .ok, "\(result.problemText)")
        #expect(result.warningText.contains("read as Windows-1252"))
    }

    @Test("without header-row, the title row is shown as the row read, with the row to write")
    func titleRowUnsaid() throws {
        let bytes = ExcelBytes.windows1252(Self.sheet(";", title: "Export des comptes au 31/12/2026;;;", header: ["Compte", "Système", "Rôle"]))
        let result = try check(bytes, manifest: Self.manifest(csvExtra: ""))
        #expect(result.status == .invalid)
        #expect(result.problemText == "access/comptes.csv: the header lacks columns Compte, Système, Rôle "
            + "(found in row 1, read as Windows-1252: Export des comptes au 31/12/2026, , , ); "
            + "the columns are on row 2: write csv.header-row: 2")
    }

    @Test("a header-row below the file's last row is named")
    func headerRowBeyond() throws {
        let result = try check(Data("Compte;Système;Rôle\r\n".utf8), manifest: Self.manifest(csvExtra: "      header-row: 3"))
        #expect(result.status == .invalid)
        #expect(result.problemText.contains("has no row 3 to read the header from (csv.header-row: 3); it has only 1 row"))
    }

    @Test("csv.encoding says which code page a file that is not UTF-8 is in")
    func toldEncoding() throws {
        // 0xBD is œ in ISO-8859-15, ½ in Windows-1252.
        let bytes = Data(Array("Compte;Syst".utf8) + [0xE8] + Array("me;R".utf8) + [0xF4] + Array("le;C".utf8) + [0xBD] + Array("ur\r\n".utf8))
        let rule = """
              - id: access-list
                title: Comptes
                paths: ["access/*"]
                csv:
                  required-columns: [Compte, Système, Rôle, Cœur]
            """
        let guessed = try check(bytes, manifest: manifestText(deliverables: rule))
        #expect(guessed.status == .invalid)
        #expect(guessed.problemText.contains("lacks column Cœur (found in row 1, read as Windows-1252: Compte, Système, Rôle, C½ur)"))
        let told = try check(bytes, manifest: manifestText(deliverables: rule + "\n      encoding: iso-8859-15"))
        #expect(told.status == .ok, "\(told.problemText)")
        #expect(told.warningText.contains("read as ISO-8859-15 (as csv.encoding says"))
    }

    @Test("UTF-8 is not mistaken for Windows-1252, and a valid UTF-8 file is not noted")
    func utf8NotGuessed() throws {
        let facts = inspect(Array(Self.sheet(";").utf8), fileName: "comptes.csv")
        #expect(facts.csv?.text == .utf8)
        #expect(facts.csvColumns == Self.header)
    }

    @Test("every encoding gives the same facts in 1-, 2-, 3- and 7-byte chunks as whole", arguments: [1, 2, 3, 7, 64])
    func chunks(_ size: Int) {
        let password = "Mot de passe"
        let files: [Data] = [
            ExcelBytes.windows1252(Self.sheet(";", title: "Export;;", header: ["Compte", password, "Rôle"])),
            ExcelBytes.utf8WithMark(Self.sheet(";", title: "Export;;", header: ["Compte", password, "Rôle"])),
            ExcelBytes.utf16(Self.sheet("\t", title: "Export 😀", header: ["Compte", password, "Rôle"])),
            ExcelBytes.utf16(Self.sheet("\t", title: "Export", header: ["Compte", password, "Rôle"]), littleEndian: false),
        ]
        for (index, file) in files.enumerated() {
            let whole = inspect(Array(file), fileName: "comptes.csv", headerRow: 2)
            #expect(whole.csv?.columns(row: 2) == ["Compte", password, "Rôle"], "file \(index)")
            #expect(whole.secrets.map(\.line) == [3, 4], "file \(index): the secret column is found below the header row")
            #expect(inspect(Array(file), fileName: "comptes.csv", chunk: size, headerRow: 2) == whole, "file \(index)")
        }
    }

    @Test("a title row with an emoji in UTF-16 comes out whole")
    func surrogates() {
        let facts = inspect(Array(ExcelBytes.utf16(Self.sheet("\t", title: "Export 😀 é"))), fileName: "comptes.csv")
        #expect(facts.csv?.rowText(1) == "Export 😀 é")
    }

    @Test("the UTF-8 check agrees with the standard library's on random bytes, whatever the chunks")
    func utf8CheckAgrees() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        // Mostly ASCII (for the eight-byte skip), with lead and continuation bytes of every kind.
        let pieces: [[UInt8]] = [Array("abcdefgh".utf8), Array("é".utf8), Array("€".utf8), Array("😀".utf8),
                                 [0x80], [0xC0, 0xAF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE9], [0xF0, 0x9F]]
        var invalid = 0
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(next() % 12) {
                let piece = next() % 10 < 7 ? Int(next() % 4) : Int(next() % UInt64(pieces.count))
                bytes += pieces[piece]
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if !expected { invalid += 1 }
            var validator = UTF8Validator()
            var valid = true
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 1 + Int(next() % 11))
                valid = bytes[start..<end].withUnsafeBytes { validator.feed($0) } && valid
                start = end
            }
            valid = validator.finish() && valid
            #expect(valid == expected, "\(bytes)")
        }
        #expect(invalid > 200 && invalid < 1800, "both kinds are tried")
    }

    @Test("the Windows-1252 and ISO-8859-15 tables agree with iconv on every byte from 0x80 to 0xFF")
    func tablesAgreeWithIconv() throws {
        let iconv = try requireTool("iconv", install: "apt-get install libc-bin")
        for (encoding, name) in [(CSVEncoding.windows1252, "WINDOWS-1252"), (.iso885915, "ISO-8859-15"), (.iso88591, "ISO-8859-1")] {
            // The five bytes Windows-1252 leaves unassigned are left out: iconv refuses them.
            let bytes = (0x80...0xFF).map(UInt8.init).filter { encoding != .windows1252 || ![0x81, 0x8D, 0x8F, 0x90, 0x9D].contains($0) }
            let temp = try TempDirectory("handover-iconv")
            let input = temp.path("bytes")
            try Data(bytes).write(to: URL(fileURLWithPath: input))
            let result = try runProcess(iconv, ["-f", name, "-t", "UTF-8", input])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(encoding.decode(bytes) == result.stdout, "\(name)")
        }
    }
}

/// The facts of `bytes` read with the secret scan on and the CSV header on row `headerRow`.
func inspect(_ bytes: [UInt8], fileName: String, chunk: Int? = nil, headerRow: Int) -> FileFacts {
    var inspector = FileInspector(fileName: fileName, readCSV: true, scanSecrets: true, csvHeaderRow: headerRow)
    let size = max(1, chunk ?? bytes.count)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + size)
        bytes[start..<end].withUnsafeBytes { inspector.consume($0) }
        start = end
    }
    return inspector.finish()
}
