import Foundation
import HandoverKit
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

    @Test("build's verdict and verify's are the same, problem for problem")
    func sameVerdict() throws {
        let fixture = try Self.source()
        var options = BuildOptions(output: fixture.temp.path("acme.tar"))
        options.sourceDateEpoch = Self.earlyEpoch
        options.allowIncomplete = true
        let built = try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source, options: options)
        let verified = try BundleVerification.verify(path: built.archivePath, options: .init())
        let atBuild = try built.report.result("access-list")
        let atVerify = try #require(verified.completeness).result("access-list")
        #expect(atBuild.status == atVerify.status)
        #expect(atBuild.status == .invalid, "the stored time is 2026-01-01, 365 days before the end of the handover day")
        #expect(atBuild.problemText.contains("365 days old"), "\(atBuild.problemText)")
        #expect(atVerify.problemText.contains("365 days old"), "\(atVerify.problemText)")
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
