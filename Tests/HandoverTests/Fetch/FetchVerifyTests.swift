import Foundation
import HandoverKit
import Testing

/// `handover verify --fetch` on a holey bag whose payload lies in a bucket of the real S3 server:
/// each object read, hashed with every manifest algorithm and compared; the verdict says how
/// many were checked and is complete only when every one matches.
@Suite("verify --fetch against the real S3 server")
struct FetchVerifyTests {
    private func remote(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try jsonObject(result)["remote"] as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test("every object matches: intact and complete, folder and tar alike; without --fetch, incomplete")
    func good() throws {
        let bag = try HoleyBag()
        for path in [bag.folder, try bag.tar()] {
            let checked = try handover(["verify", path, "--fetch", "--jobs", "3", "--format", "json"], environment: bag.environment)
            #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
            let json = try jsonObject(checked)
            #expect(json["state"] as? String == "intact-and-complete")
            let remote = try remote(checked)
            #expect(remote["checked"] as? Int == 6 && remote["objects"] as? Int == 6, "\(remote)")
            #expect(remote["checkedBytes"] as? Int == bag.remote.reduce(0) { $0 + $1.contents.count })
            let text = try handover(["verify", path, "--fetch"], environment: bag.environment)
            #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
            #expect(text.stdout.contains("Remote payload: 6 of 6 objects checked in object storage"), "\(text.stdout)")
            #expect(text.stdout.contains("every size and checksum matches"))
            let unfetched = try handover(["verify", path], environment: bag.environment)
            #expect(unfetched.status == 1)
            #expect(unfetched.stdout.contains("INCOMPLETE"), "\(unfetched.stdout)")
            #expect(!unfetched.stdout.contains("Remote payload"))
        }
    }

    @Test("an object changed after the build (same size): not intact, exit 1, the file named")
    func changed() throws {
        let bag = try HoleyBag()
        var other = bag.remote[3].contents
        other[other.count / 2] ^= 0xFF
        try bag.replace(3, with: other)
        let result = try handover(["verify", bag.folder, "--fetch"], environment: bag.environment)
        #expect(result.status == 1)
        #expect(result.stdout.contains("data/objects/file-3.bin: its sha256 checksum in object storage is"), "\(result.stdout)")
        #expect(result.stdout.contains("Result: INVALID"))
        #expect(result.stdout.contains("5 of 6 objects checked"))
        let json = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(try jsonObject(json)["state"] as? String == "not-intact")
        #expect(try remote(json)["changed"] as? Int == 1)
    }

    @Test("an object deleted (404): incomplete, exit 1, named; one of another size: not intact")
    func missingAndResized() throws {
        let bag = try HoleyBag()
        try bag.deleteObject(1)
        let missing = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(missing.status == 1, "\(missing.stdout)\(missing.stderr)")
        #expect(try jsonObject(missing)["state"] as? String == "intact-but-incomplete")
        #expect(try remote(missing)["missing"] as? Int == 1)
        let text = try handover(["verify", bag.folder, "--fetch"], environment: bag.environment)
        #expect(text.stdout.contains("data/objects/file-1.bin: is to be fetched from s3://\(bag.bucket.name)/export/objects/file-1.bin, but the object store has no such object."), "\(text.stdout)")
        #expect(text.stdout.contains("Result: INCOMPLETE"))

        try bag.replace(1, with: bag.remote[1].contents + Data("more".utf8))
        let resized = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(resized.status == 1)
        #expect(try jsonObject(resized)["state"] as? String == "not-intact")
        let problems = try #require((try jsonObject(resized)["integrity"] as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.contains { $0["code"] as? String == "object-size-mismatch" && $0["file"] as? String == "data/objects/file-1.bin" }, "\(problems)")
    }

    @Test("objects longer, shorter or emptied since the build: each wrong size, with the store's own size")
    func sizesFromOneRequest() throws {
        // Small objects are read with one ranged GET of the announced length; the size must then
        // come from the answer's Content-Range, not from how many bytes were asked for.
        let bag = try HoleyBag(remoteSizes: [1_000, 70_000, 5, 300_000])
        try bag.replace(0, with: bag.remote[0].contents + Data(repeating: 7, count: 24))
        try bag.replace(1, with: bag.remote[1].contents.prefix(69_999))
        try bag.replace(2, with: Data())
        let result = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(try jsonObject(result)["state"] as? String == "not-intact")
        let counts = try remote(result)
        #expect(counts["checked"] as? Int == 1, "\(counts)")
        let text = try handover(["verify", bag.folder, "--fetch"], environment: bag.environment)
        for (index, (actual, announced)) in [(1_024, 1_000), (69_999, 70_000), (0, 5)].enumerated() {
            #expect(text.stdout.contains("data/objects/file-\(index).bin: the object s3://\(bag.bucket.name)/export/objects/file-\(index).bin has \(actual) bytes, but fetch.txt announces \(announced)"), "\(text.stdout)")
        }
    }

    @Test("an https URL is said not checked, never checked: incomplete")
    func otherScheme() throws {
        let bag = try HoleyBag(remoteSizes: [100])
        try bag.addRemote(path: "web/page.html", url: "https://example.invalid/page.html", contents: Data("<p>hi</p>\n".utf8))
        let result = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(result.status == 1)
        #expect(try jsonObject(result)["state"] as? String == "intact-but-incomplete")
        let remote = try remote(result)
        #expect(remote["checked"] as? Int == 1 && remote["notChecked"] as? Int == 1, "\(remote)")
        let text = try handover(["verify", bag.folder, "--fetch"], environment: bag.environment)
        #expect(text.stdout.contains("https:// URLs are not fetched by handover"), "\(text.stdout)")
    }

    @Test("s3:// URLs that would read another object, or that name none, are not checked, each with its reason")
    func unusableKeys() throws {
        let bag = try HoleyBag(remoteSizes: [100])
        // An HTTP client sends x/../file-0.bin as file-0.bin: another object than fetch.txt names.
        try bag.addRemote(path: "objects/dots.bin", url: "s3://\(bag.bucket.name)/export/x/../objects/file-0.bin", contents: Data(count: 100))
        try bag.addRemote(path: "objects/encoded.bin", url: "s3://\(bag.bucket.name)/export/x/%2e%2e/objects/file-0.bin", contents: Data(count: 100))
        try bag.addRemote(path: "objects/user.bin", url: "s3://user:secret@\(bag.bucket.name)/export/objects/file-0.bin", contents: Data(count: 100))
        let result = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(result.status == 1)
        let remote = try remote(result)
        #expect(remote["checked"] as? Int == 1 && remote["notChecked"] as? Int == 3, "\(remote)")
        let text = try handover(["verify", bag.folder, "--fetch"], environment: bag.environment)
        #expect(text.stdout.contains("its key has an empty, '.' or '..' part, which an HTTP client reads as another object's key"), "\(text.stdout)")
        let files = try #require(remote["files"] as? [[String: Any]])
        let reasons = Dictionary(uniqueKeysWithValues: files.compactMap { file in (file["path"] as? String).map { ($0, file["reason"] as? String ?? "") } })
        for path in ["data/objects/dots.bin", "data/objects/encoded.bin"] {
            #expect(reasons[path]?.hasPrefix("its key has an empty, '.' or '..' part") == true, "\(path): \(reasons)")
        }
        #expect(text.stdout.contains("it is not an s3://bucket/key URL handover can read"), "\(text.stdout)")
    }

    @Test("refused credentials and an endpoint with nothing listening: exit 2, naming what to check")
    func couldNotRun() throws {
        let bag = try HoleyBag(remoteSizes: [10, 20])
        var environment = bag.environment
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-000000000000000000000000000"
        let refused = try handover(["verify", bag.folder, "--fetch"], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("refused the credentials"), "\(refused.stderr)")
        #expect(refused.stderr.contains("AWS_SECRET_ACCESS_KEY"))
        environment = bag.environment
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let down = try handover(["verify", bag.folder, "--fetch"], environment: environment)
        #expect(down.status == 2)
        #expect(down.stdout.isEmpty)
        #expect(down.stderr.contains("cannot reach the S3 endpoint http://127.0.0.1:1"), "\(down.stderr)")
    }

    @Test("a fetch.txt line whose path leaves data/ is refused as without --fetch, and not fetched")
    func pathOutsidePayload() throws {
        let bag = try HoleyBag(remoteSizes: [10])
        try bag.rewriteFetch(bag.fetchLines + ["s3://\(bag.bucket.name)/export/objects/file-0.bin 10 bagit.txt"])
        let result = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(result.status == 1)
        let problems = try #require((try jsonObject(result)["integrity"] as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.contains { $0["code"] as? String == "path-outside-payload" }, "\(problems)")
        #expect(try remote(result)["objects"] as? Int == 1)
    }
}

/// The endpoint going down in the middle of a run: a relay between handover and the S3 server
/// that stops, connections and listening socket, once about 1 MB has passed.
@Suite("verify --fetch when the endpoint goes down midway")
struct FetchEndpointDownTests {
    static let relay = """
        import socket, sys, threading
        upstream = (sys.argv[1], int(sys.argv[2])); limit = int(sys.argv[3])
        server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0)); server.listen(16)
        print(server.getsockname()[1], flush=True)
        total = 0; lock = threading.Lock(); down = threading.Event(); conns = []
        def pump(a, b, count):
            global total
            try:
                while not down.is_set():
                    data = a.recv(65536)
                    if not data: break
                    b.sendall(data)
                    if count:
                        with lock:
                            total += len(data)
                            if total > limit: down.set()
            except OSError: pass
            if down.is_set():
                for c in conns:
                    try: c.shutdown(socket.SHUT_RDWR); c.close()
                    except OSError: pass
                try: server.shutdown(socket.SHUT_RDWR); server.close()
                except OSError: pass
        while not down.is_set():
            try: client, _ = server.accept()
            except OSError: break
            remote = socket.create_connection(upstream); conns += [client, remote]
            threading.Thread(target=pump, args=(client, remote, False), daemon=True).start()
            threading.Thread(target=pump, args=(remote, client, True), daemon=True).start()
        down.wait()
        """

    @Test("exit 2 naming the endpoint, no verdict; the state file keeps what was checked and --resume finishes")
    func downMidway() throws {
        let bag = try HoleyBag(remoteSizes: Array(repeating: 300_000, count: 8))
        let endpoint = try #require(URL(string: bag.environment["AWS_ENDPOINT_URL"] ?? ""))
        let script = try bag.temp.write("relay.py", Self.relay)
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: try requireTool("python3", install: "apt-get install python3"))
        relay.arguments = [script, endpoint.host ?? "127.0.0.1", String(endpoint.port ?? 80), "1000000"]
        let output = Pipe()
        relay.standardOutput = output
        try relay.run()
        defer { if relay.isRunning { relay.terminate() } }
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(line.trimmingCharacters(in: .whitespacesAndNewlines)), "relay said: \(line)")
        var environment = bag.environment
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:\(port)"
        let state = bag.temp.path("state.json")
        let cut = try handover(["verify", bag.folder, "--fetch", "--jobs", "1", "--resume", state], environment: environment)
        #expect(cut.status == 2, "\(cut.stdout)\(cut.stderr)")
        #expect(cut.stdout.isEmpty, "no verdict on objects not read: \(cut.stdout)")
        #expect(cut.stderr.contains("cannot reach the S3 endpoint http://127.0.0.1:\(port)"), "\(cut.stderr)")
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state))) as? [String: Any])
        let files = try #require(kept["files"] as? [Any])
        #expect(!files.isEmpty && files.count < 8, "\(files.count) kept")
        let resumed = try handover(["verify", bag.folder, "--fetch", "--resume", state], environment: bag.environment)
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stdout.contains("\(files.count) taken from the state file, not read again"), "\(resumed.stdout)")
    }
}
