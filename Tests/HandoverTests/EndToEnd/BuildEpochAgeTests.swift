import Foundation
@testable import HandoverKit
import Testing

/// With SOURCE_DATE_EPOCH earlier than the files, the bundle stores the files' times clamped to
/// it. Build and verify must judge `max-age-days` on the same times, or a bundle that build
/// passed fails its own verify.
@Suite("build and verify judge max-age-days on the same (clamped) file times")
struct BuildEpochAgeTests {
    /// 2026-01-01T00:00:00Z, long before the access list of 2026-12-20.
    static let earlyEpoch: Int64 = 1_767_225_600
    /// 2026-12-20T00:00:00Z: eleven days before the handover date of 2026-12-31.
    static let fileTime: Int64 = 1_797_724_800

    static func source() throws -> SourceFixture {
        let fixture = try SourceFixture(manifest: manifestText(date: "2026-12-31", deliverables: """
              - id: access-list
                title: Accounts and access rights
                paths: ["access/*.csv"]
                max-age-days: 30
            """), files: ["access/accounts.csv": "account,system\nalice,erp\n"])
        try fixture.setModified("access/accounts.csv", to: Timestamp(seconds: fileTime))
        return fixture
    }

    /// The fixture built in-process at the early epoch, incomplete on purpose.
    static func builtWithEarlyEpoch(_ fixture: SourceFixture) throws -> BuildResult {
        var options = BuildOptions(output: fixture.temp.path("acme.tar"))
        options.sourceDateEpoch = earlyEpoch
        options.allowIncomplete = true
        return try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source, options: options)
    }

    @Test("build's verdict and verify's are the same, problem for problem")
    func sameVerdict() throws {
        let fixture = try Self.source()
        let built = try Self.builtWithEarlyEpoch(fixture)
        let verified = try BundleVerification.verify(path: built.archivePath, options: .init())
        let atBuild = try built.report.result("access-list")
        let atVerify = try #require(verified.completeness).result("access-list")
        #expect(atBuild.status == atVerify.status)
        #expect(atBuild.status == .invalid, "the stored time is 2026-01-01, 365 days before the end of the handover day")
        #expect(atBuild.problemText.contains("365 days old"), "\(atBuild.problemText)")
        #expect(atVerify.problemText.contains("365 days old"), "\(atVerify.problemText)")
    }

    @Test("the clamp is a problem with a code, so a French report says it in French")
    func clampSaidInFrench() throws {
        let fixture = try Self.source()
        let built = try Self.builtWithEarlyEpoch(fixture)
        let problem = try #require(try built.report.result("access-list").problems.first)
        #expect(problem.code == .tooOldClamped)
        let verified = try BundleVerification.verify(path: built.archivePath, options: .init())
        // Verify reads the stored time, which to it is the file's time: the same age, said without the clamp.
        let completeness = try #require(verified.completeness)
        let atVerify = try #require(try completeness.result("access-list").problems.first)
        #expect(atVerify.code == .tooOld)
        #expect(atVerify.parameters?["age"] == problem.parameters?["age"] && atVerify.parameters?["maximum"] == problem.parameters?["maximum"])
        #expect(problem.message == "the newest file is 365 days old at the handover date (its time is clamped to SOURCE_DATE_EPOCH, "
            + "2026-01-01T00:00:00Z; an epoch at or after the file's time keeps it); at most 30 days allowed")
        let code = try #require(problem.code)
        let french = try #require(ProblemSentences.sentence(code, problem.parameters ?? [:], in: .fr, escape: { $0 }))
        #expect(french == "le fichier le plus récent date de 365 jours à la date de remise (sa date est ramenée à SOURCE_DATE_EPOCH, "
            + "soit 2026-01-01T00:00:00Z ; une valeur de SOURCE_DATE_EPOCH égale ou postérieure à la date du fichier la conserve) ; "
            + "30 jours au plus sont admis")
    }

    @Test("the build is refused, and says the clamp made the file old")
    func refusedWithReason() throws {
        let fixture = try Self.source()
        let output = fixture.temp.path("acme.tar.zst")
        let result = try fixture.build(to: output, epoch: Self.earlyEpoch)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let said = result.stdout + result.stderr
        #expect(said.contains("clamped to SOURCE_DATE_EPOCH, 2026-01-01T00:00:00Z"), "\(said)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("with SOURCE_DATE_EPOCH at the handover, the same files build and verify")
    func epochAtHandover() throws {
        let fixture = try Self.source()
        let output = try fixture.buildBundle("acme.tar.zst", epoch: handoverEpoch)
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Completeness: ok"), "\(verify.stdout)")
    }
}
