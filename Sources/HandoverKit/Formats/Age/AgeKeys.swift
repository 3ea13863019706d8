import Crypto
import Foundation

/// An age X25519 recipient: the public key a file is encrypted for, written `age1...`.
public struct AgeRecipient: Hashable, Sendable, CustomStringConvertible {
    /// The Bech32 human-readable part of X25519 recipients.
    static let hrp = "age"

    /// The key as swift-crypto's type.
    let publicKey: Curve25519.KeyAgreement.PublicKey

    /// The raw 32-byte X25519 public key.
    public var publicKeyBytes: [UInt8] { Array(publicKey.rawRepresentation) }

    init(publicKey: Curve25519.KeyAgreement.PublicKey) {
        self.publicKey = publicKey
    }

    /// Parses `age1...`, lowercase as age-keygen prints it.
    ///
    /// Errors quote at most the first characters of the string, enough to recognise it.
    public init(parsing text: String) throws(AgeError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = trimmed.count > 16 ? String(trimmed.prefix(16)) + "..." : trimmed
        func fail(_ reason: String) -> AgeError { .invalidRecipient(shown: shown, reason: reason) }
        if trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-") {
            throw fail("it is a secret key (an identity), not a recipient; give its public key, "
                + "which age-keygen -y prints")
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") {
            throw fail("it is an SSH public key; only age1 X25519 recipients are supported")
        }
        guard trimmed.lowercased().hasPrefix("age1") else {
            throw fail("it is not an age1 X25519 recipient, the only kind supported")
        }
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(trimmed)
        } catch {
            throw fail(error.reason)
        }
        guard trimmed == trimmed.lowercased() else { throw fail("an age recipient is written in lowercase") }
        guard decoded.hrp == Self.hrp else {
            throw fail("it is a plugin or post-quantum recipient (\(decoded.hrp.prefix(16))...); only age1 X25519 "
                + "recipients are supported")
        }
        guard decoded.data.count == 32,
              let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: decoded.data)
        else {
            throw fail("it carries \(decoded.data.count) bytes where an X25519 key has 32")
        }
        // A low-order point makes every shared secret all zero: the wrapped file key would then
        // be readable by anybody. The age specification makes that an error; refuse it here,
        // naming the whole recipient (it is public), before anything is encrypted for it.
        guard !Self.isLowOrder(key) else {
            throw .invalidRecipient(shown: trimmed, reason: "it is a low-order X25519 point, for which any "
                + "file could be decrypted by anybody; it is not a real public key, ask the recipient for theirs")
        }
        publicKey = key
    }

    /// Whether `key` is a point of small order. X25519 clamps every scalar to a multiple of 8,
    /// the cofactor, so such a point gives the all-zero secret whatever the private key: one
    /// agreement with a throwaway key tells.
    static func isLowOrder(_ key: Curve25519.KeyAgreement.PublicKey) -> Bool {
        guard let secret = try? Curve25519.KeyAgreement.PrivateKey().sharedSecretFromKeyAgreement(with: key) else {
            return true // the library itself refused the point
        }
        return secret.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
    }

    /// The `age1...` form.
    public var encoded: String { Bech32.encode(hrp: Self.hrp, data: publicKeyBytes) }

    public var description: String { encoded }

    public static func == (a: AgeRecipient, b: AgeRecipient) -> Bool { a.publicKeyBytes == b.publicKeyBytes }

    public func hash(into hasher: inout Hasher) { hasher.combine(publicKeyBytes) }
}

/// An age X25519 identity: the secret key that decrypts files made for its recipient.
///
/// Its `description` shows only the public recipient, so printing one never leaks the secret.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    /// The Bech32 human-readable part of X25519 identities.
    static let hrp = "AGE-SECRET-KEY-"

    let privateKey: Curve25519.KeyAgreement.PrivateKey

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        self.privateKey = privateKey
    }

    /// A new random identity, as `age-keygen` makes.
    public static func generate() -> AgeIdentity {
        AgeIdentity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// Parses one `AGE-SECRET-KEY-1...`; `source` names it in errors (the key itself never is).
    public init(parsing text: String, source: String = "the identity") throws(AgeError) {
        func fail(_ reason: String) -> AgeError { .invalidIdentity(source: source, reason: reason) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("age1") {
            throw fail("this is a public key (a recipient); decrypting needs the secret key")
        }
        if trimmed.hasPrefix("-----BEGIN") || trimmed.hasPrefix("ssh-") {
            throw fail("SSH keys are not supported; only AGE-SECRET-KEY-1 X25519 identities are")
        }
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(trimmed)
        } catch {
            throw fail("the secret key is not valid: \(error.reason)")
        }
        guard decoded.hrp == Self.hrp.lowercased() else {
            if decoded.hrp.hasPrefix("age-plugin-") || decoded.hrp.hasPrefix("age-secret-key-") {
                throw fail("it is a plugin or post-quantum identity; only AGE-SECRET-KEY-1 X25519 identities "
                    + "are supported")
            }
            throw fail("it is not an age secret key (it does not start with AGE-SECRET-KEY-1)")
        }
        guard decoded.data.count == 32,
              let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: decoded.data)
        else {
            throw fail("the secret key carries \(decoded.data.count) bytes where an X25519 key has 32")
        }
        privateKey = key
    }

    /// The recipient that files for this identity are encrypted to.
    public var recipient: AgeRecipient { AgeRecipient(publicKey: privateKey.publicKey) }

    /// The `AGE-SECRET-KEY-1...` form, uppercase as age-keygen writes it. Secret: handle with care.
    public var secretKeyString: String {
        Bech32.encode(hrp: Self.hrp, data: Array(privateKey.rawRepresentation)).uppercased()
    }

    public var description: String { "age identity for \(recipient.encoded)" }

    /// Reads an identity file as `age-keygen` writes it: keys one per line, `#` comments and
    /// blank lines ignored; at least one key.
    public static func parseFile(_ path: String) throws -> [AgeIdentity] {
        try parse(text: readKeyFile(path), source: path)
    }

    /// Parses the text of an identity file; `source` names it in errors.
    public static func parse(text: String, source: String) throws(AgeError) -> [AgeIdentity] {
        var identities = [AgeIdentity]()
        for (number, line) in keyFileLines(text) {
            identities.append(try AgeIdentity(parsing: line, source: "\(source), line \(number)"))
        }
        guard !identities.isEmpty else { throw AgeError.noKeys(source: source, kind: "age identity") }
        return identities
    }
}

/// age's recipients files (`age -R`): one recipient per line, `#` comments and blank lines.
public enum AgeRecipients {
    /// Reads a recipients file; a line that is not an `age1` X25519 recipient is an error that
    /// names its line.
    public static func parseFile(_ path: String) throws -> [AgeRecipient] {
        try parse(text: readKeyFile(path), source: path)
    }

    /// Parses the text of a recipients file; `source` names it in errors.
    public static func parse(text: String, source: String) throws(AgeError) -> [AgeRecipient] {
        var recipients = [AgeRecipient]()
        for (number, line) in keyFileLines(text) {
            do {
                recipients.append(try AgeRecipient(parsing: line))
            } catch {
                guard case .invalidRecipient(let shown, let reason) = error else { throw error }
                throw AgeError.invalidRecipientLine(
                    source: source, line: number, reason: "\"\(shown)\" is not usable: \(reason)")
            }
        }
        guard !recipients.isEmpty else { throw AgeError.noKeys(source: source, kind: "age recipient") }
        return recipients
    }
}

/// The lines of a key file that carry a key, with their 1-based numbers: blank lines and `#`
/// comments are skipped, CRLF line ends (a file saved on Windows) are accepted.
private func keyFileLines(_ text: String) -> [(Int, String)] {
    var lines = [(Int, String)]()
    // Swift reads "\r\n" as one Character, so both are line ends here.
    let rawLines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    for (index, raw) in rawLines.enumerated() {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.isEmpty || line.hasPrefix("#") { continue }
        lines.append((index + 1, line))
    }
    return lines
}

/// The text of a small key file, refusing anything larger than a key file can be.
private func readKeyFile(_ path: String) throws -> String {
    do {
        return String(decoding: try SmallFile.read(path, limit: AgeLimits.maxKeyFileBytes), as: UTF8.self)
    } catch .tooLarge {
        throw AgeError.keyFileTooLarge(source: path, limit: AgeLimits.maxKeyFileBytes)
    } catch {
        throw error.fileError(path)
    }
}
