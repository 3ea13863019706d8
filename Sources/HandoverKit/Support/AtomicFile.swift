import Foundation

/// A file written under a temporary name beside its destination, synced, then renamed into place.
///
/// Until `commit()`, nothing exists at the destination; if the process fails, is interrupted
/// (SIGINT, SIGTERM, SIGHUP) or `abort()` is called, the temporary file is removed. A killed
/// process (SIGKILL) may leave the hidden temporary file, never a partial output.
public final class AtomicFile {
    /// The final path.
    public let destination: String
    /// The hidden temporary file being written.
    public let temporaryPath: String
    /// The open descriptor of the temporary file.
    public let fd: Int32
    private let overwrite: Bool
    private var finished = false

    /// Creates the temporary file. Fails with exit status 2 when the destination exists and
    /// `overwrite` is false, so that nothing is ever overwritten by surprise.
    public init(destination: String, overwrite: Bool, mode: mode_t = 0o644) throws {
        self.destination = destination
        self.overwrite = overwrite
        if !overwrite, FileManager.default.fileExists(atPath: destination) || AtomicFile.isLink(destination) {
            throw FileError(path: destination, reason: "already exists; choose another output or pass --force to replace it")
        }
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        // The name is registered for removal on a signal before the file exists (mkstemp would
        // only tell it after): a signal between creating and registering left the file behind.
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var created: (fd: Int32, path: String)?
        for _ in 0..<100 where created == nil {
            let suffix = String((0..<12).map { _ in letters.randomElement() ?? "x" })
            let path = "\(folder)/.\(url.lastPathComponent).tmp-\(suffix)"
            CleanupOnSignal.register(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                created = (fd, path)
            } else {
                let code = errno
                CleanupOnSignal.unregister(path)
                if code != EEXIST { throw FileError.fromErrno(destination, "cannot create a file in \(folder)", errno: code) }
            }
        }
        guard let created else { throw FileError(path: destination, reason: "cannot create a temporary file in \(folder)") }
        fchmod(created.fd, mode)
        fd = created.fd
        temporaryPath = created.path
    }

    deinit {
        if !finished { abort() }
    }

    /// Syncs the data and puts the file at its destination.
    public func commit() throws {
        guard !finished else { return }
        if fsync(fd) != 0 {
            let error = FileError.fromErrno(destination, "cannot sync")
            abort()
            throw error
        }
        close(fd)
        finished = true
        defer { CleanupOnSignal.unregister(temporaryPath) }
        if overwrite {
            guard rename(temporaryPath, destination) == 0 else {
                let error = FileError.fromErrno(destination, "cannot move the finished file into place")
                unlink(temporaryPath)
                throw error
            }
        } else {
            // link() fails when the destination appeared meanwhile: still no overwrite.
            guard link(temporaryPath, destination) == 0 else {
                let code = errno
                unlink(temporaryPath)
                if code == EEXIST {
                    throw FileError(path: destination, reason: "already exists; choose another output or pass --force to replace it")
                }
                throw FileError.fromErrno(destination, "cannot move the finished file into place", errno: code)
            }
            unlink(temporaryPath)
        }
        let folder = open(URL(fileURLWithPath: destination).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    /// Removes the temporary file; the destination is left as it was.
    public func abort() {
        guard !finished else { return }
        finished = true
        close(fd)
        unlink(temporaryPath)
        CleanupOnSignal.unregister(temporaryPath)
    }

    /// Writes all of `bytes` to the temporary file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(destination, "cannot write")
            }
            offset += count
        }
    }

    /// Writes a small file atomically in one call.
    public static func write(_ bytes: [UInt8], to destination: String, overwrite: Bool) throws {
        let file = try AtomicFile(destination: destination, overwrite: overwrite)
        try bytes.withUnsafeBytes { try file.write($0) }
        try file.commit()
    }

    /// Checks that the destination's folder exists and can be written, so that a wrong
    /// `--output` is reported at once (exit 2), before SOURCE is read and before its check.
    public static func checkFolder(of destination: String) throws {
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw FileError(path: folder, reason: "the output folder cannot be used (\(String(cString: strerror(errno)))); create it first or choose another output")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw FileError(path: folder, reason: "is not a folder; choose another output")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw FileError(path: folder, reason: "cannot write into the output folder (\(String(cString: strerror(errno)))); choose a folder you can write to")
        }
    }

    /// The temporary files that writes of `destination` left beside it (a build killed by
    /// SIGKILL, or one still running), so that a walk of SOURCE can leave them out.
    public static func temporaryFiles(of destination: String) -> [String] {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent).tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { folder.appendingPathComponent($0).path }
    }

    static func isLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// Removes registered temporary files when the process is interrupted, then dies of the signal.
///
/// The paths live in a fixed table of C strings so that the handler only calls
/// async-signal-safe functions (unlink, signal, raise).
public enum CleanupOnSignal {
    private static let capacity = 16
    nonisolated(unsafe) private static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    nonisolated(unsafe) private static var installed = false
    private static let lock = NSLock()

    static func register(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        installHandlers()
        for index in 0..<capacity where table[index] == nil {
            table[index] = strdup(path)
            return
        }
    }

    static func unregister(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0..<capacity {
            if let entry = table[index], String(cString: entry) == path {
                table[index] = nil
                free(entry)
            }
        }
    }

    private static func installHandlers() {
        guard !installed else { return }
        installed = true
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                for index in 0..<CleanupOnSignal.capacity {
                    if let entry = CleanupOnSignal.table[index] { unlink(entry) }
                }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
