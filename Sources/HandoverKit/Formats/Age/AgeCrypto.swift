import Crypto

/// The X25519 recipient stanza: the file key wrapped for one recipient.
enum AgeX25519 {
    private static let info = Array("age-encryption.org/v1/X25519".utf8)
    /// The all-zero nonce that every stanza's ChaCha20-Poly1305 uses (each wrap key is used once).
    static let zeroNonce = try! ChaChaPoly.Nonce(data: [UInt8](repeating: 0, count: 12))

    /// Wraps `fileKey` for `recipient` with a fresh ephemeral share (or the one given, for tests).
    static func wrap(
        fileKey: SymmetricKey, for recipient: Curve25519.KeyAgreement.PublicKey,
        ephemeral: Curve25519.KeyAgreement.PrivateKey = Curve25519.KeyAgreement.PrivateKey()
    ) throws -> AgeStanza {
        let share = Array(ephemeral.publicKey.rawRepresentation)
        let secret = try ephemeral.sharedSecretFromKeyAgreement(with: recipient)
        // Parsing already refuses low-order recipients; a recipient made another way must not
        // slip through: the age specification makes the all-zero secret an error.
        if secret.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } }) {
            throw AgeError.invalidRecipient(shown: AgeRecipient(publicKey: recipient).encoded, reason: "it is a low-order X25519 point, "
                + "for which any file could be decrypted by anybody")
        }
        let key = wrapKey(secret, share: share, recipient: Array(recipient.rawRepresentation))
        let box = try ChaChaPoly.seal(fileKey.withUnsafeBytes { Array($0) }, using: key, nonce: zeroNonce)
        return AgeStanza(arguments: ["X25519", AgeBase64.encode(share)], body: Array(box.ciphertext) + Array(box.tag))
    }

    /// What trying an identity on a stanza gave.
    enum Unwrapped {
        case fileKey(SymmetricKey)
        /// The stanza is not for this identity (or its body was altered: the two look alike).
        case notForThisIdentity
        /// The share is a low-order point: the shared secret is all zero, which age forbids.
        case lowOrderShare
        /// The stanza is of this identity's type but breaks its rules: the file is invalid.
        case malformed(String)
    }

    /// Tries to unwrap a stanza whose shape the header parser already checked.
    static func unwrap(_ stanza: AgeStanza, with identity: Curve25519.KeyAgreement.PrivateKey) -> Unwrapped {
        guard stanza.type == "X25519", stanza.arguments.count == 2, let share = AgeBase64.decode(stanza.arguments[1].utf8),
              stanza.body.count == 32,
              let sharePoint = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share),
              let secret = try? identity.sharedSecretFromKeyAgreement(with: sharePoint)
        else { return .notForThisIdentity }
        // swift-crypto does not reject the all-zero secret; the age specification says to abort.
        if secret.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } }) { return .lowOrderShare }
        let key = wrapKey(secret, share: share, recipient: Array(identity.publicKey.rawRepresentation))
        guard let box = try? ChaChaPoly.SealedBox(
                  nonce: zeroNonce, ciphertext: stanza.body[0..<16], tag: stanza.body[16..<32]),
              let fileKey = try? ChaChaPoly.open(box, using: key)
        else { return .notForThisIdentity }
        return .fileKey(SymmetricKey(data: fileKey))
    }

    private static func wrapKey(_ secret: SharedSecret, share: [UInt8], recipient: [UInt8]) -> SymmetricKey {
        secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: share + recipient, sharedInfo: info, outputByteCount: 32)
    }
}

/// The STREAM construction of the age payload: 64 KiB chunks sealed with ChaCha20-Poly1305
/// under a key derived from the file key and a 16-byte nonce.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let sealedChunkSize = chunkSize + tagSize
    static let nonceSize = 16

    static func payloadKey(fileKey: SymmetricKey, nonce: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: nonce, info: Array("payload".utf8), outputByteCount: 32)
    }

    /// The nonce of chunk `counter`: an 11-byte big-endian counter, then 1 for the final chunk.
    static func chunkNonce(_ counter: UInt64, last: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[3 + i] = UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * i)) }
        bytes[11] = last ? 1 : 0
        // 12 bytes is the one size ChaChaPoly.Nonce accepts.
        return try! ChaChaPoly.Nonce(data: bytes)
    }

    /// Fresh bytes from the system's CSPRNG (getrandom on Linux).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
