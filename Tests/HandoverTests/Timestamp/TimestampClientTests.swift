import Foundation
import Testing
@testable import HandoverKit

/// At build time, the time-stamp comes from the first TSA that grants it; when none does, the
/// error lists each TSA and why, and the build cannot run (exit status 2).
@Suite("Asking TSAs for a time-stamp over HTTP")
struct TimestampClientTests {
    /// The failures of a `noTimestamp` error, or a test failure when something else was thrown.
    func failures(_ body: () throws -> Void) -> [TSAFailure] {
        do {
            try body()
            Issue.record("a time-stamp was obtained where none should be")
        } catch let error as TimestampError {
            #expect(error.exitStatus == .couldNotRun)
            if case .noTimestamp(let failures) = error {
                for failure in failures { #expect(error.errorDescription?.contains(failure.url) == true) }
                return failures
            }
            Issue.record("unexpected error: \(error)")
        } catch {
            Issue.record("unexpected error: \(error)")
        }
        return []
    }

    func request() -> TimestampRequest {
        TimestampRequest(imprint: MessageImprint(of: Array("tag manifest".utf8)))
    }

    @Test("an unreachable TSA fails quickly with couldNotRun, naming the URL")
    func unreachable() throws {
        let dead = "http://127.0.0.1:\(try closedLoopbackPort())/tsa"
        let started = Date()
        let found = failures { _ = try TimestampClient().timestamp(request(), urls: [dead]) }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(found == [TSAFailure(url: dead, reason: "the connection was refused")])
    }

    @Test("when the first TSA is dead the second one is used")
    func fallsBackToSecond() throws {
        let pki = try TestPKI("fallback")
        let server = try LocalTSAServer(pki)
        defer { server.stop() }
        let dead = "http://127.0.0.1:\(try closedLoopbackPort())"
        let issued = try TimestampClient().timestamp(request(), urls: [dead, server.url])
        #expect(issued.url.absoluteString == server.url)
        #expect(try TimestampResponse(derEncoded: issued.responseBytes).status == .granted)
    }

    @Test("a rejection, an HTTP error, a wrong answer and an oversized answer are each reported")
    func refusalsReported() throws {
        let pki = try TestPKI("refusals")
        let server = try LocalTSAServer(pki)
        defer { server.stop() }
        let urls = ["/reject", "/http-error", "/other-request", "/huge"].map { server.url + $0 }
        let found = failures { _ = try TimestampClient().timestamp(request(), urls: urls) }
        try #require(found.count == 4)
        #expect(found.map(\.url) == urls)
        #expect(found[0].reason.contains("rejected"))
        #expect(found[0].reason.contains("unsupported algorithm"))
        #expect(found[0].reason.contains("Message digest algorithm is not supported"))
        #expect(found[1].reason.hasPrefix("HTTP 503"))
        #expect(found[2].reason.contains("nonce"))
        #expect(found[3].reason.contains("larger than"))
    }

    @Test("a TSA that does not answer in time is given up on")
    func slowTSA() throws {
        let pki = try TestPKI("slow")
        let server = try LocalTSAServer(pki)
        defer { server.stop() }
        let started = Date()
        let found = failures { _ = try TimestampClient(timeout: 1).timestamp(request(), urls: [server.url + "/slow"]) }
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(found.first?.reason == "no answer within 1 seconds")
    }

    @Test("URLs that are not http(s) are refused before anything is sent")
    func badURLs() {
        #expect(throws: TimestampError.invalidURL("ftp://tsa.example")) {
            try TimestampClient().timestamp(request(), urls: ["ftp://tsa.example"])
        }
        #expect(throws: TimestampError.noTSAURL) { try TimestampClient().timestamp(request(), urls: []) }
    }
}
