import Glibc

/// Folders and files reached relative to an open folder's descriptor, one name at a time, never
/// through a symbolic link.
///
/// A path joined from strings is resolved again by the kernel at every use: a folder on it that
/// is swapped for a link between two uses sends the second one elsewhere, and a path longer than
/// PATH_MAX cannot be used at all. A descriptor stays on the folder that was opened, and
/// `O_NOFOLLOW` refuses a link met at the one name each call resolves. SOURCE (the walk and the
/// build's reading), bag folders (`FolderReader`) and extraction (`ExtractDestination`) all go
/// through these calls; a name becomes a C string through `BytePath` alone.
enum DirectoryWalker {
    /// A system call that failed, with its `errno`.
    struct Failure: Error {
        let code: Int32
    }

    /// Opens the folder `name` inside `parent`; -1 (and `errno`) when it is not a folder, or is a link.
    static func openFolder(_ name: some Collection<UInt8>, in parent: Int32) -> Int32 {
        BytePath.call(name) { openat(parent, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
    }

    /// Opens the file `name` inside `parent` for reading; -1 (and `errno`) when it is a link.
    /// `O_NONBLOCK`: a FIFO put in a file's place is opened (and then refused by its type)
    /// instead of blocking the run until someone writes to it. Reads of regular files ignore it.
    static func openFile(_ name: some Collection<UInt8>, in parent: Int32) -> Int32 {
        BytePath.call(name) { openat(parent, $0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK) }
    }

    /// What `name` inside `parent` is, the link itself when it is one; nil (and `errno`) when absent.
    static func status(of name: some Collection<UInt8>, in parent: Int32) -> stat? {
        var info = stat()
        return BytePath.call(name) { fstatat(parent, $0, &info, AT_SYMLINK_NOFOLLOW) } == 0 ? info : nil
    }

    /// The target of the link `name` inside `parent`, as written; nil when it cannot be read.
    static func linkTarget(of name: some Collection<UInt8>, in parent: Int32) -> [UInt8]? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let capacity = buffer.count - 1
        let count = BytePath.call(name) { readlinkat(parent, $0, &buffer, capacity) }
        return count >= 0 ? buffer[0..<count].map { UInt8(bitPattern: $0) } : nil
    }

    /// The names in the folder open at `fd`, without `.` and `..`, sorted by their bytes (the
    /// file system's own order differs between machines; a build must not). The descriptor
    /// stays open: fdopendir gets (and closes) a duplicate.
    static func names(in fd: Int32) throws(Failure) -> [[UInt8]] {
        let copy = dup(fd)
        guard copy >= 0 else { throw Failure(code: errno) }
        guard let dir = fdopendir(copy) else {
            let code = errno
            close(copy)
            throw Failure(code: code)
        }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        errno = 0
        while let item = readdir(dir) {
            let name = withUnsafeBytes(of: &item.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if !isDotOrDotDot(name) { names.append(name) }
            errno = 0
        }
        // readdir returns nil at the end and on an error alike; only errno tells them apart.
        if errno != 0 { throw Failure(code: errno) }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    static func isDotOrDotDot(_ name: [UInt8]) -> Bool {
        name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")]
    }
}
