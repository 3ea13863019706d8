// libFuzzer target: SSH signatures (SSHSIG), armored and binary, then their verification.
import Foundation
import HandoverKit

private let message = SignedMessage.bytes(Array("handover fuzz message\n".utf8))

@_cdecl("LLVMFuzzerTestOneInput")
public func sshSigFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    var parsed: [SSHSignature] = []
    if let signature = try? SSHSignature(armored: String(decoding: bytes, as: UTF8.self)) { parsed.append(signature) }
    if let signature = try? SSHSignature(blob: bytes) { parsed.append(signature) }
    for signature in parsed {
        _ = signature.armored
        // The signature's own key, in the allowed signers, so that the matching code runs too.
        let line = "fuzz@example.org namespaces=\"handover\" \(signature.publicKey.openSSHLine)"
        let allowed = try? AllowedSigners(contents: line, source: "fuzz")
        if let verification = try? signature.verify(message: message, allowedSigners: allowed, principal: "fuzz@example.org") {
            _ = verification.summary
        }
    }
    return 0
}
