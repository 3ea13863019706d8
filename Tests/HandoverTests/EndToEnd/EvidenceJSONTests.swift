import Foundation
import Testing

/// A machine that receives bundles (an archiving system, a ticket robot) reads the signature and
/// time-stamp outcome from `verify --format json`, with the keys README.md documents.
@Suite("verify --format json reports the signature and the time-stamp")
struct EvidenceJSONTests {
    func json(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
                     "not a JSON object: \(result.stdout)", sourceLocation: sourceLocation)
    }

    func object(_ name: String, in json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(json[name] as? [String: Any], "no \(name) object in \(json)", sourceLocation: sourceLocation)
    }

    @Test("a signed and time-stamped bundle: signer, fingerprint, verified time; and the same bundle without the options")
    func signedAndTimestamped() throws {
        let tsa = try EvidenceTSA("json")
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar", ["--sign", signer.key, "--tsa", tsa.url])

        let checked = try stage.verify("bundle.tar", ["--format", "json", "--allowed-signers", signer.allowed, "--tsa-ca", tsa.caPath])
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let full = try json(checked)
        #expect(full["passed"] as? Bool == true)
        let signature = try object("signature", in: full)
        #expect(signature["present"] as? Bool == true)
        #expect(signature["valid"] as? Bool == true)
        #expect(signature["fingerprint"] as? String == signer.fingerprint)
        #expect(signature["principals"] as? [String] == [EvidenceFixture.principal])
        #expect((signature["summary"] as? String)?.contains("Good SSH signature") == true)
        let timestamp = try object("timestamp", in: full)
        #expect(timestamp["present"] as? Bool == true)
        #expect(timestamp["outcome"] as? String == "verified")
        let time = try #require(timestamp["time"] as? String)
        let parsed = try #require(firstRFC3339Time(in: time), "not RFC 3339: \(time)")
        #expect(abs(parsed.timeIntervalSinceNow) < 600)
        #expect((timestamp["message"] as? String)?.contains(time) == true)
        #expect((full["evidenceProblems"] as? [Any])?.isEmpty == true)

        let plain = try stage.verify("bundle.tar", ["--format", "json"])
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
        let unchecked = try json(plain)
        let uncheckedSignature = try object("signature", in: unchecked)
        #expect(uncheckedSignature["valid"] as? Bool == true, "the signature holds over the tag manifest")
        #expect(uncheckedSignature["fingerprint"] as? String == signer.fingerprint)
        #expect(uncheckedSignature["principals"] as? [String] == [], "no signer list, so no principal")
        #expect((uncheckedSignature["summary"] as? String)?.contains("not matched to a signer list") == true)
        let uncheckedTimestamp = try object("timestamp", in: unchecked)
        #expect(uncheckedTimestamp["outcome"] as? String == "not-verified")
        #expect(uncheckedTimestamp["time"] as? String == time)
    }

    @Test("an unsigned bundle checked with --allowed-signers and --tsa-ca: both absent, each a problem, exit 1")
    func absentEvidence() throws {
        let ca = try TestPKI("json", withTSA: false)
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("bundle.tar")

        let result = try stage.verify("bundle.tar", ["--format", "json", "--allowed-signers", signer.allowed, "--tsa-ca", ca.caPath])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let root = try json(result)
        #expect(root["passed"] as? Bool == false)
        #expect(try object("signature", in: root)["present"] as? Bool == false)
        #expect(try object("timestamp", in: root)["present"] as? Bool == false)
        let problems = try #require(root["evidenceProblems"] as? [String])
        #expect(problems.count == 2, "\(problems)")
        #expect(problems.contains { $0.contains("not signed") })
        #expect(problems.contains { $0.contains("no time-stamp") })
    }

    @Test("a signature for another namespace: present, not valid, the reason in evidenceProblems")
    func invalidSignature() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildSignedWithSSHKeygen(as: "git.tar", key: signer.key, namespace: "git")

        let result = try stage.verify("git.tar", ["--format", "json"])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let root = try json(result)
        let object = try object("signature", in: root)
        #expect(object["present"] as? Bool == true)
        #expect(object["valid"] as? Bool == false)
        #expect(object["fingerprint"] as? String == signer.fingerprint)
        let problems = try #require(root["evidenceProblems"] as? [String])
        #expect(problems.contains { $0.hasPrefix("handover/signature.sshsig: ") && $0.contains("\"git\"") }, "\(problems)")
    }
}
