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
            throw FileError.outputExists(destination)
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
                    throw FileError.outputExists(destination)
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

    /// Puts two files in place together, as a bundle and its `.sha256`: both appear, or neither
    /// does, and with `overwrite` the earlier pair stays as it was when anything fails.
    ///
    /// The earlier files are first kept under hidden hard links; each step registers how to take
    /// it back (rename the kept link over the destination, or remove a new one) before it is
    /// taken, so that SIGINT, SIGTERM or SIGHUP between the two steps rolls back as a thrown
    /// error does. `between` runs between the two steps (tests inject a failure there).
    public static func commitTogether(_ first: AtomicFile, _ second: AtomicFile, between: (() throws -> Void)? = nil) throws {
        let files = [first, second]
        for file in files {
            guard fsync(file.fd) == 0 else {
                let error = FileError.fromErrno(file.destination, "cannot sync")
                files.forEach { $0.abort() }
                throw error
            }
        }
        // Keep the earlier pair under hidden names (same folder, so a rename can bring it back).
        var kept: [String?] = []
        for file in files {
            guard file.overwrite, isLink(file.destination) else { kept.append(nil); continue }
            let backup = file.temporaryPath + ".old"
            CleanupOnSignal.register(backup)
            guard link(file.destination, backup) == 0 else {
                let error = FileError.fromErrno(file.destination, "cannot keep the earlier file while replacing it")
                CleanupOnSignal.unregister(backup)
                for path in kept.compactMap({ $0 }) { unlink(path); CleanupOnSignal.unregister(path) }
                files.forEach { $0.abort() }
                throw error
            }
            kept.append(backup)
        }
        var placed: [Int] = []
        func rollBack() {
            for index in placed.reversed() {
                let file = files[index]
                if let backup = kept[index] { rename(backup, file.destination) } else { unlink(file.destination) }
                CleanupOnSignal.unregisterRestore(file.destination)
            }
            for path in kept.compactMap({ $0 }) { unlink(path); CleanupOnSignal.unregister(path) }
            for file in files where !file.finished { file.abort() }
        }
        do {
            for (index, file) in files.enumerated() {
                if index > 0 { try between?() }
                CleanupOnSignal.registerRestore(file.destination, from: kept[index])
                placed.append(index)
                close(file.fd)
                file.finished = true
                let moved = file.overwrite ? rename(file.temporaryPath, file.destination) : link(file.temporaryPath, file.destination)
                let code = errno
                if moved != 0 {
                    // Not placed: nothing of ours is at the destination to take back.
                    placed.removeLast()
                    CleanupOnSignal.unregisterRestore(file.destination)
                }
                if !file.overwrite || moved != 0 { unlink(file.temporaryPath) }
                CleanupOnSignal.unregister(file.temporaryPath)
                guard moved == 0 else {
                    if code == EEXIST {
                        throw FileError.outputExists(file.destination)
                    }
                    throw FileError.fromErrno(file.destination, "cannot move the finished file into place", errno: code)
                }
            }
        } catch {
            rollBack()
            throw error
        }
        for file in files { CleanupOnSignal.unregisterRestore(file.destination) }
        for path in kept.compactMap({ $0 }) { unlink(path); CleanupOnSignal.unregister(path) }
        let folder = open(URL(fileURLWithPath: first.destination).deletingLastPathComponent().path, O_RDONLY | O_DIRECTORY)
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

    /// Writes all of `bytes` to the temporary file.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
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
/// async-signal-safe functions (unlink, rename, rmdir, signal, raise) and touches only memory
/// made before it was installed: no allocation, no lock, no Swift string, no lazy static.
package enum CleanupOnSignal {
    private static let capacity = 16
    nonisolated(unsafe) private static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    /// Steps to take back on a signal, done before the removals: (destination, kept earlier
    /// file or nil). With a kept file it is renamed back over the destination, else the
    /// destination is removed.
    nonisolated(unsafe) private static let restores: UnsafeMutablePointer<(UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?)> = {
        let table = UnsafeMutablePointer<(UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?)>.allocate(capacity: capacity)
        table.initialize(repeating: (nil, nil), count: capacity)
        return table
    }()
    /// The staging folder of an extraction, whose files are named 0, 1, 2...: its path, with
    /// room after it for "/<number>", the count of names to remove, and DIR when the run
    /// created it (removed when it is then empty). `stagingLength` 0 means none.
    private static let pathCapacity = Int(PATH_MAX) + 32
    nonisolated(unsafe) private static let stagingPath = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    nonisolated(unsafe) private static let createdFolder = UnsafeMutablePointer<CChar>.allocate(capacity: pathCapacity)
    nonisolated(unsafe) private static var stagingLength = 0
    nonisolated(unsafe) private static var stagingCount = 0
    nonisolated(unsafe) private static var removeCreatedFolder = false
    nonisolated(unsafe) private static var installed = false
    /// Set while signals are held back (see `beginDeferral`), and the signal that came then.
    nonisolated(unsafe) private static var deferring = false
    nonisolated(unsafe) private static var pending: Int32 = 0
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

    static func registerRestore(_ destination: String, from kept: String?) {
        lock.lock()
        defer { lock.unlock() }
        installHandlers()
        for index in 0..<capacity where restores[index].0 == nil {
            // The kept path first: the handler reads the destination as the sign of a full entry.
            restores[index].1 = kept.map { strdup($0) }
            restores[index].0 = strdup(destination)
            return
        }
    }

    static func unregisterRestore(_ destination: String) {
        lock.lock()
        defer { lock.unlock() }
        for index in 0..<capacity {
            if let entry = restores[index].0, String(cString: entry) == destination {
                let kept = restores[index].1
                restores[index] = (nil, nil)
                free(entry)
                free(kept)
            }
        }
    }

    /// Registers the staging folder `path` of an extraction (empty yet) and, when the run
    /// created it, DIR: on a signal the staged files, the folder and an empty DIR are removed.
    static func registerStaging(_ path: String, createdFolder created: String?) {
        lock.lock()
        defer { lock.unlock() }
        installHandlers()
        let bytes = Array(path.utf8)
        // Too long a path to hold with "/<number>" after it: cannot be cleaned from a handler.
        guard bytes.count + 24 < pathCapacity, (created?.utf8.count ?? 0) < pathCapacity else { return }
        stagingLength = 0
        for (index, byte) in bytes.enumerated() { stagingPath[index] = CChar(bitPattern: byte) }
        stagingPath[bytes.count] = 0
        if let created {
            for (index, byte) in created.utf8.enumerated() { createdFolder[index] = CChar(bitPattern: byte) }
            createdFolder[created.utf8.count] = 0
        }
        removeCreatedFolder = created != nil
        stagingCount = 0
        stagingLength = bytes.count
    }

    /// Files 0..<count may now be in the registered staging folder.
    static func stagingCount(_ count: Int) {
        stagingCount = count
    }

    /// The staging folder is gone (placed or rolled back): nothing to clean any more.
    static func unregisterStaging() {
        lock.lock()
        defer { lock.unlock() }
        stagingLength = 0
    }

    /// Removes the registered staging folder's files and the folder, then DIR when this run
    /// made it and it is empty. Only async-signal-safe calls (unlink, rmdir) and arithmetic
    /// on buffers made before the handler was installed.
    fileprivate static func cleanStaging() {
        let length = stagingLength
        guard length > 0 else { return }
        let buffer = stagingPath
        var number = 0
        while number < stagingCount {
            var digits = 1
            var rest = number / 10
            while rest > 0 { digits += 1; rest /= 10 }
            buffer[length] = 0x2F // "/"
            rest = number
            var position = length + digits
            while position > length {
                buffer[position] = CChar(48 + rest % 10)
                rest /= 10
                position -= 1
            }
            buffer[length + digits + 1] = 0
            unlink(buffer)
            number += 1
        }
        buffer[length] = 0
        rmdir(buffer)
        if removeCreatedFolder { rmdir(createdFolder) }
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
        // Every static the handler reads is initialised before it is installed. Swift makes a
        // static on first use (swift_once, which may lock and allocate): first use inside a
        // handler, interrupting code that holds the allocator's lock, would hang the process.
        // `capacity` too: without optimisation even a literal constant is made on first use.
        _ = (capacity, pathCapacity, table, restores, stagingPath, createdFolder)
        _ = (stagingLength, stagingCount, removeCreatedFolder, deferring, pending)
        // The signals array is made here, on the caller's side, like everything above.
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in
                // Noted first, then the deferral read: `endDeferral` reads them the other way
                // round, so a signal is never lost between the two.
                CleanupOnSignal.pending = received
                if CleanupOnSignal.deferring { return }
                CleanupOnSignal.cleanUpAndDie(received)
            }
        }
    }

    /// Holds signals back for a short step that must not be cut in two (placing the extracted
    /// files): a signal meanwhile is only noted, and acted on by `endDeferral`.
    static func beginDeferral() {
        lock.lock()
        defer { lock.unlock() }
        installHandlers()
        pending = 0
        deferring = true
    }

    /// Ends the deferral; a signal that came meanwhile now cleans up and ends the process.
    static func endDeferral() {
        deferring = false
        let received = pending
        if received != 0 { cleanUpAndDie(received) }
    }

    /// What the handler does: take back, remove, then die of the signal as if unhandled.
    private static func cleanUpAndDie(_ received: Int32) {
        // While loops, not `for in 0..<n`: a range's iterator is generic code, which in a
        // debug build may instantiate type metadata (allocating, locking) on first use.
        var index = 0
        while index < capacity {
            if let destination = restores[index].0 {
                if let kept = restores[index].1 { rename(kept, destination) } else { unlink(destination) }
            }
            index += 1
        }
        index = 0
        while index < capacity {
            if let entry = table[index] { unlink(entry) }
            index += 1
        }
        cleanStaging()
        signal(received, SIG_DFL)
        raise(received)
    }
}
