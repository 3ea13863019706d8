import Glibc

/// Opens the files of a walked SOURCE for reading, the way the walk reached them: from SOURCE's
/// descriptor, one folder at a time, never through a symbolic link.
///
/// Opening `db/2026/export.csv` by its full path would follow a link put in the place of `db`
/// after the walk, and pack a file from outside SOURCE; a decoy of the same size and date would
/// pass every later check. Here `db` is opened with `O_NOFOLLOW`, so the link is met and told.
///
/// The folders of the last file opened stay open (one descriptor per level, at most
/// `SourceTree.maxDepth`): files come in path order, so the next file usually shares them, and
/// no path is built or resolved again per file.
final class SourceOpener {
    /// Why a file of SOURCE could not be opened.
    enum Failure: Error {
        /// SOURCE changed since the walk: what happened to the file, in words that follow its path.
        case changed(String)
        /// The system refused: what was being done, and `errno`.
        case unreadable(String, Int32)
    }

    /// SOURCE as messages name it, when it is SOURCE itself that changed.
    static func rootName(_ tree: SourceTree) -> String { "SOURCE (\(tree.root))" }

    private let root: Int32
    /// The open folders from SOURCE down to the last file's folder: (name, descriptor).
    private var chain: [(name: [UInt8], fd: Int32)] = []

    /// Opens SOURCE again, and checks it is the folder that was walked. The failures' words
    /// follow SOURCE's name (see `rootName`).
    init(tree: SourceTree) throws(Failure) {
        let fd = Glibc.open(tree.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw .changed("disappeared") }
            throw .unreadable("cannot open the folder", errno)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, FileIdentity(info) == tree.rootIdentity else {
            close(fd)
            throw .changed("was replaced by another folder")
        }
        root = fd
    }

    deinit {
        closeChain(keeping: 0)
        close(root)
    }

    /// Opens `file` for reading; the caller closes the descriptor. It is checked to be a regular
    /// file still, and with `unchanged`, to have the size and modification time the walk saw.
    func open(_ file: SourceFile, unchanged: Bool) throws(Failure) -> Int32 {
        let path = file.path
        var level = 0
        var start = path.startIndex
        while let slash = path[start...].firstIndex(of: UInt8(ascii: "/")) {
            let name = path[start..<slash]
            if level < chain.count, chain[level].name.elementsEqual(name) {
                level += 1
            } else {
                closeChain(keeping: level)
                try openFolder(name, of: path[..<slash])
                level += 1
            }
            start = slash + 1
        }
        closeChain(keeping: level)
        let parent = chain.last?.fd ?? root
        let name = path[start...]
        let fd = DirectoryWalker.openFile(name, in: parent)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .changed("disappeared") }
            if code == ELOOP { throw .changed("was replaced by a symbolic link") }
            throw .unreadable("cannot open", code)
        }
        do throws(Failure) {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw .unreadable("cannot read", errno) }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .changed("is no longer a regular file") }
            if unchanged { try Self.check(info, against: file) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Checks that the file open at `fd` is still the one the walk saw (size, modification time,
    /// still in a folder): reading is checked before and after, so a change during it is caught.
    static func checkUnchanged(_ fd: Int32, _ file: SourceFile) throws(Failure) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable("cannot read", errno) }
        try check(info, against: file)
    }

    private static func check(_ info: stat, against file: SourceFile) throws(Failure) {
        // Deleted or replaced (renamed over) while open: the bytes read are no longer SOURCE's.
        if info.st_nlink == 0 { throw .changed("disappeared") }
        if Int64(info.st_size) != file.size { throw .changed("changed size") }
        if Int64(info.st_mtim.tv_sec) != file.modified.seconds || Int64(info.st_mtim.tv_nsec) != file.modified.nanoseconds {
            throw .changed("was modified")
        }
    }

    /// Opens the folder `name` below the last one of the chain; `shown` is its path below SOURCE.
    private func openFolder(_ name: ArraySlice<UInt8>, of shown: ArraySlice<UInt8>) throws(Failure) {
        let parent = chain.last?.fd ?? root
        let fd = DirectoryWalker.openFolder(name, in: parent)
        guard fd >= 0 else {
            let code = errno
            let folder = String(decoding: shown, as: UTF8.self)
            // What stands there now says what happened; a link is never followed to find out more.
            if let info = DirectoryWalker.status(of: name, in: parent) {
                switch info.st_mode & S_IFMT {
                case S_IFLNK: throw .changed("is in \(folder), a folder that was replaced by a symbolic link")
                case S_IFDIR: break
                default: throw .changed("is in \(folder), a folder that was replaced by a file")
                }
            } else if errno == ENOENT {
                throw .changed("is in \(folder), a folder that disappeared")
            }
            throw .unreadable("cannot open the folder \(folder)", code)
        }
        chain.append((Array(name), fd))
    }

    private func closeChain(keeping count: Int) {
        while chain.count > count { close(chain.removeLast().fd) }
    }
}
