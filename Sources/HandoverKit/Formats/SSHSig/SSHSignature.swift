import Crypto
import Foundation

/// The hash an SSHSIG signature applies to the message before signing (PROTOCOL.sshsig allows
/// these two; ssh-keygen and handover write sha512).
package enum SSHHashAlgorithm: String, Sendable, CaseIterable {
    case sha256, sha512

    /// A hasher to feed a message in chunks.
    package func makeHasher() -> SSHMessageHasher { SSHMessageHasher(self) }
}

/// Hashes a message fed in chunks, for messages read from a stream (an archive entry).
package struct SSHMessageHasher: Sendable {
    private enum State: Sendable {
        case sha256(SHA256)
        case sha512(SHA512)
    }

    private var state: State

    package init(_ algorithm: SSHHashAlgorithm) {
        switch algorithm {
        case .sha256: state = .sha256(SHA256())
        case .sha512: state = .sha512(SHA512())
        }
    }

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        switch state {
        case .sha256(var h): h.update(bufferPointer: bytes); state = .sha256(h)
        case .sha512(var h): h.update(bufferPointer: bytes); state = .sha512(h)
        }
    }

    package func finalize() -> [UInt8] {
        switch state {
        case .sha256(let h): return Array(h.finalize())
        case .sha512(let h): return Array(h.finalize())
        }
    }
}

/// The signed message: a file, hashed as it is read in chunks, or bytes already in memory.
package enum SignedMessage: Sendable {
    case file(String)
    case bytes([UInt8])

    /// The message's digest, reading a file 1 MiB at a time.
    package func digest(_ algorithm: SSHHashAlgorithm) throws -> [UInt8] {
        var hasher = algorithm.makeHasher()
        switch self {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { hasher.update($0) }
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw SSHSigError.unreadable(path: path, reason: "cannot be opened for reading")
            }
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    chunk.withUnsafeBytes { hasher.update($0) }
                }
            } catch {
                throw SSHSigError.unreadable(path: path, reason: error.localizedDescription)
            }
        }
        return hasher.finalize()
    }
}

/// An SSH signature (OpenSSH PROTOCOL.sshsig), as `ssh-keygen -Y sign` writes and
/// `ssh-keygen -Y verify` reads it.
///
/// handover signs the exact bytes of a bundle's tagmanifest-sha256.txt in the namespace
/// "handover" with sha512. Parsing treats the armored text as hostile: its size is bounded, every
/// length field is checked, and the version, magic and hash algorithm must be ones we know.
package struct SSHSignature: Sendable, Equatable {
    /// The namespace of handover's signatures: a signature made for e.g. git commits ("git") or
    /// files ("file") cannot be replayed as a bundle signature.
    package static let handoverNamespace = "handover"
    static let magic = Array("SSHSIG".utf8)
    static let version: UInt32 = 1
    static let beginMarker = "-----BEGIN SSH SIGNATURE-----"
    static let endMarker = "-----END SSH SIGNATURE-----"
    /// Far above any real signature (an RSA-16384 one is under 5 KiB armored).
    static let maximumArmoredSize = 64 * 1024

    /// The key that made the signature, as the signature names it (not yet trusted).
    package let publicKey: SSHPublicKey
    package let namespace: String
    package let hashAlgorithm: SSHHashAlgorithm
    /// The SSH signature blob: `string algorithm, string bytes`.
    package let signature: [UInt8]

    package init(publicKey: SSHPublicKey, namespace: String, hashAlgorithm: SSHHashAlgorithm, signature: [UInt8]) {
        self.publicKey = publicKey
        self.namespace = namespace
        self.hashAlgorithm = hashAlgorithm
        self.signature = signature
    }

    /// The bytes the key signs: the magic, namespace, reserved, hash name and H(message).
    package static func signedData(namespace: String, hashAlgorithm: SSHHashAlgorithm, messageDigest: [UInt8]) -> [UInt8] {
        var writer = SSHWireWriter()
        writer.writeRaw(magic)
        writer.writeString(namespace)
        writer.writeString([UInt8]())  // reserved
        writer.writeString(hashAlgorithm.rawValue)
        writer.writeString(messageDigest)
        return writer.bytes
    }

    /// Signs `message` with `signer` in `namespace`, hashing it with sha512 as ssh-keygen does.
    package static func sign(_ message: SignedMessage, namespace: String = handoverNamespace, with signer: SSHSigner) throws -> SSHSignature {
        let digest = try message.digest(.sha512)
        let data = signedData(namespace: namespace, hashAlgorithm: .sha512, messageDigest: digest)
        return SSHSignature(publicKey: signer.publicKey, namespace: namespace, hashAlgorithm: .sha512, signature: try signer.sign(data))
    }

    // MARK: Encoding

    /// The binary form: magic, version, key, namespace, reserved, hash name, signature.
    package var blob: [UInt8] {
        var writer = SSHWireWriter()
        writer.writeRaw(Self.magic)
        writer.writeUInt32(Self.version)
        writer.writeString(publicKey.blob)
        writer.writeString(namespace)
        writer.writeString([UInt8]())
        writer.writeString(hashAlgorithm.rawValue)
        writer.writeString(signature)
        return writer.bytes
    }

    /// The armored text, byte for byte as ssh-keygen writes it: base64 lines of 70 characters.
    package var armored: String {
        let lines = SSHBase64.wrapped(SSHBase64.encode(blob), width: 70)
        return ([Self.beginMarker] + lines + [Self.endMarker]).joined(separator: "\n") + "\n"
    }

    // MARK: Parsing

    /// Reads a signature file (`.sshsig`).
    package init(contentsOf path: String) throws {
        // An oversized signature file is a damaged signature (exit 1), not an unreadable file.
        let bytes = try readSmallFile(path, limit: Self.maximumArmoredSize, what: "an SSH signature") {
            SSHSigError.malformedSignature(reason: "the file is \($0)")
        }
        try self.init(armored: String(decoding: bytes, as: UTF8.self))
    }

    /// Reads the armored text between the BEGIN and END lines (surrounding blank space and
    /// CRLF line ends are tolerated, anything else around the armor is not).
    package init(armored text: String) throws {
        guard text.utf8.count <= Self.maximumArmoredSize else {
            throw SSHSigError.malformedSignature(reason: "it is larger than \(Self.maximumArmoredSize / 1024) KiB")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard lines.first == Self.beginMarker else {
            throw SSHSigError.malformedSignature(reason: "it does not start with \(Self.beginMarker)")
        }
        guard lines.count >= 3, lines.last == Self.endMarker else {
            throw SSHSigError.malformedSignature(reason: "it does not end with \(Self.endMarker)")
        }
        guard let blob = SSHBase64.decode(lines[1..<(lines.count - 1)].joined()) else {
            throw SSHSigError.malformedSignature(reason: "the text between the armor lines is not valid base64")
        }
        try self.init(blob: blob)
    }

    /// Reads the binary form.
    package init(blob: [UInt8]) throws {
        let bad = { (reason: String) in SSHSigError.malformedSignature(reason: reason) }
        self = try SSHWireError.mapping(bad) {
            guard blob.starts(with: Self.magic) else { throw SSHWireError("it does not start with SSHSIG") }
            var reader = SSHWireReader(blob)
            _ = try reader.readBytes(Self.magic.count, "the magic")
            let version = try reader.readUInt32("the version")
            guard version == Self.version else { throw SSHWireError("its version is \(version); only version 1 exists") }
            let keyBlob = try reader.readString("the public key", limit: SSHPublicKey.maximumBlobSize)
            let namespace = try reader.readText("the namespace", limit: 1024)
            guard !namespace.isEmpty else { throw SSHWireError("its namespace is empty") }
            _ = try reader.readString("the reserved field", limit: 1024)
            let hashName = try reader.readText("the hash algorithm", limit: 64)
            guard let hash = SSHHashAlgorithm(rawValue: hashName) else {
                throw SSHWireError("its hash algorithm \"\(hashName)\" is not sha256 or sha512")
            }
            let signature = try reader.readString("the signature", limit: 8 * 1024)
            try reader.expectEnd("the signature")
            let key: SSHPublicKey
            do {
                key = try SSHPublicKey(blob: keyBlob, comment: "", source: "the key in the signature")
            } catch SSHSigError.malformedKey(_, let reason) {
                throw SSHWireError("the key in it is damaged: \(reason)")
            }
            return SSHSignature(publicKey: key, namespace: namespace, hashAlgorithm: hash, signature: signature)
        }
    }
}
