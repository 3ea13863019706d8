// libFuzzer target: the manifest of deliverables (YAML or JSON), then the globs it declares.
import Foundation
@testable import HandoverKit

@_cdecl("LLVMFuzzerTestOneInput")
public func manifestFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard let manifest = try? ManifestParser.parse(bytes, fileName: "fuzz.yaml") else { return 0 }
    // A manifest that parses is used: its globs select files, and the checker judges them.
    let names: [[String]] = [["access", "accounts.csv"], ["docs", "a", "b", "c.md"], [".hidden"], ["é", "ü.pdf"]]
    let files = names.map { parts in
        SourceFile(path: Array(parts.joined(separator: "/").utf8), kind: .regular,
                   size: 1, modified: Timestamp(seconds: 0))
    }
    for deliverable in manifest.deliverables {
        for glob in deliverable.paths {
            for name in names { _ = glob.matches(name); _ = glob.mayMatchBelow(Array(name.dropLast())) }
        }
    }
    let selection = Selection(manifest: manifest, files: files)
    _ = DeliverableChecker.check(manifest: manifest, selection: selection, facts: [:], options: CheckOptions(now: Timestamp(seconds: 0)))
    return 0
}
