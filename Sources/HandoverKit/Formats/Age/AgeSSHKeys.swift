import Foundation

extension AgeRecipient {
    /// An SSH public key line (`type base64 [comment]`) as an age recipient; `shown` names it in errors.
    static func sshRecipient(_ line: String, shown: String) throws(AgeError) -> AgeSSHRecipient {
        func fail(_ reason: String) -> AgeError { .invalidRecipient(shown: shown, reason: reason) }
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(line: line)
        } catch SSHSigError.malformedKey(_, let reason) {
            throw fail("it is not a usable SSH public key: \(reason)")
        } catch {
            throw fail("it is not a usable SSH public key")
        }
        do {
            return try AgeSSHRecipient(key)
        } catch {
            throw fail(error.reason)
        }
    }
}

extension AgeIdentity {
    /// An unencrypted OpenSSH private key file (`-----BEGIN OPENSSH PRIVATE KEY-----`), ssh-ed25519
    /// or ssh-rsa, as `age -d -i` takes it. A passphrase-protected key is refused: handover never
    /// asks for passphrases.
    init(sshPrivateKey text: String, source: String) throws(AgeError) {
        func fail(_ reason: String) -> AgeError { .invalidIdentity(source: source, reason: reason) }
        func reason(_ error: any Error) -> String {
            if case SSHSigError.malformedKey(_, let reason) = error { return reason }
            return (error as? LocalizedError)?.errorDescription ?? "it cannot be read"
        }
        guard text.contains(OpenSSHKeyFile.beginMarker) else {
            throw fail("it is a private key in the old PEM or PKCS#8 format, which handover does not read; convert a "
                + "copy to the OpenSSH format with ssh-keygen -p -f COPY, or use an age identity")
        }
        let file: OpenSSHKeyFile
        do {
            file = try OpenSSHKeyFile(text: text, source: source)
        } catch {
            throw fail(reason(error))
        }
        guard !file.isEncrypted else {
            throw fail("this SSH private key is protected by a passphrase, and handover does not ask for passphrases; "
                + "decrypt a copy with ssh-keygen -p -f COPY (giving an empty new passphrase) and use that copy, "
                + "or use an age identity")
        }
        guard AgeSSH.supportedTypes.contains(file.publicKey.type) else {
            throw fail("it is a \(file.publicKey.type) key; age decrypts only with ssh-ed25519 and ssh-rsa SSH keys")
        }
        let material: SSHPrivateKeyMaterial
        do {
            material = try SSHWireError.mapping({ SSHSigError.malformedKey(source: source, reason: $0) }) {
                try SSHPrivateKey.readSection(file.privateSection, publicKey: file.publicKey).0
            }
        } catch {
            throw fail(reason(error))
        }
        do {
            self.init(ssh: try AgeSSHIdentity(material: material, publicKey: file.publicKey))
        } catch {
            throw fail(error.reason)
        }
    }
}
