import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The signer against the signatures AWS publishes: the SigV4 test suite's vectors (credentials
/// AKIDEXAMPLE, service "service", 2015-08-30T12:36:00Z) and the S3 documentation's worked
/// examples (AKIAIOSFODNN7EXAMPLE, bucket examplebucket, 2013-05-24T00:00:00Z).
@Suite struct SigV4SignerTests {
    static let suiteSigner = SigV4Signer(
        credentials: ObjectStoreCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1", service: "service")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let s3Signer = SigV4Signer(
        credentials: ObjectStoreCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z

    private func authorization(_ headers: [(name: String, value: String)]) -> String? {
        headers.first { $0.name == "Authorization" }?.value
    }

    @Test func timestampsAreWrittenAsSigV4Wants() {
        #expect(SigV4Signer.timestamp(Self.suiteDate) == "20150830T123600Z")
        #expect(SigV4Signer.timestamp(Self.s3Date) == "20130524T000000Z")
    }

    @Test func getVanilla() {
        let request = SigV4Signer.Request(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")])
        #expect(authorization(Self.suiteSigner.sign(request, at: Self.suiteDate)) ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCase() {
        let request = SigV4Signer.Request(method: "GET", path: "/", query: [("Param2", "value2"), ("Param1", "value1")],
                                          headers: [("Host", "example.amazonaws.com")])
        #expect(authorization(Self.suiteSigner.sign(request, at: Self.suiteDate))?.hasSuffix(
            "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500") == true)
    }

    @Test func s3GetObjectWithRange() {
        let request = SigV4Signer.Request(method: "GET", path: "/test.txt", headers: [
            ("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash), ("x-amz-date", "20130524T000000Z"),
        ])
        let canonical = SigV4Signer.canonicalRequest(request).text
        #expect(SigV4Signer.hex(SHA256.hash(data: Data(canonical.utf8))) == "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        #expect(Self.s3Signer.authorization(request, stamp: "20130524T000000Z") ==
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3ListObjects() {
        let request = SigV4Signer.Request(method: "GET", path: "/", query: [("max-keys", "2"), ("prefix", "J")], headers: [
            ("Host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash),
        ])
        #expect(authorization(Self.s3Signer.sign(request, at: Self.s3Date))?.hasSuffix(
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func aSessionTokenIsSentAndSigned() {
        let signer = SigV4Signer(credentials: ObjectStoreCredentials(accessKeyID: "A", secretAccessKey: "S", sessionToken: "T0K3N"), region: "eu-west-3")
        let headers = signer.sign(SigV4Signer.Request(method: "GET", path: "/b/k", headers: [("host", "h")]), at: Self.s3Date)
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "T0K3N" })
        #expect(authorization(headers)?.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
        #expect(authorization(headers)?.contains("/20130524/eu-west-3/s3/aws4_request") == true)
    }

    @Test func keysArePercentEncodedOnceWithSlashesKept() {
        #expect(SigV4Signer.uriEncode("/bucket/dossier été/a+b=c~d.txt", keepSlash: true) == "/bucket/dossier%20%C3%A9t%C3%A9/a%2Bb%3Dc~d.txt")
        #expect(SigV4Signer.uriEncode("a/b", keepSlash: false) == "a%2Fb")
    }
}
