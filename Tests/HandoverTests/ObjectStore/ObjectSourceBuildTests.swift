import Crypto
import Foundation
import Testing
@testable import HandoverKit

/// `handover build --manifest M s3://bucket/prefix/`: the export as it lies in object storage
/// becomes the same bundle as from a folder (`--payload local`), or a holey bundle whose
/// fetch.txt points at the objects (`--payload remote`), against the real Ceph server.
@Suite("handover build from an s3:// SOURCE")
struct ObjectSourceBuildTests {
    /// The export of `bundleSource` (plus `extra` files) uploaded under `export/` of a fresh
    /// bucket, beside a key outside the prefix that no build may touch.
    private func upload(_ extra: [String: String] = [:]) throws -> (SourceFixture, S3TestBucket) {
        let fixture = try bundleSource(extraFiles: extra)
        let bucket = try S3TestBucket("build")
        try bucket.putFolder(fixture.source, under: "export/")
        try bucket.put("elsewhere/other.csv", Data("not below the prefix\n".utf8))
        return (fixture, bucket)
    }

    private func build(_ fixture: SourceFixture, _ source: String, to output: String, _ extra: [String] = []) throws -> ProcessResult {
        try handover(["build", "--manifest", fixture.manifestPath, source, "--output", output] + extra,
                     environment: S3TestServer.environment().merging(["SOURCE_DATE_EPOCH": String(handoverEpoch)]) { $1 })
    }

    @Test("--payload local: the bundle verifies VALID, passes bagit-python and holds the folder build's payload")
    func localPayload() throws {
        let (fixture, bucket) = try upload()
        let out = try TempDirectory("s3-build")
        let fromFolder = try build(fixture, fixture.source, to: out.path("folder.tar"))
        try #require(fromFolder.status == 0, "\(fromFolder.stderr)")
        let key = try OpenSSH.makeKey(in: out, name: "id_ed25519", passphrase: "", comment: "provider@example.org")
        let allowed = try out.write("allowed_signers", try OpenSSH.allowedLine("provider@example.org", options: "", pubPath: key + ".pub") + "\n")
        let fromObjects = try build(fixture, "s3://\(bucket.name)/export/", to: out.path("objects.tar"), ["--sign", key])
        try #require(fromObjects.status == 0, "\(fromObjects.stdout)\(fromObjects.stderr)")
        #expect(fromObjects.stdout.contains("4 files"), "\(fromObjects.stdout)")
        #expect(!fromObjects.stdout.contains("object storage"))

        let verified = try handover(["verify", out.path("objects.tar"), "--allowed-signers", allowed])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("Result: VALID, the bundle is intact and complete"), "\(verified.stdout)")

        let objectsBag = try StandardTools.extract(out.path("objects.tar"), into: out.path("x-objects"))
        let folderBag = try StandardTools.extract(out.path("folder.tar"), into: out.path("x-folder"))
        let bagit = try StandardTools.bagitValidate(objectsBag)
        #expect(bagit.status == 0, "bagit-python: \(bagit.stdout)\(bagit.stderr)")
        #expect(try lines(of: objectsBag + "/manifest-sha256.txt") == lines(of: folderBag + "/manifest-sha256.txt"))
        for path in bundlePayload {
            #expect(FileManager.default.contentsEqual(atPath: objectsBag + "/data/" + path, andPath: folderBag + "/data/" + path), "\(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: objectsBag + "/fetch.txt"))
        #expect(!pathsUnder(objectsBag).contains { $0.contains("other.csv") || $0.contains("notes.txt") })
    }

    @Test("--payload remote: tag files only, fetch.txt under the signature, verify says incomplete")
    func remotePayload() throws {
        let odd = "docs/comptes rendus/réunion 100%+1 été.md"
        let (fixture, bucket) = try upload([odd: "# Compte rendu\n\nRien à signaler.\n"])
        let out = try TempDirectory("s3-build")
        let output = out.path("remote.tar.gz")
        let result = try build(fixture, "s3://\(bucket.name)/export", to: output, ["--payload", "remote", "--jobs", "3"])
        try #require(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("left in object storage (fetch.txt)"), "\(result.stdout)")

        let bag = try StandardTools.extract(output, into: out.path("x"))
        #expect(pathsUnder(bag + "/data").isEmpty, "no payload byte in a remote bundle, only the empty payload folder")
        let payload = (bundlePayload + [odd]).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        // One fetch.txt line per payload file: the object's URL (percent-encoded), its size, its path.
        let fetch = try lines(of: bag + "/fetch.txt").filter { !$0.isEmpty }
        #expect(fetch.count == payload.count)
        var totalBytes = 0
        for (line, path) in zip(fetch, payload) {
            let size = try fixture.temp.read("source/" + path).count
            totalBytes += size
            let url = ObjectLocation.url(bucket: bucket.name, key: "export/" + path)
            // The path encoded as in a manifest: `%` as `%25` (RFC 8493 §2.1.3).
            #expect(line == "\(url) \(size) data/\(path.replacingOccurrences(of: "%", with: "%25"))", "\(line)")
            #expect(!url.contains(" ") && !url.contains("é"), "\(url)")
            let object = try #require(ObjectLocation.object(url: url))
            #expect(object.bucket == bucket.name && object.key == "export/" + path)
        }
        #expect(fetch.contains { $0.contains("r%C3%A9union%20100%25%2B1%20%C3%A9t%C3%A9.md") }, "\(fetch)")
        // The manifest lists each object's SHA-256, as the objects hash when read back.
        let client = try ObjectStoreClient(S3TestServer.configuration())
        let manifest = try lines(of: bag + "/manifest-sha256.txt").filter { !$0.isEmpty }
        #expect(manifest.count == payload.count)
        for (line, path) in zip(manifest, payload) {
            var hasher = SHA256()
            try client.read(bucket: bucket.name, key: "export/" + path) { hasher.update(bufferPointer: $0) }
            #expect(line == "\(SigV4Signer.hex(hasher.finalize()))  data/\(path.replacingOccurrences(of: "%", with: "%25"))")
        }
        // fetch.txt is covered by the tag manifest, hence by a signature over it.
        let fetchDigest = SigV4Signer.hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: bag + "/fetch.txt"))))
        #expect(try lines(of: bag + "/tagmanifest-sha256.txt").contains("\(fetchDigest)  fetch.txt"))
        #expect(try lines(of: bag + "/bag-info.txt").contains("Payload-Oxum: \(totalBytes).\(payload.count)"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bag + "/handover/report.json"))) as? [String: Any])
        #expect((report["build"] as? [String: Any])?["payload"] as? String == "remote", "\(report["build"] ?? "")")
        #expect(try String(contentsOfFile: bag + "/handover/report.html", encoding: .utf8).contains("left in object storage"))

        // Today's verify: intact but incomplete, the rest named as fetch.txt's; never VALID.
        let verified = try handover(["verify", output])
        #expect(verified.status == 1, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("INCOMPLETE"), "\(verified.stdout)")
        #expect(verified.stdout.contains("fetch.txt"))
        #expect(!verified.stdout.contains("VALID,") && !verified.stdout.contains("Result: VALID"))
        // bagit-python (1.9) on the same holey bag, the interop fact: it does not fetch, and
        // calls the bag invalid, since Payload-Oxum counts files that are not on disk.
        for arguments in [["--validate", "--fast"], ["--validate"]] {
            let bagit = try runProcess(try StandardTools.bagitPython(), arguments + [bag])
            #expect(bagit.status == 1, "bagit-python \(arguments): \(bagit.stderr)")
            #expect(bagit.stderr.contains("Payload-Oxum validation failed. Expected \(payload.count) files and \(totalBytes) bytes but found 0 files and 0 bytes"),
                    "\(bagit.stderr)")
        }
    }

    @Test("a remote-payload bundle, signed: verify --fetch says VALID, shards merge to the same, extract --fetch brings the export; a changed object is caught")
    func remoteThenFetched() throws {
        let odd = "docs/comptes rendus/réunion 100%+1 été.md"
        let (fixture, bucket) = try upload([odd: "# Compte rendu\n\nRien à signaler.\n"])
        let out = try TempDirectory("s3-fetch")
        let environment = try S3TestServer.environment()
        let key = try OpenSSH.makeKey(in: out, name: "id_ed25519", passphrase: "", comment: "provider@example.org")
        let allowed = try out.write("allowed_signers", try OpenSSH.allowedLine("provider@example.org", options: "", pubPath: key + ".pub") + "\n")
        let bundle = out.path("remote.tar")
        let built = try build(fixture, "s3://\(bucket.name)/export/", to: bundle, ["--payload", "remote", "--sign", key])
        try #require(built.status == 0, "\(built.stdout)\(built.stderr)")
        let count = bundlePayload.count + 1

        let fetched = try handover(["verify", bundle, "--fetch", "--jobs", "2", "--allowed-signers", allowed], environment: environment)
        #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
        #expect(fetched.stdout.contains("Remote payload: \(count) of \(count) objects checked"), "\(fetched.stdout)")
        #expect(fetched.stdout.contains("Result: VALID"), "\(fetched.stdout)")

        var parts: [String] = []
        for shard in 1...2 {
            let part = out.path("part-\(shard).json")
            let run = try handover(["verify", bundle, "--fetch", "--shard", "\(shard)/2", "--result", part], environment: environment)
            #expect(run.status == 0, "shard \(shard): \(run.stdout)\(run.stderr)")
            parts.append(part)
        }
        let merged = try handover(["verify", bundle, "--merge"] + parts + ["--allowed-signers", allowed], environment: environment)
        #expect(merged.status == 0 && merged.stdout.contains("Result: VALID"), "\(merged.stdout)\(merged.stderr)")
        let oneMissing = try handover(["verify", bundle, "--merge", parts[0]], environment: environment)
        #expect(oneMissing.status == 2, "\(oneMissing.stdout)\(oneMissing.stderr)")

        let received = out.path("received")
        let extracted = try handover(["extract", bundle, "--to", received, "--fetch"], environment: environment)
        #expect(extracted.status == 0, "\(extracted.stdout)\(extracted.stderr)")
        for path in bundlePayload + [odd] {
            #expect(FileManager.default.contentsEqual(atPath: fixture.source + "/" + path, andPath: received + "/data/" + path), "\(path)")
        }

        // The same size, other bytes: only reading the object can tell, and it does.
        let original = try fixture.temp.read("source/" + odd)
        try bucket.put("export/" + odd, Data(repeating: UInt8(ascii: "x"), count: original.count))
        let changed = try handover(["verify", bundle, "--fetch", "--allowed-signers", allowed], environment: environment)
        #expect(changed.status == 1, "\(changed.stdout)\(changed.stderr)")
        #expect(changed.stdout.contains("Result: INVALID") && changed.stdout.contains("réunion"), "\(changed.stdout)")
        let refused = out.path("refused")
        #expect(try handover(["extract", bundle, "--to", refused, "--fetch"], environment: environment).status == 1)
        #expect(!FileManager.default.fileExists(atPath: refused + "/data"), "nothing placed when an object changed")
    }

    @Test("an age rule over files left in object storage is not judged at verify, and a note says so; packed, it is judged")
    func agesOfRemoteFiles() throws {
        // fetch.txt gives a URL and a size, no date: verify cannot know how old those files are,
        // and must not call a max-age-days rule met on an age it made up.
        let fixture = try SourceFixture(manifest: manifestText(date: "2026-12-31", deliverables: """
              - id: inventories
                title: Inventories
                paths: ["inventory/*.csv"]
                max-age-days: 365
            """), files: ["inventory/servers.csv": "name,os\nweb1,debian\n", "inventory/network.csv": "name,vlan\nsw1,10\n"])
        let bucket = try S3TestBucket("ages")
        try bucket.putFolder(fixture.source, under: "export/")
        let out = try TempDirectory("s3-ages")
        let environment = try S3TestServer.environment()
        let remote = out.path("remote.tar"), local = out.path("local.tar")
        for (bundle, placement) in [(remote, "remote"), (local, "local")] {
            let built = try build(fixture, "s3://\(bucket.name)/export/", to: bundle, ["--payload", placement])
            try #require(built.status == 0, "\(placement): \(built.stdout)\(built.stderr)")
        }
        let fetched = try handover(["verify", remote, "--fetch"], environment: environment)
        #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
        #expect(fetched.stdout.contains("the age rule (at most 365 days) was not judged here: 2 files are in object storage, and a bag records no date for them"), "\(fetched.stdout)")
        let french = try handover(["report", remote, "--fetch", "--lang", "fr", "--format", "md", "--output", "-"], environment: environment)
        #expect(french.stdout.contains("la règle d'ancienneté (365 jours au plus) n'a pas été vérifiée ici : 2 fichiers sont dans le stockage objet"), "\(french.stdout)\(french.stderr)")
        let packed = try handover(["verify", local])
        #expect(packed.status == 0, "\(packed.stdout)\(packed.stderr)")
        #expect(!packed.stdout.contains("not judged"), "\(packed.stdout)")
    }

    @Test("fetch.txt's '-' for a size: the file is not called empty, and once fetched the bundle is complete")
    func unknownSizes() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: inventories
                title: Inventories
                paths: ["inventory/*.csv"]
            """), files: ["inventory/servers.csv": "name,os\nweb1,debian\n"])
        let bucket = try S3TestBucket("dash")
        try bucket.putFolder(fixture.source, under: "export/")
        let out = try TempDirectory("s3-dash")
        let environment = try S3TestServer.environment()
        let built = try build(fixture, "s3://\(bucket.name)/export/", to: out.path("remote.tar"), ["--payload", "remote"])
        try #require(built.status == 0, "\(built.stdout)\(built.stderr)")
        // The size replaced by '-' (RFC 8493 §2.2.3 allows it), the tag manifest made to match.
        let unpacked = out.path("unpacked")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try runProcess("bsdtar", ["-xf", out.path("remote.tar"), "-C", unpacked]).status == 0)
        let bag = unpacked + "/" + (try FileManager.default.contentsOfDirectory(atPath: unpacked)[0])
        let fetch = try String(contentsOfFile: bag + "/fetch.txt", encoding: .utf8)
        let dashed = fetch.split(separator: "\n").map { line in
            let fields = line.split(separator: " ", maxSplits: 2)
            return "\(fields[0]) - \(fields[2])\n"
        }.joined()
        try Data(dashed.utf8).write(to: URL(fileURLWithPath: bag + "/fetch.txt"))
        try rehash(manifest: bag + "/tagmanifest-sha256.txt", path: "fetch.txt", to: try sha256sum(bag + "/fetch.txt"))
        let repacked = out.path("dashed.tar")
        #expect(try runProcess("bsdtar", ["-cf", repacked, "-C", unpacked, URL(fileURLWithPath: bag).lastPathComponent]).status == 0)
        let unfetched = try handover(["verify", repacked], environment: environment)
        #expect(unfetched.status == 1, "\(unfetched.stdout)")
        #expect(!unfetched.stdout.contains("the file is empty"), "\(unfetched.stdout)")
        #expect(unfetched.stdout.contains("Result: INCOMPLETE"), "\(unfetched.stdout)")
        let fetched = try handover(["verify", repacked, "--fetch"], environment: environment)
        #expect(fetched.status == 0, "\(fetched.stdout)\(fetched.stderr)")
        #expect(!fetched.stdout.contains("Payload-Oxum"), "\(fetched.stdout)")
    }

    @Test("--payload remote with a folder SOURCE is refused, nothing written")
    func remoteRefusedForAFolder() throws {
        let fixture = try bundleSource()
        let out = try TempDirectory("s3-build")
        let result = try fixture.build(to: out.path("b.tar"), ["--payload", "remote"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--payload remote") && result.stderr.contains("s3://bucket/prefix/")
                && result.stderr.contains("--payload local (the default)"), "\(result.stderr)")
        #expect(pathsUnder(out.path).isEmpty)
    }

    @Test("an object rewritten between listing and reading, whatever its size, stops the build, nothing written")
    func objectChangedAfterListing() throws {
        // Rewritten with another size, with the same size, and with another size where the
        // listing gave no ETag (a store without one: the size still catches it).
        let rewrites: [(contents: String, keepETags: Bool, says: String)] = [
            ("name,os\nweb1,debian\ndb1,debian\nnew1,debian\n", true, "was rewritten since SOURCE was listed (its ETag is no longer the listed one)"),
            ("name,os\nweb9,debian\ndb1,debian\n", true, "was rewritten since SOURCE was listed (its ETag is no longer the listed one)"),
            ("name,os\nweb1,debian\ndb1,debian\nnew1,debian\n", false, "changed size since SOURCE was listed"),
        ]
        for placement in PayloadPlacement.allCases {
            for rewrite in rewrites {
                let (fixture, bucket) = try upload()
                var listed = try ObjectSource.list(ObjectLocation("s3://\(bucket.name)/export/"), configuration: S3TestServer.configuration())
                #expect(listed.etags.allSatisfy { $0 != nil }, "the listing gives every object's ETag")
                if !rewrite.keepETags {
                    listed = ObjectSource(location: listed.location, configuration: listed.configuration, files: listed.files,
                                          etags: listed.files.map { _ in nil })
                }
                try bucket.put("export/inventory/servers.csv", Data(rewrite.contents.utf8))
                let out = try TempDirectory("s3-build")
                var options = BuildOptions(output: out.path("b.tar"))
                options.payload = placement
                options.sourceDateEpoch = handoverEpoch
                do {
                    _ = try BundleBuilder.build(manifest: try fixture.manifest(), source: .objects(listed), options: options)
                    Issue.record("\(placement): an object rewritten after the listing was packed")
                } catch {
                    let text = (error as? BuildError)?.errorDescription ?? "\(error)"
                    #expect(text.contains("s3://\(bucket.name)/export/inventory/servers.csv \(rewrite.says)"), "\(placement): \(text)")
                    #expect((error as? BuildError)?.exitStatus == .checkFailed)
                }
                #expect(pathsUnder(out.path).isEmpty, "\(placement): \(pathsUnder(out.path))")
            }
        }
    }

    @Test("refused credentials and an endpoint that is down exit 2, name what to check, write nothing")
    func couldNotRun() throws {
        let (fixture, bucket) = try upload()
        let out = try TempDirectory("s3-build")
        var environment = try S3TestServer.environment()
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-000000000000000000000000000"
        for payload in ["local", "remote"] {
            let refused = try handover(["build", "--manifest", fixture.manifestPath, bucket.location + "export/", "--output", out.path("b.tar"),
                                        "--payload", payload], environment: environment)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("refused the credentials") && refused.stderr.contains("AWS_SECRET_ACCESS_KEY"), "\(refused.stderr)")
        }
        environment = try S3TestServer.environment()
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let down = try handover(["build", "--manifest", fixture.manifestPath, bucket.location + "export/", "--output", out.path("b.tar")],
                                environment: environment)
        #expect(down.status == 2)
        #expect(down.stderr.contains("cannot reach the S3 endpoint http://127.0.0.1:1") && down.stderr.contains("AWS_ENDPOINT_URL"), "\(down.stderr)")
        #expect(!down.stderr.contains("Fatal error"))
        #expect(pathsUnder(out.path).isEmpty)
    }

    @Test("a key fetch.txt cannot carry safely is refused with --payload remote, naming it")
    func unsafeKeyRefused() throws {
        let (fixture, bucket) = try upload()
        try bucket.put("export/docs/forged\u{0B}line.md", Data("x\n".utf8))
        let out = try TempDirectory("s3-build")
        let result = try build(fixture, bucket.location + "export/", to: out.path("b.tar"), ["--payload", "remote"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("cannot be listed in fetch.txt") && result.stderr.contains("U+000B"), "\(result.stderr)")
        #expect(result.stderr.contains("forged%0Bline.md"), "the key is named, encoded: \(result.stderr)")
        #expect(result.stderr.contains("Rename the object, or build with --payload local (the default)"), "\(result.stderr)")
        #expect(pathsUnder(out.path).isEmpty)
    }
}
