import Foundation

/// Signs with an SSH key: an unencrypted Ed25519, ECDSA or RSA key file, or a key held by
/// ssh-agent.
///
/// `SSHSigner.forKey(at:)` picks the way from what the KEY file holds, so that `handover build
/// --sign KEY` does what a user of ssh-keygen expects:
/// - an unencrypted private key: signs with it directly;
/// - a public key (`.pub`): asks the agent in SSH_AUTH_SOCK, which must hold the key;
/// - a private key handover cannot read itself (passphrase-protected): asks the agent when it
///   holds the matching key, which is read in clear from the key file itself (openssh-key-v1
///   stores the public key unencrypted), and otherwise says to `ssh-add` it.
///
/// RSA keys sign with rsa-sha2-512, never with SHA-1 `ssh-rsa`, which OpenSSH refuses to verify.
public struct SSHSigner: Sendable, CustomStringConvertible {
    /// Where the signatures come from.
    package enum Source: Sendable, Equatable {
        case keyFile(path: String)
        case agent(socket: String)
    }

    private enum Backend: Sendable {
        case file(SSHPrivateKey)
        case agent(SSHAgentClient)
    }

    package let publicKey: SSHPublicKey
    package let source: Source
    private let backend: Backend

    /// Signs with a private key read from `path`.
    package init(privateKey: SSHPrivateKey, path: String) {
        publicKey = privateKey.publicKey
        source = .keyFile(path: path)
        backend = .file(privateKey)
    }

    /// Signs through `agent`, after checking that it holds `publicKey`; `keyPath` names the key
    /// in the message when it does not.
    package init(agent: SSHAgentClient, publicKey: SSHPublicKey, keyPath: String) throws {
        // Refused here, with the key's path, rather than by the verification of the agent's
        // signature: a key handover cannot use is a reason not to run, not a failed check.
        guard publicKey.isVerifiable else {
            throw SSHSigError.malformedKey(source: keyPath, reason: "it is a \(publicKey.type) key, and handover signs with \(SSHPublicKey.sentenceList(SSHPublicKey.verifiableTypes)) keys (make one with ssh-keygen -t ed25519)")
        }
        if let bits = publicKey.rsaBits, bits < SSHRSA.minimumBits {
            throw SSHSigError.malformedKey(source: keyPath, reason: "its RSA key is \(bits) bits long, and handover signs only with RSA keys of \(SSHRSA.minimumBits) bits or more")
        }
        guard try agent.holds(publicKey) else {
            throw SSHSigError.keyNotInAgent(fingerprint: publicKey.fingerprint, keyPath: keyPath)
        }
        self.publicKey = publicKey
        source = .agent(socket: agent.socketPath)
        backend = .agent(agent)
    }

    /// The signer for the KEY a user named, as described on the type.
    public static func forKey(at path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SSHSigner {
        let bytes = try readSmallFile(path, limit: 64 * 1024, what: "an SSH key")
        let text = String(decoding: bytes, as: UTF8.self)
        let agent = SSHAgentClient.fromEnvironment(environment)
        guard OpenSSHKeyFile.looksLikePrivateKey(text) else {
            let key = try SSHPublicKey(fileText: text, source: path)
            guard let agent else { throw SSHSigError.agentNotConfigured(keyPath: path) }
            return try SSHSigner(agent: agent, publicKey: key, keyPath: path)
        }
        do {
            return SSHSigner(privateKey: try SSHPrivateKey(text: text, source: path), path: path)
        } catch let error as SSHSigError {
            // The key file cannot sign by itself; an agent holding the same key can.
            guard let file = try? OpenSSHKeyFile(text: text, source: path) else { throw error }
            if case .encryptedPrivateKey = error {
                guard let agent else {
                    throw SSHSigError.encryptedPrivateKey(path: path, detail: "SSH_AUTH_SOCK is not set")
                }
                do {
                    return try SSHSigner(agent: agent, publicKey: file.publicKey, keyPath: path)
                } catch SSHSigError.keyNotInAgent {
                    throw SSHSigError.encryptedPrivateKey(path: path, detail: "the agent at \(agent.socketPath) does not hold it")
                }
            }
            guard let agent, file.publicKey.isVerifiable, (try? agent.holds(file.publicKey)) == true else { throw error }
            return try SSHSigner(agent: agent, publicKey: file.publicKey, keyPath: path)
        }
    }

    /// Signs `data` (the SSHSIG signed-data blob), returning the SSH signature blob.
    public func sign(_ data: [UInt8]) throws -> [UInt8] {
        switch backend {
        case .file(let key):
            return try key.sign(data)
        case .agent(let agent):
            // For RSA the flag asks for rsa-sha2-512; without it the agent signs with SHA-1.
            let flags = publicKey.type == SSHRSA.keyType ? SSHAgentClient.rsaSHA2_512 : 0
            let signature = try agent.sign(data, with: publicKey, flags: flags)
            // An agent answering with another key's signature (or ignoring the RSA flag) would
            // make a bundle that fails verification later; say so now, while the user is at the
            // terminal.
            let valid: Bool
            do {
                valid = try publicKey.isValidSignature(signature, for: data)
            } catch let error as SSHSigError {
                throw SSHSigError.agentProtocol(reason: "it returned a signature that handover refuses to verify: \(error.errorDescription ?? "\(error)")")
            }
            guard valid else {
                throw SSHSigError.agentProtocol(reason: "it returned a signature that does not verify with the key \(publicKey.fingerprint)")
            }
            return signature
        }
    }

    public var description: String {
        switch source {
        case .keyFile(let path): return "\(publicKey.type) \(publicKey.fingerprint) (key file \(path))"
        case .agent(let socket): return "\(publicKey.type) \(publicKey.fingerprint) (ssh-agent at \(socket))"
        }
    }
}
