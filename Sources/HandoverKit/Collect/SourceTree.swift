import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One entry found under SOURCE. Folders are not listed; their files are.
package struct SourceFile: Sendable, Hashable {
    /// Indirect: the rare texts are boxed, so that a regular file's kind takes 8 bytes, not 17
    /// (a SourceFile is 40 bytes instead of 56; a million of them are held at once).
    public indirect enum Kind: Sendable, Hashable {
        case regular
        /// A symbolic link, never followed; `target` is what it points to, as written.
        case symlink(target: String)
        /// A device, FIFO or socket, which no bundle may hold.
        case special(String)
    }

    /// The path relative to SOURCE, bytes exactly as on disk, `/`-separated.
    package let path: [UInt8]
    package let kind: Kind
    package let size: Int64
    /// Modification time, seconds and nanoseconds since the epoch.
    package let modified: Timestamp

    package init(path: [UInt8], kind: Kind, size: Int64, modified: Timestamp) {
        self.path = path
        self.kind = kind
        self.size = size
        self.modified = modified
    }

    /// The path split at `/`, each part decoded as UTF-8 (invalid bytes shown as U+FFFD).
    /// Made on each call, not stored: a tree holds hundreds of thousands of files, and the
    /// path bytes alone are what each needs to keep. Loops that match globs take it once.
    package var components: [String] {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's name, the path's last component.
    package var name: String {
        let start = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        return String(decoding: path[start...], as: UTF8.self)
    }

    /// The path for messages and reports.
    package var displayPath: String { VisibleText.name(bytes: path) }

    /// The extension of the file name, lowercase, without the dot ("" when there is none).
    package var fileExtension: String {
        let start = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        let nameBytes = path[start...]
        // A plain ASCII name's characters are its bytes (the rules ask this of every file).
        if nameBytes.isAllASCII {
            guard let dot = nameBytes.lastIndex(of: UInt8(ascii: ".")), dot != start else { return "" }
            return String(decoding: path[(dot + 1)...].map(ScanText.lower), as: UTF8.self)
        }
        let name = self.name
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }
}

/// A moment as the file system records it.
package struct Timestamp: Sendable, Hashable, Comparable {
    package var seconds: Int64
    package var nanoseconds: Int64
    package init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    package static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}

/// The files of SOURCE, found by one walk that never follows a symbolic link.
///
/// Every folder is opened relative to its parent's descriptor (see `DirectoryWalker`), so the
/// walk needs no path longer than one name, and a folder swapped for a link mid-walk is met as
/// the link it has become. `SourceOpener` reads the files later the same way.
package struct SourceTree: Sendable {
    /// SOURCE as given.
    package let root: String
    /// Every file, sorted by path bytes, so that builds are reproducible.
    package let files: [SourceFile]
    /// Folders that hold nothing at all, by path relative to SOURCE, sorted: no archive entry
    /// stands for them, so they are reported rather than silently dropped.
    package var emptyFolders: [[UInt8]] = []
    /// The device and inode of SOURCE when it was walked: a SOURCE replaced by another folder
    /// before its files are read is told, not read.
    let rootIdentity: FileIdentity

    /// Walks `root`. Paths in `excluding` (absolute, e.g. the bundle being written inside SOURCE)
    /// are left out, so that an output is never packaged into itself.
    package static func walk(_ root: String, excluding: Set<String> = []) throws(CollectError) -> SourceTree {
        // The root itself may be a link: the user named it. Nothing below it is followed.
        let fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            if errno == ENOTDIR { throw CollectError.sourceNotAFolder(root) }
            throw CollectError.sourceUnreadable(root, String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CollectError.sourceUnreadable(root, String(cString: strerror(errno))) }
        var walk = Walk(root: root, excluded: Set(excluding.compactMap { relativePath(of: $0, under: root) }))
        try walk.folder(fd, relative: [], depth: 0)
        walk.files.sort { $0.path.bytewisePrecedes($1.path) }
        var tree = SourceTree(root: root, files: walk.files, rootIdentity: FileIdentity(info))
        tree.emptyFolders = walk.emptyFolders.sorted { $0.lexicographicallyPrecedes($1) }
        return tree
    }

    static let maxDepth = 256

    /// One walk's state: what it leaves out, and the files found so far.
    private struct Walk {
        let root: String
        let excluded: Set<[UInt8]>
        var files: [SourceFile] = []
        var emptyFolders: [[UInt8]] = []

        init(root: String, excluded: Set<[UInt8]>) {
            self.root = root
            self.excluded = excluded
        }

        /// Lists the folder open at `fd` (at `relative` below SOURCE) and everything below it.
        /// At most `maxDepth` folders are open at once, one per level.
        mutating func folder(_ fd: Int32, relative: [UInt8], depth: Int) throws(CollectError) {
            guard depth < SourceTree.maxDepth else { throw CollectError.tooDeep(root, String(decoding: relative, as: UTF8.self)) }
            let names: [[UInt8]]
            do {
                names = try DirectoryWalker.names(in: fd)
            } catch {
                throw CollectError.sourceUnreadable(shown(relative), String(cString: strerror(error.code)))
            }
            if names.isEmpty && !relative.isEmpty { emptyFolders.append(relative) }
            for name in names {
                let path = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
                if excluded.contains(path) { continue }
                guard let info = DirectoryWalker.status(of: name, in: fd) else {
                    throw CollectError.sourceUnreadable(shown(path), String(cString: strerror(errno)))
                }
                let modified = Timestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    let child = DirectoryWalker.openFolder(name, in: fd)
                    guard child >= 0 else {
                        // Seen as a folder a moment ago; a link now is a change, and is not followed.
                        let reason = errno == ELOOP || errno == ENOTDIR ? "was replaced while SOURCE was read" : String(cString: strerror(errno))
                        throw CollectError.sourceUnreadable(shown(path), reason)
                    }
                    defer { close(child) }
                    try folder(child, relative: path, depth: depth + 1)
                case S_IFREG:
                    files.append(SourceFile(path: path, kind: .regular, size: Int64(info.st_size), modified: modified))
                case S_IFLNK:
                    let target = DirectoryWalker.linkTarget(of: name, in: fd).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                    files.append(SourceFile(path: path, kind: .symlink(target: target), size: Int64(info.st_size), modified: modified))
                default:
                    files.append(SourceFile(path: path, kind: .special(describeFileType(info.st_mode)), size: 0, modified: modified))
                }
            }
        }

        /// A path below SOURCE for messages, SOURCE's own path first.
        private func shown(_ relative: [UInt8]) -> String {
            relative.isEmpty ? root : root + "/" + String(decoding: relative, as: UTF8.self)
        }
    }

    /// `path` relative to `root` as bytes, when it lies inside it (both made absolute first).
    static func relativePath(of path: String, under root: String) -> [UInt8]? {
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        let full = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard full.hasPrefix(prefix) else { return nil }
        return Array(full.utf8.dropFirst(prefix.utf8.count))
    }
}

/// Which file a descriptor or a walk saw: its device and inode.
struct FileIdentity: Sendable, Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// A word for a file type that no bundle may hold.
func describeFileType(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFCHR: "character device"
    case S_IFBLK: "block device"
    case S_IFIFO: "FIFO"
    case S_IFSOCK: "socket"
    case S_IFLNK: "symbolic link"
    case S_IFDIR: "folder"
    default: "special file"
    }
}

/// Why SOURCE could not be walked.
package enum CollectError: HandoverError, Equatable {
    case sourceUnreadable(String, String)
    case sourceNotAFolder(String)
    case tooDeep(String, String)

    package var errorDescription: String? {
        switch self {
        case .sourceUnreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .sourceNotAFolder(let path):
            "\(path) is not a folder; SOURCE must be the folder that holds the deliverables"
        case .tooDeep(let root, let path):
            "\(root): folders nested more than \(SourceTree.maxDepth) deep at \(path); is there a loop of bind mounts?"
        }
    }
}
