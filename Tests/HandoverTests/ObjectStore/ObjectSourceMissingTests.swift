import Foundation
import HandoverKit
import Testing

/// `handover missing --manifest M s3://bucket/prefix/`: the provider's export as it lies in
/// object storage is judged exactly as the same export in a folder.
@Suite("handover missing on an s3:// SOURCE")
struct ObjectSourceMissingTests {
    /// Acme's export uploaded under `export/` of a fresh bucket, beside a key outside the prefix.
    private func upload(_ fixture: SourceFixture) throws -> S3TestBucket {
        let bucket = try S3TestBucket("missing")
        try bucket.putFolder(fixture.source, under: "export/")
        try bucket.put("elsewhere/ignored.csv", Data("not below the prefix\n".utf8))
        try bucket.put("export/empty-folder/", Data())
        return bucket
    }

    @Test("the same export in a bucket gives the same list as in a folder")
    func sameAsFolder() throws {
        let fixture = try acmeSource()
        let bucket = try upload(fixture)
        let environment = try S3TestServer.environment()
        let local = try handover(["missing", "--manifest", fixture.manifestPath, fixture.source, "--format", "json"])
        let remote = try handover(["missing", "--manifest", fixture.manifestPath, "s3://\(bucket.name)/export", "--format", "json"], environment: environment)
        #expect(remote.status == 0, "\(remote.stdout)\(remote.stderr)")
        // The same, but for the note on the workbook whose parts a stream cannot read.
        var remoteObject = try jsonObject(remote)
        var deliverables = try #require(remoteObject["deliverables"] as? [[String: Any]])
        let inventories = try #require(deliverables.firstIndex { $0["id"] as? String == "inventories" })
        let warnings = deliverables[inventories]["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.count == 1 && warnings.first?["code"] as? String == "object-parts-not-read"
                && warnings.first?["file"] as? String == "inventory/licences.xlsx", "\(warnings)")
        if let localWarnings = try jsonObject(local).deliverableWarnings("inventories") {
            deliverables[inventories]["warnings"] = localWarnings
        } else {
            deliverables[inventories].removeValue(forKey: "warnings")
        }
        remoteObject["deliverables"] = deliverables
        let canonical = { (object: [String: Any]) throws -> String in
            String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        #expect(try canonical(remoteObject) == canonical(jsonObject(local)), "\(remote.stdout)\n\(local.stdout)")
        let text = try handover(["missing", "--manifest", fixture.manifestPath, "s3://\(bucket.name)/export/", "--verbose"], environment: environment)
        #expect(text.stdout.contains("  scratch/notes.txt\n"))
        #expect(!text.stdout.contains("ignored.csv"))
        #expect(text.stdout.contains("inventory/licences.xlsx: not checked inside"), "\(text.stdout)")
    }

    @Test("a CSV without a required column, read from the bucket, fails the check")
    func csvHeaderReadFromTheObject() throws {
        let fixture = try acmeSource()
        try fixture.write("access/accounts.csv", "account;system;role;owner\nalice;erp;admin;DSI\n")
        let bucket = try upload(fixture)
        let result = try handover(["missing", "--manifest", fixture.manifestPath, bucket.location + "export/"], environment: S3TestServer.environment())
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains(" access-list ") })
        #expect(line.hasPrefix("INVALID"), "\(line)")
        #expect(result.stdout.contains("mfa"))
    }

    @Test("refused credentials and an endpoint that is down exit 2 and say what to check")
    func couldNotRun() throws {
        let fixture = try acmeSource()
        let bucket = try upload(fixture)
        var environment = try S3TestServer.environment()
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-000000000000000000000000000"
        let refused = try handover(["missing", "--manifest", fixture.manifestPath, bucket.location], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("refused the credentials (SignatureDoesNotMatch)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("AWS_SECRET_ACCESS_KEY"))
        environment = try S3TestServer.environment()
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1"
        let down = try handover(["missing", "--manifest", fixture.manifestPath, bucket.location], environment: environment)
        #expect(down.status == 2)
        #expect(down.stderr.contains("cannot reach the S3 endpoint http://127.0.0.1:1"), "\(down.stderr)")
        #expect(down.stderr.contains("AWS_ENDPOINT_URL"))
        #expect(!down.stderr.contains("Fatal error"))
    }
}

private extension Dictionary where Key == String, Value == Any {
    /// The `warnings` of the deliverable `id` in a `missing --format json` object.
    func deliverableWarnings(_ id: String) -> Any? {
        (self["deliverables"] as? [[String: Any]])?.first { $0["id"] as? String == id }?["warnings"]
    }
}
