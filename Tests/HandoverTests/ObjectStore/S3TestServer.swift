import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// The real S3 server (Ceph's radosgw) the object-store tests talk to.
///
/// When `.ci/run` started one, its `AWS_*` variables are in the environment and are used.
/// Otherwise the first test to ask starts one with `.ci/s3-ceph start` (on ports of its own, so
/// it never meets a server someone else runs) and it is stopped when the test process exits.
/// If neither works, the tests fail with what `.ci/s3-ceph` said: they never skip.
enum S3TestServer {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The server's `AWS_*` variables.
    static func environment() throws -> [String: String] { try shared.get() }

    /// The server's configuration, as the client resolves it from those variables.
    static func configuration() throws -> ObjectStoreConfiguration {
        try ObjectStoreConfiguration.resolve(environment: environment(), home: nil)
    }

    private static let shared: Result<[String: String], Unavailable> = start()

    nonisolated(unsafe) private static var startedDirectory: String?

    static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }

    private static func start() -> Result<[String: String], Unavailable> {
        let outer = ProcessInfo.processInfo.environment
        if let endpoint = outer["AWS_ENDPOINT_URL"], let key = outer["AWS_ACCESS_KEY_ID"], let secret = outer["AWS_SECRET_ACCESS_KEY"] {
            return .success(["AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
                             "AWS_REGION": outer["AWS_REGION"] ?? "us-east-1"])
        }
        let directory = NSTemporaryDirectory() + "handover-tests-s3-ceph-\(getuid())"
        let result: ProcessResult
        do {
            result = try runProcess("/bin/bash", ["\(repositoryRoot)/.ci/s3-ceph", "start", directory],
                                    environment: ["CEPH_S3_PORT": "17480", "CEPH_S3_MON_PORT": "13317"])
        } catch {
            return .failure(Unavailable(description: "could not run .ci/s3-ceph: \(error)"))
        }
        guard result.status == 0 else {
            return .failure(Unavailable(description: "the S3 tests need a real S3 server and .ci/s3-ceph could not start one (run: bash .ci/setup): \(result.stderr)"))
        }
        startedDirectory = directory
        atexit {
            if let directory = S3TestServer.startedDirectory {
                _ = try? runProcess("/bin/bash", ["\(S3TestServer.repositoryRoot)/.ci/s3-ceph", "stop", directory])
            }
        }
        var variables: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            variables[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return .success(variables)
    }
}

/// A bucket made for one test, filled with real uploads by curl (not by our client, so the
/// client is checked against what another tool wrote).
struct S3TestBucket {
    let name: String
    let environment: [String: String]

    init(_ label: String = "t") throws {
        environment = try S3TestServer.environment()
        name = "\(label)-\(UUID().uuidString.lowercased().prefix(18))"
        try curl("PUT", "/\(name)", body: nil)
    }

    var location: String { "s3://\(name)/" }

    /// Uploads `contents` as `key`.
    func put(_ key: String, _ contents: Data) throws {
        let file = try TempDirectory("s3-upload")
        let path = try file.write("body", contents)
        try curl("PUT", "/\(name)/\(SigV4Signer.uriEncode(key, keepSlash: true))", body: (path, contents))
    }

    /// Uploads every file below `folder` as `prefix` + its path; returns how many.
    @discardableResult
    func putFolder(_ folder: String, under prefix: String) throws -> Int {
        var count = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &directory), !directory.boolValue else { continue }
            try put(prefix + path, Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)))
            count += 1
        }
        return count
    }

    /// Deletes `key`.
    func delete(_ key: String) throws {
        try curl("DELETE", "/\(name)/\(SigV4Signer.uriEncode(key, keepSlash: true))", body: nil)
    }

    private func curl(_ method: String, _ path: String, body: (path: String, contents: Data)?) throws {
        let hash = SigV4Signer.hex(SHA256.hash(data: body?.contents ?? Data()))
        var arguments = ["-sS", "-f", "-X", method, "--aws-sigv4", "aws:amz:\(environment["AWS_REGION"] ?? "us-east-1"):s3",
                         "--user", "\(environment["AWS_ACCESS_KEY_ID"] ?? ""):\(environment["AWS_SECRET_ACCESS_KEY"] ?? "")",
                         "-H", "x-amz-content-sha256: \(hash)"]
        if let body { arguments += ["--data-binary", "@\(body.path)"] }
        arguments.append((environment["AWS_ENDPOINT_URL"] ?? "") + path)
        let result = try runProcess(try requireTool("curl", install: "apt-get install curl"), arguments)
        guard result.status == 0 else { throw S3TestServer.Unavailable(description: "curl \(method) \(path): \(result.stderr)") }
    }
}
