import Foundation
import HandoverKit
import Testing

/// SHA-224, written from FIPS 180-4 since swift-crypto has none: the standard's examples, and
/// agreement with OpenSSL around the block and padding boundaries.
@Suite("SHA-224")
struct SHA224Tests {
    private func sha224(_ bytes: [UInt8], chunk: Int = 1 << 20) -> String {
        var hasher = ChecksumAlgorithm.sha224.makeHasher()
        var start = 0
        repeat {
            let end = min(bytes.count, start + chunk)
            bytes[start..<end].withUnsafeBytes { hasher.update($0) }
            start = end
        } while start < bytes.count
        return hasher.finalizeHex()
    }

    @Test("NIST examples: \"abc\", the 448-bit message, one million \"a\"")
    func nistVectors() {
        #expect(sha224(Array("abc".utf8)) == "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7")
        #expect(sha224(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525")
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(sha224(million) == "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67")
        #expect(sha224(million, chunk: 997) == "20794655980c91d8bbb4c1ea97618a4bf03f42581948b2ee4ee7ad67", "chunks across block boundaries")
        #expect(sha224([]) == "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f")
    }

    @Test("agrees with openssl dgst -sha224 on lengths around the 64-byte block and the padding", arguments: [1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000])
    func openssl(_ length: Int) throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let folder = try TempDirectory("sha224")
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let path = try folder.write("input.bin", Data(bytes))
        let result = try runProcess(openssl, ["dgst", "-sha224", "-r", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: " ").first.map(String.init) == sha224(bytes, chunk: 7))
    }
}
