import Foundation
import Testing
@testable import HandoverKit

/// Old TSAs still issue tokens whose message imprint is SHA-1, and `openssl ts -verify` accepts
/// them. handover reads them too, and says in the verdict's time part that SHA-1 is weak; a
/// SHA-1 imprint of other content still fails.
@Suite("Time-stamps over a SHA-1 imprint: accepted with a warning")
struct TimestampSHA1Tests {
    @Test("a SHA-1 token made by openssl ts -query -sha1 / -reply verifies, with the weak-hash warning")
    func sha1TokenVerifiesWithWarning() async throws {
        let pki = try TestPKI("sha1")
        let manifest = try TimestampTests.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest, hash: "sha1")
        let openssl = try runProcess(pki.openssl, ["ts", "-verify", "-data", manifest, "-in", pki.folder.path("direct-sha1.tsr"), "-CAfile", pki.caPath])
        #expect(openssl.status == 0 && openssl.stdout.contains("Verification: OK"), "openssl: \(openssl.stdout)\(openssl.stderr)")

        let verification = try await TimestampVerifier(caFile: pki.caPath).verify(bytes, against: .file(path: manifest))
        #expect(verification.outcome == .verified, "\(verification.message)")
        #expect(verification.token?.imprint.algorithm == .sha1)
        #expect(verification.token?.imprint.digest.count == 20)
        #expect(verification.warnings.count == 1)
        #expect(verification.warnings.first?.contains("SHA-1 hash, which is weak") == true, "\(verification.warnings)")

        // The same content given as bytes is hashed with SHA-1 too.
        let asBytes = try await TimestampVerifier().verify(bytes, against: .bytes(Array(try pki.folder.read("tagmanifest-sha256.txt"))))
        #expect(asBytes.outcome == .notVerified && !asBytes.warnings.isEmpty)

        // A SHA-256 token carries no warning.
        let strong = try await TimestampVerifier(caFile: pki.caPath).verify(pki.opensslTokenBytes(over: manifest), against: .file(path: manifest))
        #expect(strong.outcome == .verified && strong.warnings.isEmpty)
    }

    @Test("a SHA-1 imprint of other content fails, as openssl ts -verify fails it")
    func sha1OtherContentFails() async throws {
        let pki = try TestPKI("sha1-other")
        let manifest = try TimestampTests.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest, hash: "sha1")
        let otherFile = try pki.folder.write("other.txt", "not the tag manifest\n")
        let openssl = try runProcess(pki.openssl, ["ts", "-verify", "-data", otherFile, "-in", pki.folder.path("direct-sha1.tsr"), "-CAfile", pki.caPath])
        #expect(openssl.status != 0)
        for content: TimestampedContent in [.file(path: otherFile), .imprint(try MessageImprint(ofFileAt: otherFile, algorithm: .sha1))] {
            let verification = try await TimestampVerifier(caFile: pki.caPath).verify(bytes, against: content)
            #expect(verification.outcome == .failed(.imprint), "\(verification.message)")
            #expect(verification.message.contains("over other content"), "\(verification.message)")
        }
        // Given only a SHA-256 hash, a SHA-1 token cannot be compared: a failure that says so.
        let onlySHA256 = try await TimestampVerifier().verify(bytes, against: .imprint(try MessageImprint(ofFileAt: manifest)))
        #expect(onlySHA256.outcome == .failed(.imprint))
        #expect(onlySHA256.message.contains("SHA-1"), "\(onlySHA256.message)")
    }

    @Test("handover verify of a bundle stamped over SHA-1: exit 0, the warning in text and JSON; over other content: exit 1")
    func bundleVerdict() throws {
        let tsa = try EvidenceTSA("sha1-bundle")
        defer { tsa.stop() }
        let stage = try EvidenceFixture()
        try stage.buildOK("plain.tar")
        let bag = try stage.unpack("plain.tar")
        let token = try tsa.pki.opensslTokenBytes(over: bag + "/tagmanifest-sha256.txt", hash: "sha1")
        try Data(token).write(to: URL(fileURLWithPath: bag + "/handover/timestamp.tsr"))
        try stage.repack(bag, as: "sha1.tar")
        let openssl = try tsa.opensslVerify(bag)
        #expect(openssl.status == 0, "openssl ts -verify: \(openssl.stdout)\(openssl.stderr)")

        let text = try stage.verify("sha1.tar", ["--tsa-ca", tsa.caPath])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        let timePart = text.stdout.components(separatedBy: "Time-stamp:").dropFirst().first ?? ""
        #expect(timePart.contains("verified against \(tsa.caPath)"), "\(text.stdout)")
        #expect(timePart.contains("warning: the time-stamp is over a SHA-1 hash, which is weak"), "\(text.stdout)")

        let json = try stage.verify("sha1.tar", ["--tsa-ca", tsa.caPath, "--format", "json"])
        #expect(json.status == 0, "\(json.stdout)\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let timestamp = try #require(object["timestamp"] as? [String: Any], "\(json.stdout)")
        #expect(timestamp["outcome"] as? String == "verified")
        let warnings = try #require(timestamp["warnings"] as? [String], "\(timestamp)")
        #expect(warnings.count == 1 && warnings[0].contains("SHA-1"), "\(warnings)")

        // A SHA-1 token over another file, in the same place: the bundle fails.
        let other = stage.path("other.txt")
        try Data("not this bundle's tag manifest\n".utf8).write(to: URL(fileURLWithPath: other))
        try Data(try tsa.pki.opensslTokenBytes(over: other, hash: "sha1")).write(to: URL(fileURLWithPath: bag + "/handover/timestamp.tsr"))
        try stage.repack(bag, as: "sha1-other.tar")
        let refused = try stage.verify("sha1-other.tar", ["--tsa-ca", tsa.caPath])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("over other content"), "\(refused.stdout)")
    }
}
