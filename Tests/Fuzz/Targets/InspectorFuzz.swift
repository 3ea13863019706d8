// libFuzzer target: the content inspector of deliverables (CSV header and secret-column reading,
// credential scan), as a CSV and as a text file, whole and in pieces.
import Foundation
import HandoverKit

@_cdecl("LLVMFuzzerTestOneInput")
public func inspectorFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    for fileName in ["export.csv", "notes.txt"] {
        var whole = FileInspector(fileName: fileName, readCSV: fileName.hasSuffix(".csv"), scanSecrets: true)
        bytes.withUnsafeBytes { whole.consume($0) }
        let wholeFacts = whole.finish()

        var inPieces = FileInspector(fileName: fileName, readCSV: fileName.hasSuffix(".csv"), scanSecrets: true)
        feedInPieces(bytes, seed: bytes.count &+ Int(bytes.first ?? 0)) { inPieces.consume($0) }
        let piecesFacts = inPieces.finish()
        // The facts cannot depend on how the reads happened to split the file.
        fuzzRequire(wholeFacts == piecesFacts, "\(fileName): facts differ when read in pieces: \(wholeFacts) vs \(piecesFacts)")
        for finding in wholeFacts.secrets { _ = finding.description }
    }
    return 0
}
