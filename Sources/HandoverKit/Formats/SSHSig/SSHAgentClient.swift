import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client of ssh-agent (draft-miller-ssh-agent) over the Unix socket named by SSH_AUTH_SOCK.
///
/// Each request opens its own connection, sends one message and reads one answer, blocking with
/// a timeout on both directions so that a hung agent (or a wrong socket) cannot hang handover.
/// Only the two requests a signer needs are implemented: list identities, and sign.
package struct SSHAgentClient: Sendable {
    /// The path of the agent's socket.
    package let socketPath: String
    /// How long one read or write may block. A sign request can wait for the user (a
    /// confirmation dialog for `ssh-add -c` keys, a touch on a security key), hence the default.
    package let timeout: TimeInterval

    enum Message: UInt8 {
        case failure = 5
        case requestIdentities = 11
        case identitiesAnswer = 12
        case signRequest = 13
        case signResponse = 14
        case extensionFailure = 28
        // Failures of old SSH2-era and ssh.com agents, which OpenSSH still treats as failure.
        case ssh2Failure = 30
        case sshComFailure = 102
    }

    /// OpenSSH's own limit on an agent message.
    static let maximumMessageSize = 256 * 1024

    package init(socketPath: String, timeout: TimeInterval = 60) {
        self.socketPath = socketPath
        self.timeout = timeout
    }

    /// The agent named by SSH_AUTH_SOCK in `environment`, or nil when it is unset or empty.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> SSHAgentClient? {
        guard let path = environment["SSH_AUTH_SOCK"], !path.isEmpty else { return nil }
        return SSHAgentClient(socketPath: path)
    }

    /// The keys the agent holds, with their comments (certificates and other types included).
    package func identities() throws -> [SSHPublicKey] {
        let answer = try request([Message.requestIdentities.rawValue])
        return try SSHWireError.mapping({ SSHSigError.agentProtocol(reason: $0) }) {
            var reader = SSHWireReader(answer)
            let type = try reader.readBytes(1, "the answer type")[0]
            if Self.isFailure(type) { throw SSHSigError.agentProtocol(reason: "it refused to list its keys") }
            guard type == Message.identitiesAnswer.rawValue else { throw SSHWireError("it answered message \(type) to a list request") }
            let count = try reader.readUInt32("the key count")
            // Each key takes at least 8 bytes, so a count beyond that is a lie, not a big list.
            guard Int(count) <= reader.remaining / 8 else { throw SSHWireError("it announced \(count) keys in a short answer") }
            var keys: [SSHPublicKey] = []
            for _ in 0..<count {
                let blob = try reader.readString("a key", limit: SSHPublicKey.maximumBlobSize)
                let comment = String(decoding: try reader.readString("a key comment", limit: 64 * 1024), as: UTF8.self)
                // A key this build cannot parse (a new type) is skipped, not fatal.
                if let key = try? SSHPublicKey(blob: blob, comment: comment, source: "a key of the agent") { keys.append(key) }
            }
            try reader.expectEnd("the list of keys")
            return keys
        }
    }

    /// Whether the agent holds `key`.
    package func holds(_ key: SSHPublicKey) throws -> Bool { try identities().contains(key) }

    /// The sign flag that asks for an rsa-sha2-512 signature from an RSA key.
    static let rsaSHA2_512: UInt32 = 4

    /// Asks the agent to sign `data` with `key`; returns the SSH signature blob. `flags` are the
    /// draft's sign flags (0 for Ed25519 and ECDSA; `rsaSHA2_512` for RSA, or the agent signs
    /// with SHA-1).
    package func sign(_ data: [UInt8], with key: SSHPublicKey, flags: UInt32 = 0) throws -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeByte(Message.signRequest.rawValue)
        writer.writeString(key.blob)
        writer.writeString(data)
        writer.writeUInt32(flags)
        let answer = try request(writer.bytes)
        return try SSHWireError.mapping({ SSHSigError.agentProtocol(reason: $0) }) {
            var reader = SSHWireReader(answer)
            let type = try reader.readBytes(1, "the answer type")[0]
            if Self.isFailure(type) { throw SSHSigError.agentRefused(fingerprint: key.fingerprint) }
            guard type == Message.signResponse.rawValue else { throw SSHWireError("it answered message \(type) to a sign request") }
            let signature = try reader.readString("the signature", limit: 8 * 1024)
            try reader.expectEnd("the sign answer")
            return signature
        }
    }

    static func isFailure(_ type: UInt8) -> Bool {
        [Message.failure, .extensionFailure, .ssh2Failure, .sshComFailure].map(\.rawValue).contains(type)
    }

    // MARK: Transport

    /// Sends one message (`uint32 length, payload`) and returns the payload of the answer.
    func request(_ payload: [UInt8]) throws -> [UInt8] {
        let socket = try AgentSocket(path: socketPath, timeout: timeout)
        defer { socket.close() }
        var framed = SSHWireWriter()
        framed.writeString(payload)
        try socket.writeAll(framed.bytes)
        let header = try socket.readExactly(4)
        let length = Int(UInt32(header[0]) << 24 | UInt32(header[1]) << 16 | UInt32(header[2]) << 8 | UInt32(header[3]))
        guard length > 0, length <= Self.maximumMessageSize else {
            throw SSHSigError.agentProtocol(reason: "it announced an answer of \(length) bytes")
        }
        return try socket.readExactly(length)
    }
}

/// A connected, blocking Unix stream socket with send and receive timeouts.
private struct AgentSocket {
    let fd: Int32
    let path: String

    init(path: String, timeout: TimeInterval) throws {
        self.path = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else {
            throw SSHSigError.agentUnreachable(socket: path, reason: "the socket path is longer than the \(capacity - 1) bytes a Unix socket allows")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
            raw[pathBytes.count] = 0
        }
        #if canImport(Glibc)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SSHSigError.agentUnreachable(socket: path, reason: Self.systemError()) }
        self.fd = fd
        var interval = timeval()
        interval.tv_sec = time_t(max(0, timeout))
        interval.tv_usec = suseconds_t(max(0, timeout).truncatingRemainder(dividingBy: 1) * 1_000_000)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = setsockopt(fd, SOL_SOCKET, option, &interval, socklen_t(MemoryLayout<timeval>.size))
        }
        #if canImport(Darwin)
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = Self.systemError()
            Self.closeDescriptor(fd)
            throw SSHSigError.agentUnreachable(socket: path, reason: reason)
        }
    }

    func close() { Self.closeDescriptor(fd) }

    private static func closeDescriptor(_ fd: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(fd)
        #else
        _ = Darwin.close(fd)
        #endif
    }

    static func systemError() -> String { String(cString: strerror(errno)) }

    func writeAll(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)  // a closed agent must not kill handover with SIGPIPE
            #else
            let flags: Int32 = 0
            #endif
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return send(fd, base + sent, raw.count - sent, flags)
            }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw failure("writing to it failed") }
            sent += n
        }
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var received = 0
        while received < count {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return recv(fd, base + received, count - received, 0)
            }
            if n < 0, errno == EINTR { continue }
            if n == 0 { throw SSHSigError.agentProtocol(reason: "it closed the connection in the middle of an answer") }
            guard n > 0 else { throw failure("reading from it failed") }
            received += n
        }
        return buffer
    }

    private func failure(_ action: String) -> SSHSigError {
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK {
            return .agentUnreachable(socket: path, reason: "\(action): it did not answer in time")
        }
        return .agentUnreachable(socket: path, reason: "\(action): \(String(cString: strerror(code)))")
    }
}
