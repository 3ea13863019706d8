import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One entry found under SOURCE. Folders are not listed; their files are.
public struct SourceFile: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case regular
        /// A symbolic link, never followed; `target` is what it points to, as written.
        case symlink(target: String)
        /// A device, FIFO or socket, which no bundle may hold.
        case special(String)
    }

    /// The path relative to SOURCE, bytes exactly as on disk, `/`-separated.
    public let path: [UInt8]
    public let kind: Kind
    public let size: Int64
    /// Modification time, seconds and nanoseconds since the epoch.
    public let modified: Timestamp

    public init(path: [UInt8], kind: Kind, size: Int64, modified: Timestamp) {
        self.path = path
        self.kind = kind
        self.size = size
        self.modified = modified
    }

    /// The path split at `/`, each part decoded as UTF-8 (invalid bytes shown as U+FFFD).
    /// Made on each call, not stored: a tree holds hundreds of thousands of files, and the
    /// path bytes alone are what each needs to keep. Loops that match globs take it once.
    public var components: [String] {
        path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's name, the path's last component.
    public var name: String {
        let start = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
        return String(decoding: path[start...], as: UTF8.self)
    }

    /// The path for messages and reports.
    public var displayPath: String { VisibleText.name(bytes: path) }

    /// The extension of the file name, lowercase, without the dot ("" when there is none).
    public var fileExtension: String {
        let name = self.name
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...]).lowercased()
    }
}

/// A moment as the file system records it.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var seconds: Int64
    public var nanoseconds: Int64
    public init(seconds: Int64, nanoseconds: Int64 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}

/// The files of SOURCE, found by one walk that never follows a symbolic link.
public struct SourceTree: Sendable {
    /// SOURCE as given.
    public let root: String
    /// Every file, sorted by path bytes, so that builds are reproducible.
    public let files: [SourceFile]

    /// Walks `root`. Paths in `excluding` (absolute, e.g. the bundle being written inside SOURCE)
    /// are left out, so that an output is never packaged into itself.
    public static func walk(_ root: String, excluding: Set<String> = []) throws(CollectError) -> SourceTree {
        var info = stat()
        guard stat(root, &info) == 0 else {
            throw CollectError.sourceUnreadable(root, String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { throw CollectError.sourceNotAFolder(root) }
        var files: [SourceFile] = []
        let excludedRelative = Set(excluding.compactMap { relativePath(of: $0, under: root) })
        try walkFolder(root: root, relative: [], components: [], excluded: excludedRelative, into: &files)
        files.sort { $0.path.lexicographicallyPrecedes($1.path) }
        return SourceTree(root: root, files: files)
    }

    /// The absolute path of a file of the tree, as bytes for the C calls that open it.
    public func absolutePath(of file: SourceFile) -> [UInt8] {
        var bytes = Array(root.utf8)
        if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
        return bytes + file.path
    }

    static let maxDepth = 256

    private static func walkFolder(root: String, relative: [UInt8], components: [String], excluded: Set<[UInt8]>, into files: inout [SourceFile]) throws(CollectError) {
        guard components.count < maxDepth else { throw CollectError.tooDeep(root, components.joined(separator: "/")) }
        var folderPath = Array(root.utf8)
        if !relative.isEmpty { folderPath += [UInt8(ascii: "/")] + relative }
        folderPath.append(0)
        guard let dir = folderPath.withUnsafeBufferPointer({ opendir(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }) else {
            throw CollectError.sourceUnreadable(displayJoin(root, components), String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        let fd = dirfd(dir)
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> [UInt8] in
                let bytes = raw.bindMemory(to: UInt8.self)
                let length = bytes.firstIndex(of: 0) ?? bytes.count
                return Array(bytes[0..<length])
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        for name in names {
            let path = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
            if excluded.contains(path) { continue }
            let nameString = String(decoding: name, as: UTF8.self)
            let parts = components + [nameString]
            var info = stat()
            let status = (name + [0]).withUnsafeBufferPointer {
                fstatat(fd, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &info, AT_SYMLINK_NOFOLLOW)
            }
            guard status == 0 else {
                throw CollectError.sourceUnreadable(displayJoin(root, parts), String(cString: strerror(errno)))
            }
            let modified = Timestamp(seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int64(info.st_mtim.tv_nsec))
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try walkFolder(root: root, relative: path, components: parts, excluded: excluded, into: &files)
            case S_IFREG:
                files.append(SourceFile(path: path, kind: .regular, size: Int64(info.st_size), modified: modified))
            case S_IFLNK:
                let target = readLink(fd: fd, name: name)
                files.append(SourceFile(path: path, kind: .symlink(target: target), size: Int64(info.st_size), modified: modified))
            default:
                files.append(SourceFile(path: path, kind: .special(describeFileType(info.st_mode)), size: 0, modified: modified))
            }
        }
    }

    private static func readLink(fd: Int32, name: [UInt8]) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = (name + [0]).withUnsafeBufferPointer { namePointer in
            buffer.withUnsafeMutableBufferPointer {
                readlinkat(fd, UnsafeRawPointer(namePointer.baseAddress!).assumingMemoryBound(to: CChar.self),
                           UnsafeMutableRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count - 1)
            }
        }
        guard count >= 0 else { return "?" }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    private static func displayJoin(_ root: String, _ components: [String]) -> String {
        components.isEmpty ? root : root + "/" + components.joined(separator: "/")
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
public enum CollectError: HandoverError, Equatable {
    case sourceUnreadable(String, String)
    case sourceNotAFolder(String)
    case tooDeep(String, String)

    public var errorDescription: String? {
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
