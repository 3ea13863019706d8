import CCurl
import Foundation

/// A small S3 client: ListObjectsV2, HEAD and ranged GET, path-style, signed with `SigV4Signer`
/// over one `CurlTransfer`. One client per thread; parallel work makes one client each.
///
/// Failures that pass (5xx, 429 and 503 SlowDown, a refused or broken connection, a stalled
/// transfer) are retried with exponential backoff; a GET that broke midway resumes where it
/// broke with a `Range` request, so its sink sees every byte once and in order. Failures that
/// do not pass (credentials refused, access denied, no such bucket or object) end at once.
package final class ObjectStoreClient {
    package let configuration: ObjectStoreConfiguration
    private let signer: SigV4Signer
    private let transfer: CurlTransfer
    /// How many times one request is tried, and the first pause between two tries (doubled each time).
    package var attempts = 5
    package var firstPause: TimeInterval = 0.2
    /// Keys per listing page to ask for; nil leaves it to the store (1,000 on S3).
    package var pageSize: Int?

    /// The largest listing page read (S3's are a few hundred KiB for 1,000 keys).
    static let listingPageLimit = 16 << 20
    /// The most objects one listing returns, so a hostile or runaway store cannot exhaust memory.
    package static let listingLimit = 10_000_000
    /// Pages in a row with no object that a listing may take before it is called stuck.
    static let emptyPageLimit = 1_000

    package init(_ configuration: ObjectStoreConfiguration) throws(ObjectStoreError) {
        self.configuration = configuration
        signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
        transfer = try CurlTransfer()
    }

    private var endpoint: String { configuration.endpoint.description }

    /// Every object under `location`, in the store's order (by key), page after page.
    package func list(_ location: ObjectLocation) throws(ObjectStoreError) -> [ObjectStoreEntry] {
        var entries: [ObjectStoreEntry] = []
        var token: String?
        var emptyPages = 0
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", location.prefix), ("encoding-type", "url")]
            if let token { query.append(("continuation-token", token)) }
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            var body: [UInt8] = []
            var tooLarge = false
            let tooLargeError = ObjectStoreError.malformedResponse(endpoint: endpoint, reason: "a listing page is larger than \(Self.listingPageLimit >> 20) MiB")
            do throws(ObjectStoreError) {
                // A page that broke off is asked for again whole: start its body afresh each time.
                _ = try request("GET", bucket: location.bucket, key: nil, query: query, range: nil, restart: { body = []; tooLarge = false }) { bytes in
                    guard body.count + bytes.count <= Self.listingPageLimit else { tooLarge = true; return false }
                    body += bytes
                    return true
                }
            } catch {
                throw tooLarge ? tooLargeError : error
            }
            if tooLarge { throw tooLargeError }
            switch ObjectListingPage.parse(body) {
            case .failure(let failure):
                throw .malformedResponse(endpoint: endpoint, reason: failure.description)
            case .success(let page):
                entries += page.entries
                guard entries.count <= Self.listingLimit else {
                    throw .malformedResponse(endpoint: endpoint, reason: "the listing has more than \(Self.listingLimit) objects")
                }
                let next = page.isTruncated ? page.nextContinuationToken : nil
                // A store that keeps saying "more" without moving on would list for ever.
                emptyPages = page.entries.isEmpty ? emptyPages + 1 : 0
                if next != nil, next == token || emptyPages > Self.emptyPageLimit {
                    throw .malformedResponse(endpoint: endpoint, reason: "the listing does not move on (the same continuation token, or page after page with no object)")
                }
                token = next
            }
        } while token != nil
        return entries
    }

    /// The object's size, or nil when there is no such object.
    package func size(bucket: String, key: String) throws(ObjectStoreError) -> Int64? {
        do throws(ObjectStoreError) {
            let response = try request("HEAD", bucket: bucket, key: key, query: [], range: nil) { _ in true }
            guard let text = response.headers["content-length"], let size = Int64(text), size >= 0 else {
                throw .malformedResponse(endpoint: endpoint, reason: "HEAD s3://\(bucket)/\(key) gave no Content-Length")
            }
            return size
        } catch {
            if case .noSuchObject = error { return nil }
            throw error
        }
    }

    /// Streams the object's bytes (all, or `range`) to `sink` in order, each byte once, even
    /// across retries. Returns how many bytes came.
    @discardableResult
    package func read(bucket: String, key: String, range: Range<Int64>? = nil,
                      into sink: (UnsafeRawBufferPointer) -> Void) throws(ObjectStoreError) -> Int64 {
        try stream(bucket: bucket, key: key, range: range) { bytes in
            sink(bytes)
            return true
        }.delivered
    }

    /// Streams `range` of the object to `sink`, as `read` does, and also returns the object's
    /// whole size as the answer's Content-Range gives it (nil when the store gave none): one
    /// request both reads the bytes and says whether there are more or fewer than asked for.
    /// An empty object answers a range with 416, thrown as `.serverFailed` with that status.
    package func readSizing(bucket: String, key: String, range: Range<Int64>,
                            into sink: (UnsafeRawBufferPointer) -> Void) throws(ObjectStoreError) -> (delivered: Int64, objectSize: Int64?) {
        try stream(bucket: bucket, key: key, range: range) { bytes in
            sink(bytes)
            return true
        }
    }

    /// The same, with a sink that may throw: its error stops the transfer at once (no retry)
    /// and is rethrown as it is, so a reader can refuse bytes it did not expect (an object
    /// larger than its listing) before they go anywhere. With `ifMatch` (an ETag from the
    /// listing), every request of the read carries it: an object rewritten since is refused by
    /// the store (412, `.changedSinceListing`), before any of its bytes.
    @discardableResult
    package func read(bucket: String, key: String, range: Range<Int64>? = nil, ifMatch: String? = nil,
                      throwing sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int64 {
        var refusal: Error?
        do {
            return try stream(bucket: bucket, key: key, range: range, ifMatch: ifMatch) { bytes in
                do {
                    try sink(bytes)
                    return true
                } catch {
                    refusal = error
                    return false
                }
            }.delivered
        } catch {
            throw refusal ?? (error as Error)
        }
    }

    /// The one reading loop: a GET, and after a broken read a ranged GET from the first byte
    /// not yet delivered. Every ranged answer must be 206 (checked before its body reaches the
    /// sink: a 200 would start again from byte 0, and the sink would see those bytes twice).
    /// Returns the bytes delivered and the object's size from the last answer's Content-Range.
    private func stream(bucket: String, key: String, range: Range<Int64>?, ifMatch: String? = nil,
                        sink: (UnsafeRawBufferPointer) -> Bool) throws(ObjectStoreError) -> (delivered: Int64, objectSize: Int64?) {
        var delivered: Int64 = 0
        var objectSize: Int64?
        return try withoutActuallyEscaping(sink) { sink throws(ObjectStoreError) -> (delivered: Int64, objectSize: Int64?) in
            try retrying { () throws(Outcome) -> (delivered: Int64, objectSize: Int64?) in
                let start = (range?.lowerBound ?? 0) + delivered
                if let range, start >= range.upperBound { return (delivered, objectSize) }
                let header: String? = range.map { "bytes=\(start)-\($0.upperBound - 1)" } ?? (delivered > 0 ? "bytes=\(start)-" : nil)
                let response = try attempt("GET", bucket: bucket, key: key, query: [], range: header, ifMatch: ifMatch,
                                           expectedStatus: header == nil ? nil : 206) { bytes in
                    guard sink(bytes) else { return false }
                    delivered += Int64(bytes.count)
                    return true
                }
                if let header, response.status != 206 {
                    throw .final(unexpected(response.status, expected: 206, bucket: bucket, key: key, range: header))
                }
                objectSize = response.headers["content-range"].flatMap(Self.completeLength) ?? objectSize
                return (delivered, objectSize)
            }
        }
    }

    /// The complete length in a Content-Range value ("bytes 0-99/2048" gives 2048); nil when
    /// it is unknown ("*") or the value is not of that form.
    static func completeLength(_ contentRange: String) -> Int64? {
        guard contentRange.hasPrefix("bytes "), let slash = contentRange.lastIndex(of: "/") else { return nil }
        let digits = contentRange[contentRange.index(after: slash)...]
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(digits)
    }

    /// One request with the retries; only for requests whose body may be re-received whole.
    private func request(_ method: String, bucket: String, key: String?, query: [(name: String, value: String)], range: String?,
                         restart: () -> Void = {},
                         sink: @escaping (UnsafeRawBufferPointer) -> Bool) throws(ObjectStoreError) -> CurlTransfer.Response {
        try retrying { () throws(Outcome) in
            restart()
            return try attempt(method, bucket: bucket, key: key, query: query, range: range, sink: sink)
        }
    }

    /// Runs `body` until it succeeds, fails for good, or has failed `attempts` times, pausing
    /// longer after each failure.
    private func retrying<T>(_ body: () throws(Outcome) -> T) throws(ObjectStoreError) -> T {
        var failures = 0
        while true {
            do throws(Outcome) {
                return try body()
            } catch {
                switch error {
                case .retry(let failure):
                    failures += 1
                    guard failures < attempts else { throw failure }
                    pause(failures)
                case .final(let failure):
                    throw failure
                }
            }
        }
    }

    private enum Outcome: Error {
        case retry(ObjectStoreError)
        case final(ObjectStoreError)
    }

    /// One try: sign, send, classify the answer.
    private func attempt(_ method: String, bucket: String, key: String?, query: [(name: String, value: String)], range: String?,
                         ifMatch: String? = nil, expectedStatus: Int? = nil,
                         sink: @escaping (UnsafeRawBufferPointer) -> Bool) throws(Outcome) -> CurlTransfer.Response {
        let path = "/\(bucket)" + (key.map { "/\($0)" } ?? "/")
        var headers: [(name: String, value: String)] = [("host", configuration.endpoint.authority), ("x-amz-content-sha256", SigV4Signer.emptyPayloadHash)]
        if let ifMatch { headers.append(("if-match", ifMatch)) }
        if let range { headers.append(("range", range)) }
        let signed = signer.sign(SigV4Signer.Request(method: method, path: path, query: query, headers: headers), at: Date())
        var url = endpoint + SigV4Signer.uriEncode(path, keepSlash: true)
        if !query.isEmpty {
            url += "?" + query.map { "\(SigV4Signer.uriEncode($0.name, keepSlash: false))=\(SigV4Signer.uriEncode($0.value, keepSlash: false))" }.joined(separator: "&")
        }
        switch transfer.perform(method: method, url: url, headers: signed, expectedStatus: expectedStatus, sink: sink) {
        case .failure(let failure):
            if let status = failure.unexpectedStatus, let expectedStatus {
                throw .final(unexpected(status, expected: expectedStatus, bucket: bucket, key: key ?? "", range: range ?? ""))
            }
            let error = ObjectStoreError.unreachable(endpoint: endpoint, reason: failure.reason, attempts: attempts)
            switch failure.code {
            case CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
                 CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_RESOLVE_HOST, CURLE_SSL_CONNECT_ERROR:
                throw .retry(error)
            default:
                throw .final(failure.aborted ? .malformedResponse(endpoint: endpoint, reason: "the transfer was stopped") : error)
            }
        case .success(let response):
            if (200..<300).contains(response.status) { return response }
            throw classify(response, bucket: bucket, key: key)
        }
    }

    /// A GET answered with another success status than the one asked for (a ranged GET with
    /// the whole object): not retried, since the store would answer the same again.
    private func unexpected(_ status: Int, expected: Int, bucket: String, key: String, range: String) -> ObjectStoreError {
        .malformedResponse(endpoint: endpoint, reason: "a GET of s3://\(bucket)/\(key) with Range \(range) was answered with HTTP \(status), not \(expected); none of that answer was used")
    }

    private func classify(_ response: CurlTransfer.Response, bucket: String, key: String?) -> Outcome {
        let code = Self.errorCode(response.errorBody)
        switch (response.status, code) {
        case (403, "AccessDenied"):
            return .final(.accessDenied(endpoint: endpoint, bucket: bucket, key: key))
        case (400, "InvalidAccessKeyId"), (400, "ExpiredToken"), (400, "InvalidToken"), (403, _):
            return .final(.credentialsRefused(endpoint: endpoint, code: code.isEmpty ? "HTTP \(response.status)" : code,
                                              source: configuration.credentialSource))
        case (404, "NoSuchBucket"):
            return .final(.noSuchBucket(endpoint: endpoint, bucket: bucket))
        case (404, _) where key != nil:
            return .final(.noSuchObject(endpoint: endpoint, bucket: bucket, key: key ?? ""))
        case (412, _) where key != nil:
            return .final(.changedSinceListing(endpoint: endpoint, bucket: bucket, key: key ?? ""))
        case (429, _), (500..., _), (400, "RequestTimeout"):
            return .retry(.serverFailed(endpoint: endpoint, status: response.status, code: code, attempts: attempts))
        default:
            return .final(.serverFailed(endpoint: endpoint, status: response.status, code: code, attempts: 1))
        }
    }

    /// The `<Code>` of an S3 error answer, or "" when there is none.
    static func errorCode(_ body: [UInt8]) -> String {
        var scanner = XMLTagScanner()
        var inCode = false
        var code = ""
        _ = body.withUnsafeBytes { bytes in
            scanner.feed(bytes) { event in
                switch event {
                case .start(let name, _, _): inCode = name == "Code"
                case .text(let text): if inCode { code = String(text.prefix(100)); return false }
                case .end: inCode = false
                }
                return true
            }
        }
        return code.filter { $0.isLetter || $0.isNumber }
    }

    private func pause(_ failures: Int) {
        let seconds = firstPause * Double(1 << min(failures - 1, 6))
        Thread.sleep(forTimeInterval: seconds * Double.random(in: 0.75...1.25))
    }
}
