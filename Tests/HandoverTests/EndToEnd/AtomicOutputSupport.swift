import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A `handover build` started in the background, so that a test can watch its output folder and
/// send it a signal mid-build.
///
/// It is started with `posix_spawn`, an empty signal mask and the default action for SIGINT,
/// SIGTERM and SIGHUP: a child started by Foundation's `Process` under Swift Testing inherits a
/// mask that blocks SIGTERM, so a test of the interrupt handler would test nothing.
final class BackgroundBuild: @unchecked Sendable {
    let pid: pid_t
    private let logs: TempDirectory
    private var status: Int32?

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        logs = try TempDirectory("handover-background-logs")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logs.path("stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, logs.path("stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let executable = handoverBinary()
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child = pid_t()
        let code = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard code == 0 else { throw FixtureError("posix_spawn \(executable): \(String(cString: strerror(code)))") }
        pid = child
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            _ = wait()
        }
    }

    /// The raw wait status once the child has ended, without waiting; nil while it runs.
    func poll() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
        return status
    }

    /// Waits for the child to end and gives its raw wait status.
    @discardableResult
    func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = raw
        return raw
    }

    /// The signal that ended the child, or nil when it exited.
    var terminatingSignal: Int32? {
        guard let status, status & 0x7f != 0, status & 0x7f != 0x7f else { return nil }
        return status & 0x7f
    }

    /// The exit status, or nil when a signal ended the child.
    var exitStatus: Int32? {
        guard let status, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    var stdout: String { (try? String(contentsOfFile: logs.path("stdout"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: logs.path("stderr"), encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds, polling every millisecond; fails when the child ends first
    /// or after `seconds`.
    func waitUntil(timeout seconds: Double = 120, _ what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if poll() != nil {
                throw FixtureError("handover ended before \(what) (status \(status ?? -1)): \(stdout)\(stderr)")
            }
            guard Date() < deadline else { throw FixtureError("\(what) did not happen within \(Int(seconds)) s") }
            usleep(1_000)
        }
    }
}

/// The names in `folder`, hidden ones included, sorted.
func folderListing(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

/// The hidden temporary files AtomicFile makes beside `output` (`.<name>.tmp-XXXXXX`).
func temporaryFiles(besides output: String) -> [String] {
    let url = URL(fileURLWithPath: output)
    let prefix = "." + url.lastPathComponent + ".tmp-"
    return folderListing(url.deletingLastPathComponent().path).filter { $0.hasPrefix(prefix) }
}

/// The size of the file at `path`, or nil when there is none.
func fileSize(_ path: String) -> Int64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int64(info.st_size)
}

/// A file of `size` bytes of zeros that takes no room on disk (a hole): big enough that packing
/// it takes a while, which gives a test time to act mid-build.
func makeSparseFile(_ path: String, size: Int64) throws {
    try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                            withIntermediateDirectories: true)
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw FixtureError("cannot create \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    guard ftruncate(fd, off_t(size)) == 0 else { throw FixtureError("ftruncate \(path): \(String(cString: strerror(errno)))") }
}

/// The paths inside a bundle, as `bsdtar -tf` lists them.
func bundleEntries(_ bundle: String) throws -> [String] {
    let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
    let result = try runProcess(bsdtar, ["-tf", bundle])
    guard result.status == 0 else { throw FixtureError("bsdtar -tf \(bundle): \(result.stderr)") }
    return result.stdout.split(separator: "\n").map(String.init)
}

/// One file of a bundle, by its path under the bag's top folder (e.g. `handover/report.json`).
func bundleFile(_ bundle: String, _ relative: String) throws -> Data {
    let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
    let result = try runProcess(bsdtar, ["-xOf", bundle, "*/" + relative])
    guard result.status == 0 else { throw FixtureError("bsdtar -xOf \(bundle) */\(relative): \(result.stderr)") }
    return result.stdoutData
}

extension SourceFixture {
    /// Runs `handover build --manifest … SOURCE --output OUTPUT` with extra arguments.
    func build(output: String, _ extra: [String] = [], environment: [String: String]? = nil) throws -> ProcessResult {
        try handover(["build", "--manifest", manifestPath, source, "--output", output] + extra, environment: environment)
    }

    /// The same build, started in the background.
    func backgroundBuild(output: String, _ extra: [String] = []) throws -> BackgroundBuild {
        try BackgroundBuild(["build", "--manifest", manifestPath, source, "--output", output] + extra)
    }
}
