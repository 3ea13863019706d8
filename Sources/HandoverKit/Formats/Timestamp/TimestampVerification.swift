import Foundation

/// Which check of a time-stamp failed.
package enum TimestampCheck: String, Sendable, Equatable {
    /// The stored response is not a readable RFC 3161 response.
    case format
    /// The TSA did not grant, or the response carries no token.
    case status
    /// The token is over other content.
    case imprint
    /// The CMS signature, its signed attributes, or the signer's certificate are wrong.
    case signature
    /// The signer's certificate does not chain to the given CA, or is not valid at the token's time.
    case chain
    /// The signer's certificate is not reserved for time-stamping (RFC 3161 §2.3).
    case timestampingUsage
}

/// The result of verifying a stored time-stamp: verified, readable but not verified (no CA was
/// given), or the check that failed, with a sentence for the person at the terminal.
package struct TimestampVerification: Sendable {
    package enum Outcome: Sendable, Equatable {
        /// Signature and chain checked against the given CA: the time holds.
        case verified
        /// Over the right content, but no CA was given, so who signed it is unknown.
        case notVerified
        case failed(TimestampCheck)
    }

    package let outcome: Outcome
    /// What happened, in one sentence.
    package let message: String
    /// The token, when it could be read.
    package let token: TimestampToken?

    /// The time the token asserts, when it could be read (see `outcome` for how far to trust it).
    package var time: Date? { token?.genTime }

    /// What weakens the time-stamp without failing it: a message imprint over SHA-1, which old
    /// TSAs still issue and `openssl ts -verify` accepts.
    package var warnings: [String] {
        guard let imprint = token?.imprint, imprint.algorithm.isWeak else { return [] }
        return ["the time-stamp is over a \(imprint.algorithm.rawValue) hash, which is weak (SHA-1 collisions can be "
            + "made): it proves the time less firmly than one over SHA-256; ask the TSA for SHA-256 time-stamps"]
    }

    /// True unless a check failed; a token that was not verified for lack of a CA is not a failure.
    package var passed: Bool {
        if case .failed = outcome { return false }
        return true
    }

    /// The check that failed, if any.
    package var failedCheck: TimestampCheck? {
        if case .failed(let check) = outcome { return check }
        return nil
    }

    static func failed(_ check: TimestampCheck, _ message: String, _ token: TimestampToken? = nil) -> Self {
        TimestampVerification(outcome: .failed(check), message: message, token: token)
    }
}
