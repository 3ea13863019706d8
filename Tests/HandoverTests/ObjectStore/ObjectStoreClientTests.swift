import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The client against the real S3 server: listings page after page, whole and ranged reads
/// hashed as they stream, and clear errors for refused credentials and an endpoint that is down.
@Suite struct ObjectStoreClientTests {
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
}
