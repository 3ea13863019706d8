import CArchive

/// A failure of libarchive, with its own explanation, or an archive that is not usable.
public struct ArchiveError: HandoverError, Equatable {
    public let path: String
    public let message: String
    public var exitStatus: ExitStatus

    public init(path: String, _ message: String, exitStatus: ExitStatus = .couldNotRun) {
        self.path = path
        self.message = message
        self.exitStatus = exitStatus
    }

    public var errorDescription: String? { "\(path): \(message)" }

    /// Turns a libarchive return code into nothing (success, warnings) or an error that carries
    /// `archive_error_string`. This is the one place where libarchive's codes are read.
    @discardableResult
    static func check(_ code: Int32, _ archive: OpaquePointer?, path: String, doing action: String,
                      exitStatus: ExitStatus = .couldNotRun) throws(ArchiveError) -> Int32 {
        if code >= ARCHIVE_WARN { return code }
        throw ArchiveError(path: path, "\(action): \(describe(archive))", exitStatus: exitStatus)
    }

    /// libarchive's message for the last error, or a generic one.
    static func describe(_ archive: OpaquePointer?) -> String {
        guard let archive, let text = archive_error_string(archive) else { return "unknown archive error" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
    }
}

import Foundation
