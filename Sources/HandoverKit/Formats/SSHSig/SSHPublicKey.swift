import Crypto
import Foundation

/// An SSH public key: its wire blob (RFC 4253 §6.6), its type name and the comment of its line.
///
/// Any key type parses (an allowed_signers file may list security-key or DSA keys), but only
/// `verifiableTypes` can check a signature; the others say so with `unsupportedKeyType`.
/// Two keys are equal when their blobs are: the comment is a label, not part of the key.
package struct SSHPublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The key types whose signatures handover can verify.
    package static let verifiableTypes = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"]

    /// The verifiable types as a sentence lists them: "a, b or c".
    static func sentenceList(_ names: [String]) -> String {
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " or " + last
    }

    /// The largest key blob accepted: a 16384-bit RSA key is about 2 KiB.
    static let maximumBlobSize = 16 * 1024

    /// The key type, such as `ssh-ed25519`.
    package let type: String
    /// The wire encoding of the key, which fingerprints and agents work on.
    package let blob: [UInt8]
    /// The free text after the key on its line (often user@host); empty when none.
    package var comment: String

    /// Reads a key from its wire blob, checking that a key of a verifiable type is well formed.
    package init(blob: [UInt8], comment: String = "") throws {
        try self.init(blob: blob, comment: comment, source: "the public key")
    }

    init(blob: [UInt8], comment: String, source: String) throws {
        guard blob.count <= Self.maximumBlobSize else {
            throw SSHSigError.malformedKey(source: source, reason: "the key is \(blob.count) bytes long, more than any SSH key")
        }
        self.blob = blob
        self.comment = comment
        self.type = try SSHWireError.mapping({ SSHSigError.malformedKey(source: source, reason: $0) }) {
            var reader = SSHWireReader(blob)
            return try reader.readText("the key type", limit: 256)
        }
        // Parse the key material now so that a bad key is reported where it was read.
        if Self.verifiableTypes.contains(type) { _ = try verifier(source: source) }
    }

    /// Reads an OpenSSH public key line: `type base64 [comment]`, as in a `.pub` file.
    package init(line: String, source: String = "the public key") throws {
        let fields = line.split(maxSplits: 2, omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
        guard fields.count >= 2 else {
            throw SSHSigError.malformedKey(source: source, reason: "a public key line is `type base64-key [comment]`")
        }
        let comment = fields.count > 2 ? fields[2].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        try self.init(type: String(fields[0]), base64: fields[1], comment: comment, source: source)
    }

    /// Reads a key given as its type name and base64 blob, checking that the two agree.
    init(type: String, base64: Substring, comment: String, source: String) throws {
        guard let blob = SSHBase64.decode(base64) else {
            throw SSHSigError.malformedKey(source: source, reason: "the key after \(type) is not valid base64")
        }
        try self.init(blob: blob, comment: comment, source: source)
        guard self.type == type else {
            throw SSHSigError.malformedKey(source: source, reason: "the line says \(type) but the key inside is \(self.type)")
        }
    }

    /// Reads a `.pub` file: its first line that is not blank or a comment.
    package init(contentsOf path: String) throws {
        let bytes = try readSmallFile(path, limit: 64 * 1024, what: "a public key")
        try self.init(fileText: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Reads the text of a `.pub` file that `source` names.
    init(fileText text: String, source: String) throws {
        if OpenSSHKeyFile.looksLikePrivateKey(text) {
            throw SSHSigError.malformedKey(source: source, reason: "this is a private key; give the public key (\(source).pub) instead")
        }
        let line = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty && !$0.hasPrefix("#") }
        guard let line else { throw SSHSigError.malformedKey(source: source, reason: "the file holds no key") }
        try self.init(line: line, source: source)
    }

    /// The fingerprint as `ssh-keygen -l` prints it: `SHA256:` and unpadded base64.
    package var fingerprint: String {
        "SHA256:" + SSHBase64.encodeUnpadded(Array(SHA256.hash(data: blob)))
    }

    /// The key as a `.pub` or allowed_signers line ends: `type base64 [comment]`.
    package var openSSHLine: String {
        let key = "\(type) \(SSHBase64.encode(blob))"
        return comment.isEmpty ? key : "\(key) \(comment)"
    }

    package var description: String { "\(type) \(fingerprint)" }

    /// Whether handover can verify signatures made with this key.
    package var isVerifiable: Bool { Self.verifiableTypes.contains(type) }

    package static func == (a: SSHPublicKey, b: SSHPublicKey) -> Bool { a.blob == b.blob }
    package func hash(into hasher: inout Hasher) { hasher.combine(blob) }

    /// The size of an RSA key's modulus in bits; nil for other key types.
    var rsaBits: Int? {
        guard type == SSHRSA.keyType else { return nil }
        var reader = SSHWireReader(blob)
        _ = try? reader.readString("the key type")
        return (try? SSHRSA.readPublicNumbers(&reader))?.bits
    }

    /// Checks one signature: its algorithm name, its inner bytes and the data signed. Returns
    /// false for a signature that does not hold; throws when handover refuses to check it at all
    /// (a SHA-1 RSA signature, an RSA key that is too small).
    typealias SignatureCheck = @Sendable (_ algorithm: String, _ signature: [UInt8], _ data: [UInt8]) throws -> Bool

    /// Whether `signature`, an SSH signature blob (`string algorithm, string bytes`), is this
    /// key's signature of `data`. A damaged blob, or a signature of another key type's algorithm,
    /// is simply invalid; an algorithm or key handover refuses (ssh-rsa with SHA-1, RSA under
    /// 2048 bits, a key type it does not know) throws an error whose exit status is checkFailed.
    package func isValidSignature(_ signature: [UInt8], for data: [UInt8]) throws -> Bool {
        let check = try verifier(source: "the public key")
        var reader = SSHWireReader(signature)
        // An RSA-16384 signature, the largest, is 2048 bytes.
        guard let algorithm = try? reader.readText("the signature type", limit: 256),
              let bytes = try? reader.readString("the signature", limit: SSHRSA.maximumBits / 8),
              reader.isAtEnd
        else { return false }
        return try check(algorithm, bytes, data)
    }

    /// A function that checks signatures by this key.
    private func verifier(source: String) throws -> SignatureCheck {
        try SSHWireError.mapping({ SSHSigError.malformedKey(source: source, reason: $0) }) {
            var reader = SSHWireReader(blob)
            _ = try reader.readString("the key type")
            switch type {
            case "ssh-ed25519":
                let raw = try reader.readString("the Ed25519 key", limit: 64)
                try reader.expectEnd("the Ed25519 key")
                guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else {
                    throw SSHWireError("the Ed25519 key is not 32 bytes long")
                }
                return { algorithm, signature, data in algorithm == "ssh-ed25519" && key.isValidSignature(signature, for: data) }
            case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
                return try Self.ecdsaVerifier(type: type, reader: &reader)
            case SSHRSA.keyType:
                let numbers = try SSHRSA.readPublicNumbers(&reader)
                try reader.expectEnd("the RSA key")
                return try SSHRSA.verifier(numbers, fingerprint: fingerprint)
            default:
                throw SSHSigError.unsupportedKeyType(type)
            }
        }
    }

    /// ECDSA keys (RFC 5656 §3.1): `string curve, string Q`; signatures: `mpint r, mpint s`.
    private static func ecdsaVerifier(type: String, reader: inout SSHWireReader) throws -> SignatureCheck {
        let curve = String(type.dropFirst("ecdsa-sha2-".count))
        guard try reader.readText("the curve name", limit: 64) == curve else {
            throw SSHWireError("the curve inside the key does not match \(type)")
        }
        let point = try reader.readString("the ECDSA point", limit: 200)
        try reader.expectEnd("the ECDSA key")
        // Each curve hashes with its own SHA-2 (RFC 5656 §6.2.1), as isValidSignature does.
        func make<K>(_ parse: ([UInt8]) throws -> K, size: Int, _ check: @escaping @Sendable (K, [UInt8], [UInt8]) -> Bool) throws -> SignatureCheck where K: Sendable {
            guard let key = try? parse(point) else { throw SSHWireError("the \(curve) point is not on the curve") }
            return { algorithm, signature, data in
                guard algorithm == type else { return false }
                var inner = SSHWireReader(signature)
                guard let r = try? inner.readPositiveMPInt("r", size: size),
                      let s = try? inner.readPositiveMPInt("s", size: size), inner.isAtEnd
                else { return false }
                return check(key, r + s, data)
            }
        }
        switch curve {
        case "nistp256":
            return try make({ try P256.Signing.PublicKey(x963Representation: $0) }, size: 32) { key, raw, data in
                guard let sig = try? P256.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
                return key.isValidSignature(sig, for: data)
            }
        case "nistp384":
            return try make({ try P384.Signing.PublicKey(x963Representation: $0) }, size: 48) { key, raw, data in
                guard let sig = try? P384.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
                return key.isValidSignature(sig, for: data)
            }
        default:
            return try make({ try P521.Signing.PublicKey(x963Representation: $0) }, size: 66) { key, raw, data in
                guard let sig = try? P521.Signing.ECDSASignature(rawRepresentation: raw) else { return false }
                return key.isValidSignature(sig, for: data)
            }
        }
    }
}
