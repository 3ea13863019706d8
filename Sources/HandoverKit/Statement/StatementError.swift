import Foundation

/// Why a statement could not be made or read, or why a receipt was refused.
public enum StatementError: RemediableError {
    /// The bundle is a folder: a statement names the archive's own SHA-256.
    case notAnArchive(String)
    /// The bundle could not be read for its digests.
    case unreadableBundle(String, String)
    /// The statement file is not a handover statement (or is damaged beyond its signature).
    case malformed(String, String)
    /// A statement of one kind given where another was expected.
    case wrongKind(String, found: Statement.Kind, expected: String)
    /// `--decision accepted` (or with reservations) on a bundle verification does not let the
    /// receiver accept.
    case cannotAccept(ReceiptBody.Decision, reasons: [String], suggestion: String)
    /// A certificate's scope, method, date or retention is missing or wrong.
    case badCertificate(String)

    public var exitStatus: ExitStatus {
        if case .cannotAccept = self { return .checkFailed }
        return .couldNotRun
    }

    /// A statement of another kind is checked by the command for that kind.
    public var remedy: Remedy? {
        if case .wrongKind(_, let found, _) = self { return .checkStatement(found) }
        return nil
    }

    public var errorDescription: String? { message(advice: nil) }

    public func message(advice: String?) -> String {
        switch self {
        case .notAnArchive(let path):
            "\(path) is a folder; a receipt or certificate names the bundle's archive by its SHA-256. Give the archive file."
        case .unreadableBundle(let path, let why):
            "cannot read the bundle \(path): \(why)"
        case .malformed(let path, let why):
            "\(path) is not a handover statement: \(why)."
        case .wrongKind(let path, let found, let expected):
            "\(path) is a \(found.rawValue) statement, not a \(expected)\(advice.map { "; " + $0 } ?? "")."
        case .cannotAccept(let decision, let reasons, let suggestion):
            "the bundle cannot be \(decision == .accepted ? "accepted" : "accepted with reservations"): "
                + reasons.prefix(5).joined(separator: "; ") + (reasons.count > 5 ? "; … and \(reasons.count - 5) more" : "")
                + ". \(suggestion)"
        case .badCertificate(let why):
            why
        }
    }
}
