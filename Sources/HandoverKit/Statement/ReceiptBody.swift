import Foundation

/// What a receiver says of a delivery: the decision, the reservations, and the verification as
/// the receiver saw it when deciding.
public struct ReceiptBody: Codable, Sendable, Equatable {
    /// The receiver's decision.
    public enum Decision: String, Codable, Sendable, CaseIterable {
        case accepted
        case acceptedWithReservations = "accepted-with-reservations"
        case refused
    }

    public var decision: Decision
    /// The reservations, as the receiver wrote them (empty when none).
    public var reservations: String?
    public var verification: ReceiptVerification

    public init(decision: Decision, reservations: String?, verification: ReceiptVerification) {
        self.decision = decision
        self.reservations = reservations
        self.verification = verification
    }
}

/// The verdict of `handover verify` on the bundle, in the words of its JSON.
public struct ReceiptVerification: Codable, Sendable, Equatable {
    /// One deliverable's status as verification found it.
    package struct Deliverable: Codable, Sendable, Equatable {
        package var id: String
        package var title: String
        package var required: Bool
        package var status: String
    }

    /// Whether verification passed as a whole.
    public var passed: Bool
    /// `intact-and-complete`, `intact-but-incomplete` or `not-intact`.
    public var integrity: String
    /// Whether every required deliverable is there and valid (nil when the bundle carries no
    /// readable manifest).
    public var complete: Bool?
    /// `authenticated`, `unknown-key`, `not-signed` or `bad-signature`.
    public var authenticity: String
    /// The bundle's signer, as verification saw it (fingerprint or trusted principals).
    public var bundleSigner: String?
    /// `verified`, `not-verified`, `failed` or `absent`.
    public var time: String
    package var deliverables: [Deliverable]
    /// Why verification failed, at most 50 reasons.
    public var problems: [String]

    /// What `handover verify` found, as recorded in a receipt.
    public init(_ result: VerifiedBundle) {
        passed = result.passed
        integrity = result.integrity.rawValue
        complete = result.completeness?.passed
        authenticity = result.evidence.authenticity.rawValue
        bundleSigner = result.evidence.signedBy.isEmpty ? result.evidence.fingerprint : result.evidence.signedBy.joined(separator: ", ")
        time = result.evidence.time.rawValue
        deliverables = (result.completeness?.results ?? []).map {
            Deliverable(id: $0.deliverable.id, title: $0.deliverable.title, required: $0.deliverable.required, status: $0.status.rawValue)
        }
        problems = Array(result.failureReasons.prefix(50))
    }

    /// Intact and complete: what `--decision accepted` requires.
    public var isIntactAndComplete: Bool { integrity == BundleVerification.Integrity.intactAndComplete.rawValue && passed }
}
