import Glibc

/// The one reader of the small files a user names or a bundle carries: manifests, SSH keys,
/// allowed_signers files, age identity and recipient files, CA certificates.
///
/// Each of these once had its own reader, and a FIFO given to most of them blocked for ever
/// (opening a FIFO waits for a writer). Here the file is opened with `O_NONBLOCK` (a FIFO opens
/// at once), `O_NOCTTY` (a terminal never becomes the controlling one) and `O_CLOEXEC`; the
/// opened descriptor is checked with `fstat`, so what is read is what was checked; anything but
/// a regular file is refused; and the caller's size limit holds both before reading (st_size)
/// and while reading (a file that grows meanwhile), so a wrong path such as a disk image cannot
/// exhaust memory.
package enum SmallFile {
    /// Why a small file could not be read; each caller turns it into its own domain's error.
    package enum Failure: Error, Equatable {
        /// It could not be opened or read; the reason is the system's.
        case unreadable(String)
        /// It is not a regular file; `kind` says what it is ("a FIFO (named pipe)", "a folder").
        case notAFile(kind: String)
        /// It is larger than the limit, in bytes.
        case tooLarge(limit: Int)

        /// The reason, written to follow "PATH: ".
        package var reason: String {
            switch self {
            case .unreadable(let reason): reason
            case .notAFile(let kind): "is \(kind), not a regular file; give the file itself"
            case .tooLarge(let limit): "is larger than \(SmallFile.describe(limit)), too large for this kind of file"
            }
        }

        /// The same failure as a `FileError` on `path`, for callers with no error type of their own.
        package func fileError(_ path: String) -> FileError {
            FileError(path: path, reason: reason)
        }
    }

    /// The whole file at `path`, at most `limit` bytes.
    package static func read(_ path: String, limit: Int) throws(Failure) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(systemReason(errno, opening: true)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(systemReason(errno, opening: false)) }
        if let kind = kind(of: info.st_mode) { throw .notAFile(kind: kind) }
        guard Int(info.st_size) <= limit else { throw .tooLarge(limit: limit) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: min(64 << 10, limit + 1))
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(systemReason(errno, opening: false))
            }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw .tooLarge(limit: limit) }
        }
    }

    /// What the file at `path` is when it exists and is not a regular file (following links,
    /// as opening it would); nil for a regular file or when it cannot be looked at.
    package static func nonRegularKind(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return kind(of: info.st_mode)
    }

    /// The kind of a file that is not a regular one, in words; nil for a regular file.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFDIR: "a folder"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    private static func systemReason(_ code: Int32, opening: Bool) -> String {
        if opening && code == ENOENT { return "no such file" }
        return "\(opening ? "cannot be opened" : "cannot be read") (\(String(cString: strerror(code))))"
    }

    static func describe(_ limit: Int) -> String {
        limit >= 1 << 20 && limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : limit >= 1024 ? "\(limit >> 10) KiB" : "\(limit) bytes"
    }
}
