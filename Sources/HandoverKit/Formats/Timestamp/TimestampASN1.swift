import Foundation
import SwiftASN1

/// Object identifiers and small DER helpers shared by the RFC 3161 and CMS readers.
enum TimestampASN1 {
    /// A structural problem in a time-stamp response, said in words; the readers turn it into
    /// `TimestampError.malformed` or into a failed check.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// The most bytes a time-stamp response may have. Real ones are a few kilobytes (a token
    /// with a certificate chain); a bound keeps hostile input from costing memory.
    static let maximumResponseSize = 1 << 20
    /// The most certificates a token may carry; real TSAs send their chain, a handful.
    static let maximumCertificates = 32

    static let signedData: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 7, 2]
    static let tstInfo: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 1, 4]
    static let contentTypeAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 3]
    static let messageDigestAttribute: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 4]
    static let signingCertificate: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 12]
    static let signingCertificateV2: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 9, 16, 2, 47]
    static let sha1: ASN1ObjectIdentifier = [1, 3, 14, 3, 2, 26]
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 1]
    static let sha256WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 11]
    static let sha384WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 12]
    static let sha512WithRSA: ASN1ObjectIdentifier = [1, 2, 840, 113549, 1, 1, 13]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]
    static let ecdsaWithSHA256: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 2]
    static let ecdsaWithSHA384: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 3]
    static let ecdsaWithSHA512: ASN1ObjectIdentifier = [1, 2, 840, 10045, 4, 3, 4]
    static let timeStampingUsage: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 8]
    static let extendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37]

    /// Reads an AlgorithmIdentifier and returns its OID. Hash and signature algorithms used here
    /// take no parameters, written either as nothing or as NULL (RFC 5754, RFC 4055); anything
    /// else is refused rather than ignored.
    static func algorithmIdentifier(_ nodes: inout ASN1NodeCollection.Iterator) throws -> ASN1ObjectIdentifier {
        guard let node = nodes.next() else { throw Invalid("an algorithm identifier is missing") }
        return try algorithmIdentifier(node)
    }

    static func algorithmIdentifier(_ node: ASN1Node) throws -> ASN1ObjectIdentifier {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            if let parameters = nodes.next() {
                guard parameters.identifier == .null else {
                    throw Invalid("the algorithm \(oid) has parameters this tool does not support")
                }
                _ = try ASN1Null(derEncoded: parameters)
            }
            return oid
        }
    }

    /// The children of a constructed node, so optional fields can be looked at by tag.
    static func children(_ node: ASN1Node, identifier: ASN1Identifier) throws -> [ASN1Node] {
        guard node.identifier == identifier, case .constructed(let nodes) = node.content else {
            throw Invalid("expected \(identifier), found \(node.identifier)")
        }
        return Array(nodes)
    }

    /// A non-negative INTEGER's magnitude without leading zero bytes, so that two encodings of
    /// the same number compare equal.
    static func unsignedInteger(_ node: ASN1Node) throws -> [UInt8] {
        let bytes = try ArraySlice<UInt8>(derEncoded: node)
        return Array(bytes.drop(while: { $0 == 0 }))
    }

    /// A GeneralizedTime as a `Date` (always UTC in DER).
    static func date(_ time: GeneralizedTime) -> Date {
        // Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
        let y = time.month <= 2 ? time.year - 1 : time.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = (time.month + 9) % 12
        let dayOfYear = (153 * monthIndex + 2) / 5 + time.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + time.hours * 3_600 + time.minutes * 60 + time.seconds
        return Date(timeIntervalSince1970: Double(seconds) + time.fractionalSeconds)
    }

    /// Words for an ASN.1 decoding error, without the library's type names.
    static func describe(_ error: Error) -> String {
        if let invalid = error as? Invalid { return invalid.description }
        if let asn1 = error as? ASN1Error {
            switch asn1.code {
            case .truncatedASN1Field: return "the data is truncated"
            case .unexpectedFieldType: return "a field has an unexpected type"
            case .invalidASN1Object: return "a field is not valid DER"
            case .invalidASN1IntegerEncoding: return "an integer is badly encoded"
            case .invalidStringRepresentation: return "a text field is badly encoded"
            case .tooFewOIDComponents: return "an object identifier is too short"
            case .unsupportedFieldLength: return "a field is too long"
            case .invalidPEMDocument: return "the PEM text is not valid"
            default: return "it is not valid DER"
            }
        }
        return String(describing: error)
    }
}
