import Crypto
import Foundation
import SwiftASN1

/// A hash algorithm a time-stamp's message imprint may use.
///
/// SHA-1 is read only as an imprint, because old TSAs still issue such tokens and
/// `openssl ts -verify` accepts them; the verdict then warns that SHA-1 is weak (`isWeak`).
/// Everywhere else (the token's own signature, the signing-certificate hash) it stays refused,
/// and handover never asks for it.
package enum TimestampHashAlgorithm: String, Sendable, CaseIterable {
    case sha1 = "SHA-1"
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// The algorithm's object identifier (OIW for SHA-1, NIST for SHA-2, RFC 5754).
    var oid: ASN1ObjectIdentifier {
        switch self {
        case .sha1: return TimestampASN1.sha1
        case .sha256: return [2, 16, 840, 1, 101, 3, 4, 2, 1]
        case .sha384: return [2, 16, 840, 1, 101, 3, 4, 2, 2]
        case .sha512: return [2, 16, 840, 1, 101, 3, 4, 2, 3]
        }
    }

    /// A strong algorithm only: what a signature or a certificate hash may use.
    init?(oid: ASN1ObjectIdentifier) {
        guard let match = Self.allCases.first(where: { $0.oid == oid && !$0.isWeak }) else { return nil }
        self = match
    }

    /// Any algorithm a message imprint may use, SHA-1 included.
    init?(imprintOID oid: ASN1ObjectIdentifier) {
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// SHA-1: collisions can be made, so a time-stamp over a SHA-1 hash proves less.
    package var isWeak: Bool { self == .sha1 }

    /// The number of bytes of a digest.
    var digestLength: Int {
        switch self {
        case .sha1: return 20
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The digest of `bytes`.
    func digest<Bytes: DataProtocol>(_ bytes: Bytes) -> [UInt8] {
        switch self {
        case .sha1: return Array(Insecure.SHA1.hash(data: bytes))
        case .sha256: return Array(SHA256.hash(data: bytes))
        case .sha384: return Array(SHA384.hash(data: bytes))
        case .sha512: return Array(SHA512.hash(data: bytes))
        }
    }

    /// The digest of the file at `path`, read in chunks so that a large file is never held whole.
    func digest(ofFileAt path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TimestampError.unreadableFile(path: path, reason: "cannot open it for reading")
        }
        defer { try? handle.close() }
        var sha1 = Insecure.SHA1(), sha256 = SHA256(), sha384 = SHA384(), sha512 = SHA512()
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw TimestampError.unreadableFile(path: path, reason: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            switch self {
            case .sha1: sha1.update(data: chunk)
            case .sha256: sha256.update(data: chunk)
            case .sha384: sha384.update(data: chunk)
            case .sha512: sha512.update(data: chunk)
            }
        }
        switch self {
        case .sha1: return Array(sha1.finalize())
        case .sha256: return Array(sha256.finalize())
        case .sha384: return Array(sha384.finalize())
        case .sha512: return Array(sha512.finalize())
        }
    }
}

/// The hash of the time-stamped content, with the algorithm that made it (RFC 3161 MessageImprint).
package struct MessageImprint: Hashable, Sendable, CustomStringConvertible {
    package let algorithm: TimestampHashAlgorithm
    package let digest: [UInt8]

    package init(algorithm: TimestampHashAlgorithm, digest: [UInt8]) {
        self.algorithm = algorithm
        self.digest = digest
    }

    /// The imprint of `bytes` (small content such as a tag manifest).
    package init<Bytes: DataProtocol>(of bytes: Bytes, algorithm: TimestampHashAlgorithm = .sha256) {
        self.init(algorithm: algorithm, digest: algorithm.digest(bytes))
    }

    /// The imprint of the file at `path`, hashed by streaming over it.
    package init(ofFileAt path: String, algorithm: TimestampHashAlgorithm = .sha256) throws {
        self.init(algorithm: algorithm, digest: try algorithm.digest(ofFileAt: path))
    }

    package var description: String { "\(algorithm.rawValue) \(hex(digest))" }

    func serialize(into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                try coder.serialize(algorithm.oid)
                try coder.serialize(ASN1Null())
            }
            try coder.serialize(ASN1OctetString(contentBytes: digest[...]))
        }
    }

    /// Reads a MessageImprint; an algorithm other than SHA-1 or SHA-256/384/512 is an error naming it.
    init(derEncoded node: ASN1Node) throws {
        self = try DER.sequence(node, identifier: .sequence) { nodes in
            let algorithmOID = try TimestampASN1.algorithmIdentifier(&nodes)
            let hashed = try ASN1OctetString(derEncoded: &nodes)
            guard let algorithm = TimestampHashAlgorithm(imprintOID: algorithmOID) else {
                throw TimestampASN1.Invalid("the message imprint uses an unsupported hash algorithm (\(algorithmOID))")
            }
            guard hashed.bytes.count == algorithm.digestLength else {
                throw TimestampASN1.Invalid("the message imprint's \(algorithm.rawValue) hash has the wrong length")
            }
            return MessageImprint(algorithm: algorithm, digest: Array(hashed.bytes))
        }
    }
}

/// What a time-stamp is checked against: a hash already computed, or the content itself.
///
/// Given the content, the verifier hashes it with whatever algorithm the token used, so a token
/// from a TSA that answered with SHA-512 still verifies.
package enum TimestampedContent: Sendable {
    case imprint(MessageImprint)
    case bytes([UInt8])
    case file(path: String)

    func imprint(using algorithm: TimestampHashAlgorithm) throws -> MessageImprint? {
        switch self {
        case .imprint(let given): return given.algorithm == algorithm ? given : nil
        case .bytes(let bytes): return MessageImprint(of: bytes, algorithm: algorithm)
        case .file(let path): return try MessageImprint(ofFileAt: path, algorithm: algorithm)
        }
    }
}
