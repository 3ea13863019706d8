import Foundation
import HandoverKit
import Testing

@Suite("handover missing --format json gives machines the documented fields")
struct MissingJSONTests {
    func json(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result.stdout)")
    }

    @Test("a complete export: every documented key, with its value")
    func complete() throws {
        let fixture = try acmeSource()
        let result = try fixture.missing(["--format", "json"])
        #expect(result.status == 0)
        let object = try json(result)
        #expect(Set(object.keys) == ["formatVersion", "manifest", "handover", "passed", "summary", "deliverables", "notCollected", "secretsAllowed",
                                     "ignored", "emptyFolders", "notFilledIn", "windowsSafe"])
        #expect(object["formatVersion"] as? Int == 1)
        let ignored = try #require(object["ignored"] as? [String: Any])
        #expect(ignored["count"] as? Int == 0 && ignored["bytes"] as? Int == 0 && (ignored["files"] as? [String])?.isEmpty == true)
        #expect(object["emptyFolders"] as? [String] == [])
        #expect((object["notFilledIn"] as? [Any])?.isEmpty == true)
        #expect(object["windowsSafe"] as? Bool == false)
        #expect(object["manifest"] as? String == fixture.manifestPath)
        #expect(object["passed"] as? Bool == true)
        #expect(object["secretsAllowed"] as? Bool == false)

        let handover = try #require(object["handover"] as? [String: Any])
        #expect(handover["contract"] as? String == "CTR-2023-042")
        #expect(handover["client"] as? String == "Acme SA")
        #expect(handover["provider"] as? String == "Infogerance Ouest SAS")
        #expect(handover["recipient"] as? String == "Nouveau Prestataire SAS")
        #expect(handover["date"] as? String == "2026-12-31")

        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["required": 4, "ok": 4, "missing": 0, "invalid": 0, "optionalAbsent": 1])

        let deliverables = try #require(object["deliverables"] as? [[String: Any]])
        #expect(deliverables.compactMap { $0["id"] as? String } == ["access-list", "documentation", "inventories", "backup-plan", "server-keys"])
        for entry in deliverables {
            for key in ["id", "title", "status", "files", "bytes", "problems", "warnings"] {
                #expect(entry[key] != nil, "\(entry["id"] ?? "?") has no \(key)")
            }
        }
        let documentation = deliverables[1]
        #expect(documentation["title"] as? String == "Technical documentation")
        #expect(documentation["status"] as? String == "ok")
        #expect(documentation["files"] as? Int == 2)
        #expect(documentation["bytes"] as? Int == "# Architecture\n".utf8.count + "%PDF-1.7\n".utf8.count)
        #expect((documentation["problems"] as? [Any])?.isEmpty == true)
        #expect(deliverables[3]["status"] as? String == "optional-absent")
        #expect(deliverables[4]["confidential"] as? Bool == true)

        let notCollected = try #require(object["notCollected"] as? [String: Any])
        #expect(notCollected["count"] as? Int == 1)
        #expect(notCollected["bytes"] as? Int == "not part of the handover\n".utf8.count)
        #expect(notCollected["files"] as? [String] == ["scratch/notes.txt"])
    }

    @Test("a failing export: exit 1, status and problems per deliverable, nothing but JSON on stdout")
    func failing() throws {
        let fixture = try acmeSource()
        try fixture.remove("access/accounts.csv")
        try fixture.write("inventory/switches.ods", "PK")
        let result = try fixture.missing(["--format", "json"])
        #expect(result.status == 1)
        let object = try json(result)
        #expect(object["passed"] as? Bool == false)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["missing"] == 1)
        #expect(summary["invalid"] == 1)
        let deliverables = try #require(object["deliverables"] as? [[String: Any]])
        let access = try #require(deliverables.first { $0["id"] as? String == "access-list" })
        #expect(access["status"] as? String == "missing")
        #expect(access["files"] as? Int == 0)
        let inventories = try #require(deliverables.first { $0["id"] as? String == "inventories" })
        #expect(inventories["status"] as? String == "invalid")
        let problems = try #require(inventories["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["file"] as? String == "inventory/switches.ods")
        #expect(problems.first?["message"] as? String == "format .ods is not allowed here (expected .csv, .xlsx)")
        // The code and parameters a report in another language says it from.
        #expect(problems.first?["code"] as? String == "format-not-allowed")
        #expect(problems.first?["parameters"] as? [String: String] == ["format": "ods", "expected": ".csv, .xlsx"])
    }

    @Test("with --allow-secrets, findings are warnings and secretsAllowed is true")
    func secretsAllowed() throws {
        let fixture = try acmeSource()
        try fixture.write("docs/architecture.md", "# Architecture\nkey \(SampleSecrets.awsKeyID)\n")
        let result = try fixture.missing(["--format", "json", "--allow-secrets"])
        #expect(result.status == 0)
        let object = try json(result)
        #expect(object["secretsAllowed"] as? Bool == true)
        let deliverables = try #require(object["deliverables"] as? [[String: Any]])
        let documentation = try #require(deliverables.first { $0["id"] as? String == "documentation" })
        let warnings = try #require(documentation["warnings"] as? [[String: Any]])
        #expect(warnings.first?["file"] as? String == "docs/architecture.md")
        #expect(warnings.first?["code"] as? String == "secret-allowed")
        #expect(!result.stdout.contains(SampleSecrets.awsKeyID))
    }
}
