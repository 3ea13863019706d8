import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The client against the real S3 server: listings page after page, whole and ranged reads
/// hashed as they stream, and clear errors for refused credentials and an endpoint that is down.
@Suite struct ObjectStoreClientTests {
    @Test("Content-Range gives the object's complete length, or nothing when it is unknown or malformed")
    func contentRange() {
        #expect(ObjectStoreClient.completeLength("bytes 0-99/2048") == 2048)
        #expect(ObjectStoreClient.completeLength("bytes 0-0/1") == 1)
        #expect(ObjectStoreClient.completeLength("bytes 0-99/*") == nil)
        #expect(ObjectStoreClient.completeLength("bytes 0-99/") == nil)
        #expect(ObjectStoreClient.completeLength("items 0-99/2048") == nil)
        #expect(ObjectStoreClient.completeLength("bytes 0-99/-5") == nil)
        #expect(ObjectStoreClient.completeLength("bytes 0-99/" + String(repeating: "9", count: 40)) == nil)
    }

    @Test func listingsFollowContinuationTokens() throws {
        let bucket = try S3TestBucket()
        let keys = ["export/a.csv", "export/b c.csv", "export/dossier é/d.txt", "export/e.json", "export/f", "other/g"]
        for (index, key) in keys.enumerated() { try bucket.put(key, Data(repeating: UInt8(index), count: index * 10)) }
        let client = try ObjectStoreClient(S3TestServer.configuration())
        client.pageSize = 2
        let entries = try client.list(ObjectLocation("s3://\(bucket.name)/export/"))
        #expect(entries.map(\.key) == Array(keys.prefix(5)))
        #expect(entries.map(\.size) == [0, 10, 20, 30, 40])
        #expect(entries.allSatisfy { abs(($0.lastModified ?? .distantPast).timeIntervalSinceNow) < 600 })
    }

    @Test func readsStreamWholeObjectsAndRanges() throws {
        let bucket = try S3TestBucket()
        var generator = SystemRandomNumberGenerator()
        let contents = Data((0..<(3 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bucket.put("big.bin", contents)
        let client = try ObjectStoreClient(S3TestServer.configuration())
        var hasher = SHA256()
        var pieces = 0
        let count = try client.read(bucket: bucket.name, key: "big.bin") { bytes in
            hasher.update(bufferPointer: bytes)
            pieces += 1
        }
        #expect(count == Int64(contents.count))
        #expect(hasher.finalize() == SHA256.hash(data: contents))
        #expect(pieces > 1, "the body arrives in pieces, never whole")
        var part = Data()
        try client.read(bucket: bucket.name, key: "big.bin", range: 1_000_000..<1_000_100) { part.append(contentsOf: $0) }
        #expect(part == contents[1_000_000..<1_000_100])
        // One ranged GET also says how large the whole object is (Content-Range).
        var head = Data()
        let sized = try client.readSizing(bucket: bucket.name, key: "big.bin", range: 0..<100) { head.append(contentsOf: $0) }
        #expect(sized.delivered == 100 && sized.objectSize == Int64(contents.count) && head == contents.prefix(100))
        #expect(try client.size(bucket: bucket.name, key: "big.bin") == Int64(contents.count))
        #expect(try client.size(bucket: bucket.name, key: "absent.bin") == nil)
        #expect(throws: ObjectStoreError.noSuchObject(endpoint: client.configuration.endpoint.description, bucket: bucket.name, key: "absent.bin")) {
            try client.read(bucket: bucket.name, key: "absent.bin") { _ in }
        }
    }

    @Test func refusedCredentialsSayWhichVariablesToCheck() throws {
        let bucket = try S3TestBucket()
        var environment = try S3TestServer.environment()
        environment["AWS_SECRET_ACCESS_KEY"] = "wrong-secret-0000000000000000000000000000"
        let client = try ObjectStoreClient(ObjectStoreConfiguration.resolve(environment: environment, home: nil))
        do {
            _ = try client.list(ObjectLocation(bucket.location))
            Issue.record("a wrong secret was accepted")
        } catch {
            guard case .credentialsRefused(_, let code, _) = error else { Issue.record("\(error)"); return }
            #expect(code == "SignatureDoesNotMatch")
            #expect(error.errorDescription?.contains("AWS_SECRET_ACCESS_KEY") == true)
            #expect(error.exitStatus == .couldNotRun)
        }
        environment["AWS_ACCESS_KEY_ID"] = "NOSUCHKEY00000000000"
        let stranger = try ObjectStoreClient(ObjectStoreConfiguration.resolve(environment: environment, home: nil))
        #expect(throws: ObjectStoreError.self) { try stranger.list(ObjectLocation(bucket.location)) }
    }

    @Test func aMissingBucketIsNamed() throws {
        let client = try ObjectStoreClient(S3TestServer.configuration())
        #expect(throws: ObjectStoreError.noSuchBucket(endpoint: client.configuration.endpoint.description, bucket: "no-such-bucket-here")) {
            try client.list(ObjectLocation("s3://no-such-bucket-here/"))
        }
    }

    @Test func anEndpointThatIsDownIsRetriedThenNamed() throws {
        // Port 1 on the loopback: nothing listens, the connection is refused at once.
        let client = try ObjectStoreClient(ObjectStoreConfiguration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
        ], home: nil))
        client.attempts = 3
        client.firstPause = 0.01
        do {
            _ = try client.list(ObjectLocation("s3://bucket/"))
            Issue.record("a closed port answered")
        } catch {
            guard case .unreachable(let endpoint, _, let attempts) = error else { Issue.record("\(error)"); return }
            #expect(endpoint == "http://127.0.0.1:1" && attempts == 3)
            #expect(error.errorDescription?.contains("AWS_ENDPOINT_URL") == true)
        }
    }

    @Test func keysWithSpacesAndPlusSignsListAsWritten() throws {
        let bucket = try S3TestBucket()
        let keys = ["export/a b+c.csv", "export/comptes rendus/d++ e.csv", "export/f%2Bg.csv", "export/plus+.csv"]
        for key in keys { try bucket.put(key, Data(key.utf8)) }
        let client = try ObjectStoreClient(S3TestServer.configuration())
        let entries = try client.list(ObjectLocation("s3://\(bucket.name)/export/"))
        #expect(Set(entries.map(\.key)) == Set(keys))
        for key in keys {
            var body = Data()
            try client.read(bucket: bucket.name, key: key) { body.append(contentsOf: $0) }
            #expect(body == Data(key.utf8), "\(key)")
        }
    }

    /// A server that breaks the first answer midway, then answers the resumed ranged GET with
    /// the whole object (200, not 206): Python's http.server, which ignores Range, made to
    /// break its first answer.
    @Test func aResumedReadAnsweredWithTheWholeObjectFailsBeforeRepeatingAByte() throws {
        let temp = try TempDirectory("s3-range")
        let script = try temp.write("server.py", """
            import http.server, socket, sys
            data = bytes(range(256)) * 400
            class Handler(http.server.BaseHTTPRequestHandler):
                answers = 0
                def do_GET(self):
                    Handler.answers += 1
                    sys.stderr.write("GET %s range=%s\\n" % (self.path, self.headers.get("Range")))
                    sys.stderr.flush()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if Handler.answers == 1:
                        self.wfile.write(data[:40000])
                        self.wfile.flush()
                        self.connection.shutdown(socket.SHUT_RDWR)
                        self.close_connection = True
                    else:
                        self.wfile.write(data)
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """)
        let python = try requireTool("python3", install: "apt-get install python3")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // SIGKILL: the test process may pass on SIGTERM as ignored, and the server would outlive it.
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        var portLine = Data()
        while !portLine.contains(0x0A) {
            let more = out.fileHandleForReading.availableData
            try #require(!more.isEmpty, "the test server did not start")
            portLine += more
        }
        let port = try #require(Int(String(decoding: portLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        let client = try ObjectStoreClient(ObjectStoreConfiguration.resolve(environment: [
            "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)",
        ], home: nil))
        client.firstPause = 0.01
        var received = 0
        var firstBytes = Data()
        do {
            try client.read(bucket: "bucket", key: "object.bin") { bytes in
                received += bytes.count
                if firstBytes.count < 40000 { firstBytes.append(contentsOf: bytes.prefix(40000 - firstBytes.count)) }
            }
            Issue.record("a 200 answer to a resumed ranged GET was taken")
        } catch {
            guard case .malformedResponse(_, let reason) = error else { Issue.record("\(error)"); return }
            #expect(reason.contains("Range bytes=40000-") && reason.contains("HTTP 200, not 206"), "\(reason)")
        }
        // The sink saw the first 40,000 bytes once, and nothing of the second answer.
        #expect(received == 40000)
        #expect(firstBytes == Data((0..<40000).map { UInt8($0 % 256) }))
    }
}
