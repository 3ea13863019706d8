import Foundation

extension VerifyJSON {
    /// The verification's JSON with a `previous` object when `verify --previous` checked the
    /// chain: outcome (confirmed, mismatch, not-chained), both pairs of digests, and the message.
    public func encoded(chain: DeliveryChain.Check?) -> String {
        guard let chain else { return encoded() }
        return encodeJSON(WithChain(verification: self, previous: ChainJSON(chain)))
    }

    /// The chain check as the JSON shows it.
    struct ChainJSON: Encodable {
        var outcome: DeliveryChain.Check.Outcome
        var passed: Bool
        var delivery: Int?
        var path: String
        var recordedSHA256: String?
        var actualSHA256: String
        var recordedTagmanifestSHA256: String?
        var actualTagmanifestSHA256: String?
        var message: String

        init(_ check: DeliveryChain.Check) {
            outcome = check.outcome
            passed = check.passed
            delivery = check.delivery
            path = check.previousPath
            recordedSHA256 = check.recordedSHA256
            actualSHA256 = check.actualSHA256
            recordedTagmanifestSHA256 = check.recordedTagManifest
            actualTagmanifestSHA256 = check.actualTagManifest
            message = check.message
        }
    }

    /// The verification's own keys, and `previous` beside them.
    struct WithChain: Encodable {
        var verification: VerifyJSON
        var previous: ChainJSON

        enum Key: String, CodingKey { case previous }

        func encode(to encoder: Encoder) throws {
            try verification.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(previous, forKey: .previous)
        }
    }
}
