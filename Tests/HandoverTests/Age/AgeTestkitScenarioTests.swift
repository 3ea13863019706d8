import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The scenarios of the C2SP age testkit (CCTV age/internal/tests), rebuilt here with fresh keys:
/// each file is decrypted by us, in one piece and in odd-sized pieces, and by the real `age`,
/// and both must agree with the testkit's expectation.
@Suite("age testkit scenarios, checked against the real age")
struct AgeTestkitScenarioTests {
    enum Expect: CustomStringConvertible {
        case success
        case headerFailure
        case noMatch
        case hmacFailure
        /// The payload fails after this many plaintext bytes were released.
        case payloadFailure(released: Int)

        var description: String {
            switch self {
            case .success: "success"
            case .headerFailure: "header failure"
            case .noMatch: "no match"
            case .hmacFailure: "HMAC failure"
            case .payloadFailure(let n): "payload failure after \(n) bytes"
            }
        }
    }

    struct Scenario: CustomTestStringConvertible, Sendable {
        let name: String
        let expect: Expect
        let build: @Sendable (inout AgeFileBuilder, AgeRecipient) throws -> Void
        var testDescription: String { name }
    }

    static let chunk = AgeStream.chunkSize
    static let small = Array("age".utf8)

    /// A header for `recipient` then the given stanza lines in place of a proper one.
    static func header(_ file: inout AgeFileBuilder, _ recipient: AgeRecipient, extra: [String] = []) throws {
        file.version()
        file.stanza(try file.x25519Stanza(for: recipient))
        for line in extra { file.line(line) }
        file.mac()
    }

    /// A header whose only X25519 stanza is altered by `alter` (arguments line, body).
    static func alteredStanza(
        _ alter: @escaping @Sendable (inout [String], inout [UInt8]) -> Void
    ) -> @Sendable (inout AgeFileBuilder, AgeRecipient) throws -> Void {
        { file, recipient in
            file.version()
            let stanza = try file.x25519Stanza(for: recipient)
            var arguments = stanza.arguments, body = stanza.body
            alter(&arguments, &body)
            file.stanza(AgeStanza(arguments: arguments, body: body))
            file.mac()
            file.nonce()
            try file.chunk(small, last: true)
        }
    }

    /// A header whose text is changed by `edit` after it is written, MAC recomputed.
    static func editedText(
        _ edit: @escaping @Sendable (String) -> String
    ) -> @Sendable (inout AgeFileBuilder, AgeRecipient) throws -> Void {
        { file, recipient in
            file.version()
            file.stanza(try file.x25519Stanza(for: recipient))
            file.bytes = Array(edit(String(decoding: file.bytes, as: UTF8.self)).utf8)
            file.mac()
            file.nonce()
            try file.chunk(small, last: true)
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "x25519", expect: .success) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "empty payload", expect: .success) { f, r in
            try header(&f, r); f.nonce(); try f.chunk([], last: true)
        },
        Scenario(name: "x25519_grease (an unknown stanza beside ours)", expect: .success) { f, r in
            try header(&f, r, extra: ["-> grease-type some args", "AAECAwQF"]); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "a large unknown stanza (a 700 KB body)", expect: .success) { f, r in
            f.version(); f.line("-> example.com/large"); f.body(randomPayload(700_000))
            f.stanza(try f.x25519Stanza(for: r)); f.mac(); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "version_unsupported", expect: .headerFailure, build: editedText {
            $0.replacingOccurrences(of: "org/v1", with: "org/v2")
        }),
        Scenario(name: "header_crlf", expect: .headerFailure, build: editedText {
            $0.replacingOccurrences(of: "\n", with: "\r\n")
        }),
        Scenario(name: "stanza_bad_start", expect: .headerFailure, build: editedText {
            $0.replacingOccurrences(of: "-> X25519", with: "->X25519")
        }),
        Scenario(name: "stanza_empty_argument", expect: .headerFailure, build: editedText {
            $0.replacingOccurrences(of: "-> X25519 ", with: "-> X25519  ")
        }),
        Scenario(name: "stanza_invalid_character", expect: .headerFailure, build: editedText {
            $0.replacingOccurrences(of: "-> X25519 ", with: "-> X25519 \u{7F} ")
        }),
        Scenario(name: "stanza_no_arguments", expect: .headerFailure, build: editedText {
            $0 + "->\n\n"
        }),
        Scenario(name: "stanza_spurious_cr", expect: .headerFailure, build: editedText {
            String($0.dropLast()) + "\r\n"
        }),
        Scenario(name: "stanza_base64_padding", expect: .headerFailure) { f, r in
            try header(&f, r, extra: ["-> grease", "AAECAwQ="]); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stanza_not_canonical", expect: .headerFailure) { f, r in
            try header(&f, r, extra: ["-> grease", "AAECAwR"]); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stanza_long_line", expect: .headerFailure) { f, r in
            try header(&f, r, extra: ["-> grease", String(repeating: "A", count: 68)])
            f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stanza_missing_final_line", expect: .headerFailure) { f, r in
            try header(&f, r, extra: ["-> grease", String(repeating: "A", count: 64)])
            f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stanza_missing_body", expect: .headerFailure) { f, r in
            f.version(); f.line("-> grease"); f.stanza(try f.x25519Stanza(for: r)); f.mac()
            f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stanza_multiple_short_lines", expect: .headerFailure) { f, r in
            try header(&f, r, extra: ["-> grease", "AAEC", "AwQF", ""]); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "x25519_extra_argument", expect: .headerFailure, build: alteredStanza { a, _ in a.append("extra") }),
        Scenario(name: "x25519_short_share", expect: .headerFailure, build: alteredStanza { a, _ in
            a[1] = AgeBase64.encode(AgeBase64.decode(a[1].utf8)!.prefix(31))
        }),
        Scenario(name: "x25519_long_share", expect: .headerFailure, build: alteredStanza { a, _ in
            a[1] = AgeBase64.encode(AgeBase64.decode(a[1].utf8)! + [0])
        }),
        Scenario(name: "x25519_not_canonical_share", expect: .headerFailure, build: alteredStanza { a, _ in
            a[1] = notCanonical(a[1])
        }),
        Scenario(name: "x25519_long_file_key (48-byte body)", expect: .headerFailure, build: alteredStanza { _, b in
            b += [UInt8](repeating: 0, count: 16)
        }),
        Scenario(name: "x25519_bad_tag", expect: .noMatch, build: alteredStanza { _, b in b[31] ^= 1 }),
        Scenario(name: "x25519_lowercase (an unknown type, ignored)", expect: .noMatch, build: alteredStanza { a, _ in
            a[0] = "x25519"
        }),
        Scenario(name: "x25519_low_order", expect: .headerFailure, build: alteredStanza { a, _ in
            // A point of order 8 on Curve25519: the shared secret is all zero, which age forbids.
            a[1] = AgeBase64.encode([
                0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
                0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0xd7,
            ] as [UInt8])
        }),
        Scenario(name: "hmac_bad", expect: .hmacFailure) { f, r in
            f.version(); f.stanza(try f.x25519Stanza(for: r)); f.line("--- " + AgeBase64.encode([UInt8](repeating: 1, count: 32)))
            f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_missing", expect: .headerFailure) { f, r in
            f.version(); f.stanza(try f.x25519Stanza(for: r)); f.line("---"); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_no_space", expect: .headerFailure) { f, r in
            try header(&f, r); f.bytes = replacingLast(f.bytes, "--- ", "---"); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_extra_space", expect: .headerFailure) { f, r in
            try header(&f, r); f.bytes = replacingLast(f.bytes, "--- ", "---  "); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_trailing_space", expect: .headerFailure) { f, r in
            try header(&f, r); f.bytes = Array(f.bytes.dropLast()) + Array(" \n".utf8); f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_truncated", expect: .headerFailure) { f, r in
            try header(&f, r); f.bytes = Array(f.bytes.dropLast(2)) + [0x0A]; f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "hmac_not_canonical", expect: .headerFailure) { f, r in
            try header(&f, r)
            let line = String(decoding: f.bytes.dropLast().suffix(43), as: UTF8.self)
            f.bytes = Array(f.bytes.dropLast(44)) + Array((notCanonical(line) + "\n").utf8)
            f.nonce(); try f.chunk(small, last: true)
        },
        Scenario(name: "stream_no_nonce", expect: .payloadFailure(released: 0)) { f, r in try header(&f, r) },
        Scenario(name: "stream_short_nonce", expect: .payloadFailure(released: 0)) { f, r in
            try header(&f, r); f.bytes += [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
        },
        Scenario(name: "stream_no_chunks", expect: .payloadFailure(released: 0)) { f, r in try header(&f, r); f.nonce() },
        Scenario(name: "stream_missing_tag", expect: .payloadFailure(released: 0)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(small, last: true); f.bytes.removeLast(17)
        },
        Scenario(name: "stream_bad_tag", expect: .payloadFailure(released: 0)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(small, last: true); f.bytes[f.bytes.count - 1] ^= 0x80
        },
        Scenario(name: "stream_last_chunk_full", expect: .success) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: true)
        },
        Scenario(name: "stream_two_chunks", expect: .success) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: false)
            try f.chunk(Array(repeating: 1, count: 100), last: true)
        },
        Scenario(name: "stream_three_chunks", expect: .success) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: false)
            try f.chunk(Array(repeating: 1, count: chunk), last: false); try f.chunk(Array(repeating: 2, count: chunk), last: true)
        },
        Scenario(name: "stream_last_chunk_empty", expect: .payloadFailure(released: chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: false); try f.chunk([], last: true)
        },
        Scenario(name: "stream_no_final", expect: .payloadFailure(released: chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: false)
        },
        Scenario(name: "stream_no_final_two_chunks", expect: .payloadFailure(released: 2 * chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: false)
            try f.chunk(Array(repeating: 1, count: chunk), last: false)
        },
        Scenario(name: "stream_short_chunk (a short chunk that is not final)", expect: .payloadFailure(released: 0)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(small, last: false); try f.chunk(small, last: true)
        },
        Scenario(name: "stream_two_final_chunks", expect: .payloadFailure(released: chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: true)
            try f.chunk(Array(repeating: 1, count: 10), last: true)
        },
        Scenario(name: "stream_trailing_garbage_short", expect: .payloadFailure(released: chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: true); f.bytes += randomPayload(12)
        },
        Scenario(name: "stream_trailing_garbage_long", expect: .payloadFailure(released: chunk)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(Array(repeating: 0, count: chunk), last: true); f.bytes += randomPayload(20)
        },
        Scenario(name: "trailing garbage longer than a chunk", expect: .payloadFailure(released: 0)) { f, r in
            try header(&f, r); f.nonce(); try f.chunk(small, last: true); f.bytes += randomPayload(chunk + 100)
        },
    ]

    /// The same bytes with the last base64 character moved to the next one: only spare bits
    /// change, so the value is the same but the encoding is not canonical.
    static func notCanonical(_ text: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        let last = text.last ?? "A"
        let index = alphabet.firstIndex(of: last) ?? 0
        return String(text.dropLast()) + String(alphabet[(index + 1) % 64])
    }

    static func replacingLast(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: old, options: .backwards) else { return bytes }
        return Array(text.replacingCharacters(in: range, with: new).utf8)
    }

    @Test("each scenario", arguments: scenarios)
    func scenario(_ scenario: Scenario) throws {
        let identity = AgeIdentity.generate()
        var file = AgeFileBuilder()
        try scenario.build(&file, identity.recipient)

        for pieces in [[Int.max], [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 65_549]] {
            let outcome = decryptInPieces(file.bytes, identities: [identity], pieces: pieces)
            switch (scenario.expect, outcome.error) {
            case (.success, nil):
                break
            case (.headerFailure, .malformedHeader?), (.noMatch, .noMatchingIdentity?),
                 (.hmacFailure, .headerAuthenticationFailed?):
                #expect(outcome.plaintext.isEmpty, "nothing is released before the header is authenticated")
            case (.payloadFailure(let released), let error?) where [.payload, .truncated].contains(error.group):
                #expect(outcome.plaintext.count == released)
            default:
                Issue.record("\(scenario.name): expected \(scenario.expect), got \(outcome.error.map { "\($0)" } ?? "success")")
            }
        }

        // The reference implementation agrees with the expectation.
        let tools = try AgeTools()
        let dir = try TempDirectory("age-scenario")
        let key = try dir.write("key.txt", identity.secretLine + "\n")
        let path = try dir.write("file.age", Data(file.bytes))
        let result = try runProcess(tools.age, ["-d", "-i", key, "-o", dir.path("out"), path])
        if case .success = scenario.expect {
            #expect(result.status == 0, "age -d failed: \(result.stderr)")
        } else {
            #expect(result.status != 0, "age -d accepted a file the testkit says is invalid")
        }
    }
}

extension AgeError {
    enum Group { case keys, header, payload, truncated }

    /// Which part of decryption the error comes from.
    var group: Group {
        switch self {
        case .invalidRecipient, .invalidRecipientLine, .invalidIdentity, .noKeys, .recipientCount, .keyFileTooLarge:
            .keys
        case .malformedHeader, .passphraseEncrypted, .noMatchingIdentity, .headerAuthenticationFailed:
            .header
        case .payloadAuthenticationFailed, .trailingData, .malformedPayload:
            .payload
        case .truncated:
            .truncated
        }
    }
}
