import Glibc

/// Reads a bag folder as a stream of entries, like an archive, without following any link.
///
/// The root's tag files come first (bagit.txt, bag-info.txt, the payload manifests, fetch.txt,
/// the tag manifests), so the verifier knows the algorithms before it meets the payload; then
/// everything else, depth first, in byte order of the names. A symbolic link is an entry of kind
/// `.symlink` with its target; it is never followed. Names are bytes, as the file system gives
/// them (Glibc's readdir, not FileManager, so names that are not UTF-8 survive).
package final class FolderReader: BundleEntryReader {
    private struct Frame {
        let fd: Int32
        /// The folder's path relative to the bag's root, with a trailing `/` (empty for the root).
        let prefix: [UInt8]
        var names: [[UInt8]]
        var next = 0
    }

    private let root: String
    private var stack: [Frame] = []
    private var openFile: Int32 = -1
    private var currentPath = ""
    /// How deep folders may nest; deeper is refused, not followed.
    package static let maxDepth = 128

    /// Opens the bag folder at `path` (a link to the folder itself is followed: the user named it).
    package init(path: String) throws {
        root = path
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.fromErrno(path, "cannot open the bag folder") }
        do {
            let names = try Self.list(fd, path: path)
            stack = [Frame(fd: fd, prefix: [], names: Self.rootOrder(names))]
        } catch {
            close(fd)
            throw error
        }
    }

    deinit {
        closeFile()
        for frame in stack { close(frame.fd) }
    }

    package func nextEntry() throws -> BundleEntry? {
        closeFile()
        while var frame = stack.last {
            guard frame.next < frame.names.count else {
                close(frame.fd)
                stack.removeLast()
                continue
            }
            let name = frame.names[frame.next]
            frame.next += 1
            stack[stack.count - 1] = frame
            return try entry(named: name, in: frame)
        }
        return nil
    }

    package func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard openFile >= 0, let base = buffer.baseAddress else { return 0 }
        // Fill the buffer as far as the file allows: fewer, larger chunks for the hashers.
        var filled = 0
        while filled < buffer.count {
            let count = read(openFile, base + filled, buffer.count - filled)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(currentPath, "cannot read")
            }
            if count == 0 { break }
            filled += count
        }
        return filled
    }

    /// Hands the open descriptor of the current file over to the caller, who reads and closes
    /// it (on another thread, to hash several files at once); this reader then gives no data for
    /// the entry. Nil when the current entry is not an open file.
    func takeFile() -> Int32? {
        guard openFile >= 0 else { return nil }
        defer { openFile = -1 }
        return openFile
    }

    /// The current entry's path for messages (the bag folder's path, then the entry's).
    var currentDisplayPath: String { currentPath }

    private func entry(named name: [UInt8], in frame: Frame) throws -> BundleEntry {
        let path = frame.prefix + name
        currentPath = root + "/" + String(decoding: path, as: UTF8.self)
        guard let info = DirectoryWalker.status(of: name, in: frame.fd) else { throw FileError.fromErrno(currentPath, "cannot inspect") }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            let fd = DirectoryWalker.openFile(name, in: frame.fd)
            guard fd >= 0 else { throw FileError.fromErrno(currentPath, "cannot open") }
            openFile = fd
            return BundleEntry(path: path, kind: .file, size: Int64(info.st_size), modified: Int64(info.st_mtim.tv_sec))
        case S_IFDIR:
            guard stack.count < Self.maxDepth else {
                return BundleEntry(path: path, kind: .other("folder nested too deep"), size: nil)
            }
            let fd = DirectoryWalker.openFolder(name, in: frame.fd)
            guard fd >= 0 else { throw FileError.fromErrno(currentPath, "cannot open the folder") }
            do {
                let names = try Self.list(fd, path: currentPath)
                stack.append(Frame(fd: fd, prefix: path + [UInt8(ascii: "/")], names: names))
            } catch {
                close(fd)
                throw error
            }
            return BundleEntry(path: path, kind: .directory, size: nil)
        case S_IFLNK:
            return BundleEntry(path: path, kind: .symlink(target: try linkTarget(name, in: frame.fd)), size: nil)
        case S_IFIFO: return BundleEntry(path: path, kind: .other("FIFO"), size: nil)
        case S_IFSOCK: return BundleEntry(path: path, kind: .other("socket"), size: nil)
        case S_IFCHR: return BundleEntry(path: path, kind: .other("character device"), size: nil)
        case S_IFBLK: return BundleEntry(path: path, kind: .other("block device"), size: nil)
        default: return BundleEntry(path: path, kind: .other("special file"), size: nil)
        }
    }

    private func linkTarget(_ name: [UInt8], in dirfd: Int32) throws -> [UInt8] {
        guard let target = DirectoryWalker.linkTarget(of: name, in: dirfd) else {
            throw FileError.fromErrno(currentPath, "cannot read the link")
        }
        return target
    }

    private func closeFile() {
        if openFile >= 0 {
            close(openFile)
            openFile = -1
        }
    }

    /// The names in a folder, without `.` and `..`; the folder's descriptor stays open.
    private static func list(_ fd: Int32, path: String) throws -> [[UInt8]] {
        do {
            return try DirectoryWalker.names(in: fd)
        } catch {
            throw FileError.fromErrno(path, "cannot list the folder", errno: error.code)
        }
    }

    /// The root's tag files in the order the verifier wants them, then the rest by name.
    static func rootOrder(_ names: [[UInt8]]) -> [[UInt8]] {
        func rank(_ name: [UInt8]) -> Int {
            if name == Array("bagit.txt".utf8) { return 0 }
            if name == Array("bag-info.txt".utf8) { return 1 }
            if let manifest = BagManifestName(fileName: name) { return manifest.kind == .payload ? 2 : 4 }
            if name == Array("fetch.txt".utf8) { return 3 }
            return 5
        }
        return names.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            return ra != rb ? ra < rb : a.lexicographicallyPrecedes(b)
        }
    }
}
