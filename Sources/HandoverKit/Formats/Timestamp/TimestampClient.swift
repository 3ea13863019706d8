import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A granted time-stamp as obtained at build time.
package struct IssuedTimestamp: Sendable {
    /// The TimeStampResp exactly as the TSA sent it: what `handover/timestamp.tsr` stores.
    package let responseBytes: [UInt8]
    package let token: TimestampToken
    /// The TSA that granted it.
    package let url: URL
}

/// Asks TSAs for a time-stamp over HTTP(S) (RFC 3161 §3.4), synchronously, with a timeout and a
/// bound on the answer's size.
package struct TimestampClient: Sendable {
    /// Seconds allowed for each TSA, connection included.
    package var timeout: TimeInterval
    /// The most bytes accepted in an answer.
    package var maximumResponseSize: Int

    package init(timeout: TimeInterval = 30, maximumResponseSize: Int = 1 << 20) {
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
    }

    /// Tries `urls` in order; the first that answers with a granted token that matches `request`
    /// wins. Throws `TimestampError.noTimestamp` listing each URL and why it failed.
    package func timestamp(_ request: TimestampRequest, urls: [String]) throws -> IssuedTimestamp {
        guard !urls.isEmpty else { throw TimestampError.noTSAURL }
        let parsed = try urls.map { text -> URL in
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil
            else { throw TimestampError.invalidURL(text) }
            return url
        }
        let body = request.derEncoded()
        var failures: [TSAFailure] = []
        for url in parsed {
            do {
                let bytes = try post(body, to: url)
                let response: TimestampResponse
                do {
                    response = try TimestampResponse(derEncoded: bytes)
                } catch let error as TimestampError {
                    throw Failure(reason: "its answer is not a time-stamp response (\(error.errorDescription ?? "unreadable"))")
                }
                let token = try request.check(response)
                return IssuedTimestamp(responseBytes: bytes, token: token, url: url)
            } catch let failure as Failure {
                failures.append(TSAFailure(url: url.absoluteString, reason: failure.reason))
            } catch let error as TimestampError {
                failures.append(TSAFailure(url: url.absoluteString, reason: error.errorDescription ?? "its answer was refused"))
            }
        }
        throw TimestampError.noTimestamp(failures)
    }

    /// Why one TSA failed, in words.
    struct Failure: Error {
        let reason: String
    }

    /// POSTs a TimeStampReq and returns the body of a 200 answer.
    func post(_ body: [UInt8], to url: URL) throws -> [UInt8] {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/timestamp-query", forHTTPHeaderField: "Content-Type")
        request.setValue("application/timestamp-reply", forHTTPHeaderField: "Accept")
        request.httpBody = Data(body)

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let collector = ResponseCollector(limit: maximumResponseSize)
        let session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let task = session.dataTask(with: request)
        task.resume()
        // The session enforces the timeout; the extra wait only guards against a stuck session.
        guard collector.done.wait(timeout: .now() + timeout + 5) == .success else {
            task.cancel()
            throw Failure(reason: "no answer within \(Int(timeout)) seconds")
        }
        let outcome = collector.outcome()
        if outcome.tooLarge {
            throw Failure(reason: "its answer is larger than \(maximumResponseSize) bytes")
        }
        if let error = outcome.error {
            throw Failure(reason: Self.describe(error, timeout: timeout))
        }
        guard let http = task.response as? HTTPURLResponse else {
            throw Failure(reason: "it gave no HTTP answer")
        }
        guard http.statusCode == 200 else {
            throw Failure(reason: "HTTP \(http.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: http.statusCode))")
        }
        return outcome.body
    }

    /// Words for the common network failures; Foundation's own text on Linux names only a code.
    static func describe(_ error: Error, timeout: TimeInterval) -> String {
        guard let urlError = error as? URLError else { return error.localizedDescription }
        switch urlError.code {
        case .cannotConnectToHost: return "the connection was refused"
        case .timedOut: return "no answer within \(Int(timeout)) seconds"
        case .cannotFindHost, .dnsLookupFailed: return "the host name could not be resolved"
        case .notConnectedToInternet, .networkConnectionLost: return "the network is not reachable"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "the TLS connection failed (\(urlError.code.rawValue))"
        case .unsupportedURL: return "the URL is not supported"
        default: return "network error \(urlError.code.rawValue)"
        }
    }
}

/// Collects a data task's answer, cancelling it as soon as it grows past the limit.
private final class ResponseCollector: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    private let limit: Int
    private let lock = NSLock()
    private var body: [UInt8] = []
    private var tooLarge = false
    private var error: Error?

    init(limit: Int) { self.limit = limit }

    func outcome() -> (body: [UInt8], tooLarge: Bool, error: Error?) {
        lock.withLock { (body, tooLarge, tooLarge ? nil : error) }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let overLimit = lock.withLock {
            if body.count + data.count > limit {
                tooLarge = true
                return true
            }
            body.append(contentsOf: data)
            return false
        }
        if overLimit { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock { self.error = error }
        done.signal()
    }
}
