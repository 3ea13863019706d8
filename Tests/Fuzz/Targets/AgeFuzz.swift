// libFuzzer target: age files (header, stanzas, MAC, payload chunks) decrypted with a fixed
// identity, whole and in pieces: the plaintext and the verdict must not depend on the pieces.
import Crypto
import Foundation
@testable import HandoverKit

/// The fuzzing identity: a fixed key, so that a finding replays. Its recipient is written by the
/// seed maker (HANDOVER_FUZZ_WRITE_SEEDS) for `age -r` to encrypt seeds to.
let fuzzIdentity: AgeIdentity = {
    // 32 fixed bytes are always a valid X25519 private key.
    let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0x42, count: 32))
    return key.map { AgeIdentity(privateKey: $0) } ?? AgeIdentity.generate()
}()

/// A fixed ssh-ed25519 identity too, so that the fuzzer reaches the SSH stanzas' parsing (their
/// shape, tag and share checks) and not only the X25519 one.
let fuzzSSHIdentity: AgeIdentity? = {
    guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 0x24, count: 32)) else { return nil }
    let blob = SSHPrivateKeyMaterial.blob("ssh-ed25519", [Array(key.publicKey.rawRepresentation)])
    guard let publicKey = try? SSHPublicKey(blob: blob),
          let ssh = try? AgeSSHIdentity(material: .ed25519(key), publicKey: publicKey)
    else { return nil }
    return AgeIdentity(ssh: ssh)
}()

private func decrypt(_ bytes: [UInt8], inPieces: Bool) -> (plaintext: [UInt8], failed: Bool) {
    var plaintext: [UInt8] = []
    let identities = [fuzzIdentity] + (fuzzSSHIdentity.map { [$0] } ?? [])
    let decryptor = AgeDecryptor(identities: identities, subject: "fuzz.age") { plaintext += $0 }
    do {
        if inPieces {
            try feedInPieces(bytes, seed: bytes.count) { try decryptor.update($0) }
        } else {
            try bytes.withUnsafeBytes { try decryptor.update($0) }
        }
        try decryptor.finish()
        return (plaintext, false)
    } catch {
        _ = (error as? LocalizedError)?.errorDescription
        return (plaintext, true)
    }
}

@_cdecl("LLVMFuzzerInitialize")
public func ageFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    if let folder = ProcessInfo.processInfo.environment["HANDOVER_FUZZ_WRITE_SEEDS"] {
        // The seed maker asks for the recipient and a few files made by handover's own encryptor.
        try? Data((fuzzIdentity.recipient.encoded + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/recipient.txt"))
        if let ssh = fuzzSSHIdentity {
            try? Data((ssh.recipient.encoded + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/ssh-recipient.pub"))
        }
        for (index, size) in [0, 1, 100, 65_536, 65_537].enumerated() {
            var out: [UInt8] = []
            let recipients = [fuzzIdentity.recipient, AgeIdentity.generate().recipient] + (fuzzSSHIdentity.map { [$0.recipient] } ?? [])
            if let encryptor = try? AgeEncryptor(recipients: recipients, sink: { out += $0 }) {
                let plaintext = [UInt8](repeating: UInt8(index), count: size)
                try? plaintext.withUnsafeBytes { try encryptor.update($0) }
                try? encryptor.finish()
                try? Data(out).write(to: URL(fileURLWithPath: "\(folder)/handover-\(size).age"))
            }
        }
        exit(0)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func ageFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    let whole = decrypt(bytes, inPieces: false)
    let pieces = decrypt(bytes, inPieces: true)
    fuzzRequire(whole.failed == pieces.failed, "the verdict differs when the file is read in pieces")
    if !whole.failed { fuzzRequire(whole.plaintext == pieces.plaintext, "the plaintext differs when the file is read in pieces") }
    return 0
}
