import Foundation

/// The JSON object `handover verify --format json` prints, documented in README.md.
public struct VerifyJSON: Codable, Sendable {
    public struct Integrity: Codable, Sendable {
        public var valid: Bool
        public var problems: [BagIssue]
        public var warnings: [BagIssue]
        public var payloadFiles: Int
        public var payloadBytes: Int64
        public var algorithms: [String]
        public var holey: Bool
        /// bag-info.txt's fields, in order.
        public var bagInfo: [[String]]
    }

    public struct Signature: Codable, Sendable {
        public var present: Bool
        /// The signature matches the tag manifest (and, with --allowed-signers, a listed signer made it).
        public var valid: Bool
        public var fingerprint: String?
        public var principals: [String]
        public var summary: String?
    }

    public struct Timestamp: Codable, Sendable {
        public var present: Bool
        /// verified, not-verified (no --tsa-ca) or failed.
        public var outcome: String?
        /// RFC 3339, UTC.
        public var time: String?
        public var message: String?
    }

    public var formatVersion = 1
    public var path: String
    /// Intact, complete (or accepted incomplete) and the evidence holds: exit status 0.
    public var passed: Bool
    public var integrity: Integrity
    /// The deliverable rules re-run on the payload; absent when the bag carries no manifest.
    public var completeness: CheckJSON?
    public var manifestProblem: String?
    public var signature: Signature
    public var timestamp: Timestamp
    public var evidenceProblems: [String]

    public init(_ result: BundleVerification.Result) {
        let bag = result.bag
        path = result.path
        passed = result.passed
        integrity = Integrity(
            valid: bag.isValid, problems: bag.problems, warnings: bag.warnings,
            payloadFiles: bag.payload.count, payloadBytes: bag.payload.reduce(0) { $0 + $1.size },
            algorithms: bag.payloadAlgorithms.map(\.rawValue), holey: bag.isHoley,
            bagInfo: bag.bagInfo?.fields.map { [$0.label, $0.value] } ?? [])
        completeness = result.completeness.map { CheckJSON($0) }
        manifestProblem = result.manifestProblem
        switch result.evidence.signature {
        case .absent:
            signature = Signature(present: false, valid: false, principals: [])
        case .checked(let verification):
            signature = Signature(present: true, valid: verification.failure == nil, fingerprint: verification.fingerprint,
                                  principals: verification.principals, summary: verification.summary)
        case .unreadable(let reason):
            signature = Signature(present: true, valid: false, principals: [], summary: reason)
        }
        switch result.evidence.timestamp {
        case .absent:
            timestamp = Timestamp(present: false)
        case .checked(let verification):
            let outcome: String
            switch verification.outcome {
            case .verified: outcome = "verified"
            case .notVerified: outcome = "not-verified"
            case .failed: outcome = "failed"
            }
            timestamp = Timestamp(present: true, outcome: outcome, time: verification.token?.genTimeText, message: verification.message)
        }
        evidenceProblems = result.evidence.problems
    }

    public func encoded() -> String { encodeJSON(self) }
}
