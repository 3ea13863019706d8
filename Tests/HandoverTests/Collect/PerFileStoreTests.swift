import Foundation
@testable import HandoverKit
import Testing

/// The per-file structures that a million files make large are replaced by views and merges:
/// each must give exactly what the set or the copy it replaces gave.
@Suite("A million files: the per-file structures give what the sets and copies gave")
struct PerFileStoreTests {
    static func file(_ path: String) -> SourceFile {
        SourceFile(path: Array(path.utf8), kind: .regular, size: Int64(path.utf8.count), modified: Timestamp(seconds: 0))
    }

    static func paths(_ files: [SourceFile]) -> [String] { files.map(\.displayPath) }

    @Test("files selected by several deliverables are collected once, sorted by path bytes")
    func onceAcrossDeliverables() {
        let first = ["a/1", "a/2", "c/1"].map(Self.file)
        let second = ["a/2", "b/1", "c/1", "d"].map(Self.file)
        #expect(Self.paths(Selection.once([first, [], second])) == ["a/1", "a/2", "b/1", "c/1", "d"])
        #expect(Self.paths(Selection.once([[], second])) == ["a/2", "b/1", "c/1", "d"])
        #expect(Selection.once([[], []]).isEmpty)
        // One list out of order (as no walk gives) is sorted all the same.
        #expect(Self.paths(Selection.once([["b", "a"].map(Self.file)])) == ["a", "b"])
    }

    @Test("names that differ only by case clash across deliverables, each naming the other; a file selected twice is no clash with itself")
    func caseClashes() {
        let docs = ["Docs/Plan.md", "docs/other.md"].map(Self.file)
        let again = ["docs/Other.md", "docs/plan.md", "Docs/Plan.md"].map(Self.file)
        let clashes = WindowsNames.caseClashes([docs, again])
        #expect(clashes[Array("docs/plan.md".utf8)] == "Docs/Plan.md")
        #expect(clashes[Array("Docs/Plan.md".utf8)] == "docs/plan.md")
        #expect(clashes[Array("docs/Other.md".utf8)] == "docs/other.md")
        #expect(clashes[Array("docs/other.md".utf8)] == "docs/Other.md")
        #expect(clashes.count == 4)
        #expect(WindowsNames.caseClashes([docs, docs]).isEmpty)
    }

    @Test("the payload view gives the collected files in order, encrypted where confidential, whether or not each is among the walked files")
    func payloadView() {
        let walked = ["a", "b", "c", "d", "e"].map(Self.file)
        let collected = ["b", "d", "e"].map(Self.file)
        let payload = Payload(collected: collected, walked: walked, isConfidential: { $0.displayPath == "d" }, recipients: [])
        #expect(payload.map(\.file.displayPath) == ["b", "d", "e"])
        #expect(payload.map(\.encrypted) == [false, true, false])
        #expect(payload.map { String(decoding: $0.bagPath, as: UTF8.self) } == ["data/b", "data/d.age", "data/e"])
        // A collected file the walk does not hold: the view keeps its own copy, same answer.
        let stray = Payload(collected: ["b", "z"].map(Self.file), walked: walked, isConfidential: { _ in false }, recipients: [])
        #expect(stray.map(\.file.displayPath) == ["b", "z"])
    }
}
