import Foundation

/// Everything that can go wrong with SSH signatures, keys, allowed_signers files and ssh-agent.
///
/// A signature that does not hold (modified message, wrong namespace, unknown signer, damaged
/// signature file, or one made with a key type or algorithm handover refuses) means the check
/// failed (exit 1); a key, agent or allowed_signers file the tool cannot use means it could not
/// run (exit 2).
package enum SSHSigError: HandoverError, Equatable {
    /// The signature file is not a well-formed SSHSIG signature.
    case malformedSignature(reason: String)
    /// The signature does not match the message (or was not made by the key it names).
    case signatureMismatch(fingerprint: String)
    /// The signature was made for another namespace than the one expected.
    case wrongNamespace(found: String, expected: String)
    /// The signing key is not in the allowed signers (for the principal, when one was asked for).
    case signerNotAllowed(fingerprint: String, detail: String)
    /// The allowed signers list the key, but not for this namespace.
    case namespaceNotAllowed(namespace: String, fingerprint: String, source: String)
    /// A signature made with a key type that handover cannot verify.
    case unsupportedKeyType(String)
    /// A signature algorithm handover does not accept for its key type (ssh-rsa, which is SHA-1).
    case unsupportedSignatureAlgorithm(algorithm: String, keyType: String)
    /// A signature made with an RSA key smaller than handover accepts.
    case keyTooSmall(fingerprint: String, bits: Int, minimum: Int)
    /// A public or private key that cannot be read as one.
    case malformedKey(source: String, reason: String)
    /// A passphrase-protected private key: handover never asks for passphrases.
    case encryptedPrivateKey(path: String, detail: String)
    /// A file that cannot be read at all.
    case unreadable(path: String, reason: String)
    /// A line of an allowed_signers file that does not parse.
    case malformedAllowedSigners(source: String, line: Int, reason: String)
    /// Agent signing was asked for but SSH_AUTH_SOCK is not set.
    case agentNotConfigured(keyPath: String)
    /// The socket in SSH_AUTH_SOCK does not answer.
    case agentUnreachable(socket: String, reason: String)
    /// The agent answers but does not hold the key.
    case keyNotInAgent(fingerprint: String, keyPath: String)
    /// The agent holds the key but refused to sign (confirmation declined, locked agent, ...).
    case agentRefused(fingerprint: String)
    /// The agent answered something that is not the ssh-agent protocol.
    case agentProtocol(reason: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .malformedSignature, .signatureMismatch, .wrongNamespace, .signerNotAllowed,
             .namespaceNotAllowed, .unsupportedKeyType, .unsupportedSignatureAlgorithm, .keyTooSmall:
            return .checkFailed
        default:
            return .couldNotRun
        }
    }

    package var errorDescription: String? {
        switch self {
        case .malformedSignature(let reason):
            return "The SSH signature is damaged or not an SSH signature: \(reason)."
        case .signatureMismatch(let fingerprint):
            return "The SSH signature by \(fingerprint) does not match the signed file: the file was modified after signing, or the signature belongs to another file."
        case .wrongNamespace(let found, let expected):
            return "The SSH signature was made for the namespace \"\(found)\", not \"\(expected)\": it was not made to sign a handover bundle."
        case .signerNotAllowed(let fingerprint, let detail):
            return "The SSH signature was made by the key \(fingerprint), which is not in the allowed signers: \(detail)."
        case .namespaceNotAllowed(let namespace, let fingerprint, let source):
            return "The key \(fingerprint) is in \(source), but its namespaces= option does not allow signatures for \"\(namespace)\"."
        case .unsupportedKeyType(let type):
            return "The SSH signature was made with a \(type) key, which handover cannot verify: it verifies signatures by \(SSHPublicKey.sentenceList(SSHPublicKey.verifiableTypes)) keys. Check it with ssh-keygen -Y verify, or ask the signer to sign with one of those."
        case .unsupportedSignatureAlgorithm(let algorithm, let keyType) where algorithm == SSHRSA.sha1Algorithm && keyType == SSHRSA.keyType:
            return "The SSH signature uses the ssh-rsa algorithm, RSA over SHA-1, which neither OpenSSH nor handover accepts for signatures: the signer should sign again with ssh-keygen -Y sign, which uses rsa-sha2-512."
        case .unsupportedSignatureAlgorithm(let algorithm, let keyType):
            let accepted = keyType == SSHRSA.keyType ? SSHRSA.Algorithm.allCases.map(\.rawValue).joined(separator: " and ") : keyType
            return "The SSH signature uses the algorithm \(algorithm), which handover does not verify for \(keyType) keys (it accepts \(accepted))."
        case .keyTooSmall(let fingerprint, let bits, let minimum):
            return "The SSH signature was made with a \(bits)-bit RSA key (\(fingerprint)), smaller than the \(minimum) bits handover requires: a key this small no longer protects a signature meant to last. The signer should sign with a larger key (ssh-keygen -t rsa -b 3072) or an Ed25519 one."
        case .malformedKey(let source, let reason):
            return "\(source) is not a usable SSH key: \(reason)."
        case .encryptedPrivateKey(let path, let detail):
            return "The private key \(path) is protected by a passphrase, and handover does not ask for passphrases. Load it into ssh-agent (ssh-add \(path)) and give handover the public key \(path).pub with SSH_AUTH_SOCK set\(detail.isEmpty ? "" : " (\(detail))")."
        case .unreadable(let path, let reason):
            return "\(path): \(reason)."
        case .malformedAllowedSigners(let source, let line, let reason):
            return "\(source), line \(line): \(reason)."
        case .agentNotConfigured(let keyPath):
            return "Signing with the public key \(keyPath) needs ssh-agent, but SSH_AUTH_SOCK is not set: start an agent (eval $(ssh-agent)), load the private key with ssh-add, and run handover again in that shell."
        case .agentUnreachable(let socket, let reason):
            return "The ssh-agent at \(socket) (SSH_AUTH_SOCK) does not answer: \(reason). Check that the agent is running, or start one with eval $(ssh-agent)."
        case .keyNotInAgent(let fingerprint, let keyPath):
            return "The key \(fingerprint) (\(keyPath)) is not loaded in ssh-agent: run ssh-add with its private key, then run handover again."
        case .agentRefused(let fingerprint):
            return "ssh-agent refused to sign with the key \(fingerprint) (a declined confirmation, a locked agent, or a key restricted to other uses)."
        case .agentProtocol(let reason):
            return "The program behind SSH_AUTH_SOCK does not speak the ssh-agent protocol as expected: \(reason)."
        }
    }
}
