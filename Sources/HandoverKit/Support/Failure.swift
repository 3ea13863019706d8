import Foundation

/// How a run of `handover` ended, as its exit status.
///
/// The whole command line maps its outcome to one of these three values in one place
/// (`Sources/handover/Exit.swift`); the core never calls `exit` itself.
public enum ExitStatus: Int32, Sendable {
    /// Everything checked out.
    case ok = 0
    /// The check ran and failed: a missing deliverable, a tampered bundle, a bad signature.
    case checkFailed = 1
    /// The tool could not run: bad usage, unreadable input, malformed manifest, output exists.
    case couldNotRun = 2
}

/// An error whose message is written for the person at the terminal.
///
/// Every domain of HandoverKit has one error type conforming to this protocol. Its
/// `errorDescription` is a complete sentence that says what went wrong and, where it can,
/// what to do next; `exitStatus` says which of the three exit statuses it leads to.
public protocol HandoverError: LocalizedError, Sendable {
    var exitStatus: ExitStatus { get }
}

extension HandoverError {
    /// Most errors mean the tool could not run; the ones that mean "the check failed" say so.
    public var exitStatus: ExitStatus { .couldNotRun }
}

/// An input/output failure on a named file, with the system's own reason.
public struct FileError: HandoverError {
    public let path: String
    public let reason: String
    public var exitStatus: ExitStatus

    public init(path: String, reason: String, exitStatus: ExitStatus = .couldNotRun) {
        self.path = path
        self.reason = reason
        self.exitStatus = exitStatus
    }

    /// Builds the error from the current `errno`.
    public static func fromErrno(_ path: String, _ action: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(action): \(String(cString: strerror(code)))")
    }

    public var errorDescription: String? { "\(path): \(reason)" }
}
