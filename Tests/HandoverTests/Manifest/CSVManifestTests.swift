import Foundation
import HandoverKit
import Testing

@Suite("Manifest csv: required-columns with aliases, header-row and encoding, read strictly")
struct CSVManifestTests {
    static func text(csv: String) -> String {
        manifestText(deliverables: """
              - id: hosts
                title: Inventaire des serveurs
                paths: ["inventaire/*.csv"]
                csv:
            \(csv)
            """)
    }

    @Test("columns with aliases, a header row and an encoding are read as written")
    func parsed() throws {
        let text = Self.text(csv: """
                  required-columns:
                    - {name: hostname, aliases: ["Nom d'hôte", Hostname, Serveur]}
                    - serial
                    - name: owner
                      aliases: Propriétaire
                  header-row: 3
                  encoding: CP1252
            """)
        let manifest = try ManifestParser.parse(Array(text.utf8), fileName: "handover.yaml")
        let rule = manifest.deliverables[0].csv
        #expect(rule.columns == [
            ColumnRule(name: "hostname", aliases: ["Nom d'hôte", "Hostname", "Serveur"]),
            ColumnRule(name: "serial"),
            ColumnRule(name: "owner", aliases: ["Propriétaire"]),
        ])
        #expect(rule.headerRow == 3)
        #expect(rule.encoding == .windows1252)
        #expect(manifest.deliverables[0].requiredColumns == ["hostname", "serial", "owner"])
    }

    @Test("without header-row and encoding, the header is row 1 and the code page is guessed")
    func defaults() throws {
        let manifest = try ManifestParser.parse(Array(Self.text(csv: "      required-columns: [serial]").utf8), fileName: "m.yaml")
        #expect(manifest.deliverables[0].csv == CSVRule(columns: [ColumnRule(name: "serial")], headerRow: 1, encoding: nil))
    }

    @Test("a wrong value is an error naming the line and what to write", arguments: [
        ("header-row: 0", "header-row: 0", "'header-row' must be a whole number from 1 to 20"),
        ("header-row: two", "header-row: two", "'header-row' must be a whole number from 1 to 20"),
        ("header-row: 21", "header-row: 21", "(found '21')"),
        ("encoding: utf-16", "encoding: utf-16", "unknown 'encoding' 'utf-16'; write one of windows-1252, iso-8859-1, iso-8859-15, utf-8"),
        ("encoding: [latin1]", "encoding: [latin1]", "'encoding' must be a single value"),
        ("required-columns: {name: serial}", "required-columns:", "'required-columns' must be a list"),
        ("required-columns: [[serial, sn]]", "required-columns:", "a column of 'required-columns' is a list; write a column as a name, or as {name: hostname"),
        ("required-columns: [{aliases: [sn]}]", "required-columns:", "a column of 'required-columns' has no 'name'"),
        ("required-columns: [{name: serial, alias: [sn]}]", "required-columns:", "unknown key 'alias' in a column of 'required-columns' of deliverable 'hosts'; did you mean 'aliases'?"),
        ("required-columns: [{name: serial, aliases: {a: sn}}]", "required-columns:", "the 'aliases' of column 'serial' must be a list of names"),
        ("required-columns: [{name: serial, aliases: [[sn]]}]", "required-columns:", "each item of 'aliases' must be a single value"),
        ("required-columns: [\"  \"]", "required-columns:", "a column of 'required-columns' is empty"),
        ("header_row: 2", "header_row: 2", "unknown key 'header_row' in 'csv'; did you mean 'header-row'?"),
    ])
    func errors(_ line: String, _ marker: String, _ message: String) throws {
        let text = Self.text(csv: "      " + line)
        let error = try #require(manifestError(text), "\(line) should not parse")
        #expect(error.line == lineNumber(of: marker, in: text), "\(line): \(error.message)")
        #expect(error.message.contains(message), "\(line): \(error.message)")
    }

    @Test("handover missing exits 2 on a bad csv key, naming the file and line")
    func missingExitsTwo() throws {
        let text = Self.text(csv: "      required-columns: [serial]\n      encoding: klingon")
        let fixture = try SourceFixture(manifest: text, files: ["inventaire/serveurs.csv": "serial\nX1\n"])
        let result = try fixture.missing()
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        let line = try #require(lineNumber(of: "encoding: klingon", in: text))
        #expect(result.stderr.contains("handover.yaml:\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains("unknown 'encoding' 'klingon'"), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
    }
}
