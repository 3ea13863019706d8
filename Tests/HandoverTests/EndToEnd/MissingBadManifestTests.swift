import Foundation
import HandoverKit
import Testing

@Suite("handover missing with a wrong manifest exits 2, pointing at the line")
struct MissingBadManifestTests {
    /// A mistake in Acme's manifest, and the text on the line the error must name.
    enum Mistake: String, CaseIterable, Sendable {
        case typo, duplicateID, climbingGlob, badVersion, badYAML, badDate, badID

        func apply(to text: String) -> String {
            switch self {
            case .typo: text.replacingOccurrences(of: "    min-files: 2", with: "    min-file: 2")
            case .duplicateID: text.replacingOccurrences(of: "id: inventories", with: "id: documentation")
            case .climbingGlob: text.replacingOccurrences(of: "\"inventory/*\"", with: "\"inventory/../../etc/*\"")
            case .badVersion: text.replacingOccurrences(of: "version: 1", with: "version: 2")
            case .badYAML: text.replacingOccurrences(of: "formats: [csv, xlsx]", with: "formats: [csv, xlsx")
            case .badDate: text.replacingOccurrences(of: "date: 2026-12-31", with: "date: 2026-02-30")
            case .badID: text.replacingOccurrences(of: "id: server-keys", with: "id: Server_Keys")
            }
        }

        /// Text found on the line the error names (for malformed YAML, libyaml names where it noticed).
        var marker: String {
            switch self {
            case .typo: "min-file:"
            case .duplicateID: "id: documentation"
            case .climbingGlob: "inventory/../../etc"
            case .badVersion: "version: 2"
            case .badYAML: "id: backup-plan"
            case .badDate: "date:"
            case .badID: "Server_Keys"
            }
        }

        var occurrence: Int { self == .duplicateID ? 2 : 1 }
    }

    @Test("a mistake in the manifest: exit 2, file:line on stderr, nothing on stdout", arguments: Mistake.allCases)
    func mistake(_ mistake: Mistake) throws {
        let fixture = try acmeSource()
        let original = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        let broken = mistake.apply(to: original)
        #expect(broken != original)
        try fixture.setManifest(broken)
        let result = try fixture.missing()
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let line = try #require(lineNumber(of: mistake.marker, in: broken, occurrence: mistake.occurrence))
        #expect(result.stderr.hasPrefix("handover: error: \(fixture.manifestPath):\(line):"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one line, no stack trace or YAML dump")
    }

    @Test("an empty or non-UTF-8 manifest exits 2 naming the file")
    func unreadableText() throws {
        let fixture = try acmeSource()
        for bytes in [Data(), Data([0xFF, 0xFE, 0x76, 0x00])] {
            try bytes.write(to: URL(fileURLWithPath: fixture.manifestPath))
            let result = try fixture.missing()
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix("handover: error: \(fixture.manifestPath): "))
        }
    }

    @Test("a manifest file that does not exist exits 2")
    func manifestMissing() throws {
        let fixture = try acmeSource()
        let result = try handover(["missing", "--manifest", fixture.temp.path("nope.yaml"), fixture.source])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.yaml: cannot read the manifest"))
    }

    @Test("a manifest that is a FIFO with no writer exits 2 at once, without waiting")
    func manifestIsAFIFO() throws {
        let fixture = try acmeSource()
        let pipe = fixture.temp.path("handover-pipe.yaml")
        #expect(mkfifo(pipe, 0o644) == 0)
        let result = try finishes { try handover(["missing", "--manifest", pipe, fixture.source]) }
        #expect(result.status == 2)
        #expect(result.stderr.contains("--manifest \(pipe): is a FIFO (named pipe), not a regular file"), "\(result.stderr)")
    }

    /// Manifests made to hurt a parser: each must end in exit 2, quickly, without a crash.
    static let hostile: [(String, String)] = [
        ("flow lists nested 100,000 deep", "version: 1\nhandover: " + String(repeating: "[", count: 100_000) + "\n"),
        ("mappings nested 100,000 deep", "version: 1\nhandover: " + String(repeating: "{a: ", count: 100_000) + "\n"),
        ("an alias bomb used as a key", aliasBomb(asKey: true)),
        ("an alias bomb as a value", aliasBomb(asKey: false)),
        ("a 1 MB key", "version: 1\n" + String(repeating: "k", count: 1 << 20) + ": 1\n"),
        ("a glob with 100,000 braces", manifestText(deliverables: "  - id: a\n    title: A\n    paths: [\"" + String(repeating: "{", count: 100_000) + "\"]\n")),
    ]

    @Test("a hostile manifest ends in exit 2, not a crash or a hang",
          arguments: hostile.map(\.0))
    func hostileManifest(_ name: String) throws {
        let text = try #require(Self.hostile.first { $0.0 == name }?.1)
        let fixture = try acmeSource()
        try fixture.setManifest(text)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try finishes { try fixture.missing() }
        #expect(result.status == 2, "\(name): \(result.stderr.prefix(500))")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("handover: error: \(fixture.manifestPath)"))
        #expect(result.stderr.utf8.count < 2000, "the message quotes at most a little of the input")
        #expect(clock.now - start < .seconds(10))
    }
}
