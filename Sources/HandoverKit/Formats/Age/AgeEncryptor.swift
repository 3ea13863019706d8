import Crypto
import Foundation

/// Where encrypted or decrypted bytes go, a piece at a time. The buffer is only valid during
/// the call.
package typealias AgeSink = (UnsafeRawBufferPointer) throws -> Void

/// Encrypts one file for a set of recipients, as a stream: age-encryption.org/v1, readable by
/// `age -d`.
///
/// The header (and payload nonce) goes to the sink when the encryptor is made; then plaintext is
/// given in pieces of any size with `update`, and `finish` seals the final chunk. At most one
/// 64 KiB chunk is held, whatever the size of the file. Each encryptor draws a fresh random file
/// key, payload nonce and ephemeral share per recipient: never reuse one for two files.
package final class AgeEncryptor {
    private let sink: AgeSink
    private let payloadKey: SymmetricKey
    private var pending = [UInt8]()
    private var counter: UInt64 = 0
    private var finished = false
    /// The last sealed chunk, kept until the next one is made: freeing each 64 KiB output at
    /// once lets glibc trim the heap and fault the pages back in for the next chunk, which
    /// measured here cost half the throughput.
    private var previous: ChaChaPoly.SealedBox?

    /// Starts a file for `recipients` (at least one) and writes its header to `sink`.
    package convenience init(recipients: [AgeRecipient], sink: @escaping AgeSink) throws {
        try self.init(
            recipients: recipients, fileKey: SymmetricKey(size: .bits128),
            nonce: AgeStream.randomBytes(AgeStream.nonceSize), sink: sink)
    }

    /// The designated initializer, with the random values given (tests pass fixed ones).
    init(recipients: [AgeRecipient], fileKey: SymmetricKey, nonce: [UInt8],
         ephemeral: [Curve25519.KeyAgreement.PrivateKey]? = nil, sink: @escaping AgeSink) throws {
        guard !recipients.isEmpty, recipients.count <= AgeLimits.maxStanzas else {
            throw AgeError.recipientCount(recipients.count)
        }
        self.sink = sink
        var stanzas = [AgeStanza]()
        for (index, recipient) in recipients.enumerated() {
            if let ephemeral, index < ephemeral.count, case .x25519(let key) = recipient.kind {
                stanzas.append(try AgeX25519.wrap(fileKey: fileKey, for: key, ephemeral: ephemeral[index]))
            } else {
                stanzas.append(try recipient.wrap(fileKey: fileKey))
            }
        }
        payloadKey = AgeStream.payloadKey(fileKey: fileKey, nonce: nonce)
        pending.reserveCapacity(AgeStream.chunkSize)
        try (AgeHeaderFormat.encode(stanzas, fileKey: fileKey) + nonce).withUnsafeBytes { try sink($0) }
    }

    /// Encrypts more plaintext. Chunks are sealed as they fill; a full chunk is held back until
    /// more data or `finish` says whether it is the last one.
    package func update(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(!finished, "AgeEncryptor.update called after finish")
        var rest = bytes
        while !rest.isEmpty {
            if pending.count == AgeStream.chunkSize {
                try seal(pending, last: false)
                pending.removeAll(keepingCapacity: true)
            }
            if pending.isEmpty && rest.count > AgeStream.chunkSize {
                // A whole chunk with more after it: seal it straight from the caller's buffer. The
                // Data wraps it without a copy (swift-crypto would copy a raw buffer element-wise);
                // it does not outlive this call.
                let chunk = Data(
                    bytesNoCopy: UnsafeMutableRawPointer(mutating: rest.baseAddress!),
                    count: AgeStream.chunkSize, deallocator: .none)
                try seal(chunk, last: false)
                rest = UnsafeRawBufferPointer(rebasing: rest[AgeStream.chunkSize...])
                continue
            }
            let take = min(AgeStream.chunkSize - pending.count, rest.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
    }

    /// Encrypts more plaintext given as any byte collection.
    package func update<Bytes: DataProtocol>(_ bytes: Bytes) throws {
        for region in bytes.regions {
            try region.withUnsafeBytes { try update($0) }
        }
    }

    /// Seals the final chunk (empty only when the whole plaintext is empty).
    package func finish() throws {
        precondition(!finished, "AgeEncryptor.finish called twice")
        finished = true
        try seal(pending, last: true)
        pending = []
    }

    private func seal<Bytes: DataProtocol>(_ chunk: Bytes, last: Bool) throws {
        let box = try ChaChaPoly.seal(chunk, using: payloadKey, nonce: AgeStream.chunkNonce(counter, last: last))
        // `combined` is nonce, ciphertext, tag; age stores the last two, as one write.
        try box.combined.dropFirst(12).withUnsafeBytes { try sink($0) }
        previous = box
        // An 11-byte counter cannot run out before a 64-bit one: 2^64 chunks is 1 ZiB.
        counter += 1
    }

    /// The exact size of the age file for a plaintext of `plaintextSize` bytes and
    /// `recipientCount` X25519 recipients, known before encrypting: an archive entry's header
    /// (a tar header) needs the size before the data.
    package static func encryptedSize(plaintextSize: Int64, recipientCount: Int) -> Int64 {
        encryptedSize(plaintextSize: plaintextSize, stanzaBytes: 98 * recipientCount)
    }

    /// The exact size of the age file for a plaintext of `plaintextSize` bytes and these
    /// recipients, of any type (an SSH stanza is longer than an X25519 one).
    package static func encryptedSize(plaintextSize: Int64, recipients: [AgeRecipient]) -> Int64 {
        encryptedSize(plaintextSize: plaintextSize, stanzaBytes: recipients.reduce(0) { $0 + $1.stanzaSize })
    }

    private static func encryptedSize(plaintextSize: Int64, stanzaBytes: Int) -> Int64 {
        // "age-encryption.org/v1\n", the stanzas, "--- " + 43 + "\n".
        let header = Int64(22 + stanzaBytes + 48)
        let chunks = max(1, (plaintextSize + Int64(AgeStream.chunkSize) - 1) / Int64(AgeStream.chunkSize))
        return header + Int64(AgeStream.nonceSize) + plaintextSize + chunks * Int64(AgeStream.tagSize)
    }

    /// Encrypts a whole small value in memory (for tests and small files).
    package static func encrypt<Bytes: DataProtocol>(_ plaintext: Bytes, for recipients: [AgeRecipient]) throws -> Data {
        var out = Data()
        let encryptor = try AgeEncryptor(recipients: recipients) { out.append(contentsOf: $0) }
        try encryptor.update(plaintext)
        try encryptor.finish()
        return out
    }
}
