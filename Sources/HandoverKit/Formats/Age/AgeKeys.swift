import Crypto
import Foundation

/// An age recipient: the public key a file is encrypted for. Either an X25519 key, written
/// `age1...`, or an SSH public key (`ssh-ed25519 AAAA...`, `ssh-rsa AAAA...`), one of age's
/// SSH recipient types.
public struct AgeRecipient: Hashable, Sendable, CustomStringConvertible {
    /// The Bech32 human-readable part of X25519 recipients.
    static let hrp = "age"

    enum Kind: Sendable {
        case x25519(Curve25519.KeyAgreement.PublicKey)
        case ssh(AgeSSHRecipient)
    }

    let kind: Kind

    /// The key: the raw 32-byte X25519 key, or an SSH key's wire blob.
    public var publicKeyBytes: [UInt8] {
        switch kind {
        case .x25519(let key): Array(key.rawRepresentation)
        case .ssh(let ssh): ssh.key.blob
        }
    }

    init(publicKey: Curve25519.KeyAgreement.PublicKey) {
        kind = .x25519(publicKey)
    }

    init(ssh: AgeSSHRecipient) {
        kind = .ssh(ssh)
    }

    /// Parses `age1...`, lowercase as age-keygen prints it, or an SSH public key line
    /// (`ssh-ed25519 AAAA... comment`, `ssh-rsa AAAA...`), as in a `.pub` file.
    ///
    /// Errors quote at most the first characters of the string, enough to recognise it.
    package init(parsing text: String) throws(AgeError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let shown = trimmed.count > 16 ? String(trimmed.prefix(16)) + "..." : trimmed
        func fail(_ reason: String) -> AgeError { .invalidRecipient(shown: shown, reason: reason) }
        if trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-") {
            throw fail("it is a secret key (an identity), not a recipient; give its public key, "
                + "which age-keygen -y prints")
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") || trimmed.hasPrefix("sk-") {
            self.init(ssh: try Self.sshRecipient(trimmed, shown: shown))
            return
        }
        guard trimmed.lowercased().hasPrefix("age1") else {
            throw fail("it is not an age1 X25519 recipient, nor an ssh-ed25519 or ssh-rsa public key")
        }
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(trimmed)
        } catch {
            throw fail(error.reason)
        }
        guard trimmed == trimmed.lowercased() else { throw fail("an age recipient is written in lowercase") }
        guard decoded.hrp == Self.hrp else {
            throw fail("it is a plugin or post-quantum recipient (\(decoded.hrp.prefix(16))...); handover supports "
                + "age1 X25519 recipients and ssh-ed25519 and ssh-rsa SSH keys")
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
        self.init(publicKey: key)
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

    /// The `age1...` form, or the SSH key's `type base64` line (without its comment).
    public var encoded: String {
        switch kind {
        case .x25519: Bech32.encode(hrp: Self.hrp, data: publicKeyBytes)
        case .ssh(let ssh): "\(ssh.key.type) \(SSHBase64.encode(ssh.key.blob))"
        }
    }

    public var description: String { encoded }

    /// Whether this is an SSH key (ssh-ed25519 or ssh-rsa) rather than an X25519 one.
    public var isSSHKey: Bool { if case .ssh = kind { true } else { false } }

    /// The stanza that wraps `fileKey` for this recipient.
    func wrap(fileKey: SymmetricKey) throws -> AgeStanza {
        switch kind {
        case .x25519(let key): try AgeX25519.wrap(fileKey: fileKey, for: key)
        case .ssh(let ssh): try ssh.wrap(fileKey: fileKey)
        }
    }

    /// The bytes of this recipient's stanza in a header, known before encrypting.
    var stanzaSize: Int {
        switch kind {
        // "-> X25519 " + 43 + "\n" + 43 + "\n".
        case .x25519: 98
        case .ssh(let ssh): ssh.stanzaSize
        }
    }

    public static func == (a: AgeRecipient, b: AgeRecipient) -> Bool {
        a.isSSHKey == b.isSSHKey && a.publicKeyBytes == b.publicKeyBytes
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(publicKeyBytes) }
}

/// An age identity: the secret key that decrypts files made for its recipient. Either an X25519
/// key (`AGE-SECRET-KEY-1...`) or an unencrypted OpenSSH private key (ssh-ed25519, ssh-rsa).
///
/// Its `description` shows only the public recipient, so printing one never leaks the secret.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    /// The Bech32 human-readable part of X25519 identities.
    static let hrp = "AGE-SECRET-KEY-"

    enum Kind: Sendable {
        case x25519(Curve25519.KeyAgreement.PrivateKey)
        case ssh(AgeSSHIdentity)
    }

    let kind: Kind

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        kind = .x25519(privateKey)
    }

    init(ssh: AgeSSHIdentity) {
        kind = .ssh(ssh)
    }

    /// A new random identity, as `age-keygen` makes.
    public static func generate() -> AgeIdentity {
        AgeIdentity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// Parses one `AGE-SECRET-KEY-1...`; `source` names it in errors (the key itself never is).
    package init(parsing text: String, source: String = "the identity") throws(AgeError) {
        func fail(_ reason: String) -> AgeError { .invalidIdentity(source: source, reason: reason) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("age1") {
            throw fail("this is a public key (a recipient); decrypting needs the secret key")
        }
        if trimmed.hasPrefix("ssh-") || trimmed.hasPrefix("ecdsa-") {
            throw fail("this is an SSH public key; decrypting needs its private key file (the one without .pub)")
        }
        if trimmed.hasPrefix("-----BEGIN") {
            throw fail("a private key block must be the whole file, as ssh-keygen writes it, not one line among others")
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
        kind = .x25519(key)
    }

    /// The recipient that files for this identity are encrypted to.
    public var recipient: AgeRecipient {
        switch kind {
        case .x25519(let key): AgeRecipient(publicKey: key.publicKey)
        case .ssh(let ssh): AgeRecipient(ssh: ssh.recipient)
        }
    }

    /// The `AGE-SECRET-KEY-1...` form, uppercase as age-keygen writes it, for an X25519 identity;
    /// nil for an SSH key, which stays in its own file. Secret: handle with care.
    public var secretKeyString: String? {
        guard case .x25519(let key) = kind else { return nil }
        return Bech32.encode(hrp: Self.hrp, data: Array(key.rawRepresentation)).uppercased()
    }

    public var description: String { "age identity for \(recipient.encoded)" }

    /// Tries this identity on one stanza of the header.
    func unwrap(_ stanza: AgeStanza) -> AgeX25519.Unwrapped {
        switch kind {
        case .x25519(let key): AgeX25519.unwrap(stanza, with: key)
        case .ssh(let ssh): ssh.unwrap(stanza)
        }
    }

    /// Reads an identity file as `age-keygen` writes it (keys one per line, `#` comments and
    /// blank lines ignored; at least one key), or an unencrypted OpenSSH private key file.
    public static func parseFile(_ path: String) throws -> [AgeIdentity] {
        try parse(text: readKeyFile(path), source: path)
    }

    /// Parses the text of an identity file; `source` names it in errors.
    package static func parse(text: String, source: String) throws(AgeError) -> [AgeIdentity] {
        if OpenSSHKeyFile.looksLikePrivateKey(text) {
            return [try AgeIdentity(sshPrivateKey: text, source: source)]
        }
        var identities = [AgeIdentity]()
        for (number, line) in keyFileLines(text) {
            identities.append(try AgeIdentity(parsing: line, source: "\(source), line \(number)"))
        }
        guard !identities.isEmpty else { throw AgeError.noKeys(source: source, kind: "age identity") }
        return identities
    }
}

/// age's recipients files (`age -R`): one recipient per line (`age1...` or an SSH public key
/// line, so a `.pub` file or a list of them is one), `#` comments and blank lines.
public enum AgeRecipients {
    /// Reads a recipients file; a line that is not a recipient is an error that names its line.
    public static func parseFile(_ path: String) throws -> [AgeRecipient] {
        try parse(text: readKeyFile(path), source: path)
    }

    /// Parses the text of a recipients file; `source` names it in errors.
    package static func parse(text: String, source: String) throws(AgeError) -> [AgeRecipient] {
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
