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

/// What the user can do to get past an error, when it is something they choose: the library
/// says which, the command layer says how (its flags), so that no library message names a flag.
public enum Remedy: Sendable, Equatable {
    /// Replace the output that exists.
    case replaceOutput
    /// Write into the folder although it is not empty (files of the same name are replaced).
    case writeIntoFolder
    /// Build a draft although the manifest's handover section is not filled in.
    case buildDraft
    /// Build anyway, recording the required deliverables that are not ready as missing.
    case recordIncomplete
    /// Name the recipients to encrypt confidential deliverables for.
    case giveRecipients
    /// Pack the payload into the bundle instead of leaving it in object storage.
    case packPayload
    /// Finish a shard's interrupted run from its state file, then merge again.
    case finishShard
    /// Check an export folder against its manifest, since the bag carries none.
    case giveManifest
    /// Check a statement with the command for its kind.
    case checkStatement(Statement.Kind)
    /// Write a manifest from a template.
    case startFromTemplate
}

/// An error with a remedy: its message has a place where the caller's wording of the remedy
/// goes (`handover` puts its flags there); `errorDescription` leaves the remedy out.
public protocol RemediableError: HandoverError {
    /// The remedy, when there is one for this error.
    var remedy: Remedy? { get }
    /// The message with `advice`, the caller's wording of `remedy`, in its place.
    func message(advice: String?) -> String
}

/// An input/output failure on a named file, with the system's own reason.
public struct FileError: RemediableError {
    public let path: String
    public let reason: String
    public var exitStatus: ExitStatus
    /// What gets past it (replacing an output that exists); the advice follows `reason`.
    public var remedy: Remedy?

    public init(path: String, reason: String, exitStatus: ExitStatus = .couldNotRun, remedy: Remedy? = nil) {
        self.path = path
        self.reason = reason
        self.exitStatus = exitStatus
        self.remedy = remedy
    }

    /// An output that exists and is not to be replaced unless the user says so.
    public static func outputExists(_ path: String, choose what: String = "output") -> FileError {
        FileError(path: path, reason: "already exists; choose another \(what)", remedy: .replaceOutput)
    }

    /// Builds the error from the current `errno`.
    public static func fromErrno(_ path: String, _ action: String, errno code: Int32 = errno) -> FileError {
        FileError(path: path, reason: "\(action): \(String(cString: strerror(code)))")
    }

    public var errorDescription: String? { message(advice: nil) }

    public func message(advice: String?) -> String {
        "\(path): \(reason)" + (advice.map { " " + $0 } ?? "")
    }
}
