import Foundation
import HandoverKit
import Testing

@Suite("SOURCE is walked once, without following links")
struct SourceTreeTests {
    @Test("files are listed with their paths, sorted by bytes; folders are not listed")
    func listsFiles() throws {
        let fixture = try SourceFixture(manifest: "", files: [
            "docs/b.pdf": "%PDF b", "docs/a.pdf": "%PDF a", "access/accounts.csv": "account\n", "README": "hi",
        ])
        try FileManager.default.createDirectory(atPath: fixture.path("empty/folder"), withIntermediateDirectories: true)
        let tree = try SourceTree.walk(fixture.source)
        #expect(tree.files.map(\.displayPath) == ["README", "access/accounts.csv", "docs/a.pdf", "docs/b.pdf"])
        #expect(tree.files.allSatisfy { $0.kind == .regular })
        let readme = try #require(tree.files.first)
        #expect(readme.size == 2)
        #expect(readme.components == ["README"])
        #expect(readme.fileExtension == "")
        #expect(tree.files[1].fileExtension == "csv")
    }

    @Test("a symbolic link is listed with its target and not followed, even to a folder")
    func symlinks() throws {
        let fixture = try SourceFixture(manifest: "", files: ["real/inside.txt": "x"])
        try fixture.symlink("passwd", to: "/etc/passwd")
        try fixture.symlink("folder-link", to: "/etc")
        try fixture.symlink("dangling", to: "nowhere/at/all")
        let tree = try SourceTree.walk(fixture.source)
        let kinds = Dictionary(uniqueKeysWithValues: tree.files.map { ($0.displayPath, $0.kind) })
        #expect(kinds["passwd"] == .symlink(target: "/etc/passwd"))
        #expect(kinds["folder-link"] == .symlink(target: "/etc"))
        #expect(kinds["dangling"] == .symlink(target: "nowhere/at/all"))
        #expect(!tree.files.contains { $0.displayPath.hasPrefix("folder-link/") }, "the link to /etc was followed")
        #expect(tree.files.count == 4)
    }

    @Test("a FIFO is listed as a special file, and the walk does not block on it")
    func fifo() throws {
        let fixture = try SourceFixture(manifest: "")
        try fixture.fifo("exports/pipe.csv")
        let tree = try finishes { try SourceTree.walk(fixture.source) }
        #expect(tree.files.map(\.kind) == [.special("FIFO")])
    }

    @Test("a name in NFD on disk keeps its bytes and matches an NFC glob, and the reverse")
    func unicodeOnDisk() throws {
        let nfc = "Procédures/Sauvegarde générale.pdf"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        let fixture = try SourceFixture(manifest: "")
        try fixture.write(nfd, "%PDF")
        try fixture.write("Réseau/plan.pdf".precomposedStringWithCanonicalMapping, "%PDF")
        let tree = try SourceTree.walk(fixture.source)
        let file = try #require(tree.files.first { $0.path == Array(nfd.utf8) }, "the NFD bytes are kept as on disk")
        #expect(try Glob("Procédures/*.pdf").matches(file.components))
        #expect(try Glob("**/Sauvegarde générale.pdf").matches(file.components))
        let nfcFile = try #require(tree.files.first { $0.path == Array("Réseau/plan.pdf".precomposedStringWithCanonicalMapping.utf8) })
        #expect(try Glob("Réseau/*.pdf".decomposedStringWithCanonicalMapping).matches(nfcFile.components))
    }

    @Test("a name that is not UTF-8 keeps its bytes and is shown with the byte written out")
    func nonUTF8Name() throws {
        let fixture = try SourceFixture(manifest: "")
        let name: [UInt8] = Array("docs/caf".utf8) + [0xE9] + Array(".txt".utf8)   // Latin-1 é
        try FileManager.default.createDirectory(atPath: fixture.path("docs"), withIntermediateDirectories: true)
        let fd = (Array(fixture.source.utf8) + [UInt8(ascii: "/")] + name + [0]).withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(fd >= 0)
        close(fd)
        let tree = try SourceTree.walk(fixture.source)
        let file = try #require(tree.files.first)
        #expect(file.path == name)
        #expect(file.displayPath == "docs/caf\\xE9.txt")
        #expect(try Glob("docs/*.txt").matches(file.components))
    }

    @Test("an excluded path (the bundle being written) is left out")
    func excluding() throws {
        let fixture = try SourceFixture(manifest: "", files: ["docs/a.pdf": "a", "out/bundle.tar": "tar"])
        let tree = try SourceTree.walk(fixture.source, excluding: [fixture.path("out/bundle.tar")])
        #expect(tree.files.map(\.displayPath) == ["docs/a.pdf"])
    }

    @Test("a SOURCE that is missing or is a file is refused")
    func badSource() throws {
        let fixture = try SourceFixture(manifest: "", files: ["file.txt": "x"])
        #expect(throws: CollectError.self) { try SourceTree.walk(fixture.path("missing")) }
        do {
            _ = try SourceTree.walk(fixture.path("missing"))
        } catch {
            #expect(error.errorDescription?.contains(fixture.path("missing")) == true)
            #expect(error.errorDescription?.contains("No such file") == true)
        }
        #expect(throws: CollectError.sourceNotAFolder(fixture.path("file.txt"))) { try SourceTree.walk(fixture.path("file.txt")) }
    }
}

@Suite("Each file is selected by the deliverables whose globs match it")
struct SelectionTests {
    @Test("a file may serve two deliverables; a file no glob selects is not collected")
    func selection() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
              - id: everything-csv
                title: Every CSV
                paths: ["**/*.csv"]
                confidential: true
              - id: keys
                title: Keys
                paths: ["keys/*"]
                confidential: true
            """), files: [
                "access/accounts.csv": "a", "data/export.csv": "b", "keys/id_ed25519": "k", "notes.txt": "n", "tmp/x.bak": "x",
            ])
        let manifest = try fixture.manifest()
        let selection = Selection(manifest: manifest, files: try SourceTree.walk(fixture.source).files)
        #expect(selection.files.map { $0.map(\.displayPath) } == [
            ["access/accounts.csv"], ["access/accounts.csv", "data/export.csv"], ["keys/id_ed25519"],
        ])
        #expect(selection.notCollected.map(\.displayPath) == ["notes.txt", "tmp/x.bak"])
        let files = selection.files
        #expect(!selection.isOnlyConfidential(files[0][0]), "also selected by a deliverable that is not confidential")
        #expect(selection.isOnlyConfidential(files[1][1]))
        #expect(selection.isOnlyConfidential(files[2][0]))
        #expect(!selection.isOnlyConfidential(selection.notCollected[0]))
    }
}
