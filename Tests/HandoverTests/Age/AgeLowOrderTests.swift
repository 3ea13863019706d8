import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The X25519 points of small order (and their non-canonical encodings, with the top bit set or
/// above p), as the curve's literature lists them: 0, 1, the two points of order 8, p-1, p, p+1.
/// With any of them as a recipient, the shared secret is all zero whatever the ephemeral key, so
/// the wrapped file key could be unwrapped by anybody.
let lowOrderPoints: [String] = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "0000000000000000000000000000000000000000000000000000000000000080",
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
]

/// A low-order point written as an `age1...` recipient, as an attacker would hand it over.
func lowOrderRecipient(_ hex: String) -> String {
    Bech32.encode(hrp: "age", data: bytes(fromHex: hex))
}

private func bytes(fromHex hex: String) -> [UInt8] {
    var bytes = [UInt8]()
    var rest = Substring(hex)
    while !rest.isEmpty {
        bytes.append(UInt8(rest.prefix(2), radix: 16) ?? 0)
        rest = rest.dropFirst(2)
    }
    return bytes
}

@Suite("age: low-order recipients are refused before anything is encrypted for them")
struct AgeLowOrderTests {
    @Test("each low-order point is refused by name as a recipient", arguments: lowOrderPoints)
    func parsingRefuses(_ hex: String) throws {
        let text = lowOrderRecipient(hex)
        let error = #expect(throws: AgeError.self) { try AgeRecipient(parsing: text) }
        let message = error?.errorDescription ?? ""
        #expect(message.contains(text), "\(message)")
        #expect(message.contains("low-order"), "\(message)")
        #expect(error?.exitStatus == .couldNotRun)
    }

    @Test("a recipients file holding a low-order point is refused, naming the file, the line and the recipient")
    func recipientsFileRefuses() throws {
        let text = lowOrderRecipient(lowOrderPoints[0])
        let good = AgeIdentity.generate().recipient.encoded
        let error = #expect(throws: AgeError.self) {
            try AgeRecipients.parse(text: "# ours\n\(good)\n\(text)\n", source: "recipients.txt")
        }
        let message = error?.errorDescription ?? ""
        #expect(message.contains("recipients.txt, line 3"), "\(message)")
        #expect(message.contains(text), "\(message)")
    }

    @Test("a recipient made without parsing still cannot wrap a file key for a low-order point")
    func wrapRefuses() throws {
        for hex in lowOrderPoints.prefix(4) {
            // swift-crypto takes any 32 bytes as a point.
            let point = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes(fromHex: hex))
            #expect(throws: AgeError.self) {
                _ = try AgeX25519.wrap(fileKey: .init(size: .bits128), for: point)
            }
        }
    }

    @Test("a real recipient still parses (the check is not a blanket refusal)")
    func realRecipientParses() throws {
        let recipient = AgeIdentity.generate().recipient.encoded
        #expect(try AgeRecipient(parsing: recipient).encoded == recipient)
    }

    @Test("build --recipient or --recipients-file with a low-order point exits 2 naming it, and writes nothing",
          arguments: [lowOrderPoints[0], lowOrderPoints[2], lowOrderPoints[6]])
    func buildRefuses(_ hex: String) throws {
        let fixture = try confidentialSource()
        let text = lowOrderRecipient(hex)
        let output = fixture.temp.path("bundle.tar")
        let byOption = try fixture.build(to: output, ["--recipient", text])
        #expect(byOption.status == 2, "\(byOption.stdout)\(byOption.stderr)")
        #expect(byOption.stderr.contains(text), "\(byOption.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))

        let list = try fixture.temp.write("recipients.txt", "\(AgeIdentity.generate().recipient.encoded)\n\(text)\n")
        let byFile = try fixture.build(to: output, ["--recipients-file", list])
        #expect(byFile.status == 2, "\(byFile.stdout)\(byFile.stderr)")
        #expect(byFile.stderr.contains(text) && byFile.stderr.contains("line 2"), "\(byFile.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
