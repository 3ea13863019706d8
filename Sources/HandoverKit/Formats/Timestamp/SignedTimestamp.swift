import Foundation
import SwiftASN1
import X509

/// The CMS SignedData of a time-stamp token (RFC 5652 §5), read with SwiftASN1.
///
/// swift-certificates has CMS types, but they are internal, and its `@_spi(CMS)` verification
/// accepts only id-data content, not id-ct-TSTInfo; so the envelope is decoded here.
struct SignedTimestamp: Sendable {
    /// A certificate carried in the token, with its exact DER (the ESS certificate hash is over it).
    struct CarriedCertificate: Sendable {
        let certificate: Certificate
        let der: [UInt8]
    }

    /// How the signer names its certificate (SignerIdentifier).
    enum SignerIdentifier: Sendable {
        case issuerAndSerialNumber(DistinguishedName, Certificate.SerialNumber)
        case subjectKeyIdentifier([UInt8])

        func matches(_ certificate: Certificate) -> Bool {
            switch self {
            case .issuerAndSerialNumber(let issuer, let serial):
                return certificate.issuer == issuer && certificate.serialNumber == serial
            case .subjectKeyIdentifier(let key):
                guard let identifier = try? certificate.extensions.subjectKeyIdentifier else { return false }
                return Array(identifier.keyIdentifier) == key
            }
        }
    }

    /// The eContent: the DER of the TSTInfo.
    let content: [UInt8]
    let certificates: [CarriedCertificate]
    let signer: SignerIdentifier
    let digestAlgorithm: ASN1ObjectIdentifier
    /// The signed attributes re-tagged as a SET, the bytes the signature is over (RFC 5652 §5.4).
    let signedAttributesDER: [UInt8]
    /// Each signed attribute's values, by type; types are unique.
    let attributes: [ASN1ObjectIdentifier: [ASN1Node]]
    let signatureAlgorithm: ASN1ObjectIdentifier
    let signature: [UInt8]

    init(contentInfo node: ASN1Node) throws {
        let signedDataNode: ASN1Node = try DER.sequence(node, identifier: .sequence) { nodes in
            guard try ASN1ObjectIdentifier(derEncoded: &nodes) == TimestampASN1.signedData else {
                throw TimestampASN1.Invalid("its token is not CMS SignedData")
            }
            return try DER.explicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { $0 }
        }
        let fields = try TimestampASN1.children(signedDataNode, identifier: .sequence)
        guard fields.count >= 4, fields.count <= 6 else {
            throw TimestampASN1.Invalid("its SignedData has \(fields.count) fields")
        }
        _ = try Int(derEncoded: fields[0])
        // The digestAlgorithms set only announces algorithms; the SignerInfo's own one is used.
        _ = try TimestampASN1.children(fields[1], identifier: .set).map(TimestampASN1.algorithmIdentifier)
        content = try Self.encapsulatedTSTInfo(fields[2])

        var carried: [CarriedCertificate] = []
        var rest = fields[3...]
        if let first = rest.first, first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            carried = try Self.certificates(first)
            rest = rest.dropFirst()
        }
        // CRLs ([1]) are not used by time-stamp verification; skip them.
        if let first = rest.first, first.identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific) {
            rest = rest.dropFirst()
        }
        guard rest.count == 1, let signerInfos = rest.first else {
            throw TimestampASN1.Invalid("its SignedData has unexpected fields")
        }
        certificates = carried
        let signers = try TimestampASN1.children(signerInfos, identifier: .set)
        // RFC 3161 §2.4.2: the TSA's signature is the only one.
        guard signers.count == 1, let signerInfo = signers.first else {
            throw TimestampASN1.Invalid("its token has \(signers.count) signatures instead of one")
        }

        let info = try TimestampASN1.children(signerInfo, identifier: .sequence)
        guard info.count == 6 || (info.count == 7 && info[6].identifier == ASN1Identifier(tagWithNumber: 1, tagClass: .contextSpecific)) else {
            throw TimestampASN1.Invalid("its SignerInfo does not have the fields of RFC 5652")
        }
        _ = try Int(derEncoded: info[0])
        signer = try Self.signerIdentifier(info[1])
        digestAlgorithm = try TimestampASN1.algorithmIdentifier(info[2])
        let attributesNode = info[3]
        // RFC 3161 requires signed attributes (content type, message digest, signing certificate).
        guard attributesNode.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) else {
            throw TimestampASN1.Invalid("its signature has no signed attributes")
        }
        var retagged = Array(attributesNode.encodedBytes)
        retagged[0] = 0x31  // [0] IMPLICIT SET OF → SET OF, a one-byte tag both ways.
        signedAttributesDER = retagged
        attributes = try Self.attributes(attributesNode)
        signatureAlgorithm = try TimestampASN1.algorithmIdentifier(info[4])
        signature = Array(try ASN1OctetString(derEncoded: info[5]).bytes)
    }

    /// EncapsulatedContentInfo: the content type must be id-ct-TSTInfo and the content present.
    private static func encapsulatedTSTInfo(_ node: ASN1Node) throws -> [UInt8] {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard try ASN1ObjectIdentifier(derEncoded: &nodes) == TimestampASN1.tstInfo else {
                throw TimestampASN1.Invalid("its token does not contain a TSTInfo")
            }
            let octets = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try ASN1OctetString(derEncoded: $0)
            }
            guard let octets else { throw TimestampASN1.Invalid("its token has no TSTInfo content") }
            return Array(octets.bytes)
        }
    }

    /// CertificateSet: plain certificates are kept; attribute and other certificates are skipped.
    private static func certificates(_ node: ASN1Node) throws -> [CarriedCertificate] {
        let choices = try TimestampASN1.children(node, identifier: node.identifier)
        guard choices.count <= TimestampASN1.maximumCertificates else {
            throw TimestampASN1.Invalid("its token carries \(choices.count) certificates, too many")
        }
        return try choices.filter { $0.identifier == .sequence }.map {
            CarriedCertificate(certificate: try Certificate(derEncoded: $0), der: Array($0.encodedBytes))
        }
    }

    private static func signerIdentifier(_ node: ASN1Node) throws -> SignerIdentifier {
        switch node.identifier {
        case .sequence:
            return try DER.sequence(node, identifier: .sequence) { nodes in
                guard let issuerNode = nodes.next() else { throw TimestampASN1.Invalid("its signer is unnamed") }
                let issuer = try DistinguishedName(derEncoded: issuerNode)
                let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
                return .issuerAndSerialNumber(issuer, Certificate.SerialNumber(bytes: serial))
            }
        case ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific):
            let key = try ASN1OctetString(derEncoded: node, withIdentifier: node.identifier)
            return .subjectKeyIdentifier(Array(key.bytes))
        default:
            throw TimestampASN1.Invalid("its signer identifier has an unknown form")
        }
    }

    private static func attributes(_ node: ASN1Node) throws -> [ASN1ObjectIdentifier: [ASN1Node]] {
        var found: [ASN1ObjectIdentifier: [ASN1Node]] = [:]
        for attribute in try TimestampASN1.children(node, identifier: node.identifier) {
            let (type, values) = try DER.sequence(attribute, identifier: .sequence) { nodes in
                let type = try ASN1ObjectIdentifier(derEncoded: &nodes)
                guard let set = nodes.next() else { throw TimestampASN1.Invalid("an attribute has no value") }
                return (type, try TimestampASN1.children(set, identifier: .set))
            }
            // RFC 5652 §5.3: an attribute type appears once in the signed attributes.
            guard found[type] == nil else { throw TimestampASN1.Invalid("the attribute \(type) appears twice") }
            found[type] = values
        }
        return found
    }

    /// The single value of a signed attribute, or nil when absent.
    func attribute(_ type: ASN1ObjectIdentifier) throws -> ASN1Node? {
        guard let values = attributes[type] else { return nil }
        guard values.count == 1, let value = values.first else {
            throw TimestampASN1.Invalid("the attribute \(type) must have exactly one value")
        }
        return value
    }
}
