import Foundation
import Testing

/// The recipient proves when the bundle's content existed, with openssl alone or with handover,
/// against a time-stamping authority started by the test on loopback (Timestamp/LocalTSA.swift).
@Suite("Time-stamped bundles: build --tsa and verify --tsa-ca")
struct TimestampBundleTests {
    @Test("build --tsa stores a token that openssl ts -verify accepts; verify --tsa-ca reports its time")
    func timestampAcceptedByOpenSSL() throws {
        let tsa = try EvidenceTSA()
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        let before = Date()
        let build = try stage.buildOK("bundle.tar", ["--tsa", tsa.url])
        let after = Date()
        let summary = try #require(build.stdout.split(separator: "\n").first { $0.hasPrefix("  time-stamped at ") }.map(String.init),
                                   "\(build.stdout)")
        #expect(summary.hasSuffix(" by \(tsa.url)"), "\(summary)")

        let bag = try stage.unpack()
        #expect(FileManager.default.fileExists(atPath: bag + "/handover/timestamp.tsr"))
        let openssl = try tsa.opensslVerify(bag)
        #expect(openssl.status == 0 && openssl.stdout.contains("Verification: OK"), "\(openssl.stdout)\(openssl.stderr)")
        let bagit = try EvidenceFixture.bagitValidate(bag)
        #expect(bagit.status == 0, "bagit.py: \(bagit.stderr)")

        let verify = try stage.verify("bundle.tar", ["--tsa-ca", tsa.caPath])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let line = try #require(verify.stdout.split(separator: "\n").first { $0.hasPrefix("Time-stamp:") }.map(String.init))
        #expect(line.contains("verified against \(tsa.caPath)"), "\(line)")
        #expect(!line.contains("not verified"), "\(line)")
        let reported = try #require(firstRFC3339Time(in: line), "no time in: \(line)")
        // The time is the one in the token, as openssl reads it, and it is the time of the build.
        let opensslTime = try opensslTime(of: bag + "/handover/timestamp.tsr", pki: tsa.pki)
        #expect(reported.timeIntervalSince1970.rounded(.down) == opensslTime.timeIntervalSince1970)
        #expect(reported >= before.addingTimeInterval(-2) && reported <= after.addingTimeInterval(2), "\(reported) not within the build")
        #expect(firstRFC3339Time(in: summary) == reported, "the build's summary gave the same time: \(summary)")
    }

    @Test("a token checked against another CA is refused (exit 1); without --tsa-ca the time is not verified (exit 0)")
    func judgedByTheCAGiven() throws {
        let tsa = try EvidenceTSA()
        defer { tsa.stop() }
        let other = try TestPKI("other", withTSA: false)
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar", ["--tsa", tsa.url])
        let openssl = try tsa.opensslVerify(try stage.unpack(), caFile: other.caPath)
        #expect(openssl.status != 0, "openssl accepted a token from another CA: \(openssl.stdout)")

        let refused = try stage.verify("bundle.tar", ["--tsa-ca", other.caPath])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("Time-stamp: FAILED"), "\(refused.stdout)")
        #expect(refused.stdout.contains("does not chain to the CA in \(other.caPath)"), "\(refused.stdout)")
        #expect(refused.stdout.contains("Result: INVALID"))

        let unchecked = try stage.verify()
        #expect(unchecked.status == 0, "\(unchecked.stdout)\(unchecked.stderr)")
        let line = try #require(unchecked.stdout.split(separator: "\n").first { $0.hasPrefix("Time-stamp:") }.map(String.init))
        #expect(line.contains("not verified"), "\(line)")
        #expect(firstRFC3339Time(in: line) != nil, "the time is still reported: \(line)")
        #expect(unchecked.stdout.contains("give --tsa-ca"), "the text says how to verify it: \(unchecked.stdout)")
        // Unverified, the token's time and TSA name are a claim, never a date of the report.
        #expect(line.contains("claims to be time-stamped at"), "\(line)")
        let report = try handover(["report", stage.path("bundle.tar"), "--format", "json", "--output", "-"])
        let dates = try #require((try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["dates"] as? [String: Any])
        #expect(dates["timestamped"] == nil, "\(dates)")
        let verified = try handover(["report", stage.path("bundle.tar"), "--format", "json", "--output", "-", "--tsa-ca", tsa.caPath])
        let verifiedDates = try #require((try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])?["dates"] as? [String: Any])
        #expect(verifiedDates["timestamped"] is String, "\(verifiedDates)")
        // Verified, the TSA named is the subject of the certificate that signed the token.
        let checked = try stage.verify("bundle.tar", ["--tsa-ca", tsa.caPath])
        #expect(checked.stdout.contains("was time-stamped at") && checked.stdout.contains(", verified against \(tsa.caPath)"), "\(checked.stdout)")
    }

    @Test("a bundle without a time-stamp is refused when --tsa-ca asks for one")
    func missingTimestampRefused() throws {
        let ca = try TestPKI("unused", withTSA: false)
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        #expect(try stage.verify().stdout.contains("Time-stamp: none"))
        let verify = try stage.verify("bundle.tar", ["--tsa-ca", ca.caPath])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("no time-stamp"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INVALID"))
    }

    @Test("a token taken from another bundle is refused, with or without --tsa-ca")
    func tokenOfAnotherBundleRefused() throws {
        let tsa = try EvidenceTSA()
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        try stage.buildOK("stamped.tar", ["--tsa", tsa.url])
        try stage.source.write("docs/later.md", "# Added after the time-stamp\n")
        try stage.buildOK("unstamped.tar")
        let stamped = try stage.unpack("stamped.tar"), unstamped = try stage.unpack("unstamped.tar")
        try FileManager.default.copyItem(atPath: stamped + "/handover/timestamp.tsr", toPath: unstamped + "/handover/timestamp.tsr")
        try stage.repack(unstamped, as: "borrowed.tar")

        for extra in [["--tsa-ca", tsa.caPath], []] {
            let verify = try stage.verify("borrowed.tar", extra)
            #expect(verify.status == 1, "verify \(extra): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("over other content"), "\(verify.stdout)")
        }
    }

    /// A TSA that gives no time-stamp: nobody listening, a refusal, an HTTP error.
    enum DeadTSA: String, CaseIterable, Sendable {
        case closedPort, rejects, httpError
    }

    @Test("a TSA that gives no time-stamp stops build with exit 2, leaving no bundle, no .sha256, no temporary file",
          arguments: DeadTSA.allCases)
    func deadTSA(kind: DeadTSA) throws {
        let tsa = try EvidenceTSA("dead")
        defer { tsa.stop() }
        let url: String
        switch kind {
        case .closedPort: url = "http://127.0.0.1:\(try closedLoopbackPort())/"
        case .rejects: url = tsa.url + "/reject"
        case .httpError: url = tsa.url + "/http-error"
        }
        let stage = try EvidenceFixture()
        let build = try stage.build("bundle.tar", ["--tsa", url])
        #expect(build.status == 2, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.hasPrefix("handover: error: No time-stamp could be obtained"), "\(build.stderr)")
        #expect(build.stderr.contains(url), "the message names the TSA: \(build.stderr)")
        #expect(!build.stdout.contains("Wrote"))
        let leftovers = try stage.leftovers(startingWith: "bundle.tar")
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test("with two --tsa, when the first is dead the second one stamps the bundle")
    func fallsBackToSecondTSA() throws {
        let tsa = try EvidenceTSA()
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        let dead = "http://127.0.0.1:\(try closedLoopbackPort())/"
        let build = try stage.buildOK("bundle.tar", ["--tsa", dead, "--tsa", tsa.url])
        #expect(build.stdout.contains(" by \(tsa.url)\n"), "\(build.stdout)")
        let verify = try stage.verify("bundle.tar", ["--tsa-ca", tsa.caPath])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("verified against \(tsa.caPath)"), "\(verify.stdout)")
    }

    @Test("a signed and time-stamped bundle verifies with both --allowed-signers and --tsa-ca, and with the standard tools")
    func signedAndTimestamped() throws {
        let tsa = try EvidenceTSA()
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        let build = try stage.buildOK("bundle.tar.zst", ["--sign", signer.key, "--tsa", tsa.url])
        #expect(build.stdout.contains("signed by \(signer.fingerprint)"), "\(build.stdout)")
        #expect(build.stdout.contains("time-stamped at "), "\(build.stdout)")

        let verify = try stage.verify("bundle.tar.zst", ["--allowed-signers", signer.allowed, "--tsa-ca", tsa.caPath])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Authenticity: authenticated, signed by \(EvidenceFixture.principal)"), "\(verify.stdout)")
        #expect(verify.stdout.contains("verified against \(tsa.caPath)"), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: VALID"))

        let bag = try stage.unpack("bundle.tar.zst")
        let keygen = try stage.sshKeygenVerify(bag, allowedSigners: signer.allowed)
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let openssl = try tsa.opensslVerify(bag)
        #expect(openssl.status == 0, "\(openssl.stderr)")
    }
}

/// The first RFC 3339 UTC time (`2026-12-31T12:00:00Z`, fractions allowed) in `text`.
func firstRFC3339Time(in text: String) -> Date? {
    guard let range = text.range(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, options: .regularExpression) else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = text[range].contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    return formatter.date(from: String(text[range]))
}

/// The token's time as `openssl ts -reply -text` reads it ("Time stamp: Nov 27 21:11:12 2026 GMT").
func opensslTime(of response: String, pki: TestPKI) throws -> Date {
    let text = try pki.run(["ts", "-reply", "-in", response, "-text"]).stdout
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("Time stamp: ") })
    // Drop fractions of a second, and the padding openssl puts before one-digit days.
    let words = line.dropFirst("Time stamp: ".count).split(separator: " ").map {
        $0.contains(":") ? String($0.prefix(8)) : String($0)
    }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
    return try #require(formatter.date(from: words.joined(separator: " ")), "cannot read openssl's time: \(line)")
}
