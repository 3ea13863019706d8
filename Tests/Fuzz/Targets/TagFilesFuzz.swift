// libFuzzer target: the BagIt tag files (bagit.txt, bag-info.txt, payload and tag manifests,
// fetch.txt), every parser on the same bytes, in an encoding chosen from the input's length.
import Foundation
@testable import HandoverKit

@_cdecl("LLVMFuzzerTestOneInput")
public func tagFilesFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    let encodings = TagFileEncoding.allCases
    let encoding = encodings[bytes.count % encodings.count]

    var diagnostics = BagDiagnostics(limit: 100)
    if let declaration = BagDeclaration.parse(bytes, diagnostics: &diagnostics) {
        _ = declaration.serialized()
    }

    let info = BagInfo.parse(bytes, encoding: encoding, version: bytes.count % 2 == 0 ? .current : BagItVersion(0, 97), diagnostics: &diagnostics)
    _ = info.payloadOxum
    _ = info.baggingDate
    // What handover writes, it must read back as written.
    if let written = try? info.serialized() {
        var again = BagDiagnostics(limit: 100)
        let reread = BagInfo.parse(written, encoding: .utf8, diagnostics: &again)
        fuzzRequire(reread.fields == info.fields, "bag-info.txt fields changed when written and read again")
    }

    // A manifest read whole and read in pieces gives the same entries and the same findings.
    let name = BagManifestName(kind: bytes.count % 3 == 0 ? .tag : .payload, algorithm: .sha256)
    var wholeDiagnostics = BagDiagnostics(limit: 1000)
    let whole = BagManifestParser.entries(of: bytes, name: name, encoding: encoding, diagnostics: &wholeDiagnostics)
    var piecesDiagnostics = BagDiagnostics(limit: 1000)
    var pieces: [BagManifestEntry] = []
    var parser = BagManifestParser(name: name, encoding: encoding)
    feedInPieces(bytes, seed: bytes.count) { piece in
        parser.feed(piece, diagnostics: &piecesDiagnostics) { pieces.append($0) }
    }
    parser.finish(diagnostics: &piecesDiagnostics) { pieces.append($0) }
    fuzzRequire(whole == pieces, "manifest entries differ when the manifest is read in pieces")
    fuzzRequire(wholeDiagnostics.all == piecesDiagnostics.all, "manifest findings differ when the manifest is read in pieces")
    _ = BagManifestName(fileName: Array(bytes.prefix(64)))

    _ = FetchFile.parse(bytes, encoding: encoding, diagnostics: &diagnostics)
    _ = diagnostics.all
    return 0
}
