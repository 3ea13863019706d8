import Foundation
import Testing

/// A folder under the system's temporary directory, removed when the value goes away.
/// Every fixture is made by the test inside one of these.
final class TempDirectory: @unchecked Sendable {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "handover-test") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        url = base.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The absolute path of `relative` inside the folder.
    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }

    /// Writes `contents` at `relative`, creating the folders on the way.
    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> String {
        try write(relative, Data(contents.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ contents: Data) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        return file.path
    }

    func read(_ relative: String) throws -> Data {
        try Data(contentsOf: url.appendingPathComponent(relative))
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }
}

/// What a finished process printed and how it ended.
struct ProcessResult: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
    let stdoutData: Data
}

/// A tool a test needs is not installed: the test fails with a message saying what to install.
struct MissingTool: Error, CustomStringConvertible {
    let tool: String
    let install: String
    var description: String { "\(tool) is not installed; install it with: \(install)" }
}

/// The absolute path of `tool` on PATH, or a `MissingTool` error naming what to install.
func requireTool(_ tool: String, install: String) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
        let candidate = "\(dir)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw MissingTool(tool: tool, install: install)
}

/// Runs `executable` (a path, or a name looked up on PATH) with `arguments` and waits for it.
@discardableResult
func runProcess(
    _ executable: String,
    _ arguments: [String],
    stdin: Data? = nil,
    environment: [String: String]? = nil,
    currentDirectory: String? = nil
) throws -> ProcessResult {
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
    } else {
        process.executableURL = URL(fileURLWithPath: try requireTool(executable, install: "the package that provides \(executable)"))
    }
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    group.enter()
    DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
    group.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self),
        stdoutData: outData)
}

/// The `handover` binary built next to the test bundle (`swift test` builds it first).
func handoverBinary() -> String {
    let testBundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var dir = testBundle.deletingLastPathComponent()
    // Inside `<build>/debug/handoverPackageTests.xctest` on Linux the binary sits beside it.
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("handover").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return testBundle.deletingLastPathComponent().appendingPathComponent("handover").path
}

/// Runs the built `handover` with `arguments`.
@discardableResult
func handover(_ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil, stdin: Data? = nil) throws -> ProcessResult {
    try runProcess(handoverBinary(), arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
}

/// A body run by `finishes(within:)` that had not returned in time.
struct DidNotFinish: Error, CustomStringConvertible {
    let seconds: Int
    var description: String { "did not return within \(seconds) s: it blocks, or takes far too long" }
}

/// Runs `body` on a thread of its own and throws `DidNotFinish` when it has not returned within
/// `seconds` of wall time, counted from that thread's start.
///
/// Swift Testing's `.timeLimit` counts from the test's start, and a synchronous test then waits
/// for a thread of the cooperative pool: on a loaded two-core machine, tests that take a
/// millisecond once failed after waiting a minute for one. A kernel thread is scheduled whatever
/// that pool is doing. A body that never returns stays blocked on its thread; the test fails.
/// Expectations belong outside `body` (return what they look at), where the test is known.
func finishes<T>(within seconds: Int = 30, _ body: @escaping () throws -> T) throws -> T {
    let outcome = ThreadOutcome<T>()
    nonisolated(unsafe) let body = body
    let thread = Thread {
        outcome.value = Result { try body() }
        outcome.done.signal()
    }
    thread.stackSize = 16 << 20
    thread.start()
    guard outcome.done.wait(timeout: .now() + .seconds(seconds)) == .success, let value = outcome.value else {
        throw DidNotFinish(seconds: seconds)
    }
    return try value.get()
}

/// What the thread of `finishes(within:)` hands back, and the signal that it has.
private final class ThreadOutcome<T>: @unchecked Sendable {
    var value: Result<T, any Error>?
    let done = DispatchSemaphore(value: 0)
}

/// The error `body` throws, or nil when it returns: for several calls checked in one `finishes`.
func caught(_ body: () throws -> Any) -> (any Error)? {
    do { _ = try body(); return nil } catch { return error }
}
