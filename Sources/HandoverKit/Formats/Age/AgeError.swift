/// Everything that can go wrong with age keys and age files (age-encryption.org/v1).
///
/// Keys and key files that cannot be read or parsed mean the tool could not run (exit 2). An age
/// file that none of the identities opens, or whose header or payload does not authenticate, means
/// the check failed (exit 1): inside a bundle, that is a tampered or foreign deliverable.
///
/// No message ever quotes secret key material: identities are named by file and line only.
package enum AgeError: HandoverError, Equatable {
    /// A recipient string (`age1...`) is not valid; `shown` is at most its first characters.
    case invalidRecipient(shown: String, reason: String)
    /// A line of a recipients file is not a valid X25519 recipient.
    case invalidRecipientLine(source: String, line: Int, reason: String)
    /// An identity (`AGE-SECRET-KEY-1...`) is not valid; `source` says where it came from.
    case invalidIdentity(source: String, reason: String)
    /// A recipients or identity file holds no key at all.
    case noKeys(source: String, kind: String)
    /// Encryption was asked for no recipient, or for more than the format's limit here.
    case recipientCount(Int)
    /// A key file is too large to be one.
    case keyFileTooLarge(source: String, limit: Int)
    /// The bytes are not an age file, or its header breaks the format's rules.
    case malformedHeader(subject: String, reason: String)
    /// The file is encrypted with a passphrase, which handover does not support.
    case passphraseEncrypted(subject: String)
    /// None of the identities unwraps any stanza of the header.
    case noMatchingIdentity(subject: String, stanzas: Int, identities: Int)
    /// A file key was unwrapped but the header MAC does not match: the header was altered.
    case headerAuthenticationFailed(subject: String)
    /// A payload chunk does not authenticate: the encrypted data was altered.
    /// `atEnd`: it is the last chunk of the file, which may as well have been cut short.
    case payloadAuthenticationFailed(subject: String, chunk: UInt64, atEnd: Bool)
    /// The encrypted data ends before its final chunk: it was cut short.
    case truncated(subject: String, reason: String)
    /// Bytes follow the final chunk of the encrypted stream.
    case trailingData(subject: String)
    /// The payload breaks a rule of STREAM other than authentication (an empty final chunk).
    case malformedPayload(subject: String, reason: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .invalidRecipient, .invalidRecipientLine, .invalidIdentity, .noKeys, .recipientCount,
             .keyFileTooLarge:
            .couldNotRun
        case .malformedHeader, .passphraseEncrypted, .noMatchingIdentity, .headerAuthenticationFailed,
             .payloadAuthenticationFailed, .truncated, .trailingData, .malformedPayload:
            .checkFailed
        }
    }

    package var errorDescription: String? {
        switch self {
        case .invalidRecipient(let shown, let reason):
            "The age recipient \"\(shown)\" is not valid: \(reason). A recipient looks like "
                + "age1... as printed by age-keygen, or is an SSH public key line (ssh-ed25519 or ssh-rsa, as in a .pub file)."
        case .invalidRecipientLine(let source, let line, let reason):
            "\(source), line \(line): \(reason)."
        case .invalidIdentity(let source, let reason):
            "\(source): \(reason). An identity looks like AGE-SECRET-KEY-1... as written by age-keygen, or is an "
                + "unencrypted OpenSSH private key file (ssh-ed25519 or ssh-rsa)."
        case .noKeys(let source, let kind):
            "\(source) holds no \(kind); add one per line (lines starting with # are comments)."
        case .recipientCount(let count):
            count == 0
                ? "An age file needs at least one recipient; give one with its age1... or SSH public key."
                : "An age file here can be encrypted for at most \(AgeLimits.maxStanzas) recipients, not \(count)."
        case .keyFileTooLarge(let source, let limit):
            "\(source) is larger than \(limit) bytes, too large to be an age key file."
        case .malformedHeader(let subject, let reason):
            "\(subject) is not a valid age file: \(reason)."
        case .passphraseEncrypted(let subject):
            "\(subject) is encrypted with a passphrase; handover only decrypts files encrypted for "
                + "age1 X25519 recipients or SSH keys."
        case .noMatchingIdentity(let subject, let stanzas, let identities):
            "None of the given identities can decrypt \(subject); the file is encrypted for "
                + "\(stanzas) recipient(s) and \(identities) identit\(identities == 1 ? "y was" : "ies were") tried. "
                + "Give the identity file of one of its recipients."
        case .headerAuthenticationFailed(let subject):
            "\(subject) was altered: its age header does not match its MAC."
        case .payloadAuthenticationFailed(let subject, let chunk, let atEnd):
            atEnd
                ? "\(subject) was cut short or altered: its last encrypted chunk (chunk \(chunk)) does not authenticate."
                : "\(subject) was altered or damaged: encrypted chunk \(chunk) does not authenticate."
        case .truncated(let subject, let reason):
            "\(subject) is truncated: \(reason)."
        case .trailingData(let subject):
            "\(subject) has data after the end of its encrypted stream; it was altered."
        case .malformedPayload(let subject, let reason):
            "\(subject) is not a valid age file: \(reason)."
        }
    }
}

/// Bounds on what an age header may hold, so a hostile file costs little to reject.
///
/// The specification sets no upper bound. These are far above anything age or handover writes
/// (a header for one X25519 recipient is about 150 bytes) while capping memory and the number of
/// X25519 operations a file can make the reader do before anything is authenticated.
package enum AgeLimits {
    /// The largest header read, in bytes.
    package static let maxHeaderBytes = 1 << 20
    /// The most recipient stanzas in one header (and the most recipients an encryption takes).
    package static let maxStanzas = 256
    /// The most arguments on one stanza line.
    package static let maxArguments = 32
    /// The largest key file read, in bytes.
    package static let maxKeyFileBytes = 1 << 20
}
