import Foundation

/// Why a TSA, one of those tried, gave no usable time-stamp.
package struct TSAFailure: Sendable, Equatable {
    package let url: String
    package let reason: String

    package init(url: String, reason: String) {
        self.url = url
        self.reason = reason
    }
}

/// Everything that can go wrong while obtaining, reading or verifying an RFC 3161 time-stamp.
package enum TimestampError: HandoverError, Equatable {
    /// No TSA gave a granted, matching token; each one tried and why it failed.
    case noTimestamp([TSAFailure])
    /// No TSA URL was given.
    case noTSAURL
    /// A TSA URL that is not an http(s) URL.
    case invalidURL(String)
    /// A time-stamp response that is not a valid RFC 3161 TimeStampResp.
    case malformed(String)
    /// A time-stamp check failed (the message is the whole sentence).
    case checkFailed(TimestampCheck, String)
    /// A file to hash or read could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file of TSA CA certificates could not be used.
    case unusableCAFile(path: String, reason: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .malformed, .checkFailed: return .checkFailed
        case .noTimestamp, .noTSAURL, .invalidURL, .unreadableFile, .unusableCAFile: return .couldNotRun
        }
    }

    package var errorDescription: String? {
        switch self {
        case .noTimestamp(let failures):
            let lines = failures.map { "  - \($0.url): \($0.reason)" }.joined(separator: "\n")
            return "No time-stamp could be obtained from the TSA\(failures.count == 1 ? "" : "s") tried:\n\(lines)\n"
                + "Check the TSA URLs and the network connection, then try again."
        case .noTSAURL:
            return "No TSA URL was given, so no time-stamp can be requested."
        case .invalidURL(let url):
            return "\"\(url)\" is not a TSA URL: give an http:// or https:// URL."
        case .malformed(let reason):
            return "The time-stamp response is not a valid RFC 3161 response: \(reason)."
        case .checkFailed(_, let message):
            return message
        case .unreadableFile(let path, let reason):
            return "\(path): cannot be read to hash it: \(reason)."
        case .unusableCAFile(let path, let reason):
            return "\(path): cannot be used as the TSA's CA certificates: \(reason)."
        }
    }
}
