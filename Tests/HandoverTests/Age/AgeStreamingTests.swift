import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// Tampering, truncation and hostile headers are detected, plaintext is only ever released
/// after it authenticates, and memory stays bounded whatever the size of the stream.
@Suite("age streaming: tampering, truncation, hostile input, memory")
struct AgeStreamingTests {
    /// A file of three chunks and a bit for one recipient, with its plaintext.
    static func sample() throws -> (identity: AgeIdentity, plaintext: [UInt8], file: [UInt8]) {
        let identity = AgeIdentity.generate()
        let plaintext = randomPayload(3 * AgeStream.chunkSize + 1_234)
        let file = try AgeEncryptor.encrypt(plaintext, for: [identity.recipient])
        return (identity, plaintext, Array(file))
    }

    static func headerLength(_ file: [UInt8]) throws -> Int {
        var parser = AgeHeaderParser(subject: "sample")
        return try #require(try file.withUnsafeBytes { try parser.feed($0) })
    }

    @Test("our own files round-trip for any piece size, including the empty file")
    func roundTrip() throws {
        let identity = AgeIdentity.generate()
        for size in [0, 1, 100, 65_535, 65_536, 65_537, 2 * 65_536, 300_001] {
            let plaintext = randomPayload(size)
            var file = [UInt8]()
            let encryptor = try AgeEncryptor(recipients: [identity.recipient]) { file += $0 }
            // Plaintext given in uneven pieces, some larger than a chunk.
            let pieces = [1, 70_000, 3, 65_536, 10]
            var offset = 0, index = 0
            while offset < size {
                let end = min(offset + pieces[index % pieces.count], size)
                try encryptor.update(plaintext[offset..<end])
                offset = end
                index += 1
            }
            try encryptor.finish()
            let chunks = max(1, (size + 65_535) / 65_536)
            let outcome = decryptInPieces(file, identities: [identity], pieces: [65_552, 1, 77_777])
            #expect(outcome.error == nil)
            #expect(outcome.plaintext == plaintext)
            #expect(file.count - (try Self.headerLength(file)) == 16 + size + 16 * chunks)
            #expect(Int64(file.count) == AgeEncryptor.encryptedSize(plaintextSize: Int64(size), recipientCount: 1))
        }
    }

    @Test("every flipped byte of the header is detected and releases nothing")
    func flippedHeaderByte() throws {
        let (identity, _, file) = try Self.sample()
        let header = try Self.headerLength(file)
        for position in 0..<header {
            var altered = file
            altered[position] ^= 0x01
            let outcome = decryptInPieces(altered, identities: [identity])
            #expect(outcome.error?.group == .header, "flip at \(position): \(String(describing: outcome.error))")
            #expect(outcome.plaintext.isEmpty)
        }
    }

    @Test("a flipped byte of the nonce or of any chunk is detected; only authentic chunks before it are released")
    func flippedPayloadByte() throws {
        let (identity, plaintext, file) = try Self.sample()
        let header = try Self.headerLength(file)
        var positions = Array(header..<(header + 16)) + [file.count - 1, file.count - 17]
        for _ in 0..<40 { positions.append(Int.random(in: header..<file.count)) }
        for position in positions {
            var altered = file
            altered[position] ^= 0x20
            let outcome = decryptInPieces(altered, identities: [identity], pieces: [4_096])
            let error = try #require(outcome.error, "flip at \(position) went unnoticed")
            #expect(error.exitStatus == .checkFailed)
            #expect(Array(plaintext.prefix(outcome.plaintext.count)) == outcome.plaintext)
            #expect(outcome.plaintext.count % AgeStream.chunkSize == 0, "only whole authentic chunks")
        }
    }

    @Test("a file cut anywhere is detected: in the header, the nonce, inside or between chunks")
    func truncation() throws {
        let (identity, plaintext, file) = try Self.sample()
        let header = try Self.headerLength(file)
        let boundary = header + 16 + AgeStream.sealedChunkSize
        var cuts = Array(0..<(header + 20))
        cuts += [boundary - 1, boundary, boundary + 1, boundary + AgeStream.sealedChunkSize, file.count - 1]
        for _ in 0..<20 { cuts.append(Int.random(in: 0..<file.count)) }
        for cut in cuts {
            let outcome = decryptInPieces(Array(file[..<cut]), identities: [identity], pieces: [3_000])
            let error = try #require(outcome.error, "a cut at \(cut) of \(file.count) went unnoticed")
            #expect(error.exitStatus == .checkFailed)
            #expect(Array(plaintext.prefix(outcome.plaintext.count)) == outcome.plaintext)
        }
        // A cut exactly at a chunk boundary says the final chunk is missing.
        let atBoundary = decryptInPieces(Array(file[..<boundary]), identities: [identity])
        #expect(atBoundary.error?.errorDescription?.contains("without a final chunk") == true)
    }

    @Test("encrypt and decrypt through read closures, as from a bundle entry, in short reads")
    func readClosures() throws {
        let identity = AgeIdentity.generate()
        let plaintext = randomPayload(150_000)
        func source(_ bytes: [UInt8]) -> AgeFile.Source {
            var offset = 0
            // Short reads of odd sizes, as a pipe or an archive reader may give.
            return { buffer in
                let count = min(buffer.count, 9_999, bytes.count - offset)
                buffer.copyBytes(from: bytes[offset..<(offset + count)])
                offset += count
                return count
            }
        }
        var ciphertext = [UInt8]()
        try AgeFile.encrypt(reading: source(plaintext), for: [identity.recipient]) { ciphertext += $0 }
        var decrypted = [UInt8]()
        try AgeFile.decrypt(reading: source(ciphertext), with: [identity], subject: "data/x.age") { decrypted += $0 }
        #expect(decrypted == plaintext)
        let error = #expect(throws: AgeError.self) {
            try AgeFile.decrypt(reading: source(Array(ciphertext.dropLast())), with: [identity], subject: "data/x.age") { _ in }
        }
        #expect(error?.errorDescription?.hasPrefix("data/x.age was cut short") == true)
    }

    @Test("bytes after the final chunk are reported as trailing data")
    func trailingData() throws {
        let identity = AgeIdentity.generate()
        let file = Array(try AgeEncryptor.encrypt(randomPayload(65_536), for: [identity.recipient]))
        let outcome = decryptInPieces(file + [0], identities: [identity])
        #expect(outcome.error == .trailingData(subject: "test.age"))
    }

    @Test("a passphrase-encrypted file is named as such")
    func passphrase() {
        var file = AgeFileBuilder()
        file.version()
        file.line("-> scrypt " + AgeBase64.encode(randomPayload(16)) + " 18")
        file.body(randomPayload(32))
        file.mac()
        let outcome = decryptInPieces(file.bytes + randomPayload(40), identities: [AgeIdentity.generate()])
        #expect(outcome.error == .passphraseEncrypted(subject: "test.age"))
    }

    @Test("hostile headers are refused early and cheaply, never crash")
    func hostileHeaders() throws {
        let identity = AgeIdentity.generate()
        func error(_ bytes: [UInt8]) -> AgeError? { decryptInPieces(bytes, identities: [identity], pieces: [997]).error }
        let version = Array("age-encryption.org/v1\n".utf8)

        // Not an age file at all: refused at the first byte that differs, not after a megabyte.
        var seen = 0
        let decryptor = AgeDecryptor(identities: [identity]) { _ in }
        #expect(throws: AgeError.self) {
            for _ in 0..<1_000 {
                try decryptor.update(Array("PK\u{3}\u{4}".utf8) + randomPayload(1_000))
                seen += 1
            }
        }
        #expect(seen == 0)
        #expect(error([]) == .malformedHeader(subject: "test.age", reason: "it is empty"))
        #expect(error(Array("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n".utf8))?.errorDescription?.contains("armored") == true)
        // A line that never ends, and a header that never ends: bounded.
        #expect(error(version + Array("-> ".utf8) + [UInt8](repeating: 0x41, count: 2 << 20))?.group == .header)
        let grease = Array("-> grease\nAAAA\n".utf8)
        let many = version + Array([[UInt8]](repeating: grease, count: AgeLimits.maxStanzas + 1).joined())
        #expect(error(many)?.errorDescription?.contains("more than \(AgeLimits.maxStanzas)") == true)
        let manyArguments = version + Array(("->" + String(repeating: " a", count: 100) + "\n\n").utf8)
        #expect(error(manyArguments)?.group == .header)
        // No stanza at all, or binary in place of text.
        #expect(error(version + Array("--- ".utf8) + Array(AgeBase64.encode(randomPayload(32)).utf8) + [0x0A])?.group == .header)
        #expect(error(version + [0x2D, 0x3E, 0x20, 0xFF, 0x0A])?.group == .header)
        // Random lines after a valid version line: always an error, never a crash.
        let pieces = ["-> ", "---", " ", "X25519", "AAAA", "\n", "=", "\r", "\u{0}", "-", ">", "grease", "\u{7F}"]
        for _ in 0..<2_000 {
            var text = version
            for _ in 0..<Int.random(in: 1...40) { text += Array(pieces.randomElement()!.utf8) }
            #expect(error(text) != nil)
        }
    }

    @Test("random mutations of a valid file are always detected")
    func mutations() throws {
        let identity = AgeIdentity.generate()
        let plaintext = randomPayload(2_000)
        let file = Array(try AgeEncryptor.encrypt(plaintext, for: [identity.recipient]))
        for _ in 0..<500 {
            var altered = file
            switch Int.random(in: 0..<3) {
            case 0: altered[Int.random(in: 0..<altered.count)] = UInt8.random(in: 0...255)
            case 1: altered.insert(UInt8.random(in: 0...255), at: Int.random(in: 0...altered.count))
            default: altered.remove(at: Int.random(in: 0..<altered.count))
            }
            if altered == file { continue }
            let outcome = decryptInPieces(altered, identities: [identity], pieces: [Int.random(in: 1...3_000)])
            #expect(outcome.error != nil)
            #expect(outcome.plaintext.isEmpty, "the only chunk is the final one: nothing released on error")
        }
    }

    @Test("200 MB through encryptor and decryptor in one process keeps memory bounded")
    func boundedMemory() async {
        await #expect(processExitsWith: .success) {
            let before = peakResidentBytes()
            let identity = AgeIdentity.generate()
            var source = SHA256(), sink = SHA256()
            let decryptor = AgeDecryptor(identities: [identity]) { sink.update(bufferPointer: $0) }
            let encryptor = try AgeEncryptor(recipients: [identity.recipient]) { try decryptor.update($0) }
            var block = [UInt8](repeating: 0, count: 1 << 20)
            for index in 0..<200 {
                block[index] = UInt8(truncatingIfNeeded: index &* 31 &+ 7)
                source.update(data: block)
                try encryptor.update(block)
            }
            try encryptor.finish()
            try decryptor.finish()
            let grown = peakResidentBytes() - before
            // 200 MB went through; a bounded pipeline grows by a few chunks, not by the stream.
            guard Array(source.finalize()) == Array(sink.finalize()), grown < 24 << 20 else { exit(1) }
        }
    }
}

/// The process's peak resident set size, in bytes.
func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
