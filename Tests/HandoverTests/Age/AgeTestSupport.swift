import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// Composes age files line by line and chunk by chunk, including the malformed ones the C2SP
/// age testkit (CCTV) describes, from the library's own primitives. The primitives themselves
/// are checked against the real `age` and the testkit's published vectors elsewhere.
struct AgeFileBuilder {
    var bytes = [UInt8]()
    var fileKey = SymmetricKey(data: Array("YELLOW SUBMARINE".utf8))
    private var payloadKey: SymmetricKey?
    private var counter: UInt64 = 0

    mutating func line(_ text: String) { bytes += Array((text + "\n").utf8) }

    mutating func version() { line("age-encryption.org/v1") }

    /// A well-formed X25519 stanza for `recipient`, or its parts for the caller to alter.
    func x25519Stanza(for recipient: AgeRecipient) throws -> AgeStanza {
        try recipient.wrap(fileKey: fileKey)
    }

    mutating func stanza(_ stanza: AgeStanza) {
        line("-> " + stanza.arguments.joined(separator: " "))
        body(stanza.body)
    }

    /// Base64 body lines of 64 columns and a final shorter (possibly empty) one.
    mutating func body(_ body: [UInt8]) {
        let text = Array(AgeBase64.encode(body))
        for start in stride(from: 0, through: text.count, by: 64) {
            line(String(text[start..<min(start + 64, text.count)]))
        }
    }

    /// The MAC line for everything written so far.
    mutating func mac() {
        let text = bytes + Array("---".utf8)
        line("--- " + AgeBase64.encode(AgeHeaderFormat.mac(fileKey: fileKey, header: text)))
    }

    mutating func nonce(_ nonce: [UInt8] = AgeStream.randomBytes(16)) {
        bytes += nonce
        payloadKey = AgeStream.payloadKey(fileKey: fileKey, nonce: nonce)
        counter = 0
    }

    mutating func chunk(_ plaintext: [UInt8], last: Bool) throws {
        guard let payloadKey else { fatalError("nonce() first") }
        let box = try ChaChaPoly.seal(plaintext, using: payloadKey, nonce: AgeStream.chunkNonce(counter, last: last))
        bytes += box.ciphertext + box.tag
        counter += 1
    }

    /// The usual file: version, one stanza per recipient, MAC, nonce, payload in proper chunks.
    static func standard(for recipients: [AgeRecipient], payload: [UInt8]) throws -> AgeFileBuilder {
        var file = AgeFileBuilder()
        file.version()
        for recipient in recipients { file.stanza(try file.x25519Stanza(for: recipient)) }
        file.mac()
        file.nonce()
        var chunks = stride(from: 0, to: payload.count, by: AgeStream.chunkSize).map {
            Array(payload[$0..<min($0 + AgeStream.chunkSize, payload.count)])
        }
        if chunks.isEmpty { chunks = [[]] }
        for (index, chunk) in chunks.enumerated() { try file.chunk(chunk, last: index == chunks.count - 1) }
        return file
    }
}

/// What decrypting some bytes gave: the plaintext released, and the error if any.
struct DecryptOutcome {
    var plaintext = [UInt8]()
    var error: AgeError?
}

/// Decrypts `bytes` fed in pieces of the given sizes (cycled), collecting what the sink got.
func decryptInPieces(_ bytes: [UInt8], identities: [AgeIdentity], pieces: [Int] = [Int.max]) -> DecryptOutcome {
    var outcome = DecryptOutcome()
    let decryptor = AgeDecryptor(identities: identities, subject: "test.age") { outcome.plaintext += $0 }
    var offset = 0, piece = 0
    do {
        while offset < bytes.count {
            let size = min(pieces[piece % pieces.count], bytes.count - offset)
            piece += 1
            try bytes[offset..<(offset + size)].withUnsafeBytes { try decryptor.update($0) }
            offset += size
        }
        try decryptor.finish()
    } catch let error as AgeError {
        outcome.error = error
    } catch {
        Issue.record("unexpected error type: \(error)")
    }
    return outcome
}

/// Random bytes for payloads.
func randomPayload(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}

/// The `age` and `age-keygen` tools, or an error saying how to install them.
struct AgeTools {
    let age: String
    let keygen: String

    init() throws {
        age = try requireTool("age", install: "apt-get install age")
        keygen = try requireTool("age-keygen", install: "apt-get install age")
    }

    /// A new identity file made by age-keygen, and its recipient as age-keygen reports it.
    func newIdentity(in dir: TempDirectory, _ name: String) throws -> (path: String, recipient: String) {
        let path = dir.path(name)
        let result = try runProcess(keygen, ["-o", path])
        guard result.status == 0 else { throw AgeTestFailure("age-keygen failed: \(result.stderr)") }
        let publicKey = try runProcess(keygen, ["-y", path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return (path, publicKey)
    }
}

struct AgeTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension AgeIdentity {
    /// The `AGE-SECRET-KEY-1...` line of an X25519 identity made by a test; a text no parser
    /// accepts for any other kind, so a test that confused them fails loudly.
    var secretLine: String { secretKeyString ?? "(not an X25519 identity)" }
}
