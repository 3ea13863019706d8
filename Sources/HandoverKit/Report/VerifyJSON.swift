import Foundation

/// The JSON object `handover verify --format json` prints, documented in README.md.
public struct VerifyJSON: Codable, Sendable {
    package struct Integrity: Codable, Sendable {
        package var valid: Bool
        package var problems: [BagIssue]
        package var warnings: [BagIssue]
        package var payloadFiles: Int
        package var payloadBytes: Int64
        package var algorithms: [String]
        package var holey: Bool
        /// intact-and-complete, intact-but-incomplete (files only in fetch.txt) or not-intact.
        package var state: BundleVerification.Integrity
        /// Entries outside data/ that no (signed) tag manifest lists: problems in a signed
        /// bundle, warnings otherwise.
        package var unlistedEntries: [String]
        /// bag-info.txt's fields, in order.
        package var bagInfo: [[String]]
    }

    package struct Signature: Codable, Sendable {
        package var present: Bool
        /// The signature matches the tag manifest, in the handover namespace; who made it is
        /// said by `authenticity` (a valid signature by an unknown key proves nothing about who).
        package var valid: Bool
        package var fingerprint: String?
        package var principals: [String]
        package var summary: String?
    }

    /// The archive's SHA-256 against the `.sha256` beside it; absent when there is none.
    package struct ArchiveSidecar: Codable, Sendable {
        package var path: String
        package var sha256: String
        /// What the `.sha256` says; absent when it holds no checksum.
        package var expected: String?
        package var matches: Bool
    }

    package struct Timestamp: Codable, Sendable {
        package var present: Bool
        /// verified, not-verified (no --tsa-ca) or failed.
        package var outcome: Outcome?

        /// What checking the time-stamp gave, in the JSON's words.
        package enum Outcome: String, Codable, Sendable {
            /// Verified against a trusted TSA.
            case verified
            /// Present, but no TSA certificate to check it against was given.
            case notVerified = "not-verified"
            /// It does not hold.
            case failed
        }
        /// RFC 3339, UTC.
        package var time: String?
        package var message: String?
        /// What weakens the time-stamp without failing it (a SHA-1 imprint); absent when nothing does.
        package var warnings: [String]?
    }

    public var formatVersion = 1
    public var path: String
    /// Intact, complete (or accepted incomplete) and the evidence holds: exit status 0.
    public var passed: Bool
    /// The verdict in three words: intact-and-complete, intact-but-incomplete (files only in
    /// fetch.txt, or required deliverables missing or invalid) or not-intact (altered, forged or
    /// unreadable). `integrity.state` says the same of the BagIt check alone.
    package var state: BundleVerification.Integrity
    /// authenticated (signed by a key the reader trusts), unknown-key, not-signed or
    /// bad-signature. Only a passed and authenticated bundle is proven to come from its signer.
    package var authenticity: EvidenceCheck.Authenticity
    /// Who the trusted key belongs to, when authenticated.
    public var signedBy: [String]
    /// verified, not-verified (no trusted TSA certificate given), failed or absent.
    package var time: EvidenceCheck.TimeProof
    package var integrity: Integrity
    /// The deliverable rules re-run on the payload; absent when the bag carries no manifest.
    public var completeness: CheckJSON?
    public var manifestProblem: String?
    package var signature: Signature
    package var timestamp: Timestamp
    public var evidenceProblems: [String]
    package var archive: ArchiveSidecar?
    /// With `verify --profile`: the profile and the rules the bag does not meet.
    public var profile: Profile?
    /// With `verify --fetch` or `--merge`: the remote payload (files of fetch.txt) as checked.
    public var remote: Remote?

    /// How many remote objects were checked and what the others are.
    public struct Remote: Codable, Sendable {
        /// whole, shard or merged.
        public var scope: String
        /// `K/N` for a shard; the number of parts for a merge.
        public var shard: String?
        public var parts: Int?
        public var objects: Int
        public var checked: Int
        public var checkedBytes: Int64
        public var changed: Int
        public var wrongSize: Int
        public var missing: Int
        public var notChecked: Int
        /// Files left to the other shards.
        public var otherShards: Int
        /// Files taken from the state file (`--resume`), not read again.
        public var resumed: Int
        package var files: [RemoteResult]
    }

    /// A BagIt Profile check: `passed` is false when any rule is unmet, each one a problem
    /// with a stable code (`profile-tag-missing`…).
    public struct Profile: Codable, Sendable {
        public var identifier: String
        public var file: String
        public var passed: Bool
        package var problems: [ProfileIssue]
    }

    public init(_ result: VerifiedBundle) {
        let bag = result.bag
        path = result.path
        passed = result.passed
        state = result.state
        authenticity = result.evidence.authenticity
        signedBy = result.evidence.signedBy
        time = result.evidence.time
        integrity = Integrity(
            valid: bag.isValid, problems: bag.problems, warnings: bag.warnings,
            payloadFiles: bag.payload.count, payloadBytes: bag.payload.totalSize,
            algorithms: bag.payloadAlgorithms.map(\.rawValue), holey: bag.isHoley, state: result.integrity,
            unlistedEntries: result.unlisted.map { BagPaths.display($0) },
            bagInfo: bag.bagInfo?.fields.map { [$0.label, $0.value] } ?? [])
        completeness = result.completeness.map { CheckJSON($0) }
        manifestProblem = result.manifestProblem
        switch result.evidence.signature {
        case .absent:
            signature = Signature(present: false, valid: false, principals: [])
        case .checked(let verification):
            signature = Signature(present: true, valid: result.evidence.authenticity != .badSignature, fingerprint: verification.fingerprint,
                                  principals: verification.principals, summary: verification.summary)
        case .unreadable(let reason):
            signature = Signature(present: true, valid: false, principals: [], summary: reason)
        }
        switch result.evidence.timestamp {
        case .absent:
            timestamp = Timestamp(present: false)
        case .checked(let verification):
            let outcome: Timestamp.Outcome
            switch verification.outcome {
            case .verified: outcome = .verified
            case .notVerified: outcome = .notVerified
            case .failed: outcome = .failed
            }
            timestamp = Timestamp(present: true, outcome: outcome, time: verification.token?.genTimeText, message: verification.message,
                                  warnings: verification.warnings.isEmpty ? nil : verification.warnings)
        }
        evidenceProblems = result.evidence.problems
        archive = result.archive.flatMap { archive in
            archive.sidecar == .absent ? nil
                : ArchiveSidecar(path: archive.sidecarPath, sha256: archive.sha256, expected: archive.sidecarDigest, matches: archive.sidecar == .match)
        }
        remote = result.remote.map { (check: RemoteCheck) -> Remote in
            var scope = "whole", shard: String?, parts: Int?
            switch check.scope {
            case .whole: break
            case .shard(let value): scope = "shard"; shard = value.description
            case .merged(let count): scope = "merged"; parts = count
            }
            let files = zip(check.entries, check.states).map { (entry, state) -> RemoteResult in
                var file = entry.result ?? RemoteResult(path: entry.file.displayPath, url: entry.file.url, state: .notChecked)
                file.state = state
                return file
            }
            return Remote(scope: scope, shard: shard, parts: parts, objects: check.entries.count, checked: check.count(.checked),
                          checkedBytes: check.checkedBytes, changed: check.count(.changed), wrongSize: check.count(.wrongSize),
                          missing: check.count(.missing), notChecked: check.count(.notChecked), otherShards: check.outOfScope,
                          resumed: check.resumed, files: files)
        }
        profile = result.profile.map { Profile(identifier: $0.identifier, file: $0.path, passed: $0.passed, problems: $0.issues) }
    }

    public func encoded() -> String { encodeJSON(self) }
}

/// What `verify`, `missing` and `inspect` print with `--format json` for a bundle that could not
/// be read as a bag at all (an entry with an unsafe path, a damaged archive): the same first
/// fields as `VerifyJSON`, so that a program reading `passed` and `state` gets its answer, and
/// why in `refused`.
public struct RefusalJSON: Encodable, Sendable {
    public var formatVersion = 1
    public var path: String
    public var passed = false
    package var state = BundleVerification.Integrity.notIntact
    public var refused: String

    public init(path: String, refused: String) {
        self.path = path
        self.refused = refused
    }

    public func encoded() -> String { encodeJSON(self) }
}
