import Foundation
import SwiftASN1

/// An RFC 3161 TimeStampReq (§2.4.1): version 1, a SHA-256 message imprint, a random nonce, and
/// certReq TRUE so that the token carries the TSA's certificate for later verification.
package struct TimestampRequest: Sendable {
    package let imprint: MessageImprint
    /// The nonce as a big-endian magnitude without leading zeros; the answer must echo it.
    package let nonce: [UInt8]

    /// A request for `imprint`, with a fresh 64-bit random nonce.
    package init(imprint: MessageImprint) {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        self.init(imprint: imprint, nonce: random)
    }

    /// A request with a chosen nonce (tests, reproducible requests).
    package init(imprint: MessageImprint, nonce: [UInt8]) {
        self.imprint = imprint
        let trimmed = Array(nonce.drop(while: { $0 == 0 }))
        self.nonce = trimmed.isEmpty ? [1] : trimmed
    }

    /// A request over the SHA-256 of the file at `path`, hashed by streaming over it.
    package init(forFileAt path: String) throws {
        self.init(imprint: try MessageImprint(ofFileAt: path))
    }

    /// The DER bytes sent to the TSA (Content-Type application/timestamp-query).
    package func derEncoded() -> [UInt8] {
        var coder = DER.Serializer()
        // Serializing fixed, well-formed values cannot fail; an empty request would be refused by the TSA.
        try? coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try imprint.serialize(into: &coder)
            try coder.serialize(nonce[...])
            try coder.serialize(true)
        }
        return coder.serializedBytes
    }

    /// The checks a TSA's answer must pass at build time: granted, a token present, the nonce and
    /// the imprint echoed. Returns the token; throws a reason (for the per-TSA failure list).
    package func check(_ response: TimestampResponse) throws -> TimestampToken {
        guard response.status.isGranted else {
            throw TimestampError.checkFailed(.status, response.refusalDescription)
        }
        guard let token = response.token else {
            throw TimestampError.checkFailed(.status, "the TSA granted the request but sent no token")
        }
        guard token.nonce == nonce else {
            throw TimestampError.checkFailed(.status, "the token answers another request (its nonce is not ours)")
        }
        guard token.imprint == imprint else {
            throw TimestampError.checkFailed(.imprint, "the token is over other content (\(token.imprint)) than requested (\(imprint))")
        }
        return token
    }
}
