import Foundation
import HandoverKit
import Testing

/// The small bags of RFC 8493's rules (the table of BagRuleTests, one bag per rule), serialized as
/// tar by bsdtar and run through the built binary: what a client sees on the command line.
@Suite("RFC 8493 fixture bags through handover verify")
struct RFCFixtureTests {
    /// The exit status a rule's bag must give: 0 valid (warnings allowed), 1 invalid.
    static func expectedStatus(_ rule: BagRule) -> Int32 { rule.problems.isEmpty ? 0 : 1 }

    /// Writes the rule's bag as `<temp>/rfc-fixture/` and serializes it with bsdtar into `name`.
    static func serialize(_ rule: BagRule, in temp: TempDirectory, as name: String) throws -> (folder: String, archive: String) {
        let folder = temp.path("rfc-fixture")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try rule.bag.write(to: folder)
        let archive = temp.path(name)
        try StandardTools.pack(folder, to: archive)
        return (folder, archive)
    }

    @Test("each rule's bag, as a tar made by bsdtar, gives its exit status and names its files", arguments: bagRules)
    func archive(_ rule: BagRule) throws {
        let temp = try TempDirectory("rfc-fixture")
        let (_, archive) = try Self.serialize(rule, in: temp, as: "bag.tar")
        try expect(rule, on: archive)
    }

    @Test("the conformance suite's kinds of bag, as a tar made by bsdtar, give their verdicts", arguments: conformanceCases)
    func conformance(_ rule: BagRule) throws {
        let temp = try TempDirectory("rfc-fixture")
        let (_, archive) = try Self.serialize(rule, in: temp, as: "bag.tar")
        try expect(rule, on: archive)
    }

    @Test("the same bags as folders give the same verdicts", arguments: bagRules)
    func folder(_ rule: BagRule) throws {
        let temp = try TempDirectory("rfc-fixture")
        let folder = temp.path("rfc-fixture")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try rule.bag.write(to: folder)
        try expect(rule, on: folder)
    }

    func expect(_ rule: BagRule, on target: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try handover(["verify", target])
        #expect(verify.status == Self.expectedStatus(rule), "\(rule.rule): \(verify.stdout)\(verify.stderr)", sourceLocation: sourceLocation)
        for problem in rule.problems {
            #expect(verify.stdout.contains("  \(problem.file)"), "\(problem) not named in: \(verify.stdout)", sourceLocation: sourceLocation)
        }
        // Tag files no tag manifest lists are named too (a bag of the table may have none);
        // their own tests are in CoverageTests.
        let warningLines = verify.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") && !$0.contains("is not listed in any tag manifest") }
        #expect(warningLines.count == rule.warnings.count, "\(rule.rule): \(verify.stderr)", sourceLocation: sourceLocation)
        for warning in rule.warnings {
            #expect(warningLines.contains { $0.hasPrefix("warning: \(warning.file)") }, "\(warning) not on stderr: \(verify.stderr)", sourceLocation: sourceLocation)
        }
        if rule.problems.isEmpty {
            #expect(verify.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact"), sourceLocation: sourceLocation)
        } else {
            #expect(verify.stdout.contains("Integrity: NOT INTACT, ") || verify.stdout.contains("Integrity: INCOMPLETE, "), "\(verify.stdout)", sourceLocation: sourceLocation)
            #expect(verify.stdout.contains("Result: INVALID") || verify.stdout.contains("Result: INCOMPLETE"), sourceLocation: sourceLocation)
        }

        let json = try jsonObject(try handover(["verify", target, "--format", "json"]), sourceLocation: sourceLocation)
        let integrity = try #require(json["integrity"] as? [String: Any], sourceLocation: sourceLocation)
        let found = { (key: String) in
            Set((integrity[key] as? [[String: Any]] ?? []).compactMap { issue -> BagRule.Finding? in
                guard let code = (issue["code"] as? String).flatMap(BagIssue.Code.init(rawValue:)), let file = issue["file"] as? String else { return nil }
                return BagRule.Finding(code, file)
            })
        }
        #expect(found("problems") == Set(rule.problems), sourceLocation: sourceLocation)
        #expect(found("warnings").filter { $0.code != .unlistedEntry } == Set(rule.warnings), sourceLocation: sourceLocation)
    }

    @Test("the holey bag is incomplete (exit 1), in text and JSON")
    func holey() throws {
        let rule = try #require(bagRules.first { $0.rule.contains("holey bag") })
        let temp = try TempDirectory("rfc-fixture")
        let (_, archive) = try Self.serialize(rule, in: temp, as: "holey.tar.gz")
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("Integrity: INCOMPLETE"), "\(verify.stdout)")
        #expect(verify.stdout.contains("1 payload file is only referenced by fetch.txt"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INCOMPLETE"), "\(verify.stdout)")
        let integrity = try #require(try jsonObject(try handover(["verify", archive, "--format", "json"]))["integrity"] as? [String: Any])
        #expect(integrity["holey"] as? Bool == true)
        #expect(integrity["state"] as? String == "intact-but-incomplete")
    }

    @Test("the required cases of the set are there", arguments: [
        "minimal bag", "flipped byte", "bagit.txt is required", "unlisted file", "listed payload file is present",
        "Payload-Oxum must match", "../", "md5 alone", ".DS_Store", "holey bag",
    ])
    func covered(_ words: String) {
        #expect(bagRules.contains { $0.rule.contains(words) }, "no fixture for \(words)")
    }
}
