import Foundation

/// The outer layer of an OpenSSH private key file (PROTOCOL.key, "openssh-key-v1"), which is
/// readable without the passphrase: the cipher, and the public keys in clear.
struct OpenSSHKeyFile {
    static let beginMarker = "-----BEGIN OPENSSH PRIVATE KEY-----"
    static let endMarker = "-----END OPENSSH PRIVATE KEY-----"
    static let magic = Array("openssh-key-v1".utf8) + [0]

    let cipherName: String
    let publicKey: SSHPublicKey
    /// The private section, still encrypted unless `cipherName` is "none".
    let privateSection: [UInt8]

    var isEncrypted: Bool { cipherName != "none" }

    /// Whether the text looks like a private key of any format (OpenSSH, PEM, PKCS#8).
    static func looksLikePrivateKey(_ text: String) -> Bool {
        text.contains("-----BEGIN") && text.contains("PRIVATE KEY-----")
    }

    init(text: String, source: String) throws {
        func bad(_ reason: String) -> SSHSigError { .malformedKey(source: source, reason: reason) }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(of: Self.beginMarker) else {
            if Self.looksLikePrivateKey(text) {
                throw bad("it is a private key in the old PEM format, which handover does not read; load it into ssh-agent (ssh-add \(source)) and give handover the .pub file, or convert it with ssh-keygen -p -f \(source)")
            }
            throw bad("it is not an OpenSSH private key (no \(Self.beginMarker) line)")
        }
        guard let end = lines[begin...].firstIndex(of: Self.endMarker) else { throw bad("the \(Self.endMarker) line is missing") }
        guard let blob = SSHBase64.decode(lines[(begin + 1)..<end].joined()) else { throw bad("the key is not valid base64") }

        (cipherName, publicKey, privateSection) = try SSHWireError.mapping({ bad($0) }) {
            guard blob.starts(with: Self.magic) else { throw SSHWireError("it does not start with openssh-key-v1") }
            var reader = SSHWireReader(blob)
            _ = try reader.readBytes(Self.magic.count, "the magic")
            let cipher = try reader.readText("the cipher name", limit: 256)
            _ = try reader.readText("the KDF name", limit: 256)
            _ = try reader.readString("the KDF options", limit: 1024)
            guard try reader.readUInt32("the key count") == 1 else {
                throw SSHWireError("it holds several keys; handover reads files of one key, as ssh-keygen writes")
            }
            let publicBlob = try reader.readString("the public key", limit: SSHPublicKey.maximumBlobSize)
            let section = try reader.readString("the private section")
            try reader.expectEnd("the key file")
            return (cipher, try SSHPublicKey(blob: publicBlob, comment: "", source: source), section)
        }
    }
}

/// An unencrypted OpenSSH private key, as `ssh-keygen -t ed25519|ecdsa|rsa -N ''` writes it:
/// Ed25519, ECDSA on P-256/384/521, or RSA of 2048 bits or more (which signs with rsa-sha2-512).
///
/// Passphrase-protected keys are refused with a message pointing at ssh-agent: handover never
/// prompts, and the agent already does that job well.
package struct SSHPrivateKey: Sendable {
    package let publicKey: SSHPublicKey
    /// The comment stored with the key (often user@host).
    package let comment: String
    private let material: SSHPrivateKeyMaterial

    /// Reads and checks a private key file.
    package init(contentsOf path: String) throws {
        let bytes = try readSmallFile(path, limit: 64 * 1024, what: "a private key")
        try self.init(text: String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Reads a private key from the text of its file; `source` names it in messages.
    package init(text: String, source: String) throws {
        let file = try OpenSSHKeyFile(text: text, source: source)
        if file.isEncrypted {
            throw SSHSigError.encryptedPrivateKey(path: source, detail: "")
        }
        guard SSHPrivateKeyMaterial.signingTypes.contains(file.publicKey.type) else {
            throw SSHSigError.malformedKey(source: source, reason: "it is a \(file.publicKey.type) key, and handover signs with \(SSHPublicKey.sentenceList(SSHPrivateKeyMaterial.signingTypes)) keys (make one with ssh-keygen -t ed25519)")
        }
        (material, comment) = try SSHWireError.mapping({ SSHSigError.malformedKey(source: source, reason: $0) }) {
            try Self.readSection(file.privateSection, publicKey: file.publicKey)
        }
        var key = file.publicKey
        key.comment = comment
        publicKey = key
    }

    /// The private section: two equal check-ints (they differ when a passphrase is wrong), the
    /// key type and key, its comment and the padding 1, 2, 3, ... up to the cipher block size
    /// (8 for "none").
    static func readSection(_ section: [UInt8], publicKey: SSHPublicKey) throws -> (SSHPrivateKeyMaterial, String) {
        var reader = SSHWireReader(section)
        let check1 = try reader.readUInt32("the first check-int")
        let check2 = try reader.readUInt32("the second check-int")
        guard check1 == check2 else { throw SSHWireError("its check-ints differ: the private section is damaged") }
        let type = try reader.readText("the private key type", limit: 256)
        guard type == publicKey.type else {
            throw SSHWireError("the private key type does not match the public key")
        }
        let material = try SSHPrivateKeyMaterial(type: type, reader: &reader, publicKey: publicKey)
        let comment = try reader.readText("the comment", limit: 4096)
        let padding = try reader.readBytes(reader.remaining, "the padding")
        guard padding.count < 8, padding.enumerated().allSatisfy({ Int($1) == $0 + 1 }) else {
            throw SSHWireError("the padding after the key is wrong")
        }
        return (material, comment)
    }

    /// Signs `data`, returning the SSH signature blob (`string algorithm, string signature`).
    package func sign(_ data: [UInt8]) throws -> [UInt8] {
        try material.sign(data)
    }
}
