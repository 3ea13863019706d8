import Foundation
import Testing
@testable import HandoverKit

/// The OpenSSH tools the SSH signature tests talk to.
enum OpenSSH {
    static let install = "apt-get install openssh-client"

    static func keygen() throws -> String { try requireTool("ssh-keygen", install: install) }
    static func agent() throws -> String { try requireTool("ssh-agent", install: install) }
    static func add() throws -> String { try requireTool("ssh-add", install: install) }

    /// Makes a key pair with ssh-keygen in `dir`; returns the private key's path (`.pub` beside).
    @discardableResult
    static func makeKey(in dir: TempDirectory, name: String, type: String = "ed25519", bits: Int? = nil,
                        passphrase: String = "", comment: String = "tester@example.org") throws -> String {
        let path = dir.path(name)
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", comment, "-f", path]
        if let bits { arguments += ["-b", String(bits)] }
        let result = try runProcess(try keygen(), arguments)
        #expect(result.status == 0, "ssh-keygen -t \(type) failed: \(result.stderr)")
        return path
    }

    /// Signs `file` with `ssh-keygen -Y sign`; returns the armored signature's text.
    static func sign(_ file: String, key: String, namespace: String = "handover", environment: [String: String]? = nil) throws -> String {
        try? FileManager.default.removeItem(atPath: file + ".sig")
        let result = try runProcess(try keygen(), ["-Y", "sign", "-f", key, "-n", namespace, file], environment: environment)
        #expect(result.status == 0, "ssh-keygen -Y sign failed: \(result.stderr)")
        return try String(contentsOfFile: file + ".sig", encoding: .utf8)
    }

    /// Runs `ssh-keygen -Y verify` on `message` with the signature text; returns its result.
    static func verify(message: String, signature: String, allowedSigners: String, principal: String,
                       namespace: String = "handover", in dir: TempDirectory) throws -> ProcessResult {
        let sigPath = try dir.write("check-\(UUID().uuidString).sig", signature)
        return try runProcess(try keygen(), ["-Y", "verify", "-f", allowedSigners, "-I", principal, "-n", namespace, "-s", sigPath],
                              stdin: try Data(contentsOf: URL(fileURLWithPath: message)))
    }

    /// The fingerprint `ssh-keygen -lf` prints for a key file (second field).
    static func fingerprint(of path: String) throws -> String {
        let result = try runProcess(try keygen(), ["-lf", path])
        let fields = result.stdout.split(separator: " ")
        guard result.status == 0, fields.count > 1 else { throw MissingTool(tool: "ssh-keygen -lf", install: result.stderr) }
        return String(fields[1])
    }

    /// An allowed_signers line for the key at `pubPath`.
    static func allowedLine(_ principals: String, options: String = "", pubPath: String) throws -> String {
        let key = try String(contentsOfFile: pubPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return [principals, options, key].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// Stops a child process this test started, by its id. SIGKILL, not `terminate()`: children
/// spawned from Swift Testing's worker threads inherit a signal mask that blocks SIGTERM, so
/// ssh-agent (or a Python server) would never see it and `waitUntilExit()` would hang.
func killStarted(_ process: Process) {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
}

/// A real ssh-agent, started by a test on a socket in its temp folder and stopped when the test
/// is done (by the process this fixture started, never by name).
final class RunningAgent: @unchecked Sendable {
    let socket: String
    private let process: Process

    init(in dir: TempDirectory) throws {
        socket = dir.path("agent.sock")
        process = Process()
        process.executableURL = URL(fileURLWithPath: try OpenSSH.agent())
        process.arguments = ["-D", "-a", socket]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The agent creates its socket shortly after it starts.
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard FileManager.default.fileExists(atPath: socket) else {
            stop()
            throw MissingTool(tool: "a working ssh-agent (no socket at \(socket))", install: OpenSSH.install)
        }
    }

    var environment: [String: String] { ["SSH_AUTH_SOCK": socket] }

    /// Loads a key with ssh-add; `passphrase` is given through SSH_ASKPASS, as a desktop would.
    func add(_ keyPath: String, passphrase: String? = nil, in dir: TempDirectory) throws {
        var environment = self.environment
        if let passphrase {
            let askpass = try dir.write("askpass-\(UUID().uuidString).sh", "#!/bin/sh\necho '\(passphrase)'\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: askpass)
            environment["SSH_ASKPASS"] = askpass
            environment["SSH_ASKPASS_REQUIRE"] = "force"
            environment["DISPLAY"] = ":0"
        }
        let result = try runProcess(try OpenSSH.add(), [keyPath], stdin: Data(), environment: environment)
        #expect(result.status == 0, "ssh-add failed: \(result.stderr)")
    }

    func stop() { killStarted(process) }

    deinit { stop() }
}
