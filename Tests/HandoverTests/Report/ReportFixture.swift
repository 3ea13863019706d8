import Foundation
import HandoverKit
import Testing

/// A small handover the report tests share: Acme's contract, four deliverables of which one
/// required deliverable (the restore test) is missing and one optional is absent, built into a
/// bundle with --allow-incomplete at a fixed SOURCE_DATE_EPOCH (2026-12-31T12:00:00Z).
final class ReportFixture: @unchecked Sendable {
    let source: SourceFixture
    let bundle: String
    static let epoch: Int64 = 1_798_718_400

    static let deliverables = """
          - id: access-list
            title: Accounts and access rights
            category: access
            paths: ["access/*.csv"]
            csv:
              required-columns: [account, system, role, mfa, owner]
          - id: documentation
            title: Technical documentation
            category: documentation
            paths: ["docs/**/*"]
            min-files: 2
          - id: restore-test
            title: Last restore test report
            category: backup
            paths: ["backup/restore-tests/**/*"]
          - id: data-return
            title: Certificate of data return
            required: false
            paths: ["certificates/*.pdf"]
        """

    /// `client`, `docTitle` and `docName` let a test put hostile text where input goes.
    init(client: String = "Acme SA", docTitle: String = "Technical documentation", docName: String = "architecture.md",
         format: String = "tar") throws {
        let deliverables = Self.deliverables.replacingOccurrences(of: "title: Technical documentation", with: "title: \(Self.yamlQuoted(docTitle))")
        let manifest = manifestText(deliverables: deliverables).replacingOccurrences(of: "client: Acme SA", with: "client: \(Self.yamlQuoted(client))")
        source = try SourceFixture(manifest: manifest, files: [
            "access/accounts.csv": "account;system;role;mfa;owner\nalice;erp;admin;yes;IT\n",
            "docs/\(docName)": "# Architecture\n",
            "docs/runbooks/backup.md": "# Backup\n",
            "scratch/notes.txt": "not part of the handover\n",
        ])
        bundle = source.temp.path("acme.\(format)")
        let result = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", bundle, "--allow-incomplete"],
                                  environment: ["SOURCE_DATE_EPOCH": String(Self.epoch)])
        guard result.status == 0 else { throw FixtureError("build failed: \(result.stdout)\(result.stderr)") }
    }

    static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The report on the bundle, made in process as `handover report` makes it.
    func report() throws -> HandoverReport {
        let result = try BundleVerification.verify(path: bundle, options: BundleVerification.Options())
        return HandoverReport(verified: result, archive: try ArchiveChecksum.compute(path: bundle), now: Self.epoch + 3600)
    }

    /// The bundle extracted with bsdtar, as a recipient would: the path of the bag folder.
    func extracted() throws -> String {
        let folder = source.temp.path("received")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        try runProcess(bsdtar, ["-xf", bundle, "-C", folder])
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        return "\(folder)/\(bag)"
    }

    /// Runs `handover report` on the bundle.
    func runReport(_ extra: [String]) throws -> ProcessResult {
        try handover(["report", bundle] + extra)
    }
}

/// What python3's html.parser saw in a document: every element and attribute, the text, and
/// whether the tags balance (every element closed in order, void elements aside).
struct ParsedHTML: Decodable {
    let balanced: Bool
    let errors: [String]
    let tags: [String]
    /// [tag, attribute, value] for every attribute.
    let attributes: [[String]]
    let text: String
    /// The contents of <style> elements.
    let style: String

    static let script = #"""
        import json, sys
        from html.parser import HTMLParser
        VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source"}
        class P(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.errors, self.tags, self.attrs, self.text, self.style = [], [], [], [], [], []
            def handle_starttag(self, tag, attrs):
                self.tags.append(tag)
                self.attrs += [[tag, k, v or ""] for k, v in attrs]
                if tag not in VOID: self.stack.append(tag)
            def handle_endtag(self, tag):
                if not self.stack or self.stack[-1] != tag:
                    self.errors.append("unexpected </%s> with %s open" % (tag, self.stack[-3:]))
                else:
                    self.stack.pop()
            def handle_data(self, data):
                (self.style if self.stack and self.stack[-1] == "style" else self.text).append(data)
        p = P()
        p.feed(sys.stdin.read())
        p.close()
        if p.stack: p.errors.append("never closed: %s" % p.stack)
        print(json.dumps({"balanced": not p.errors, "errors": p.errors, "tags": p.tags, "attributes": p.attrs,
                          "text": "".join(p.text), "style": "".join(p.style)}))
        """#

    /// Parses `html` with python3 (which the tests need installed).
    static func parse(_ html: String) throws -> ParsedHTML {
        let python = try requireTool("python3", install: "apt-get install python3")
        let result = try runProcess(python, ["-c", script], stdin: Data(html.utf8))
        guard result.status == 0 else { throw FixtureError("html.parser failed: \(result.stderr)") }
        return try JSONDecoder().decode(ParsedHTML.self, from: Data(result.stdout.utf8))
    }
}
