import Foundation

/// A signed statement about one bundle: the receiver's receipt, or the provider's deletion or
/// return certificate. One format serves all three kinds.
///
/// The statement is a JSON document written once, with sorted keys, and never re-encoded: the
/// bytes that were signed are the bytes stored (see `StatementEnvelope`), so a reader checks
/// them with `ssh-keygen -Y verify` without any canonicalisation of its own.
public struct Statement: Codable, Sendable, Equatable {
    /// What the statement says.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The receiver accepts, accepts with reservations, or refuses a delivery.
        case receipt
        /// The provider certifies that the data was deleted.
        case deletion
        /// The provider certifies that the data was returned.
        case `return`

        /// The SSHSIG namespace its signature is made in: a receipt cannot be replayed as a
        /// certificate, nor either as a bundle signature (namespace "handover").
        public var namespace: String { self == .receipt ? Statement.receiptNamespace : Statement.certificateNamespace }
    }

    public static let receiptNamespace = "handover-receipt"
    public static let certificateNamespace = "handover-certificate"
    /// The version of this format; a reader refuses another.
    public static let currentVersion = 1

    public var version: Int
    public var kind: Kind
    /// The bundle the statement is about.
    public var subject: StatementSubject
    /// Who signs, as the key and the signer say it.
    public var signer: StatementSigner
    /// When the statement was made (RFC 3339, UTC), by the signer's clock; a time-stamp, when
    /// present, is the independent proof.
    public var time: String
    /// The body of a receipt (kind `receipt`).
    public var receipt: ReceiptBody?
    /// The body of a certificate (kinds `deletion` and `return`).
    public var certificate: CertificateBody?

    public init(kind: Kind, subject: StatementSubject, signer: StatementSigner, time: Date,
                receipt: ReceiptBody? = nil, certificate: CertificateBody? = nil) {
        version = Self.currentVersion
        self.kind = kind
        self.subject = subject
        self.signer = signer
        self.time = Self.format(time)
        self.receipt = receipt
        self.certificate = certificate
    }

    /// The canonical bytes: JSON with sorted keys, two-space indentation, no escaped slashes,
    /// and a final newline. These are the bytes that are signed.
    public func canonicalBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// `date` as RFC 3339 in UTC, to the second.
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

/// The bundle a statement is bound to: its archive's SHA-256 (as in its `.sha256` file) and
/// the SHA-256 of its `tagmanifest-sha256.txt` (what the bundle's own signature covers).
public struct StatementSubject: Codable, Sendable, Equatable {
    /// The archive's file name, as the signer had it.
    public var bundle: String
    public var archiveSHA256: String
    public var tagManifestSHA256: String
    /// The bag's folder name inside the archive.
    public var bag: String?
    /// The contract (bag-info's External-Identifier), when the bundle names one.
    public var contract: String?
    /// The delivery's number in a chain (bag-info's Handover-Delivery).
    public var delivery: Int?

    public init(bundle: String, archiveSHA256: String, tagManifestSHA256: String, bag: String? = nil,
                contract: String? = nil, delivery: Int? = nil) {
        self.bundle = bundle
        self.archiveSHA256 = archiveSHA256
        self.tagManifestSHA256 = tagManifestSHA256
        self.bag = bag
        self.contract = contract
        self.delivery = delivery
    }
}

/// Who signs a statement: the key (its OpenSSH line and fingerprint) and, when given, the name
/// the signer states (a person and the company they sign for).
public struct StatementSigner: Codable, Sendable, Equatable {
    /// The name the signer gave (`--name`), else the key's comment, else nil.
    public var name: String?
    public var fingerprint: String
    /// `type base64` of the public key, as in a `.pub` file (without its comment).
    public var key: String

    package init(name: String?, key: SSHPublicKey) {
        self.name = name
        fingerprint = key.fingerprint
        self.key = "\(key.type) \(SSHBase64.encode(key.blob))"
    }

    /// The name when there is one, else the fingerprint.
    public var display: String { name.map { "\($0) (\(fingerprint))" } ?? fingerprint }
}
