import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// Known-answer tests from the C2SP age testkit (CCTV, age/testdata, public domain / 0BSD).
///
/// The vectors used are those of the testkit's earlier generation, whose identity is
/// `AGE-SECRET-KEY-1XMWWC06...` and file key "YELLOW SUBMARINE": the `x25519` vector (a whole
/// file, kept here as the base64 of its bytes) and the header of `x25519_multiple_recipients`.
@Suite("age test vectors (C2SP CCTV testkit)")
struct AgeVectorTests {
    static let identity = "AGE-SECRET-KEY-1XMWWC06LY3EE5RYTXM9MFLAZ2U56JJJ36S0MYPDRWSVLUL66MV4QX3S7F6"
    static let fileKey = Array("YELLOW SUBMARINE".utf8)

    /// testdata/x25519: one X25519 stanza, payload "age" in one final chunk.
    static let x25519File = Data(base64Encoded: """
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBURWlGMHlwcXIrYnB2Y3FYTnlDVkpwTDdPdXdQZFZ3UEw3S1FF\
        YkZET0NjCkVtRUNBRWNLTituL1ZzOVNiV2lWK0h1MHIrRThSNzdEZFdZeWQ4M253N1UKLS0tIFZuKzU0anFpaVVDRStX\
        WmNFVlkzZjFzcUhqbHUvejFMQ1EvVDdYbTdxSTAK7s9ix86RtDMnTmjU8vkTTLdMW/73vqpSyPC8DpksHoMx+2Y=
        """)!

    /// The header of testdata/x25519_multiple_recipients, up to and including `---`, and its MAC.
    static let multipleRecipientsHeader = """
        age-encryption.org/v1
        -> X25519 TEiF0ypqr+bpvcqXNyCVJpL7OuwPdVwPL7KQEbFDOCc
        EmECAEcKN+n/Vs9SbWiV+Hu0r+E8R77DdWYyd83nw7U
        -> X25519 ajtqAvDEkVNr2B7zUOtq2mAQXDSBlNrVAuM/dKb5sT4
        0evrK/HQXVsQ4YaDe+659l5OQzvAzD2ytLGHQLQiqxg
        -> X25519 0qC7u6AbLxuwnM8tPFOWVtWZn/ZZe7z7gcsP5kgA0FI
        T/PZg76MmVt2IaLntrxppzDnzeFDYHsHFcnTnhbRLQ8
        ---
        """
    static let multipleRecipientsMAC = "UCthUMrk+aJCkWnzueb2xSnd/zj41r4CrMB5SUcz9nM"

    @Test("the x25519 vector decrypts to \"age\", in one piece or byte by byte")
    func x25519Vector() throws {
        let identity = try AgeIdentity(parsing: Self.identity)
        let bytes = Array(Self.x25519File)
        for pieces in [[Int.max], [1], [7, 3, 50]] {
            let outcome = decryptInPieces(bytes, identities: [identity], pieces: pieces)
            #expect(outcome.error == nil)
            #expect(outcome.plaintext == Array("age".utf8))
        }
        // The real age agrees on this vector (a check of the vector as kept here).
        let tools = try AgeTools()
        let dir = try TempDirectory("age-vector")
        let key = try dir.write("key.txt", Self.identity + "\n")
        let file = try dir.write("x25519.age", Self.x25519File)
        let result = try runProcess(tools.age, ["-d", "-i", key, file])
        #expect(result.status == 0 && result.stdout == "age")
    }

    @Test("the x25519 vector's stanza unwraps to the testkit file key and its MAC recomputes")
    func x25519Stanza() throws {
        let identity = try AgeIdentity(parsing: Self.identity)
        var parser = AgeHeaderParser(subject: "x25519")
        let consumed = try Array(Self.x25519File).withUnsafeBytes { try parser.feed($0) }
        #expect(parser.isDone)
        #expect(parser.stanzas.count == 1)
        guard case .fileKey(let key) = identity.unwrap(parser.stanzas[0]) else {
            Issue.record("the testkit identity does not unwrap the testkit stanza")
            return
        }
        #expect(key.withUnsafeBytes { Array($0) } == Self.fileKey)
        let mac = AgeHeaderFormat.mac(fileKey: key, header: Array(parser.text[..<parser.macCoverage]))
        #expect(AgeBase64.encode(mac) == "Vn+54jqiiUCE+WZcEVY3f1sqHjlu/z1LCQ/T7Xm7qI0")
        // Header round trip: parsing and writing again gives the same bytes.
        let rewritten = AgeHeaderFormat.encode(parser.stanzas, fileKey: key)
        #expect(rewritten == parser.text)
        #expect(consumed == parser.text.count)
    }

    @Test("STREAM encryption reproduces the vector's payload from its file key and nonce")
    func x25519Payload() throws {
        let bytes = Array(Self.x25519File)
        var parser = AgeHeaderParser(subject: "x25519")
        let headerLength = try #require(try bytes.withUnsafeBytes { try parser.feed($0) })
        let nonce = Array(bytes[headerLength..<(headerLength + 16)])
        var written = [UInt8]()
        let encryptor = try AgeEncryptor(
            recipients: [AgeIdentity.generate().recipient], fileKey: SymmetricKey(data: Self.fileKey),
            nonce: nonce) { written += $0 }
        try encryptor.update(Array("age".utf8))
        try encryptor.finish()
        // Our header differs (another recipient), so compare what follows each header.
        var ours = AgeHeaderParser(subject: "ours")
        let ourHeader = try #require(try written.withUnsafeBytes { try ours.feed($0) })
        #expect(Array(written[ourHeader...]) == Array(bytes[headerLength...]))
    }

    @Test("the x25519_multiple_recipients header MAC recomputes")
    func multipleRecipientsMAC() throws {
        let header = Array(Self.multipleRecipientsHeader.utf8)
        let mac = AgeHeaderFormat.mac(fileKey: SymmetricKey(data: Self.fileKey), header: header)
        #expect(AgeBase64.encode(mac) == Self.multipleRecipientsMAC)
        // And the whole header parses, with the first stanza unwrapping for the testkit identity.
        var parser = AgeHeaderParser(subject: "multiple")
        let full = header + Array(" \(Self.multipleRecipientsMAC)\n".utf8)
        _ = try full.withUnsafeBytes { try parser.feed($0) }
        #expect(parser.isDone && parser.stanzas.count == 3)
        let identity = try AgeIdentity(parsing: Self.identity)
        let unwrapped = parser.stanzas.map { identity.unwrap($0) }
        guard case .fileKey = unwrapped[0] else { Issue.record("first stanza does not unwrap"); return }
    }

    @Test("canonical unpadded base64 only")
    func base64() {
        #expect(AgeBase64.encode(Array("age".utf8)) == "YWdl")
        #expect(AgeBase64.encode(Array("ag".utf8)) == "YWc")
        #expect(AgeBase64.decode(Array("YWc".utf8)) == Array("ag".utf8))
        #expect(AgeBase64.decode(Array("YWc=".utf8)) == nil, "padding is refused")
        #expect(AgeBase64.decode(Array("YWd".utf8)) == nil, "spare bits set: not canonical")
        #expect(AgeBase64.decode(Array("Y".utf8)) == nil, "impossible length")
        #expect(AgeBase64.decode(Array("YW-l".utf8)) == nil, "URL alphabet is refused")
        #expect(AgeBase64.decode([UInt8]()) == [])
        for length in 0..<70 {
            let bytes = randomPayload(length)
            #expect(AgeBase64.decode(Array(AgeBase64.encode(bytes).utf8)) == bytes)
            #expect(AgeBase64.encode(bytes) == Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: ""))
        }
    }
}
