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
