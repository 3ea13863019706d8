import Foundation
@testable import HandoverKit
import Testing

/// An export copied around between Windows, a Mac and Office: the junk they leave, a drafts
/// folder the manifest excludes, a deliverable that excludes its own backups, an empty folder.
func junkSource(extra: String = "") throws -> SourceFixture {
    try bundleSource(extraFiles: [
        "docs/Thumbs.db": "thumbnail cache",
        "docs/desktop.ini": "[.ShellClassInfo]\n",
        "docs/.DS_Store": "\u{0}\u{0}\u{0}\u{1}Bud1",
        "docs/~$architecture.docx": "lock",
        "docs/runbooks/export.TMP": "temporary",
        "docs/__MACOSX/runbooks/._Procédure de sauvegarde.pdf": "resource fork",
        "docs/._architecture.md": "AppleDouble",
        "docs/drafts/idea.md": "# not handed over\n",
        "inventory/servers.csv.bak": "name,os\n",
        "access/Thumbs.db": "thumbnail cache",
    ]).rewritingManifest { text in
        text.replacingOccurrences(of: "deliverables:\n", with: "exclude: [\"**/drafts/**\"]\ndeliverables:\n")
            .replacingOccurrences(of: "    paths: [\"inventory/*\"]\n", with: "    paths: [\"inventory/*\"]\n    exclude: [\"**/*.bak\"]\n") + extra
    }
}

extension SourceFixture {
    /// The same fixture with its manifest changed by `edit`.
    func rewritingManifest(_ edit: (String) -> String) throws -> SourceFixture {
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try setManifest(edit(text))
        return self
    }
}

@Suite("System junk and exclude: are ignored, counted, never packed")
struct IgnoredFilesTests {
    static let junk = ["access/Thumbs.db", "docs/.DS_Store", "docs/._architecture.md", "docs/Thumbs.db",
                       "docs/__MACOSX/runbooks/._Procédure de sauvegarde.pdf", "docs/desktop.ini",
                       "docs/drafts/idea.md", "docs/runbooks/export.TMP", "docs/~$architecture.docx"]

    @Test("junk and the manifest's exclude: are ignored as a whole; a deliverable's exclude only by it")
    func selection() throws {
        let fixture = try junkSource()
        try FileManager.default.createDirectory(atPath: fixture.path("docs/empty"), withIntermediateDirectories: true)
        let report = try fixture.check()
        #expect(report.passed, "\(CheckText.render(report))")
        #expect(report.ignored.map(\.displayPath) == Self.junk)
        let documentation = try report.result("documentation")
        #expect(documentation.status == .ok)
        #expect(documentation.files.map(\.displayPath) == ["docs/architecture.md", "docs/runbooks/Procédure de sauvegarde.pdf"])
        #expect(documentation.ignored.count == 8, "every docs/ junk file and the excluded draft")
        #expect(documentation.warnings.map(\.description) == ["docs/empty/: " + (ProblemSentences.english(.emptyFolder, [:]) ?? "")])
        let inventories = try report.result("inventories")
        #expect(inventories.files.map(\.displayPath) == ["inventory/servers.csv"], "formats [csv, xlsx] never saw the .bak")
        #expect(inventories.ignored.map(\.displayPath) == ["inventory/servers.csv.bak"])
        #expect(inventories.status == .ok)
        // access/*.csv never matched access/Thumbs.db: it is ignored by SOURCE, not by the deliverable.
        #expect(try report.result("access-list").ignored.isEmpty)
        // Excluded by one deliverable and taken by none: not collected, so the provider sees it.
        #expect(report.notCollected.map(\.displayPath) == ["inventory/servers.csv.bak", "scratch/notes.txt"])
        #expect(report.emptyFolders == ["docs/empty"])
    }

    @Test("missing says ignored (N files) per deliverable and in the summary; JSON lists every file")
    func missingText() throws {
        let fixture = try junkSource()
        let text = try fixture.missing()
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        let documentation = try #require(text.stdout.split(separator: "\n").first { $0.contains(" documentation ") })
        #expect(documentation.contains("2 files, ") && documentation.contains(", ignored (8 files)"), "\(documentation)")
        #expect(text.stdout.contains("Ignored: 9 files (system junk"))
        let all = try fixture.missing(["--all"])
        for path in Self.junk { #expect(all.stdout.contains("\n  \(path)\n")) }

        let json = try jsonObject(try fixture.missing(["--format", "json"]))
        let ignored = try #require(json["ignored"] as? [String: Any])
        #expect(ignored["count"] as? Int == 9)
        #expect(ignored["files"] as? [String] == Self.junk)
        let deliverables = try #require(json["deliverables"] as? [[String: Any]])
        let inventories = try #require(deliverables.first { $0["id"] as? String == "inventories" })
        #expect(inventories["ignored"] as? [String] == ["inventory/servers.csv.bak"])
        #expect(inventories["files"] as? Int == 1)
    }

    @Test("build packs none of them, and says how many it ignored; bagit-python agrees")
    func buildLeavesThemOut() throws {
        let fixture = try junkSource()
        let archive = try fixture.buildBundle("acme.tar")
        let bag = try StandardTools.extract(archive, into: fixture.temp.path("x"))
        let data = bag + "/data"
        let packed = pathsUnder(data).filter { path in
            var folder: ObjCBool = false
            return FileManager.default.fileExists(atPath: data + "/" + path, isDirectory: &folder) && !folder.boolValue
        }
        #expect(packed == bundlePayload)
        #expect(try StandardTools.bagitValidate(bag).status == 0)
        let report = try String(contentsOfFile: bag + "/handover/report.json", encoding: .utf8)
        #expect(report.contains("\"ignored\""))
        let html = try String(contentsOfFile: bag + "/handover/report.html", encoding: .utf8)
        #expect(html.contains("<b>Ignored.</b> 9 files"))
        let build = try fixture.build(to: fixture.temp.path("again.tar"))
        #expect(build.stdout.contains("ignored (9 files)"), "\(build.stdout)")
    }

    @Test("a glob written with \\ is refused with the / form to write instead")
    func backslashHint() throws {
        let fixture = try bundleSource()
        let text = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        try fixture.setManifest(text.replacingOccurrences(of: "paths: [\"docs/**/*\"]", with: "paths: ['docs\\**\\*']"))
        let result = try fixture.missing()
        #expect(result.status == 2)
        let line = try #require(lineNumber(of: "docs\\", in: try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)))
        #expect(result.stderr.contains("handover.yaml:\(line):"), "\(result.stderr)")
        #expect(result.stderr.contains("write \"docs/**/*\""), "\(result.stderr)")
        try fixture.setManifest(text.replacingOccurrences(of: "deliverables:\n", with: "exclude: ['drafts\\old']\ndeliverables:\n"))
        #expect(try fixture.missing().stderr.contains("the manifest: exclude 'drafts\\old' separates folders with '\\'"))
    }

    @Test("exclude: must be a list of globs; an unknown key beside it is still refused")
    func excludeIsStrict() throws {
        let fixture = try bundleSource()
        let text = try String(contentsOfFile: fixture.manifestPath, encoding: .utf8)
        try fixture.setManifest(text.replacingOccurrences(of: "deliverables:\n", with: "exclude: {a: b}\ndeliverables:\n"))
        #expect(try fixture.missing().stderr.contains("'exclude' must be a list"))
        try fixture.setManifest(text.replacingOccurrences(of: "deliverables:\n", with: "exclude: [\"../x\"]\ndeliverables:\n"))
        #expect(try fixture.missing().stderr.contains("climbs out of SOURCE"))
        try fixture.setManifest(text.replacingOccurrences(of: "    paths: [\"inventory/*\"]\n", with: "    paths: [\"inventory/*\"]\n    excludes: [\"*.bak\"]\n"))
        #expect(try fixture.missing().stderr.contains("unknown key 'excludes'"))
    }
}
