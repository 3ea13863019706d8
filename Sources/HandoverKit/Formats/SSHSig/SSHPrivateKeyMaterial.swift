import Crypto
import _CryptoExtras
import Foundation

/// The secret part of an OpenSSH private key, for each key type handover signs with, read from
/// the private section of an openssh-key-v1 file (OpenSSH's sshkey_private_serialize) and checked
/// against the public key stored in clear beside it.
enum SSHPrivateKeyMaterial: Sendable {
    case ed25519(Curve25519.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)
    case rsa(_RSA.Signing.PrivateKey)

    /// The key types handover signs with from a key file.
    static let signingTypes = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", SSHRSA.keyType]

    /// Reads the key of type `type` (its name already read) and checks that it belongs to
    /// `publicKey`; a file whose copies of the public key disagree was damaged or forged.
    init(type: String, reader: inout SSHWireReader, publicKey: SSHPublicKey) throws {
        let mismatch = SSHWireError("the private key does not belong to its public key")
        switch type {
        case "ssh-ed25519":
            // OpenSSH stores the public key, then seed || public key.
            let publicRaw = try reader.readString("the Ed25519 public key", limit: 32)
            let secret = try reader.readString("the Ed25519 private key", limit: 64)
            guard publicRaw.count == 32, secret.count == 64 else { throw SSHWireError("the Ed25519 key has the wrong length") }
            guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: secret[0..<32]),
                  Array(key.publicKey.rawRepresentation) == publicRaw,
                  Array(secret[32..<64]) == publicRaw,
                  publicKey.blob == Self.blob(type, [publicRaw])
            else { throw mismatch }
            self = .ed25519(key)
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            // string curve, string Q (the public point), mpint d.
            let curve = try reader.readText("the curve name", limit: 64)
            let point = try reader.readString("the ECDSA point", limit: 200)
            guard publicKey.blob == Self.blob(type, [Array(curve.utf8), point]) else { throw mismatch }
            func scalar(_ size: Int) throws -> [UInt8] { try reader.readPositiveMPInt("the ECDSA private key", size: size) }
            switch curve {
            case "nistp256":
                guard let key = try? P256.Signing.PrivateKey(rawRepresentation: try scalar(32)),
                      Array(key.publicKey.x963Representation) == point else { throw mismatch }
                self = .p256(key)
            case "nistp384":
                guard let key = try? P384.Signing.PrivateKey(rawRepresentation: try scalar(48)),
                      Array(key.publicKey.x963Representation) == point else { throw mismatch }
                self = .p384(key)
            default:
                guard let key = try? P521.Signing.PrivateKey(rawRepresentation: try scalar(66)),
                      Array(key.publicKey.x963Representation) == point else { throw mismatch }
                self = .p521(key)
            }
        case SSHRSA.keyType:
            // mpint n, e, d, iqmp, p, q (n first here, e first in the public blob).
            let limit = SSHRSA.maximumBits / 8
            let n = try reader.readUnsignedMPInt("the RSA modulus", maximumBytes: limit)
            let e = try reader.readUnsignedMPInt("the RSA exponent", maximumBytes: 8)
            let d = try reader.readUnsignedMPInt("the RSA private exponent", maximumBytes: limit)
            _ = try reader.readUnsignedMPInt("the RSA CRT coefficient", maximumBytes: limit)
            let p = try reader.readUnsignedMPInt("the first RSA prime", maximumBytes: limit)
            let q = try reader.readUnsignedMPInt("the second RSA prime", maximumBytes: limit)
            guard publicKey.blob == SSHRSA.PublicNumbers(e: e, n: n).blob else { throw mismatch }
            let bits = SSHRSA.bitLength(n)
            guard bits >= SSHRSA.minimumBits else {
                throw SSHWireError("its RSA key is \(bits) bits long, and handover uses only RSA keys of \(SSHRSA.minimumBits) bits or more (make one with ssh-keygen -t rsa -b 3072, or use ssh-keygen -t ed25519)")
            }
            // BoringSSL checks that the numbers make one consistent key (n = pq, d inverts e).
            guard let key = try? _RSA.Signing.PrivateKey(n: n, e: e, d: d, p: p, q: q) else { throw mismatch }
            self = .rsa(key)
        default:
            throw SSHWireError("it is a \(type) key, and handover signs with \(SSHPublicKey.sentenceList(Self.signingTypes)) keys")
        }
    }

    /// Signs `data`, returning the SSH signature blob: `string algorithm, string signature`.
    /// ECDSA hashes with its curve's SHA-2 (RFC 5656 §6.2.1), as swift-crypto does by itself;
    /// RSA signs with rsa-sha2-512, as ssh-keygen -Y sign does.
    func sign(_ data: [UInt8]) throws -> [UInt8] {
        switch self {
        case .ed25519(let key):
            return Self.blob("ssh-ed25519", [Array(try key.signature(for: data))])
        case .p256(let key):
            return Self.ecdsaBlob("ecdsa-sha2-nistp256", raw: Array(try key.signature(for: data).rawRepresentation))
        case .p384(let key):
            return Self.ecdsaBlob("ecdsa-sha2-nistp384", raw: Array(try key.signature(for: data).rawRepresentation))
        case .p521(let key):
            return Self.ecdsaBlob("ecdsa-sha2-nistp521", raw: Array(try key.signature(for: data).rawRepresentation))
        case .rsa(let key):
            // "insecure" is swift-crypto's name for PKCS#1 v1.5, the padding RFC 8332 mandates.
            let signature = try key.signature(for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            return Self.blob(SSHRSA.Algorithm.sha512.rawValue, [Array(signature.rawRepresentation)])
        }
    }

    /// `string name` followed by each field as a string.
    static func blob(_ name: String, _ fields: [[UInt8]]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeString(name)
        for field in fields { writer.writeString(field) }
        return writer.bytes
    }

    /// An ECDSA signature blob from the raw r || s: the inner string holds `mpint r, mpint s`.
    private static func ecdsaBlob(_ type: String, raw: [UInt8]) -> [UInt8] {
        let half = raw.count / 2
        var inner = SSHWireWriter()
        inner.writePositiveMPInt(Array(raw[..<half]))
        inner.writePositiveMPInt(Array(raw[half...]))
        return blob(type, [inner.bytes])
    }
}
