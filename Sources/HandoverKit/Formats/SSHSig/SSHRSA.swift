import Crypto
import _CryptoExtras
import Foundation

/// RSA as SSH uses it: `ssh-rsa` keys (RFC 4253 §6.6) that sign with PKCS#1 v1.5 over SHA-256
/// or SHA-512 (RFC 8332, the `rsa-sha2-256` and `rsa-sha2-512` signature algorithms).
///
/// The original `ssh-rsa` signature algorithm hashes with SHA-1; OpenSSH does not accept it in
/// SSH signatures, and neither does handover. Keys under 2048 bits are refused too: a bundle
/// signature has to hold for years, and 2048 bits is the least NIST SP 800-57 still accepts for
/// signing (OpenSSH itself still takes 1024, so this is stricter than ssh-keygen).
enum SSHRSA {
    static let keyType = "ssh-rsa"
    static let minimumBits = 2048
    /// OpenSSH's largest (SSHBUF_MAX_BIGNUM), which is also BoringSSL's.
    static let maximumBits = 16384
    /// The SHA-1 signature algorithm, refused by name.
    static let sha1Algorithm = "ssh-rsa"

    /// The signature algorithms handover verifies, and the one it signs with.
    enum Algorithm: String, CaseIterable {
        case sha256 = "rsa-sha2-256"
        case sha512 = "rsa-sha2-512"
    }

    /// The public numbers, as magnitudes without leading zeros.
    struct PublicNumbers: Sendable {
        let e: [UInt8]
        let n: [UInt8]

        var bits: Int { SSHRSA.bitLength(n) }

        /// The key's wire blob: `string "ssh-rsa", mpint e, mpint n` (e first, unlike PKCS#1).
        var blob: [UInt8] {
            var writer = SSHWireWriter()
            writer.writeString(SSHRSA.keyType)
            writer.writePositiveMPInt(e)
            writer.writePositiveMPInt(n)
            return writer.bytes
        }
    }

    /// Reads `mpint e, mpint n` after the key type.
    static func readPublicNumbers(_ reader: inout SSHWireReader) throws -> PublicNumbers {
        let e = try reader.readUnsignedMPInt("the RSA exponent", maximumBytes: 8)
        let n = try reader.readUnsignedMPInt("the RSA modulus", maximumBytes: maximumBits / 8)
        guard let last = e.last, last & 1 == 1, e != [1] else { throw SSHWireError("the RSA exponent is not an odd number above 1") }
        guard let last = n.last, last & 1 == 1 else { throw SSHWireError("the RSA modulus is not an odd number") }
        return PublicNumbers(e: e, n: n)
    }

    /// The number of significant bits of a big-endian magnitude without leading zeros.
    static func bitLength(_ magnitude: [UInt8]) -> Int {
        guard let first = magnitude.first else { return 0 }
        return (magnitude.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }

    /// A check of `(algorithm, signature bytes, data)` for the key `numbers`. A key that is too
    /// small, or a signature algorithm other than rsa-sha2-256/512, is refused with a reason
    /// (a failed check), not reported as a mismatch: nothing was wrong with the bytes.
    static func verifier(_ numbers: PublicNumbers, fingerprint: String) throws -> SSHPublicKey.SignatureCheck {
        let bits = numbers.bits
        // A small key is kept so that an allowed_signers file listing one still reads; only a
        // signature made with it is refused.
        let key: _RSA.Signing.PublicKey? = bits < minimumBits ? nil : try {
            // BoringSSL also bounds the exponent (33 bits), which no ssh-keygen key exceeds.
            guard let key = try? _RSA.Signing.PublicKey(n: numbers.n, e: numbers.e) else {
                throw SSHWireError("the RSA key's numbers are outside what RSA signatures use")
            }
            return key
        }()
        return { algorithm, signature, data in
            guard let key else {
                throw SSHSigError.keyTooSmall(fingerprint: fingerprint, bits: bits, minimum: minimumBits)
            }
            guard let chosen = Algorithm(rawValue: algorithm) else {
                throw SSHSigError.unsupportedSignatureAlgorithm(algorithm: algorithm, keyType: keyType)
            }
            // OpenSSH pads a signature shorter than the modulus with zeros on the left (some
            // signers strip them); PKCS#1 wants exactly the modulus length.
            let size = (bits + 7) / 8
            guard signature.count <= size else { return false }
            let padded = [UInt8](repeating: 0, count: size - signature.count) + signature
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: padded)
            // "insecure" is swift-crypto's name for PKCS#1 v1.5, the padding RFC 8332 mandates.
            switch chosen {
            case .sha256:
                return key.isValidSignature(rsaSignature, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
            case .sha512:
                return key.isValidSignature(rsaSignature, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5)
            }
        }
    }
}
