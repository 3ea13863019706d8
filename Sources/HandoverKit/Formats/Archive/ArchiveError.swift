import CArchive
import Foundation

/// A failure of libarchive, with its own explanation, or an archive that is not usable.
package struct ArchiveError: HandoverError, Equatable {
    package let path: String
    package let message: String
    package var exitStatus: ExitStatus

    package init(path: String, _ message: String, exitStatus: ExitStatus = .couldNotRun) {
        self.path = path
        self.message = message
        self.exitStatus = exitStatus
    }

    package var errorDescription: String? { "\(path): \(message)" }

    /// libarchive's ARCHIVE_ERRNO_FILE_FORMAT: its archive_platform.h makes it EFTYPE where the
    /// system has one and EILSEQ otherwise (Linux); the public header leaves it undefined.
    static let fileFormatErrno: Int32 = EILSEQ

    /// The system's reasons for not reading a file at all (exit status 2, not a damaged bundle).
    static let unreadable: Set<Int32> = [EACCES, EPERM, ENOENT, EISDIR, ENOTDIR, EIO, ELOOP, ENAMETOOLONG, EMFILE, ENFILE, ENOMEM, ENXIO, ENODEV]

    /// Whether a libarchive return code is a failure (below ARCHIVE_WARN; a warning is not).
    static func failed(_ code: Int) -> Bool { code < Int(ARCHIVE_WARN) }

    /// Whether a libarchive return code is a warning: the call did its work, with a remark.
    static func warned(_ code: Int32) -> Bool { code == ARCHIVE_WARN }

    /// Whether `archive_read_next_header` found the end of the archive.
    static func ended(_ code: Int32) -> Bool { code == ARCHIVE_EOF }

    /// Whether a return code is a plain success, without even a warning: what closing an
    /// archive being written must give for the archive to be whole.
    static func succeeded(_ code: Int32) -> Bool { code == ARCHIVE_OK }

    /// Turns a libarchive return code into nothing (success, warnings) or an error that carries
    /// `archive_error_string`. This is the one place where libarchive's codes are read.
    @discardableResult
    static func check(_ code: Int32, _ archive: OpaquePointer?, path: String, doing action: String,
                      exitStatus: ExitStatus = .couldNotRun) throws(ArchiveError) -> Int32 {
        if !failed(Int(code)) { return code }
        throw ArchiveError(path: path, "\(action): \(describe(archive))", exitStatus: exitStatus)
    }

    /// Why opening an archive for reading failed, judged on `archive_errno` (never on the
    /// English text of the message, which is libarchive's to change): not an archive of a
    /// known format, or a file the system would not read, are exit status 2; anything else
    /// (a compressed stream cut short) is a damaged bundle, exit status 1.
    static func openFailure(_ archive: OpaquePointer, path: String) -> ArchiveError {
        let reason = describe(archive)
        let number = archive_errno(archive)
        if number == fileFormatErrno {
            return ArchiveError(path: path, "not a bundle: not a tar or zip archive (\(reason))")
        }
        if unreadable.contains(number) {
            return ArchiveError(path: path, "cannot open: \(reason)")
        }
        return ArchiveError(path: path, "the archive is damaged or truncated: \(reason)", exitStatus: .checkFailed)
    }

    /// A read that failed inside an archive that opened: damaged (exit 1), unless the disk
    /// failed (EIO is no verdict on the bundle: exit 2). Only EIO: libarchive sets ENOMEM and
    /// others for what a hostile header asks of it, which is a damaged bundle.
    static func readFailure(_ archive: OpaquePointer, path: String) -> ArchiveError {
        let reason = describe(archive)
        if archive_errno(archive) == EIO {
            return ArchiveError(path: path, "cannot read: \(reason)")
        }
        return ArchiveError(path: path, "the archive is damaged or truncated: \(reason)", exitStatus: .checkFailed)
    }

    /// libarchive's message for the last error, or a generic one.
    static func describe(_ archive: OpaquePointer?) -> String {
        guard let archive, let text = archive_error_string(archive) else { return "unknown archive error" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: strlen(text)), as: UTF8.self)
    }
}
