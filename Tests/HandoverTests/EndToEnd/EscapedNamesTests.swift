import Foundation
import HandoverKit
import Testing

/// A file name made to redraw the terminal (carriage return, ANSI erase-line, a line feed and a
/// forged verdict, a right-to-left override) is shown escaped everywhere people read it.
@Suite("Names from a bundle are escaped on the terminal, in Markdown and in HTML")
struct EscapedNamesTests {
    static let hostileName = "notes\r\u{1B}[2K\nResult: VALID, the bundle is intact.\u{202E}fdp.exe"

    @Test("VisibleText writes out control, bidirectional and invalid bytes, and nothing else")
    func visibleText() {
        #expect(VisibleText.name("a\r\u{1B}[2K\nb\u{202E}c\\d") == "a\\r\\x1B[2K\\nb\\u{202E}c\\\\d")
        #expect(VisibleText.name("Système d’information – café.csv") == "Système d’information – café.csv")
        #expect(VisibleText.name(bytes: Array("caf".utf8) + [0xE9] + Array(".md".utf8)) == "caf\\xE9.md")
        #expect(VisibleText.name(bytes: [0xC0, 0xAF, 0xED, 0xA0, 0x80]) == "\\xC0\\xAF\\xED\\xA0\\x80", "overlong and surrogate forms are not UTF-8")
        #expect(VisibleText.name(bytes: Array("Núñez/\u{1F600}".utf8)) == "Núñez/\u{1F600}")
        #expect(VisibleText.lines("line 1\n\tline 2\u{1B}[31m\r") == "line 1\n\tline 2\\x1B[31m\\r")
        #expect(VisibleText.name("\u{85}\u{2066}\u{2028}") == "\\u{0085}\\u{2066}\\u{2028}")
    }

    @Test("verify, missing, and the Markdown and HTML reports show the hostile name escaped")
    func hostileBundle() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack()
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: bag + "/data/docs/" + Self.hostileName))
        try stage.repack(bag, as: "hostile.tar")
        let path = stage.path("hostile.tar")
        let shown = "notes\\r\\x1B[2K\\nResult: VALID, the bundle is intact.\\u{202E}fdp.exe"

        let verify = try handover(["verify", path])
        #expect(verify.status == 1)
        for output in [verify.stdout, verify.stderr] {
            #expect(!output.contains("\u{1B}") && !output.contains("\r") && !output.contains("\u{202E}"), "\(output.debugDescription)")
        }
        #expect(verify.stdout.contains("data/docs/\(shown): is in the payload but not listed"), "\(verify.stdout)")
        #expect(!verify.stdout.split(separator: "\n").contains { $0.hasPrefix("Result: VALID") }, "no forged verdict line")
        #expect(verify.stdout.hasSuffix("Result: INVALID, the bundle is not intact (altered, forged or unreadable): see the problems above.\n"))

        let missing = try handover(["missing", path])
        #expect(!missing.stderr.contains("\u{1B}") && !missing.stderr.contains("\r"), "\(missing.stderr.debugDescription)")
        #expect(missing.stderr.contains(shown), "\(missing.stderr)")

        let markdown = try handover(["report", path, "--output", "-", "--format", "md"])
        #expect(!markdown.stdout.contains("\u{1B}") && !markdown.stdout.contains("\u{202E}"))
        #expect(!markdown.stdout.split(separator: "\n").contains { $0.hasPrefix("Result: VALID") })
        let html = stage.path("r.html")
        _ = try handover(["report", path, "--output", html])
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(!page.contains("\u{1B}") && !page.contains("\u{202E}") && !page.contains("\r"))
        #expect(page.contains("\\u{202E}fdp.exe"), "the override is written out")
    }
}

/// The same names in JSON: a terminal is kept safe by JSON's own `\uXXXX` escapes, so that the
/// document stays JSON and a parser reads the name as it is.
@Suite("JSON output with hostile names stays valid JSON and safe on a terminal")
struct EscapedJSONTests {
    /// The raw forms a terminal must never receive; all of them are written as escapes.
    static let hostileName = "notes\r\u{1B}[2K\nResult: VALID\u{7F}\u{85}\u{2028}\u{061C}\u{202E}fdp.exe"
    static let raw: [Character] = ["\u{1B}", "\r", "\u{7F}", "\u{85}", "\u{2028}", "\u{061C}", "\u{202E}"]

    @Test("VisibleText.json escapes DEL, C1 and bidirectional controls as JSON does, and nothing else")
    func escapes() throws {
        let encoded = try JSONEncoder().encode(["name": Self.hostileName, "plain": "Système d’information – café\\x"])
        let safe = VisibleText.json(bytes: Array(encoded))
        let text = String(decoding: safe, as: UTF8.self)
        #expect(!Self.raw.contains { text.contains($0) }, "\(text.debugDescription)")
        #expect(text.contains("\\u007f\\u0085\\u2028\\u061c\\u202e"), "\(text)")
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(safe))
        #expect(decoded == ["name": Self.hostileName, "plain": "Système d’information – café\\x"])
        // Text without those characters is returned as it is.
        #expect(VisibleText.json("{\"a\" : \"é – ’ 😀\"}") == "{\"a\" : \"é – ’ 😀\"}")
    }

    @Test("verify, inspect, missing, diff and report --format json parse, with no raw control character")
    func hostileBundleJSON() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack()
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: bag + "/data/docs/" + Self.hostileName))
        // Listed in the payload manifest (line breaks percent-encoded, RFC 8493 §2.1.3), so that
        // diff, which reads the manifests only, shows it as added.
        let listed = Self.hostileName.replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        let manifest = try FileHandle(forWritingTo: URL(fileURLWithPath: bag + "/manifest-sha256.txt"))
        try manifest.seekToEnd()
        try manifest.write(contentsOf: Data("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  data/docs/\(listed)\n".utf8))
        try manifest.close()
        try stage.repack(bag, as: "hostile.tar")
        let path = stage.path("hostile.tar")
        let file = stage.path("report.json")
        _ = try handover(["report", path, "--format", "json", "--output", file])
        // inspect only lists (0); the others find the bundle altered, or the deliveries differing (1).
        let runs: [(String, Int32, [String])] = [
            ("verify", 1, ["verify", path, "--format", "json"]),
            ("inspect", 0, ["inspect", path, "--format", "json"]),
            ("missing", 1, ["missing", path, "--format", "json"]),
            ("diff", 1, ["diff", stage.path("bundle.tar"), path, "--format", "json"]),
            ("report", 1, ["report", path, "--format", "json", "--output", "-"]),
        ]
        for (name, status, arguments) in runs {
            let run = try handover(arguments)
            #expect(run.status == status, "\(name): \(run.stderr)")
            #expect(run.stdout.contains("fdp.exe"), "\(name) names the file: \(run.stdout)")
            #expect(!Self.raw.contains { run.stdout.contains($0) }, "\(name): \(run.stdout.debugDescription)")
            let parsed = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
            #expect(parsed != nil, "\(name) printed no valid JSON: \(run.stdout)")
            if name == "report" {
                // The same JSON but for the time it was generated.
                let lines = { (text: String) in text.split(separator: "\n").filter { !$0.contains("\"generated\"") } }
                #expect(lines(try String(contentsOfFile: file, encoding: .utf8)) == lines(run.stdout), "the file and stdout hold the same JSON")
            }
        }
        // diff lists the manifests' paths as they are: JSON's escapes, and the parsed value is the
        // name itself. inspect shows the payload's names as report.json records them (escaped).
        let diff = try handover(["diff", stage.path("bundle.tar"), path, "--format", "json"])
        #expect(diff.stdout.contains("\\u202e"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(diff.stdout.utf8)) as? [String: Any])
        #expect(Self.strings(in: object).contains { $0.hasSuffix("docs/" + Self.hostileName) }, "\(diff.stdout)")
        let inspect = try handover(["inspect", path, "--format", "json"])
        let listing = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(Self.strings(in: listing).contains { $0.hasSuffix("docs/" + VisibleText.name(Self.hostileName)) }, "\(inspect.stdout)")
    }

    /// Every string value in a parsed JSON document.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: return [text]
        case let array as [Any]: return array.flatMap { strings(in: $0) }
        case let object as [String: Any]: return object.values.flatMap { strings(in: $0) }
        default: return []
        }
    }
}

@Suite("inspect and diff show names as verify does")
struct EscapedListingTests {
    @Test("a line break, a backslash and invalid UTF-8 in names: inspect finds the files, diff counts its lines right")
    func inspectAndDiff() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("old.tar")
        _ = try stage.source.write("docs/a\n    added      FAKE.txt", "c")
        _ = try stage.source.write("docs/back\\slash.txt", "a")
        let invalid = Array((stage.source.source + "/docs/bad").utf8) + [0xFF] + Array("utf8.txt".utf8) + [0]
        let descriptor = invalid.withUnsafeBytes { open($0.baseAddress!.assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        try #require(descriptor >= 0)
        #expect(write(descriptor, "b", 1) == 1)
        close(descriptor)
        try stage.buildOK("new.tar")
        let shown = ["docs/a\\n    added      FAKE.txt", "docs/back\\\\slash.txt", "docs/bad\\xFFutf8.txt"]

        let inspect = try handover(["inspect", stage.path("new.tar"), "--verbose"])
        #expect(inspect.status == 0, "\(inspect.stderr)")
        #expect(!inspect.stdout.contains("NOT IN THE BUNDLE") && !inspect.stdout.contains("in no deliverable"), "\(inspect.stdout)")
        for name in shown { #expect(inspect.stdout.contains(name), "\(inspect.stdout)") }
        #expect(!inspect.stdout.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("added") })

        let diff = try handover(["diff", stage.path("old.tar"), stage.path("new.tar"), "--verbose"])
        #expect(diff.status == 1, "\(diff.stderr)")
        let added = diff.stdout.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("added ") }
        #expect(added.count == 3, "three files added, three lines: \(diff.stdout)")
        for name in shown.prefix(2) { #expect(diff.stdout.contains("added      \(name)"), "\(diff.stdout)") }
        let markdown = try handover(["diff", stage.path("old.tar"), stage.path("new.tar"), "--verbose", "--format", "md"])
        #expect(markdown.stdout.contains("`\(shown[0])`"), "\(markdown.stdout)")
    }
}

@Suite("A message about a bundle is one line, whatever the names in it")
struct OneLineMessageTests {
    static let forged = "Result: VALID, the bundle is intact"

    /// No line of the output starts like a verdict handover did not give.
    static func noForgedLine(_ run: ProcessResult) -> Bool {
        !(run.stdout + "\n" + run.stderr).split(separator: "\n").contains { $0.hasPrefix("Result: VALID") }
    }

    @Test("an entry refused for its path is named escaped")
    func refusedEntry() throws {
        let temp = try TempDirectory("handover-one-line")
        let path = temp.path("climbing.tar")
        try Data(HandmadeBag().tar { $0.add("acme-bag/data/../x\n\(Self.forged)", text: "x") }).write(to: URL(fileURLWithPath: path))
        let verify = try handover(["verify", path])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("data/../x\\n\(Self.forged)"), "\(verify.stderr)")
        #expect(Self.noForgedLine(verify), "\(verify.stdout)\(verify.stderr)")
        // Refused before a verdict: --format json still prints JSON a program can read.
        for command in ["verify", "missing", "inspect"] {
            let json = try handover([command, path, "--format", "json"])
            #expect(json.status == 1, "\(command)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(command): \(json.stdout)")
            #expect(object["passed"] as? Bool == false)
            #expect(object["state"] as? String == "not-intact")
            #expect((object["refused"] as? String)?.contains("climbs out with '..'") == true, "\(command): \(json.stdout)")
            #expect(json.stderr.contains("climbs out with '..'"), "\(command): \(json.stderr)")
        }
    }

    @Test("a manifest key with a line break gives a one-line error")
    func manifestKey() throws {
        let temp = try TempDirectory("handover-one-line")
        let path = temp.path("key.tar")
        let manifest = "version: 1\n\"x\\n\(Self.forged)\": 1\n"
        try Data(HandmadeBag().tar { $0.add("acme-bag/handover/manifest.yaml", text: manifest) }).write(to: URL(fileURLWithPath: path))
        // verify finds the bundle fails; missing cannot judge it without its manifest (2).
        for (command, status) in [("verify", Int32(1)), ("missing", Int32(2))] {
            let run = try handover([command, path])
            #expect(run.status == status, "\(command): \(run.stderr)")
            #expect((run.stdout + run.stderr).contains("unknown key 'x\\n\(Self.forged)"), "\(command): \(run.stdout)\(run.stderr)")
            #expect(Self.noForgedLine(run), "\(command): \(run.stdout)\(run.stderr)")
        }
    }
}
