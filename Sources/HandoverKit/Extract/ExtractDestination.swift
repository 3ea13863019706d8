import Glibc

/// The folder `handover extract` writes into (DIR), handled through file descriptors only.
///
/// Nothing is ever opened by a path joined from strings: every folder is created with `mkdirat`
/// and opened with `openat(O_NOFOLLOW)` relative to its parent's descriptor, so a symbolic link
/// already in DIR (or slipped in while extract runs) is met, named and refused, never followed.
///
/// Files are first written whole into a hidden staging folder inside DIR (same file system), and
/// are moved to their places only once every one of them was checked: a failure before then
/// leaves DIR as it was. Moving is `linkat` then `unlinkat` when DIR was empty, so an entry that
/// appeared meanwhile is never replaced; with `--force`, `renameat` replaces files of the same
/// name (a link is replaced itself; what it points to is not touched).
final class ExtractDestination {
    let path: String
    private let root: Int32
    private let force: Bool
    private let createdRoot: Bool
    private var staging: (fd: Int32, name: [UInt8])?
    private var stagedCount = 0
    /// The staged files not yet placed (or discarded), by number.
    private var pending = BitSet()
    /// What this run put in DIR, so that a failure can take it back: the first `count` files
    /// of `order` (indices in `files`).
    private var placed: (files: StagedFiles, order: [Int32], count: Int)?
    private var createdFolders: [[[UInt8]]] = []
    /// The open folders from DIR down to the last one used: (name, descriptor).
    private var chain: [(name: [UInt8], fd: Int32)] = []

    /// The start of a staging folder's name: `.handover-extract-<pid>-<random>`. The process id
    /// tells a later run whether the folder's maker is still running.
    static let stagingPrefix = ".handover-extract-"

    /// Checks DIR before the bundle is read: a folder (or a name whose parent folder exists),
    /// empty unless `force`. Creates nothing; removes the staging folders that killed runs left
    /// in DIR (see `removeStaleStaging`) and returns their names.
    @discardableResult
    static func check(_ path: String, force: Bool) throws -> [String] {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw ExtractError.destinationUnusable(path, reason: "exists and is not a folder") }
            let removed = removeStaleStaging(in: path)
            guard force else {
                let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard fd >= 0 else { throw FileError.fromErrno(path, "cannot open the folder") }
                defer { close(fd) }
                if try !isEmpty(fd, path: path) { throw ExtractError.destinationNotEmpty(path) }
                return removed
            }
            return removed
        } else if errno == ENOENT {
            let parent = path.hasSuffix("/") ? String(path.dropLast()) : path
            let folder = parent.lastIndex(of: "/").map { String(parent[..<$0]) } ?? "."
            guard stat(folder.isEmpty ? "/" : folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw ExtractError.destinationUnusable(path, reason: "does not exist, nor does its parent folder")
            }
        } else {
            throw FileError.fromErrno(path, "cannot inspect")
        }
        return []
    }

    /// Removes the staging folders of earlier runs that were killed (SIGKILL, a crash, a power
    /// cut: no handler ran) so that a rerun does not find DIR "not empty" because of them.
    ///
    /// A folder is taken as such only when all of this holds: its name is a staging name whose
    /// process is no longer running, it is a real folder owned by this user, and it holds only
    /// regular files named by numbers, as `createStaged` makes them. Anything else is left.
    static func removeStaleStaging(in path: String) -> [String] {
        let root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return [] }
        defer { close(root) }
        var removed: [String] = []
        for name in (try? entries(root, path: path)) ?? [] {
            let text = String(decoding: name, as: UTF8.self)
            guard text.hasPrefix(stagingPrefix) else { continue }
            let rest = text.dropFirst(stagingPrefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0, pid != getpid() else { continue }
            // Still running (or not ours to signal): its folder is in use.
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            guard let info = DirectoryWalker.status(of: name, in: root),
                  info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid() else { continue }
            let folder = DirectoryWalker.openFolder(name, in: root)
            guard folder >= 0 else { continue }
            defer { close(folder) }
            guard let files = try? entries(folder, path: text), files.allSatisfy({ file in
                !file.isEmpty && file.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                    && DirectoryWalker.status(of: file, in: folder).map { $0.st_mode & S_IFMT == S_IFREG } == true
            }) else { continue }
            for file in files { _ = BytePath.call(file) { unlinkat(folder, $0, 0) } }
            if BytePath.call(name, { unlinkat(root, $0, AT_REMOVEDIR) }) == 0 { removed.append(text) }
        }
        return removed
    }

    /// The names in the folder open at `fd`, without `.` and `..`.
    static func entries(_ fd: Int32, path: String) throws -> [[UInt8]] {
        do {
            return try DirectoryWalker.names(in: fd)
        } catch {
            throw FileError.fromErrno(path, "cannot list the folder", errno: error.code)
        }
    }

    /// Opens DIR (creating it when absent) and makes the staging folder inside it.
    init(path: String, force: Bool) throws {
        // Messages join paths to it: no trailing slash.
        self.path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        self.force = force
        var created = false
        if mkdir(path, 0o755) == 0 { created = true } else if errno != EEXIST { throw FileError.fromErrno(path, "cannot create the folder") }
        createdRoot = created
        root = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            let error: Error = errno == ENOTDIR ? ExtractError.destinationUnusable(path, reason: "exists and is not a folder") : FileError.fromErrno(path, "cannot open the folder")
            if created { rmdir(path) }
            throw error
        }
        do {
            if !force && !created, try !Self.isEmpty(root, path: path) { throw ExtractError.destinationNotEmpty(path) }
            staging = try makeStaging()
        } catch {
            close(root)
            if created { rmdir(path) }
            throw error
        }
    }

    deinit {
        closeChain()
        if let staging { close(staging.fd) }
        close(root)
    }

    // MARK: Staging

    /// A new empty file in the staging folder, opened for writing; its number names it.
    func createStaged(mode: mode_t) throws -> (fd: Int32, id: Int) {
        guard let staging else { throw FileError(path: path, reason: "the staging folder is gone") }
        let id = stagedCount
        stagedCount += 1
        // Counted for the signal handler before the file exists, as AtomicFile registers its own.
        CleanupOnSignal.stagingCount(stagedCount)
        let fd = BytePath.call(String(id).utf8) {
            openat(staging.fd, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw FileError.fromErrno(path, "cannot create a file in the staging folder") }
        pending.insert(id)
        return (fd, id)
    }

    /// Removes a staged file that will not be placed.
    func discardStaged(_ id: Int) {
        guard let staging, pending.remove(id) else { return }
        _ = BytePath.call(String(id).utf8) { unlinkat(staging.fd, $0, 0) }
    }

    /// Puts every staged file at its place (paths relative to DIR, joined with `/`) and creates the
    /// folders listed. Everything is taken back if one of them cannot be done.
    func commit(files: StagedFiles, folders: [[UInt8]]) throws {
        guard let staging else { throw FileError(path: path, reason: "the staging folder is gone") }
        // Placing is quick, and a signal in its middle would leave DIR half filled: one that
        // comes meanwhile is acted on once every file is placed, or taken back.
        CleanupOnSignal.beginDeferral()
        defer { CleanupOnSignal.endDeferral() }
        do {
            // Folders first, all of them: a link or a file in the way is found before any file
            // of the bundle appears in DIR. In component order, files of one folder come
            // together: each folder is looked at once, not once per file.
            let order = files.componentOrder()
            var needed = Set(folders)
            var lastParent: [UInt8] = []
            for index in order {
                files.withPath(Int(index)) { path in
                    guard let slash = path.lastIndex(of: UInt8(ascii: "/")),
                          !path[..<slash].elementsEqual(lastParent) else { return }
                    lastParent = Array(path[..<slash])
                    var end: Int? = slash
                    while let cut = end, needed.insert(Array(path[..<cut])).inserted {
                        end = path[..<cut].lastIndex(of: UInt8(ascii: "/"))
                    }
                }
            }
            for folder in needed.sorted(by: Self.componentOrder) { _ = try folderFD(Self.components(folder), create: true) }
            for index in order { try checkTarget(Self.components(files.path(Int(index)))) }
            placed = (files, order, 0)
            for index in order {
                try place(files.path(Int(index)), staged: files.staged(Int(index)), from: staging.fd)
                placed?.count += 1
            }
            closeChain()
            if BytePath.call(staging.name, { unlinkat(root, $0, AT_REMOVEDIR) }) == 0 {
                close(staging.fd)
                self.staging = nil
            }
            CleanupOnSignal.unregisterStaging()
        } catch {
            rollback()
            throw error
        }
    }

    /// Takes back everything this run wrote: staged files, placed files, folders it created,
    /// and DIR itself when this run created it.
    func rollback() {
        closeChain()
        if let placed {
            for index in placed.order[..<placed.count].reversed() {
                let file = Self.components(placed.files.path(Int(index)))
                guard let name = file.last, let parent = try? folderFD(Array(file.dropLast()), create: false) else { continue }
                _ = BytePath.call(name) { unlinkat(parent, $0, 0) }
            }
        }
        placed = nil
        for folder in createdFolders.reversed() {
            closeChain()
            guard let name = folder.last, let parent = try? folderFD(Array(folder.dropLast()), create: false) else { continue }
            _ = BytePath.call(name) { unlinkat(parent, $0, AT_REMOVEDIR) }
        }
        createdFolders = []
        closeChain()
        if let staging {
            for id in pending.members { _ = BytePath.call(String(id).utf8) { unlinkat(staging.fd, $0, 0) } }
            pending = BitSet()
            close(staging.fd)
            _ = BytePath.call(staging.name) { unlinkat(root, $0, AT_REMOVEDIR) }
            self.staging = nil
        }
        CleanupOnSignal.unregisterStaging()
        if createdRoot { rmdir(path) }
    }

    // MARK: Placing

    private func checkTarget(_ file: [[UInt8]]) throws {
        guard let name = file.last else { return }
        let parent = try folderFD(Array(file.dropLast()), create: false)
        guard let info = DirectoryWalker.status(of: name, in: parent) else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw ExtractError.occupied(shown(file), reason: "is a folder, where the bundle has a file")
        }
        if !force { throw ExtractError.occupied(shown(file), reason: "appeared while the bundle was being extracted") }
    }

    private func place(_ path: [UInt8], staged: Int, from stagingFD: Int32) throws {
        let file = Self.components(path)
        guard let name = file.last else { return }
        let parent = try folderFD(Array(file.dropLast()), create: false)
        let source = Array(String(staged).utf8)
        let moved = BytePath.call(source) { from in
            BytePath.call(name) { to in
                force ? renameat(stagingFD, from, parent, to) : linkat(stagingFD, from, parent, to, 0)
            }
        }
        guard moved == 0 else {
            if errno == EEXIST { throw ExtractError.occupied(shown(file), reason: "appeared while the bundle was being extracted") }
            throw FileError.fromErrno(shown(file), "cannot put the file in place")
        }
        if !force { _ = BytePath.call(source) { unlinkat(stagingFD, $0, 0) } }
        pending.remove(staged)
    }

    /// The descriptor of the folder `components` below DIR, opened without following links,
    /// created (and recorded) when `create` and absent.
    private func folderFD(_ components: [[UInt8]], create: Bool) throws -> Int32 {
        var common = 0
        while common < chain.count, common < components.count, chain[common].name == components[common] { common += 1 }
        while chain.count > common { close(chain.removeLast().fd) }
        for index in common..<components.count {
            let parent = chain.last?.fd ?? root
            let name = components[index]
            let here = Array(components[...index])
            if create {
                if BytePath.call(name, { mkdirat(parent, $0, 0o755) }) == 0 {
                    createdFolders.append(here)
                } else if errno != EEXIST {
                    throw FileError.fromErrno(shown(here), "cannot create the folder")
                }
            }
            let fd = DirectoryWalker.openFolder(name, in: parent)
            guard fd >= 0 else { throw folderFailure(here, name: name, parent: parent, errno: errno) }
            chain.append((name, fd))
        }
        return chain.last?.fd ?? root
    }

    private func folderFailure(_ here: [[UInt8]], name: [UInt8], parent: Int32, errno code: Int32) -> Error {
        if let info = DirectoryWalker.status(of: name, in: parent) {
            switch info.st_mode & S_IFMT {
            case S_IFLNK: return ExtractError.linkInDestination(shown(here))
            case S_IFDIR: break
            default: return ExtractError.occupied(shown(here), reason: "is a file, where the bundle has a folder")
            }
        }
        return FileError.fromErrno(shown(here), "cannot open the folder", errno: code)
    }

    private func closeChain() {
        while let last = chain.popLast() { close(last.fd) }
    }

    // MARK: Helpers

    private func makeStaging() throws -> (fd: Int32, name: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let name = Array("\(Self.stagingPrefix)\(getpid())-\(String(generator.next() as UInt64, radix: 36))".utf8)
            // Registered before it exists: a signal right after mkdirat finds it known.
            CleanupOnSignal.registerStaging(path + "/" + String(decoding: name, as: UTF8.self), createdFolder: createdRoot ? path : nil)
            guard BytePath.call(name, { mkdirat(root, $0, 0o700) }) == 0 else {
                CleanupOnSignal.unregisterStaging()
                if errno == EEXIST { continue }
                throw FileError.fromErrno(path, "cannot create a staging folder")
            }
            let fd = DirectoryWalker.openFolder(name, in: root)
            guard fd >= 0 else {
                let error = FileError.fromErrno(path, "cannot open the staging folder")
                _ = BytePath.call(name) { unlinkat(root, $0, AT_REMOVEDIR) }
                CleanupOnSignal.unregisterStaging()
                throw error
            }
            return (fd, name)
        }
        throw FileError(path: path, reason: "cannot find a free name for a staging folder")
    }

    private func shown(_ components: [[UInt8]]) -> String {
        path + "/" + String(decoding: Array(components.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
    }

    /// Whether the folder open at `fd` holds nothing but `.` and `..`.
    static func isEmpty(_ fd: Int32, path: String) throws -> Bool {
        try entries(fd, path: path).isEmpty
    }

    /// Folders before what they hold; siblings by bytes. On paths joined with `/`: the order of
    /// their components, with `/` taken as lower than any byte.
    static func componentOrder(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBufferPointer { first in b.withUnsafeBufferPointer { componentOrder(first, $0) } }
    }

    static func componentOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            if x == UInt8(ascii: "/") { return true }
            if y == UInt8(ascii: "/") { return false }
            return x < y
        }
        return a.count < b.count
    }

    /// A path below DIR (joined with `/`, already canonical) as its components.
    static func components(_ path: [UInt8]) -> [[UInt8]] {
        path.split(separator: UInt8(ascii: "/")).map(Array.init)
    }
}
