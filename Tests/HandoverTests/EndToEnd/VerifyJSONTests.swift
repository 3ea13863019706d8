import Foundation
import HandoverKit
import Testing

/// A machine (the client's archiving system) reads `verify --format json`.
@Suite("handover verify --format json has the documented keys")
struct VerifyJSONTests {
    static let topKeys: Set<String> = ["formatVersion", "path", "passed", "state", "authenticity", "signedBy", "time", "integrity", "signature", "timestamp", "evidenceProblems"]

    @Test("a complete bundle: integrity, completeness, signature and time-stamp, each with its keys")
    func complete() throws {
        let fixture = try bundleSource()
        let output = try fixture.buildBundle("acme.tar.zst", ["--algorithm", "sha512"])
        let result = try handover(["verify", output, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let json = try jsonObject(result)
        #expect(Set(json.keys) == Self.topKeys.union(["completeness", "archive"]), "\(json.keys.sorted())")
        #expect(json["formatVersion"] as? Int == 1)
        #expect(json["path"] as? String == output)
        #expect(json["state"] as? String == "intact-and-complete")
        #expect(json["passed"] as? Bool == true)
        #expect((json["evidenceProblems"] as? [Any])?.isEmpty == true)

        let integrity = try #require(json["integrity"] as? [String: Any])
        #expect(Set(integrity.keys) == ["valid", "problems", "warnings", "payloadFiles", "payloadBytes", "algorithms", "holey", "state", "unlistedEntries", "bagInfo"])
        #expect(integrity["valid"] as? Bool == true)
        #expect(integrity["payloadFiles"] as? Int == 4)
        let payloadBytes = try bundlePayload.reduce(0) { $0 + (try Data(contentsOf: URL(fileURLWithPath: fixture.path($1)))).count }
        #expect(integrity["payloadBytes"] as? Int == payloadBytes)
        #expect(integrity["algorithms"] as? [String] == ["sha256", "sha512"])
        #expect(integrity["holey"] as? Bool == false)
        let bagInfo = try #require(integrity["bagInfo"] as? [[String]])
        #expect(bagInfo.contains(["External-Identifier", "CTR-2023-042"]))
        #expect(bagInfo.contains(["Payload-Oxum", "\(payloadBytes).4"]))

        let completeness = try #require(json["completeness"] as? [String: Any])
        #expect(completeness["passed"] as? Bool == true)
        #expect(completeness["manifest"] as? String == "handover/manifest.yaml")
        #expect((completeness["deliverables"] as? [[String: Any]])?.count == 4)

        let signature = try #require(json["signature"] as? [String: Any])
        #expect(signature["present"] as? Bool == false)
        #expect(signature["valid"] as? Bool == false)
        #expect(signature["principals"] as? [String] == [])
        let timestamp = try #require(json["timestamp"] as? [String: Any])
        #expect(timestamp["present"] as? Bool == false)
    }

    @Test("a tampered bundle: passed false, problems with severity, code, file, line and message")
    func problems() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        try RawFiles.append(bag, "manifest-sha256.txt", "\(String(repeating: "0", count: 64))  data/../../etc/passwd\n")
        let result = try handover(["verify", bag, "--format", "json"])
        #expect(result.status == 1)
        let json = try jsonObject(result)
        #expect(json["passed"] as? Bool == false)
        let integrity = try #require(json["integrity"] as? [String: Any])
        #expect(integrity["valid"] as? Bool == false)
        let problems = try #require(integrity["problems"] as? [[String: Any]])
        let parent = try #require(problems.first { $0["code"] as? String == "path-parent" })
        #expect(parent["severity"] as? String == "problem")
        #expect(parent["file"] as? String == "manifest-sha256.txt")
        #expect(parent["line"] as? Int == 5)
        #expect((parent["message"] as? String)?.isEmpty == false)
        #expect(problems.contains { $0["code"] as? String == "checksum-mismatch" && $0["file"] as? String == "manifest-sha256.txt" },
                "the tag manifest no longer matches the edited manifest")
    }

    @Test("warnings carry severity warning; stdout stays pure JSON while they go to stderr")
    func warnings() throws {
        let rule = try #require(bagRules.first { $0.rule.contains(".DS_Store") })
        let temp = try TempDirectory("verify-json")
        try rule.bag.write(to: temp.path)
        let result = try handover(["verify", temp.path, "--format", "json"])
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("warning: data/.DS_Store"), "\(result.stderr)")
        let integrity = try #require(try jsonObject(result)["integrity"] as? [String: Any])
        let warnings = try #require(integrity["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["severity"] as? String == "warning")
        #expect(warnings.first?["code"] as? String == "system-file")
    }

    @Test("a carried manifest that cannot be read: manifestProblem, and no completeness")
    func manifestProblem() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        try Data("version: 2\n".utf8).write(to: URL(fileURLWithPath: bag + "/handover/manifest.yaml"))
        let result = try handover(["verify", bag, "--format", "json"])
        #expect(result.status == 1)
        let json = try jsonObject(result)
        #expect(Set(json.keys) == Self.topKeys.union(["manifestProblem"]))
        #expect((json["manifestProblem"] as? String)?.hasPrefix("handover/manifest.yaml cannot be read: ") == true)
    }
}
