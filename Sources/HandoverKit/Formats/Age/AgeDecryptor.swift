import Crypto
import Foundation

/// Decrypts one age file (age-encryption.org/v1; X25519, ssh-ed25519 and ssh-rsa recipients) as a stream.
///
/// Ciphertext is given in pieces of any size with `update`; the header may be split anywhere.
/// Once the header is complete, each identity is tried on each stanza of its type and the header MAC
/// is checked before any plaintext goes out, so a wrong identity or an altered header emits
/// nothing. Then each 64 KiB chunk goes to the sink as soon as it authenticates, and `finish`
/// checks that the stream ended with a valid final chunk: a truncated file, trailing bytes or an
/// altered chunk are errors. At most one sealed chunk and the header are held.
///
/// Plaintext emitted before an error was authentic but may be incomplete: a caller writing a
/// file removes it when `update` or `finish` throws.
package final class AgeDecryptor {
    private enum Phase {
        case header
        case nonce(fileKey: SymmetricKey, nonce: [UInt8])
        case payload(key: SymmetricKey)
        case finished
        case failed(any Error)
    }

    private let identities: [AgeIdentity]
    private let subject: String
    private let sink: AgeSink
    private var phase = Phase.header
    /// Kept outside `phase` so that feeding it mutates in place instead of copying its text.
    private var parser: AgeHeaderParser
    private var pending = [UInt8]()
    private var counter: UInt64 = 0
    /// The last chunk's plaintext, kept until the next one is made (see `AgeEncryptor.previous`).
    private var previous: Data?
    /// How many stanzas the header holds, once it has been read.
    package private(set) var stanzaCount: Int?

    /// - Parameters:
    ///   - identities: the secret keys to try, at least one.
    ///   - subject: how messages name the file, e.g. its path in the bundle.
    ///   - sink: receives the plaintext.
    package init(identities: [AgeIdentity], subject: String = "the age file", sink: @escaping AgeSink) {
        self.identities = identities
        self.subject = subject
        self.sink = sink
        parser = AgeHeaderParser(subject: subject)
    }

    /// Decrypts more ciphertext.
    package func update(_ bytes: UnsafeRawBufferPointer) throws {
        do {
            try consume(bytes)
        } catch {
            // A failed decryptor stays failed: later calls report the same error.
            phase = .failed(error)
            throw error
        }
    }

    /// Decrypts more ciphertext given as any byte collection.
    package func update<Bytes: DataProtocol>(_ bytes: Bytes) throws {
        for region in bytes.regions {
            try region.withUnsafeBytes { try update($0) }
        }
    }

    /// Says the ciphertext has ended: decrypts the final chunk and checks the stream is complete.
    package func finish() throws {
        do {
            try end()
        } catch {
            // A failed decryptor stays failed: later calls report the same error.
            phase = .failed(error)
            throw error
        }
    }

    private func consume(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        while true {
            switch phase {
            case .failed(let error):
                throw error
            case .finished:
                preconditionFailure("AgeDecryptor.update called after finish")
            case .header:
                guard let used = try parser.feed(rest) else { return }
                rest = UnsafeRawBufferPointer(rebasing: rest[used...])
                phase = .nonce(fileKey: try unlock(parser), nonce: [])
            case .nonce(let fileKey, var nonce):
                let take = min(AgeStream.nonceSize - nonce.count, rest.count)
                nonce += UnsafeRawBufferPointer(rebasing: rest[..<take])
                rest = UnsafeRawBufferPointer(rebasing: rest[take...])
                guard nonce.count == AgeStream.nonceSize else {
                    phase = .nonce(fileKey: fileKey, nonce: nonce)
                    return
                }
                pending.reserveCapacity(AgeStream.sealedChunkSize)
                phase = .payload(key: AgeStream.payloadKey(fileKey: fileKey, nonce: nonce))
            case .payload(let key):
                try payload(rest, key: key)
                return
            }
        }
    }

    /// Finds the file key with the identities and checks the header MAC with it.
    private func unlock(_ header: AgeHeaderParser) throws(AgeError) -> SymmetricKey {
        stanzaCount = header.stanzas.count
        if header.stanzas.contains(where: { $0.type == "scrypt" }) {
            throw AgeError.passphraseEncrypted(subject: subject)
        }
        var found: SymmetricKey?
        search: for stanza in header.stanzas {
            for identity in identities {
                switch identity.unwrap(stanza) {
                case .fileKey(let key):
                    found = key
                    break search
                case .lowOrderShare:
                    throw AgeError.malformedHeader(
                        subject: subject, reason: "an \(stanza.type) stanza has a low-order share, which age forbids")
                case .malformed(let reason):
                    throw AgeError.malformedHeader(subject: subject, reason: reason)
                case .notForThisIdentity:
                    continue
                }
            }
        }
        guard let fileKey = found else {
            throw AgeError.noMatchingIdentity(subject: subject, stanzas: header.stanzas.count, identities: identities.count)
        }
        // swift-crypto compares in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(
            header.mac, authenticating: header.text[..<header.macCoverage],
            using: AgeHeaderFormat.macKey(fileKey: fileKey))
        else { throw AgeError.headerAuthenticationFailed(subject: subject) }
        return fileKey
    }

    private func payload(_ bytes: UnsafeRawBufferPointer, key: SymmetricKey) throws {
        var rest = bytes
        while !rest.isEmpty {
            // A full sealed chunk followed by more bytes cannot be the final one.
            if pending.count == AgeStream.sealedChunkSize {
                try open(pending, key: key, last: false)
                pending.removeAll(keepingCapacity: true)
            }
            if pending.isEmpty && rest.count > AgeStream.sealedChunkSize {
                try open(UnsafeRawBufferPointer(rebasing: rest[..<AgeStream.sealedChunkSize]), key: key, last: false)
                rest = UnsafeRawBufferPointer(rebasing: rest[AgeStream.sealedChunkSize...])
                continue
            }
            let take = min(AgeStream.sealedChunkSize - pending.count, rest.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
    }

    private func end() throws {
        switch phase {
        case .failed(let error):
            throw error
        case .finished:
            preconditionFailure("AgeDecryptor.finish called twice")
        case .header:
            if parser.text.isEmpty { throw AgeError.malformedHeader(subject: subject, reason: "it is empty") }
            throw AgeError.truncated(subject: subject, reason: "it ends inside its age header")
        case .nonce:
            throw AgeError.truncated(subject: subject, reason: "it ends before its payload nonce")
        case .payload(let key):
            guard !pending.isEmpty else {
                throw AgeError.truncated(
                    subject: subject,
                    reason: counter == 0 ? "it has no encrypted payload" : "its final encrypted chunk is missing")
            }
            guard pending.count >= AgeStream.tagSize else {
                throw AgeError.truncated(subject: subject, reason: "its last encrypted chunk is cut short")
            }
            try open(pending, key: key, last: true)
            pending = []
            phase = .finished
        }
    }

    /// Authenticates and decrypts one chunk, then hands the plaintext to the sink.
    private func open<Bytes: DataProtocol>(_ sealed: Bytes, key: SymmetricKey, last: Bool) throws
    where Bytes.Index == Int, Bytes: RandomAccessCollection {
        let split = sealed.startIndex + sealed.count - AgeStream.tagSize
        let plaintext: Data
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: AgeStream.chunkNonce(counter, last: last),
                ciphertext: sealed[sealed.startIndex..<split], tag: sealed[split...])
            plaintext = try ChaChaPoly.open(box, using: key)
        } catch {
            throw try chunkFailure(sealed, key: key, last: last)
        }
        if last && plaintext.isEmpty && counter > 0 {
            throw AgeError.malformedPayload(
                subject: subject, reason: "its final encrypted chunk is empty, which age allows only for an empty file")
        }
        counter += 1
        try plaintext.withUnsafeBytes { try sink($0) }
        previous = plaintext
    }

    /// Says why a chunk failed. A full chunk that opens as the final one had bytes after it; a
    /// chunk at the end that opens as a middle one means the final chunk was cut off; anything
    /// else was altered. In the first two cases the chunk is authentic and is released before
    /// the error, as the age testkit expects.
    private func chunkFailure<Bytes: DataProtocol>(_ sealed: Bytes, key: SymmetricKey, last: Bool) throws -> Error
    where Bytes.Index == Int, Bytes: RandomAccessCollection {
        let split = sealed.startIndex + sealed.count - AgeStream.tagSize
        guard let box = try? ChaChaPoly.SealedBox(
                  nonce: AgeStream.chunkNonce(counter, last: !last),
                  ciphertext: sealed[sealed.startIndex..<split], tag: sealed[split...]),
              let plaintext = try? ChaChaPoly.open(box, using: key)
        else {
            return AgeError.payloadAuthenticationFailed(subject: subject, chunk: counter, atEnd: last)
        }
        counter += 1
        try plaintext.withUnsafeBytes { try sink($0) }
        return last
            ? AgeError.truncated(subject: subject, reason: "it ends after chunk \(counter - 1) without a final chunk")
            : AgeError.trailingData(subject: subject)
    }

    /// Decrypts a whole small file in memory (for tests and small files).
    package static func decrypt<Bytes: DataProtocol>(
        _ ciphertext: Bytes, with identities: [AgeIdentity], subject: String = "the age file"
    ) throws -> Data {
        var out = Data()
        let decryptor = AgeDecryptor(identities: identities, subject: subject) { out.append(contentsOf: $0) }
        try decryptor.update(ciphertext)
        try decryptor.finish()
        return out
    }
}
