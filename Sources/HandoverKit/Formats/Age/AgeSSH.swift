import Crypto
import _CryptoExtras
import Foundation

/// age's SSH recipient types, `ssh-ed25519` and `ssh-rsa`: a file encrypted to an SSH public key
/// (a `.pub` line), decrypted with its OpenSSH private key, as `age -R key.pub` and
/// `age -d -i key` do.
///
/// Each stanza names its key by a tag, the first 4 bytes of SHA-256 over the key's SSH wire
/// blob, so a reader tries only the stanza meant for its key. ssh-ed25519 converts the Ed25519
/// key to X25519 and mixes in a tweak derived from the blob; ssh-rsa wraps the file key with
/// RSA-OAEP-SHA-256 under age's label.
enum AgeSSH {
    static let ed25519Type = "ssh-ed25519"
    static let rsaType = "ssh-rsa"
    static let supportedTypes = [ed25519Type, rsaType]
    static let ed25519Label = Array("age-encryption.org/v1/ssh-ed25519".utf8)
    /// age refuses smaller RSA keys for encryption, and so does handover everywhere.
    static let minimumRSABits = SSHRSA.minimumBits

    /// The 4-byte tag of a key, base64 as stanzas carry it.
    static func tag(_ blob: [UInt8]) -> String { AgeBase64.encode(Array(SHA256.hash(data: blob).prefix(4))) }

    /// HKDF-SHA-256 with an empty input and the key's blob as salt: the scalar by which both
    /// sides multiply the shared secret. Written out (extract, one expand block) because
    /// swift-crypto's HKDF wants its input as a key, and this input is empty.
    static func tweak(_ blob: [UInt8]) -> [UInt8] {
        let prk = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: SymmetricKey(data: blob))
        return Array(HMAC<SHA256>.authenticationCode(for: ed25519Label + [1], using: SymmetricKey(data: Array(prk))))
    }

    /// X25519(scalar, point) as bytes; nil for the all-zero result age forbids.
    static func x25519(_ scalar: [UInt8], _ point: [UInt8]) -> [UInt8]? {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar),
              let peer = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: point),
              let secret = try? key.sharedSecretFromKeyAgreement(with: peer)
        else { return nil }
        let bytes = secret.withUnsafeBytes { Array($0) }
        return bytes.allSatisfy { $0 == 0 } ? nil : bytes
    }

    static func ed25519WrapKey(sharedSecret: [UInt8], share: [UInt8], converted: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: sharedSecret), salt: share + converted, info: ed25519Label,
            outputByteCount: 32)
    }
}

/// An SSH public key as an age recipient, with what wrapping for it needs, computed once.
struct AgeSSHRecipient: Sendable {
    enum Material: Sendable {
        /// The Ed25519 key as an X25519 point, and the tweak.
        case ed25519(converted: [UInt8], tweak: [UInt8])
        /// The RSA key as DER for BoringSSL, and its size in bytes (the stanza body's).
        case rsa(spki: Data, modulusBytes: Int)
    }

    let key: SSHPublicKey
    let material: Material
    let tag: String

    /// Checks that `key` is one age can encrypt to; the error is the reason, for a message.
    init(_ key: SSHPublicKey) throws(AgeSSHKeyProblem) {
        self.key = key
        tag = AgeSSH.tag(key.blob)
        var reader = SSHWireReader(key.blob)
        switch key.type {
        case AgeSSH.ed25519Type:
            guard (try? reader.readString("the key type")) != nil,
                  let raw = try? reader.readString("the Ed25519 key", limit: 32), raw.count == 32, reader.isAtEnd,
                  let converted = Ed25519Montgomery.montgomeryU(fromEdwards: raw),
                  let point = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: converted),
                  !AgeRecipient.isLowOrder(point)
            else { throw AgeSSHKeyProblem("its Ed25519 key is not a point that can be encrypted to") }
            material = .ed25519(converted: converted, tweak: AgeSSH.tweak(key.blob))
        case AgeSSH.rsaType:
            guard (try? reader.readString("the key type")) != nil,
                  let numbers = try? SSHRSA.readPublicNumbers(&reader), reader.isAtEnd
            else { throw AgeSSHKeyProblem("its RSA numbers are not valid") }
            guard numbers.bits >= AgeSSH.minimumRSABits else {
                throw AgeSSHKeyProblem("it is a \(numbers.bits)-bit RSA key, and handover encrypts only for RSA keys of "
                    + "\(AgeSSH.minimumRSABits) bits or more; ask for a larger key (ssh-keygen -t rsa -b 3072) or an Ed25519 one")
            }
            guard let rsa = try? _RSA.Signing.PublicKey(n: numbers.n, e: numbers.e) else {
                throw AgeSSHKeyProblem("its RSA numbers are outside what RSA encryption uses")
            }
            material = .rsa(spki: rsa.derRepresentation, modulusBytes: (numbers.bits + 7) / 8)
        default:
            throw AgeSSHKeyProblem("it is a \(key.type) key; age encrypts only to ssh-ed25519 and ssh-rsa SSH keys")
        }
    }

    /// The stanza that wraps `fileKey` for this key.
    func wrap(fileKey: SymmetricKey) throws -> AgeStanza {
        let plain = fileKey.withUnsafeBytes { Array($0) }
        switch material {
        case .ed25519(let converted, let tweak):
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = Array(ephemeral.publicKey.rawRepresentation)
            guard let first = AgeSSH.x25519(Array(ephemeral.rawRepresentation), converted),
                  let shared = AgeSSH.x25519(tweak, first)
            else {
                throw AgeError.invalidRecipient(shown: key.openSSHLine, reason: "its key gives an all-zero shared secret")
            }
            let wrapKey = AgeSSH.ed25519WrapKey(sharedSecret: shared, share: share, converted: converted)
            let box = try ChaChaPoly.seal(plain, using: wrapKey, nonce: AgeX25519.zeroNonce)
            return AgeStanza(
                arguments: [AgeSSH.ed25519Type, tag, AgeBase64.encode(share)], body: Array(box.ciphertext) + Array(box.tag))
        case .rsa(let spki, _):
            guard let body = AgeRSAOAEP.encrypt(plain, publicKeySPKI: spki) else {
                throw AgeError.invalidRecipient(shown: key.fingerprint, reason: "RSA-OAEP encryption for it failed")
            }
            return AgeStanza(arguments: [AgeSSH.rsaType, tag], body: body)
        }
    }

    /// The bytes of this recipient's stanza in a header: its line, then its body in base64 lines
    /// of 64 columns, the last one shorter (empty when the body fills its lines).
    var stanzaSize: Int {
        switch material {
        case .ed25519:
            // "-> ssh-ed25519 " tag " " share "\n", then 43 + "\n" for the 32-byte body.
            return 15 + tag.count + 1 + 43 + 1 + 43 + 1
        case .rsa(_, let modulusBytes):
            let characters = (modulusBytes * 4 + 2) / 3
            return 11 + tag.count + 1 + characters + characters / 64 + 1
        }
    }
}

/// Why an SSH key cannot be an age recipient or identity, in words that follow "it".
struct AgeSSHKeyProblem: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The private half of an SSH key as an age identity.
struct AgeSSHIdentity: Sendable {
    enum Material: Sendable {
        /// The X25519 scalar from the Ed25519 seed (SHA-512(seed)[0..<32]), its public point, the tweak.
        case ed25519(scalar: [UInt8], converted: [UInt8], tweak: [UInt8])
        case rsa(pkcs8: Data, modulusBytes: Int)
    }

    let recipient: AgeSSHRecipient
    let material: Material

    /// From a private key read from an OpenSSH key file (already checked against its public key).
    init(material signing: SSHPrivateKeyMaterial, publicKey: SSHPublicKey) throws(AgeSSHKeyProblem) {
        recipient = try AgeSSHRecipient(publicKey)
        switch (signing, recipient.material) {
        case (.ed25519(let key), .ed25519(let converted, let tweak)):
            let scalar = Array(SHA512.hash(data: key.rawRepresentation).prefix(32))
            // The scalar's own X25519 public key is the converted point; a mismatch would mean
            // the conversion is wrong, and every file would then fail to open.
            guard let derived = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: scalar),
                  Array(derived.publicKey.rawRepresentation) == converted
            else { throw AgeSSHKeyProblem("its Ed25519 key does not convert to X25519 consistently") }
            material = .ed25519(scalar: scalar, converted: converted, tweak: tweak)
        case (.rsa(let key), .rsa(_, let modulusBytes)):
            material = .rsa(pkcs8: key.pkcs8DERRepresentation, modulusBytes: modulusBytes)
        default:
            throw AgeSSHKeyProblem("it is a \(publicKey.type) key; age decrypts only with ssh-ed25519 and ssh-rsa SSH keys")
        }
    }

    /// Tries this key on one stanza of its own type. A stanza of that type that breaks the
    /// type's shape is an error for the whole file, as age reads it.
    func unwrap(_ stanza: AgeStanza) -> AgeX25519.Unwrapped {
        switch material {
        case .ed25519(let scalar, let converted, let tweak):
            guard stanza.type == AgeSSH.ed25519Type else { return .notForThisIdentity }
            guard stanza.arguments.count == 3, let share = AgeBase64.decode(stanza.arguments[2].utf8), share.count == 32,
                  stanza.body.count == 32
            else {
                return .malformed("an ssh-ed25519 stanza does not have a tag and a 32-byte share as arguments and a 32-byte body")
            }
            guard stanza.arguments[1] == recipient.tag else { return .notForThisIdentity }
            guard let first = AgeSSH.x25519(scalar, share), let shared = AgeSSH.x25519(tweak, first) else {
                return .lowOrderShare
            }
            let wrapKey = AgeSSH.ed25519WrapKey(sharedSecret: shared, share: share, converted: converted)
            guard let box = try? ChaChaPoly.SealedBox(
                      nonce: AgeX25519.zeroNonce, ciphertext: stanza.body[0..<16], tag: stanza.body[16..<32]),
                  let fileKey = try? ChaChaPoly.open(box, using: wrapKey)
            else { return .notForThisIdentity }
            return .fileKey(SymmetricKey(data: fileKey))
        case .rsa(let pkcs8, let modulusBytes):
            guard stanza.type == AgeSSH.rsaType else { return .notForThisIdentity }
            guard stanza.arguments.count == 2 else {
                return .malformed("an ssh-rsa stanza does not have exactly one argument, its tag")
            }
            guard stanza.arguments[1] == recipient.tag else { return .notForThisIdentity }
            // The tag names this key: a body that does not open with it was altered.
            guard stanza.body.count == modulusBytes else {
                return .malformed("the ssh-rsa stanza for \(recipient.key.fingerprint) is \(stanza.body.count) bytes "
                    + "long, where that key's are \(modulusBytes)")
            }
            guard let fileKey = AgeRSAOAEP.decrypt(stanza.body, privateKeyPKCS8: pkcs8), fileKey.count == 16 else {
                return .malformed("the ssh-rsa stanza for \(recipient.key.fingerprint) does not decrypt with that key; "
                    + "the header was altered")
            }
            return .fileKey(SymmetricKey(data: fileKey))
        }
    }
}
