import Foundation

/// Checks the bundle's evidence: its SSH signature and its RFC 3161 time-stamp, both over the
/// exact bytes of `tagmanifest-sha256.txt` (which, being itself verified, covers every tag file
/// and through the payload manifests every payload byte).
public enum EvidenceCheck {
    public struct Options {
        /// OpenSSH allowed_signers: the signature must be valid and made by a listed key.
        public var allowedSigners: String?
        /// PEM of the TSA's CA: the time-stamp must be signed by a TSA that chains to it.
        public var tsaCA: String?
        public var now = Date()
        public init() {}
    }

    public enum SignatureOutcome {
        case absent
        case checked(SSHSignatureVerification)
        case unreadable(String)
    }

    public enum TimestampOutcome {
        case absent
        case checked(TimestampVerification)
    }

    public struct Result {
        public var signature: SignatureOutcome = .absent
        public var timestamp: TimestampOutcome = .absent
        /// Why the evidence fails, one sentence each; empty when it holds.
        public var problems: [String] = []
        public var passed: Bool { problems.isEmpty }
    }

    /// Checks what the bag carries against what the options ask. Throws only when an input the
    /// user gave (allowed_signers, CA file) cannot be read.
    public static func check(_ bag: BagVerification, options: Options) throws -> Result {
        var result = Result()
        let tagManifest = bag.tagFile("tagmanifest-sha256.txt")
        let allowed = try options.allowedSigners.map { try AllowedSigners(contentsOf: $0) }

        if let armored = bag.tagFile(BagLayout.signature) {
            do {
                let signature = try SSHSignature(armored: String(decoding: armored, as: UTF8.self))
                guard let tagManifest else {
                    throw SSHSigError.malformedSignature(reason: "the bundle has no tagmanifest-sha256.txt for its signature to cover")
                }
                let verification = try signature.verify(message: .bytes(tagManifest), allowedSigners: allowed, at: options.now)
                result.signature = .checked(verification)
                if let failure = verification.failure {
                    result.problems.append("\(BagLayout.signature): \(failure.errorDescription ?? "the signature does not hold")")
                }
            } catch let error as SSHSigError where error.exitStatus == .checkFailed {
                result.signature = .unreadable(error.errorDescription ?? "\(error)")
                result.problems.append("\(BagLayout.signature): \(error.errorDescription ?? "\(error)")")
            }
        } else if options.allowedSigners != nil {
            result.problems.append("the bundle is not signed, but --allowed-signers asks for a signature from a listed signer")
        }

        if let response = bag.tagFile(BagLayout.timestamp) {
            let verifier = try options.tsaCA.map { try TimestampVerifier(caFile: $0) } ?? TimestampVerifier()
            let verification: TimestampVerification
            if let tagManifest {
                verification = try verifier.verifyWaiting(response, against: .bytes(tagManifest))
            } else {
                verification = .failed(.imprint, "The bundle has no tagmanifest-sha256.txt for its time-stamp to cover.")
            }
            result.timestamp = .checked(verification)
            if !verification.passed { result.problems.append("\(BagLayout.timestamp): \(verification.message)") }
        } else if options.tsaCA != nil {
            result.problems.append("the bundle has no time-stamp, but --tsa-ca asks for one")
        }
        return result
    }
}
