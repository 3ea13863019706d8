/// Why `handover extract` wrote nothing (or removed what it had written).
///
/// A destination that cannot be used is exit status 2, like any output that exists; a bundle
/// that changed since it was verified, holds something that cannot be written safely, or whose
/// confidential files break their rules once decrypted is exit status 1. A bundle that fails
/// verification is not an error here: `BundleExtractor` returns its verification.
package enum ExtractError: RemediableError, Equatable {
    /// DIR holds something, and writing into it was not asked for (`--force`).
    case destinationNotEmpty(String)
    /// DIR exists but is not a folder, or its parent folder does not exist.
    case destinationUnusable(String, reason: String)
    /// Something already in DIR is a symbolic link where the bag has a folder.
    case linkInDestination(String)
    /// Something already in DIR is in the way: a file where the bag has a folder, or the reverse.
    case occupied(String, reason: String)
    /// An entry read for writing is not what was verified (a second reading of the bundle).
    case changedSinceVerification(path: String, reason: String)
    /// An entry cannot be written safely (a name too long for the file system, a name used both
    /// as a file and a folder).
    case unsafeEntry(path: String, reason: String)
    /// Decrypted confidential files break their deliverable's rules; one line per problem.
    case plaintextInvalid([String])

    package var exitStatus: ExitStatus {
        switch self {
        case .destinationNotEmpty, .destinationUnusable, .linkInDestination, .occupied: .couldNotRun
        case .changedSinceVerification, .unsafeEntry, .plaintextInvalid: .checkFailed
        }
    }

    /// A folder that is not empty can be written into when the user says so.
    package var remedy: Remedy? {
        if case .destinationNotEmpty = self { return .writeIntoFolder }
        return nil
    }

    package var errorDescription: String? { message(advice: nil) }

    package func message(advice: String?) -> String {
        switch self {
        case .destinationNotEmpty(let path):
            "\(path) is not empty; extract into an empty or new folder\(advice.map { ", " + $0 } ?? "")."
        case .destinationUnusable(let path, let reason):
            "\(path) \(reason); give a folder to extract into (it is created if its parent exists)."
        case .linkInDestination(let path):
            "\(path) is a symbolic link; extract never writes through a link. Remove it, or extract into an empty folder. Nothing was written."
        case .occupied(let path, let reason):
            "\(path) \(reason); remove it, or extract into an empty folder. Nothing was written."
        case .changedSinceVerification(let path, let reason):
            "\(path) \(reason): the bundle changed between its verification and its extraction. Nothing was written; make a safe copy of the bundle and extract again."
        case .unsafeEntry(let path, let reason):
            "\(path) \(reason). Nothing was written."
        case .plaintextInvalid(let problems):
            "once decrypted, confidential deliverables break their rules:\n  " + problems.joined(separator: "\n  ") + "\nNothing was written."
        }
    }
}
