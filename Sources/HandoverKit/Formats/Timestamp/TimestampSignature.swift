import Crypto
import Foundation
import SwiftASN1
import X509

/// The CMS signature checks of a time-stamp token (RFC 5652 §5.4–5.6, RFC 3161 §2.4.2,
/// RFC 2634 / RFC 5816 for the signing-certificate attribute).
extension SignedTimestamp {
    /// The certificate `signer` names, looked for in the token first, then among `others`
    /// (a TSA may leave its certificate out when the request did not ask for it).
    func signerCertificate(among others: [Certificate]) -> CarriedCertificate? {
        if let carried = certificates.first(where: { signer.matches($0.certificate) }) { return carried }
        guard let other = others.first(where: { signer.matches($0) }) else { return nil }
        var coder = DER.Serializer()
        guard (try? coder.serialize(other)) != nil else { return nil }
        return CarriedCertificate(certificate: other, der: coder.serializedBytes)
    }

    /// Checks that `certificate` signed this token over its TSTInfo; throws `TimestampASN1.Invalid`
    /// with the reason otherwise.
    func checkSignature(by certificate: CarriedCertificate) throws {
        guard let digest = TimestampHashAlgorithm(oid: digestAlgorithm) else {
            throw TimestampASN1.Invalid("the token is signed with an unsupported digest algorithm (\(digestAlgorithm))")
        }

        // The content-type attribute must name what is actually inside (RFC 5652 §11.1).
        guard let contentType = try attribute(TimestampASN1.contentTypeAttribute),
            try ASN1ObjectIdentifier(derEncoded: contentType) == TimestampASN1.tstInfo
        else {
            throw TimestampASN1.Invalid("the token's signed content-type attribute is missing or is not id-ct-TSTInfo")
        }

        // The message-digest attribute ties the signed attributes to the TSTInfo.
        guard let messageDigest = try attribute(TimestampASN1.messageDigestAttribute) else {
            throw TimestampASN1.Invalid("the token's signed message-digest attribute is missing")
        }
        guard Array(try ASN1OctetString(derEncoded: messageDigest).bytes) == digest.digest(content) else {
            throw TimestampASN1.Invalid("the token's TSTInfo does not match its signed message digest (it was altered)")
        }

        try checkSigningCertificateAttribute(certificate)

        let algorithm = try signatureAlgorithm(digest: digest)
        guard certificate.certificate.publicKey.isValidSignature(signature, for: signedAttributesDER, signatureAlgorithm: algorithm) else {
            throw TimestampASN1.Invalid("the token's signature does not verify with the key of \(certificate.certificate.subject)")
        }
    }

    /// The ESS signing-certificate attribute (v1 with SHA-1, or v2 with a named hash) must name the
    /// signer's certificate: it prevents swapping in another certificate with the same key.
    private func checkSigningCertificateAttribute(_ certificate: CarriedCertificate) throws {
        let certHash: [UInt8], expected: [UInt8]
        if let v2 = try attribute(TimestampASN1.signingCertificateV2) {
            let first = try Self.firstCertID(v2)
            var algorithm = TimestampHashAlgorithm.sha256
            var fields = first[...]
            if let named = fields.first, named.identifier == .sequence {
                let oid = try TimestampASN1.algorithmIdentifier(named)
                guard let known = TimestampHashAlgorithm(oid: oid) else {
                    throw TimestampASN1.Invalid("the token's signing-certificate attribute uses an unsupported hash (\(oid))")
                }
                algorithm = known
                fields = fields.dropFirst()
            }
            guard let hashNode = fields.first else { throw TimestampASN1.Invalid("the signing-certificate attribute is empty") }
            certHash = Array(try ASN1OctetString(derEncoded: hashNode).bytes)
            expected = algorithm.digest(certificate.der)
        } else if let v1 = try attribute(TimestampASN1.signingCertificate) {
            guard let hashNode = try Self.firstCertID(v1).first else {
                throw TimestampASN1.Invalid("the signing-certificate attribute is empty")
            }
            certHash = Array(try ASN1OctetString(derEncoded: hashNode).bytes)
            expected = Array(Insecure.SHA1.hash(data: certificate.der))
        } else {
            throw TimestampASN1.Invalid("the token has no signing-certificate attribute (RFC 3161 requires one)")
        }
        guard certHash == expected else {
            throw TimestampASN1.Invalid("the token's signing-certificate attribute names another certificate than \(certificate.certificate.subject)")
        }
    }

    /// The fields of the first ESSCertID(v2) of a SigningCertificate(V2) value.
    private static func firstCertID(_ value: ASN1Node) throws -> [ASN1Node] {
        let fields = try TimestampASN1.children(value, identifier: .sequence)
        guard let certs = fields.first, let first = try TimestampASN1.children(certs, identifier: .sequence).first else {
            throw TimestampASN1.Invalid("the signing-certificate attribute names no certificate")
        }
        return try TimestampASN1.children(first, identifier: .sequence)
    }

    /// The swift-certificates algorithm for the SignerInfo's signature algorithm and digest.
    /// CMS signers often write the key's algorithm (rsaEncryption, id-ecPublicKey) and let the
    /// digest algorithm say the hash; both forms are accepted, mismatches are not.
    private func signatureAlgorithm(digest: TimestampHashAlgorithm) throws -> Certificate.SignatureAlgorithm {
        let rsa: [TimestampHashAlgorithm: Certificate.SignatureAlgorithm] = [
            .sha256: .sha256WithRSAEncryption, .sha384: .sha384WithRSAEncryption, .sha512: .sha512WithRSAEncryption,
        ]
        let ecdsa: [TimestampHashAlgorithm: Certificate.SignatureAlgorithm] = [
            .sha256: .ecdsaWithSHA256, .sha384: .ecdsaWithSHA384, .sha512: .ecdsaWithSHA512,
        ]
        let named: [ASN1ObjectIdentifier: (TimestampHashAlgorithm, Certificate.SignatureAlgorithm)] = [
            TimestampASN1.sha256WithRSA: (.sha256, .sha256WithRSAEncryption),
            TimestampASN1.sha384WithRSA: (.sha384, .sha384WithRSAEncryption),
            TimestampASN1.sha512WithRSA: (.sha512, .sha512WithRSAEncryption),
            TimestampASN1.ecdsaWithSHA256: (.sha256, .ecdsaWithSHA256),
            TimestampASN1.ecdsaWithSHA384: (.sha384, .ecdsaWithSHA384),
            TimestampASN1.ecdsaWithSHA512: (.sha512, .ecdsaWithSHA512),
        ]
        if signatureAlgorithm == TimestampASN1.rsaEncryption, let algorithm = rsa[digest] { return algorithm }
        if signatureAlgorithm == TimestampASN1.ecPublicKey, let algorithm = ecdsa[digest] { return algorithm }
        guard let (hash, algorithm) = named[signatureAlgorithm] else {
            throw TimestampASN1.Invalid("the token is signed with an unsupported algorithm (\(signatureAlgorithm))")
        }
        guard hash == digest else {
            throw TimestampASN1.Invalid("the token's signature algorithm and digest algorithm disagree")
        }
        return algorithm
    }
}
