import Foundation
import Testing
@testable import HandoverKit

/// An engineer whose key has a passphrase keeps it in ssh-agent; handover signs through the agent
/// and never asks for the passphrase itself.
@Suite("Signing through ssh-agent")
struct SSHAgentSigningTests {
    typealias Fixture = SSHSignatureInteropTests.Fixture

    @Test("a .pub whose key the agent holds signs through the agent, and ssh-keygen accepts it")
    func signsWithAgentKey() throws {
        let f = try Fixture()
        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        try agent.add(f.key, in: f.dir)

        let signer = try SSHSigner.forKey(at: f.key + ".pub", environment: agent.environment)
        #expect(signer.source == .agent(socket: agent.socket))
        #expect(signer.publicKey == (try SSHPublicKey(contentsOf: f.key + ".pub")))
        let signature = try SSHSignature.sign(.file(f.message), with: signer)
        let result = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: f.allowed,
                                        principal: "alice@provider.example", in: f.dir)
        #expect(result.status == 0, "ssh-keygen refused the agent's signature: \(result.stderr)")
        #expect(try signature.verify(message: .file(f.message), allowedSigners: try AllowedSigners(contentsOf: f.allowed)).isValid)
    }

    @Test("the agent lists its keys with their comments, and signs ECDSA keys too")
    func listsAndSignsECDSA() throws {
        let f = try Fixture()
        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        let ecdsa = try OpenSSH.makeKey(in: f.dir, name: "ecdsa", type: "ecdsa", bits: 384, comment: "ops@provider")
        try agent.add(f.key, in: f.dir)
        try agent.add(ecdsa, in: f.dir)

        let client = SSHAgentClient(socketPath: agent.socket, timeout: 10)
        let keys = try client.identities()
        #expect(Set(keys) == [try SSHPublicKey(contentsOf: f.key + ".pub"), try SSHPublicKey(contentsOf: ecdsa + ".pub")])
        #expect(keys.map(\.comment).contains("ops@provider"))

        let signer = try SSHSigner.forKey(at: ecdsa + ".pub", environment: agent.environment)
        let signature = try SSHSignature.sign(.file(f.message), with: signer)
        let allowed = try f.dir.write("allowed_ecdsa", try OpenSSH.allowedLine("ops", pubPath: ecdsa + ".pub"))
        let result = try OpenSSH.verify(message: f.message, signature: signature.armored, allowedSigners: allowed, principal: "ops", in: f.dir)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("an encrypted key file signs through the agent that holds it (its public key is read from the file)")
    func encryptedKeyUsesAgent() throws {
        let f = try Fixture()
        let locked = try OpenSSH.makeKey(in: f.dir, name: "locked", passphrase: "secretpass")
        // Without its .pub beside it: the public half is in the key file itself.
        try FileManager.default.removeItem(atPath: locked + ".pub")
        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        try agent.add(locked, passphrase: "secretpass", in: f.dir)

        let signer = try SSHSigner.forKey(at: locked, environment: agent.environment)
        #expect(signer.source == .agent(socket: agent.socket))
        let signature = try SSHSignature.sign(.bytes(Array("manifest\n".utf8)), with: signer)
        #expect(try signature.verify(message: .bytes(Array("manifest\n".utf8)), allowedSigners: nil).signatureValid)
    }

    @Test("an encrypted key with no agent holding it: a clear error pointing at ssh-add")
    func encryptedKeyWithoutAgent() throws {
        let f = try Fixture()
        let locked = try OpenSSH.makeKey(in: f.dir, name: "locked", passphrase: "secretpass")

        let noAgent = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: locked, environment: [:]) }
        #expect(noAgent == .encryptedPrivateKey(path: locked, detail: "SSH_AUTH_SOCK is not set"))
        #expect(noAgent?.errorDescription?.contains("ssh-add \(locked)") == true)
        #expect(noAgent?.errorDescription?.contains("\(locked).pub") == true)
        #expect(noAgent?.exitStatus == .couldNotRun)

        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        try agent.add(f.key, in: f.dir)  // another key
        let notHeld = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: locked, environment: agent.environment) }
        #expect(notHeld == .encryptedPrivateKey(path: locked, detail: "the agent at \(agent.socket) does not hold it"))
        #expect(throws: SSHSigError.self) { try SSHPrivateKey(contentsOf: locked) }
    }

    @Test("a .pub that the agent does not hold: run ssh-add")
    func keyNotLoaded() throws {
        let f = try Fixture()
        let agent = try RunningAgent(in: f.dir)
        defer { agent.stop() }
        let error = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: f.key + ".pub", environment: agent.environment) }
        let fingerprint = try OpenSSH.fingerprint(of: f.key + ".pub")
        #expect(error == .keyNotInAgent(fingerprint: fingerprint, keyPath: f.key + ".pub"))
        #expect(error?.errorDescription?.contains("ssh-add") == true)
    }

    @Test("a .pub without SSH_AUTH_SOCK, or with a socket nobody listens on: clear errors")
    func noAgent() throws {
        let f = try Fixture()
        let unset = #expect(throws: SSHSigError.self) { try SSHSigner.forKey(at: f.key + ".pub", environment: [:]) }
        #expect(unset == .agentNotConfigured(keyPath: f.key + ".pub"))
        #expect(unset?.errorDescription?.contains("SSH_AUTH_SOCK") == true)

        let gone = f.dir.path("no-agent.sock")
        let unreachable = #expect(throws: SSHSigError.self) {
            try SSHSigner.forKey(at: f.key + ".pub", environment: ["SSH_AUTH_SOCK": gone])
        }
        guard case .agentUnreachable(let socket, _) = unreachable else { Issue.record("\(String(describing: unreachable))"); return }
        #expect(socket == gone)
    }

    @Test("an agent that stops answering times out instead of hanging")
    func silentAgentTimesOut() throws {
        let dir = try TempDirectory("sshsig")
        // A listening socket that never answers: a Python one-liner, the simplest real server.
        let python = try requireTool("python3", install: "apt-get install python3")
        let path = dir.path("silent.sock")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = ["-c", "import socket,time,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); c=s.accept(); time.sleep(30)", path]
        try server.run()
        defer { killStarted(server) }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: path) { Thread.sleep(forTimeInterval: 0.05) }

        let start = Date()
        let error = #expect(throws: SSHSigError.self) { try SSHAgentClient(socketPath: path, timeout: 1).identities() }
        guard case .agentUnreachable(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("did not answer in time"))
        #expect(Date().timeIntervalSince(start) < 10)
    }
}
