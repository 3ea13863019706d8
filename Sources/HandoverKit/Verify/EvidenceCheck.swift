import Foundation

/// Checks the bundle's evidence: its SSH signature and its RFC 3161 time-stamp, both over the
/// exact bytes of `tagmanifest-sha256.txt` (which, being itself verified, covers every tag file
/// it lists and through the payload manifests every payload byte; `Coverage` names whatever it
/// does not list).
///
/// Authenticity is a verdict of its own: a bag anybody could have made is intact without being
/// authenticated, and only a valid signature by a key the reader trusts makes it so.
public enum EvidenceCheck {
    public struct Options {
        /// OpenSSH allowed_signers given by the reader: a signature by a listed key is required.
        public var allowedSigners: String?
        /// Keys the reader trusts, by fingerprint as `ssh-keygen -l` prints it (`SHA256:…`): a
        /// signature by one of them is required.
        public var signers: [String] = []
        /// An allowed_signers file the reader keeps (see `defaultAllowedSignersPath`), used when
        /// neither of the above is given: it recognises signers, it requires nothing.
        public var defaultAllowedSigners: String?
        /// Fail unless the bundle is authenticated.
        public var requireSignature = false
        /// Fail unless the bundle carries a time-stamp verified against a trusted TSA.
        public var requireTimestamp = false
        /// PEM of the TSA's CA: the time-stamp must be signed by a TSA that chains to it.
        public var tsaCA: String?
        public var now = Date()
        public init() {}

        /// Whether the reader named the keys to trust, which makes a signature by one of them required.
        public var namesTrustedKeys: Bool { allowedSigners != nil || !signers.isEmpty }
    }

    /// Who made the bundle, as far as the reader can tell.
    package enum Authenticity: String, Codable, Sendable {
        /// A valid signature by a key the reader trusts.
        case authenticated
        /// A valid signature, by a key the reader has not said it trusts: anybody could own it.
        case unknownKey = "unknown-key"
        /// No signature: anybody could have produced the bundle.
        case notSigned = "not-signed"
        /// A signature that does not hold, or that cannot be checked.
        case badSignature = "bad-signature"
    }

    /// What the time-stamp proves.
    package enum TimeProof: String, Codable, Sendable {
        /// Verified, and signed by a TSA that chains to the CA the reader trusts.
        case verified
        /// It matches the bundle, but its TSA was not checked against a trusted CA.
        case notVerified = "not-verified"
        case failed
        case absent
    }

    package enum SignatureOutcome {
        case absent
        case checked(SSHSignatureVerification)
        case unreadable(String)
    }

    package enum TimestampOutcome {
        case absent
        case checked(TimestampVerification)
    }

    public struct Result {
        package var signature: SignatureOutcome = .absent
        package var timestamp: TimestampOutcome = .absent
        package var authenticity: Authenticity = .notSigned
        /// Who the trusted key belongs to (principals of allowed_signers, or the fingerprint given).
        public var signedBy: [String] = []
        /// Where the trust came from: the allowed_signers file or "the fingerprints given".
        public var trustSource: String?
        /// Why the signature fails (or a required one is missing), each with its code.
        package var signatureDetails: [Problem] = []
        /// Why the time-stamp fails (or a required one is missing), each with its code.
        package var timestampDetails: [Problem] = []
        /// Why the signature fails (or a required one is missing), one sentence each.
        public var signatureProblems: [String] { signatureDetails.map(\.description) }
        /// Why the time-stamp fails (or a required one is missing), one sentence each.
        public var timestampProblems: [String] { timestampDetails.map(\.description) }
        /// Why the evidence fails, one sentence each; empty when it holds.
        public var problems: [String] { signatureProblems + timestampProblems }
        /// The same, each with its code and parameters, for a report in another language.
        package var details: [Problem] { signatureDetails + timestampDetails }
        public var passed: Bool { problems.isEmpty }

        public init() {}

        package var time: TimeProof {
            guard case .checked(let verification) = timestamp else { return .absent }
            switch verification.outcome {
            case .verified: return .verified
            case .notVerified: return .notVerified
            case .failed: return .failed
            }
        }

        /// The signing key's fingerprint, when a signature could be read.
        public var fingerprint: String? {
            if case .checked(let verification) = signature { return verification.fingerprint }
            return nil
        }
    }

    /// The file handover reads trusted signers from when none are given, as git reads
    /// `gpg.ssh.allowedSignersFile`: `$XDG_CONFIG_HOME/handover/allowed_signers`, or
    /// `~/.config/handover/allowed_signers`.
    public static func defaultAllowedSignersPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/handover/allowed_signers"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/handover/allowed_signers"
    }

    /// Checks what the bag carries against what the options ask. Throws only when an input the
    /// reader gave (allowed_signers, CA file) cannot be read; whatever is wrong with the bundle's
    /// own signature or time-stamp is a failed check in the result.
    package static func check(_ bag: BagVerification, options: Options) throws -> Result {
        var result = Result()
        let tagManifest = bag.tagFile(BagLayout.signedTagManifest)
        let anchorsPath = options.namesTrustedKeys ? options.allowedSigners : options.defaultAllowedSigners
        let anchors = try anchorsPath.map { try AllowedSigners(contentsOf: $0) }
        result.trustSource = anchorsPath ?? (options.signers.isEmpty ? nil : "the fingerprints given")

        if let armored = bag.tagFile(BagLayout.signature) {
            checkSignature(armored, tagManifest: tagManifest, anchors: anchors, options: options, into: &result)
        }
        if options.namesTrustedKeys || options.requireSignature {
            switch result.authenticity {
            case .authenticated, .badSignature: break
            case .notSigned:
                result.signatureDetails.append(Problem(.signatureRequired))
            case .unknownKey:
                // Already explained when the reader's allowed_signers says why.
                if !result.signatureDetails.isEmpty { break }
                let key = result.fingerprint ?? "its key"
                if let source = result.trustSource {
                    result.signatureDetails.append(Problem(file: BagLayout.signature, .signatureUntrustedKey, ["key": key, "source": source]))
                } else {
                    result.signatureDetails.append(Problem(file: BagLayout.signature, .signatureNoTrustedKey, ["key": key]))
                }
            }
        }

        if let response = bag.tagFile(BagLayout.timestamp) {
            let verifier = try options.tsaCA.map { try TimestampVerifier(caFile: $0) } ?? TimestampVerifier()
            let verification: TimestampVerification
            if let tagManifest {
                verification = try verifier.verifyWaiting(response, against: .bytes(tagManifest))
            } else {
                verification = .failed(.imprint, "The bundle has no \(BagLayout.signedTagManifest) for its time-stamp to cover.")
            }
            result.timestamp = .checked(verification)
            if let check = verification.failedCheck {
                result.timestampDetails.append(Problem(file: BagLayout.timestamp, .timestampFailed(check), ["message": verification.message]))
            }
        }
        if options.tsaCA != nil || options.requireTimestamp {
            switch result.time {
            case .verified, .failed: break
            case .absent: result.timestampDetails.append(Problem(.timestampRequired))
            case .notVerified: result.timestampDetails.append(Problem(file: BagLayout.timestamp, .timestampNotVerifiedRequired))
            }
        }
        return result
    }

    /// Reads and checks the signature. A signature that cannot be parsed, uses a key type
    /// handover cannot check, or does not hold is a bad signature: a failed check, never an
    /// error that would hide the rest of the verdict.
    private static func checkSignature(_ armored: [UInt8], tagManifest: [UInt8]?, anchors: AllowedSigners?, options: Options, into result: inout Result) {
        let verification: SSHSignatureVerification
        do {
            let signature = try SSHSignature(armored: String(decoding: armored, as: UTF8.self))
            guard let tagManifest else {
                throw SSHSigError.malformedSignature(reason: "the bundle has no \(BagLayout.signedTagManifest) for its signature to cover")
            }
            verification = try signature.verify(message: .bytes(tagManifest), allowedSigners: anchors, at: options.now)
        } catch {
            let reason = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            result.signature = .unreadable(reason)
            result.authenticity = .badSignature
            result.signatureDetails.append(Problem(file: BagLayout.signature, .signatureUnreadable, ["reason": reason]))
            return
        }
        result.signature = .checked(verification)
        if !verification.signatureValid || verification.namespace != verification.expectedNamespace {
            result.authenticity = .badSignature
            result.signatureDetails.append(Problem(file: BagLayout.signature, .signatureInvalid,
                                                  ["reason": verification.failure?.errorDescription ?? "the signature does not hold"]))
        } else if verification.isValid {
            result.authenticity = .authenticated
            result.signedBy = verification.principals
        } else if options.signers.contains(verification.fingerprint) {
            result.authenticity = .authenticated
            result.signedBy = [verification.fingerprint]
        } else {
            result.authenticity = .unknownKey
            // When the reader named the keys, why this one is not among them (not listed, listed
            // for another time or namespace) is a failed check, in allowed_signers' own terms.
            if options.namesTrustedKeys, let failure = verification.failure {
                var reason = failure.errorDescription ?? "the signer is not allowed"
                if !options.signers.isEmpty { reason += " Nor is it among the fingerprints given (\(options.signers.joined(separator: ", ")))." }
                result.signatureDetails.append(Problem(file: BagLayout.signature, .signatureSignerNotAllowed, ["reason": reason]))
            }
        }
    }
}
