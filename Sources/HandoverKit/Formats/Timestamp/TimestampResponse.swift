import Foundation
import SwiftASN1
import X509

/// The status a TSA gives its answer (RFC 3161 §2.4.2, PKIStatus).
package enum TimestampStatus: Sendable, Equatable, CustomStringConvertible {
    case granted, grantedWithMods, rejection, waiting, revocationWarning, revocationNotification
    case unknown(Int)

    init(_ value: Int) {
        switch value {
        case 0: self = .granted
        case 1: self = .grantedWithMods
        case 2: self = .rejection
        case 3: self = .waiting
        case 4: self = .revocationWarning
        case 5: self = .revocationNotification
        default: self = .unknown(value)
        }
    }

    /// Whether the answer carries a time-stamp the client may use.
    package var isGranted: Bool { self == .granted || self == .grantedWithMods }

    package var description: String {
        switch self {
        case .granted: return "granted"
        case .grantedWithMods: return "granted with modifications"
        case .rejection: return "rejected"
        case .waiting: return "waiting"
        case .revocationWarning: return "revocation warning"
        case .revocationNotification: return "revocation notification"
        case .unknown(let value): return "unknown status \(value)"
        }
    }
}

/// An RFC 3161 TimeStampResp as read from a TSA or from a bundle's `handover/timestamp.tsr`.
///
/// Reading checks the structure only; whether the token is over the right content and signed
/// by a trusted TSA is `TimestampVerifier`'s job.
public struct TimestampResponse: Sendable {
    /// The response exactly as received, which is what a bundle stores.
    public let bytes: [UInt8]
    package let status: TimestampStatus
    /// The TSA's own words about the status (PKIFreeText), if it gave any.
    public let statusText: [String]
    /// The named failure reasons (PKIFailureInfo bits) of a refusal.
    public let failureReasons: [String]
    /// The time-stamp token; present when the status is granted.
    package let token: TimestampToken?

    /// Reads a DER TimeStampResp. Throws `TimestampError.malformed` saying what is wrong.
    public init(derEncoded bytes: [UInt8]) throws {
        guard bytes.count <= TimestampASN1.maximumResponseSize else {
            throw TimestampError.malformed(
                "it is \(bytes.count) bytes long, more than the \(TimestampASN1.maximumResponseSize) bytes a time-stamp response may have")
        }
        guard !bytes.isEmpty else { throw TimestampError.malformed("it is empty") }
        self.bytes = bytes
        do {
            let root = try DER.parse(bytes)
            let fields = try TimestampASN1.children(root, identifier: .sequence)
            guard let statusNode = fields.first, fields.count <= 2 else {
                throw TimestampASN1.Invalid("it does not have the shape of a TimeStampResp")
            }
            (status, statusText, failureReasons) = try Self.statusInfo(statusNode)
            token = try fields.dropFirst().first.map { try TimestampToken(contentInfo: $0) }
        } catch let error as TimestampError {
            throw error
        } catch {
            throw TimestampError.malformed(TimestampASN1.describe(error))
        }
    }

    /// A sentence on why the TSA did not grant, from its status, failure bits and text.
    public var refusalDescription: String {
        var words = "the TSA answered \"\(status)\""
        if !failureReasons.isEmpty { words += " (\(failureReasons.joined(separator: ", ")))" }
        if !statusText.isEmpty { words += ": \(statusText.joined(separator: " "))" }
        return words
    }

    private static func statusInfo(_ node: ASN1Node) throws -> (TimestampStatus, [String], [String]) {
        let fields = try TimestampASN1.children(node, identifier: .sequence)
        guard let first = fields.first, fields.count <= 3 else {
            throw TimestampASN1.Invalid("its PKIStatusInfo is malformed")
        }
        let value = try Int(derEncoded: first)
        var text: [String] = []
        var reasons: [String] = []
        for field in fields.dropFirst() {
            switch field.identifier {
            case .sequence:
                let strings = try TimestampASN1.children(field, identifier: .sequence)
                guard strings.count <= 16 else { throw TimestampASN1.Invalid("its status text has too many parts") }
                text = try strings.map { String(try ASN1UTF8String(derEncoded: $0)) }
            case .bitString:
                reasons = failureNames(try ASN1BitString(derEncoded: field))
            default:
                throw TimestampASN1.Invalid("its PKIStatusInfo has an unexpected field")
            }
        }
        return (TimestampStatus(value), text, reasons)
    }

    /// PKIFailureInfo bit names (RFC 3161 §2.4.2), in words.
    private static func failureNames(_ bits: ASN1BitString) -> [String] {
        let names: [Int: String] = [
            0: "unsupported algorithm", 2: "bad request", 5: "bad data format",
            14: "time not available", 15: "policy not accepted", 16: "extension not accepted",
            17: "additional information not available", 25: "system failure",
        ]
        var found: [String] = []
        for (index, byte) in bits.bytes.prefix(8).enumerated() {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                let number = index * 8 + bit
                found.append(names[number] ?? "failure bit \(number)")
            }
        }
        return found
    }
}

/// A time-stamp token: what the TSA asserted (TSTInfo) and the CMS signature over it.
package struct TimestampToken: Sendable {
    /// The time the TSA vouches for (genTime).
    package let genTime: Date
    /// genTime as the TSA wrote it, in RFC 3339 form (UTC, fractions of a second kept).
    package let genTimeText: String
    /// The TSA's name from the token, if it gave one (e.g. "CN=Test TSA").
    package let tsaName: String?
    /// The serial number the TSA gave this token, in hexadecimal.
    package let serialNumber: String
    /// The TSA policy under which the token was issued (dotted OID).
    package let policy: String
    /// The hash the token is over.
    package let imprint: MessageImprint
    /// The nonce of the request it answers, as a big-endian magnitude.
    package let nonce: [UInt8]?
    /// How far genTime may be from the true time, in seconds, if the TSA said.
    package let accuracy: Double?

    /// The CMS envelope, kept for signature verification.
    let signed: SignedTimestamp

    /// Reads a TimeStampToken (a CMS ContentInfo holding SignedData over a TSTInfo).
    init(contentInfo node: ASN1Node) throws {
        signed = try SignedTimestamp(contentInfo: node)
        let fields = try TimestampASN1.children(try DER.parse(signed.content), identifier: .sequence)
        var index = 0
        func next() -> ASN1Node? {
            guard index < fields.count else { return nil }
            defer { index += 1 }
            return fields[index]
        }
        func peek(_ identifier: ASN1Identifier) -> ASN1Node? {
            guard index < fields.count, fields[index].identifier == identifier else { return nil }
            return next()
        }
        guard let versionNode = next(), try Int(derEncoded: versionNode) == 1 else {
            throw TimestampASN1.Invalid("its TSTInfo is not version 1")
        }
        guard let policyNode = next(), let imprintNode = next(), let serialNode = next(), let timeNode = next() else {
            throw TimestampASN1.Invalid("its TSTInfo is incomplete")
        }
        policy = String(describing: try ASN1ObjectIdentifier(derEncoded: policyNode))
        imprint = try MessageImprint(derEncoded: imprintNode)
        serialNumber = hex(try TimestampASN1.unsignedInteger(serialNode))
        let time = try GeneralizedTime(derEncoded: timeNode)
        genTime = TimestampASN1.date(time)
        genTimeText = Self.rfc3339(time)
        accuracy = try peek(.sequence).map(Self.accuracy)
        if let ordering = peek(.boolean) { _ = try Bool(derEncoded: ordering) }
        nonce = try peek(.integer).map(TimestampASN1.unsignedInteger)
        tsaName = try peek(ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)).map(Self.tsaName)
        _ = peek(ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific))
        guard index == fields.count else { throw TimestampASN1.Invalid("its TSTInfo has unexpected fields") }
    }

    private static func accuracy(_ node: ASN1Node) throws -> Double {
        var seconds = 0.0
        for field in try TimestampASN1.children(node, identifier: .sequence) {
            switch field.identifier {
            case .integer:
                seconds += Double(try Int32(derEncoded: field))
            case ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific):
                seconds += Double(try Int32(derEncoded: field, withIdentifier: field.identifier)) / 1_000
            case ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific):
                seconds += Double(try Int32(derEncoded: field, withIdentifier: field.identifier)) / 1_000_000
            default:
                throw TimestampASN1.Invalid("its accuracy field is malformed")
            }
        }
        return seconds
    }

    /// The [0] EXPLICIT GeneralName: a directory name is shown as "CN=...", anything else as
    /// swift-certificates describes it.
    private static func tsaName(_ node: ASN1Node) throws -> String {
        let inner = try TimestampASN1.children(node, identifier: node.identifier)
        guard inner.count == 1, let name = inner.first else {
            throw TimestampASN1.Invalid("its TSA name is malformed")
        }
        switch try GeneralName(derEncoded: name) {
        case .directoryName(let directory): return String(describing: directory)
        case .dnsName(let dns): return dns
        case .uniformResourceIdentifier(let uri): return uri
        case let other: return String(describing: other)
        }
    }

    private static func rfc3339(_ t: GeneralizedTime) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var text = "\(t.year)-\(two(t.month))-\(two(t.day))T\(two(t.hours)):\(two(t.minutes)):\(two(t.seconds))"
        if !t.rawFractionalSeconds.isEmpty {
            text += "." + String(decoding: t.rawFractionalSeconds, as: UTF8.self)
        }
        return text + "Z"
    }
}
