import Foundation
@testable import HandoverKit
import Testing

/// `report --format json` streams the deliverables' file lists; the bytes must be those
/// JSONEncoder writes for the whole report, whatever the names hold.
@Suite("the report's JSON, file lists streamed, is byte for byte JSONEncoder's")
struct FileListJSONTests {
    @Test("names with quotes, backslashes, a tab, accents and an emoji", arguments: [
        "architecture.md", "say \"hello\".md", "back\\slash.md", "tab\there.md", "Données réseau été.md", "plan 🚀.md", "a/b/../c.md",
    ])
    func sameBytes(name: String) throws {
        let fixture = try ReportFixture(docName: name.replacingOccurrences(of: "/", with: "-"))
        let report = try fixture.report()
        let lists = report.deliverables.compactMap(\.fileList).filter { !$0.isEmpty }
        #expect(lists.count >= 2, "the fixture should give several non-empty lists")
        var pieces = 0
        var streamed: [UInt8] = []
        report.writeJSON { piece in
            pieces += 1
            streamed += piece
        }
        #expect(pieces > 1, "the lists were not streamed: the whole document came in one piece")
        #expect(String(decoding: streamed, as: UTF8.self) == encodeJSON(report))
        #expect(report.encoded() == encodeJSON(report))
    }

    @Test("a JSON string is written as JSONEncoder writes it, for every ASCII character and beyond")
    func strings() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var samples = (0..<128).map { String(UnicodeScalar(UInt8($0))) + "x/y" }
        samples += ["", "é", "\u{2028}", "\u{FEFF}", "🚀", "\u{7F}", "a\"b\\c"]
        for sample in samples {
            let expected = String(decoding: try encoder.encode([sample]).dropFirst().dropLast(), as: UTF8.self)
            #expect(FileListJSON.encodedString(sample) == expected, "\(Array(sample.utf8))")
        }
    }
}
