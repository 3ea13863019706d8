// libFuzzer target: RFC 3161 time-stamp responses (DER), then the verification of their token:
// imprint, CMS signature, chain and usage, with the token's own certificates as the trusted CAs
// so that a well-formed token reaches every check.
import Foundation
@testable import HandoverKit

@_cdecl("LLVMFuzzerTestOneInput")
public func timestampFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard let response = try? TimestampResponse(derEncoded: bytes) else { return 0 }
    _ = response.refusalDescription
    guard let token = response.token else { return 0 }
    _ = token.imprint.description
    let anchors = token.signed.certificates.map(\.certificate)
    let verifier = anchors.isEmpty ? TimestampVerifier() : TimestampVerifier(trustAnchors: anchors, describedAs: "the token's own certificates")
    if let verification = try? verifier.verifyWaiting(bytes, against: .imprint(token.imprint)) {
        _ = verification.message
    }
    return 0
}
