import CCurl
import Foundation

/// One libcurl easy handle: one HTTP request at a time, on one thread, the connection kept
/// between requests. The body of a 2xx answer goes to the caller's sink as it arrives (nothing
/// is held whole); an error answer's body is kept, up to `errorBodyLimit`, to read its S3 code.
final class CurlTransfer {
    /// What came back.
    struct Response {
        var status = 0
        var headers: [String: String] = [:]
        var errorBody: [UInt8] = []
    }

    /// Why no answer came: libcurl's code and words, and how much of the body had arrived.
    struct Failure: Error {
        let code: CURLcode
        let reason: String
        let aborted: Bool
        /// The 2xx status that came instead of the one expected; no byte of its body reached the sink.
        var unexpectedStatus: Int? = nil
    }

    static let errorBodyLimit = 64 << 10
    private static let globalInit: Bool = handover_curl_global_init() == CURLE_OK

    private let handle: UnsafeMutableRawPointer

    init() throws(ObjectStoreError) {
        guard Self.globalInit, let handle = curl_easy_init() else {
            throw .unreachable(endpoint: "libcurl", reason: "libcurl could not be initialised", attempts: 1)
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Sends one request. `sink` gets the body of a 2xx answer piece by piece and returns false
    /// to stop the transfer. With `expectedStatus`, a 2xx answer of another status stops the
    /// transfer before any byte of its body reaches the sink (a resumed ranged GET answered with
    /// the whole object, 200 instead of 206, must not hand its first bytes over a second time).
    func perform(method: String, url: String, headers: [(name: String, value: String)], expectedStatus: Int? = nil,
                 sink: @escaping (UnsafeRawBufferPointer) -> Bool) -> Result<Response, Failure> {
        curl_easy_reset(handle)
        let context = Context(sink: sink, expectedStatus: expectedStatus)
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        defer { curl_slist_free_all(list) }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = withExtendedLifetime(context) {
            errorBuffer.withUnsafeMutableBufferPointer { buffer in
                let opaque = Unmanaged.passUnretained(context).toOpaque()
                var setup = handover_curl_set_string(handle, CURLOPT_URL, url)
                func also(_ next: CURLcode) { if setup == CURLE_OK { setup = next } }
                if method == "HEAD" { also(handover_curl_set_long(handle, CURLOPT_NOBODY, 1)) }
                else if method != "GET" { also(handover_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)) }
                also(handover_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
                also(handover_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
                also(handover_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, 10))
                // A stalled connection (less than 1 byte/s for 30 s) is a failure to retry.
                also(handover_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1))
                also(handover_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, 30))
                also(handover_curl_set_headers(handle, list))
                also(handover_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress))
                also(handover_curl_set_write(handle, { data, size, count, opaque in
                    guard let data, let opaque else { return 0 }
                    let context = Unmanaged<Context>.fromOpaque(opaque).takeUnretainedValue()
                    return context.body(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                }, opaque))
                also(handover_curl_set_header_callback(handle, { data, size, count, opaque in
                    guard let data, let opaque else { return 0 }
                    let context = Unmanaged<Context>.fromOpaque(opaque).takeUnretainedValue()
                    context.header(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }, opaque))
                guard setup == CURLE_OK else { return setup }
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            let unexpected = context.unexpectedStatus ? context.response.status : nil
            return .failure(Failure(code: code, reason: reason, aborted: context.stopped, unexpectedStatus: unexpected))
        }
        return .success(context.response)
    }

    /// What the callbacks fill in; reached from C through an unretained pointer, alive for the
    /// duration of `curl_easy_perform`.
    private final class Context {
        var response = Response()
        var stopped = false
        var unexpectedStatus = false
        let sink: (UnsafeRawBufferPointer) -> Bool
        let expectedStatus: Int?

        init(sink: @escaping (UnsafeRawBufferPointer) -> Bool, expectedStatus: Int?) {
            self.sink = sink
            self.expectedStatus = expectedStatus
        }

        func header(_ line: UnsafeRawBufferPointer) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("HTTP/") {
                // A new status line (after a 100 Continue or a retry): start over.
                response = Response()
                let parts = text.split(separator: " ")
                if parts.count >= 2, let status = Int(parts[1]) { response.status = status }
            } else if let colon = text.firstIndex(of: ":"), response.headers.count < 200 {
                let name = text[..<colon].lowercased()
                response.headers[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }

        func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
            if (200..<300).contains(response.status) {
                if let expectedStatus, response.status != expectedStatus {
                    unexpectedStatus = true
                    return false
                }
                if sink(bytes) { return true }
                stopped = true
                return false
            }
            let room = CurlTransfer.errorBodyLimit - response.errorBody.count
            if room > 0 { response.errorBody += bytes.prefix(room) }
            return true
        }
    }
}
