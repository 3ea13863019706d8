import Crypto
import Foundation
import Glibc

/// Signs HTTP requests with AWS Signature Version 4, in the `Authorization` header form.
///
/// Written here on swift-crypto's HMAC-SHA256 rather than taken from an SDK (none is mirrored
/// here) or left to libcurl's `CURLOPT_AWS_SIGV4` (which does not sign `x-amz-content-sha256`,
/// a header Ceph's radosgw requires). The unit tests check it against the signatures AWS
/// publishes in its documentation.
package struct SigV4Signer: Sendable {
    /// One request as it will be sent: the path is not yet percent-encoded, the header values
    /// are as they will go on the wire (the `host` header included).
    package struct Request: Sendable {
        package var method: String
        package var path: String
        package var query: [(name: String, value: String)]
        package var headers: [(name: String, value: String)]
        /// Lower-case hex SHA-256 of the body (of nothing for a GET).
        package var payloadHash: String

        package init(method: String, path: String, query: [(name: String, value: String)] = [],
                     headers: [(name: String, value: String)], payloadHash: String = SigV4Signer.emptyPayloadHash) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// SHA-256 of an empty body, the payload hash of every GET and HEAD.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    package let credentials: ObjectStoreCredentials
    package let region: String
    package let service: String

    package init(credentials: ObjectStoreCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The request's headers with `x-amz-date`, `x-amz-security-token` (with a session token)
    /// and `Authorization` added, signed at `date`.
    package func sign(_ request: Request, at date: Date) -> [(name: String, value: String)] {
        let stamp = Self.timestamp(date)
        var signed = request
        signed.headers.append((name: "x-amz-date", value: stamp))
        if let token = credentials.sessionToken { signed.headers.append((name: "x-amz-security-token", value: token)) }
        return signed.headers + [(name: "Authorization", value: authorization(signed, stamp: stamp))]
    }

    /// The `Authorization` value of a request that already carries its `x-amz-date` (`stamp`).
    package func authorization(_ request: Request, stamp: String) -> String {
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let (canonical, signedHeaders) = Self.canonicalRequest(request)
        let toSign = "AWS4-HMAC-SHA256\n\(stamp)\n\(scope)\n\(Self.hex(SHA256.hash(data: Data(canonical.utf8))))"
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
        return "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    /// The canonical request of SigV4 and its signed-header list.
    package static func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        var pairs: [(name: String, value: String)] = []
        for parameter in request.query {
            pairs.append((uriEncode(parameter.name, keepSlash: false), uriEncode(parameter.value, keepSlash: false)))
        }
        pairs.sort { (left: (name: String, value: String), right: (name: String, value: String)) -> Bool in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        let query = pairs.map { (pair: (name: String, value: String)) -> String in pair.name + "=" + pair.value }.joined(separator: "&")
        var merged: [String: [String]] = [:]
        for header in request.headers {
            merged[header.name.lowercased(), default: []].append(collapseSpaces(header.value))
        }
        let names = merged.keys.sorted()
        let headerLines = names.map { "\($0):\(merged[$0, default: []].joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let text = [request.method, uriEncode(request.path, keepSlash: true), query, headerLines, signedHeaders, request.payloadHash]
            .joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// RFC 3986 percent-encoding as SigV4 wants it: unreserved bytes kept, every other byte
    /// of the UTF-8 form as `%XX` in upper case; `/` kept in a path.
    package static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else if byte == 0x2F && keepSlash {
                out += "/"
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }

    /// A-Z, a-z, 0-9, `-`, `.`, `_` and `~`: the bytes SigV4 never encodes.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }

    /// `20150830T123600Z`: the request time in UTC, as SigV4 writes it.
    package static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))Z"
    }

    package static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Leading and trailing spaces removed, inner runs of spaces made one.
    private static func collapseSpaces(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
