import Foundation
import HandoverKit
import Testing

/// A manifest without a handover date measures `max-age-days` on the day of the build. The
/// client who verifies the bundle months later must get the same verdict, not "too old today".
@Suite("verify measures ages as of the build when the manifest has no date")
struct VerifyAgeTests {
    static func freshSource() throws -> SourceFixture {
        try SourceFixture(manifest: manifestText(date: nil, deliverables: """
              - id: access-list
                title: Accounts and access rights
                paths: ["access/*.csv"]
                max-age-days: 30
            """), files: ["access/accounts.csv": "account,system\nalice,erp\n"])
    }

    /// Builds in process at `built`, the access list modified `days` before; returns the archive.
    static func build(at built: Timestamp, fileAgeDays days: Int64, allowIncomplete: Bool = false) throws -> (SourceFixture, BuildResult) {
        let fixture = try freshSource()
        try fixture.setModified("access/accounts.csv", to: Timestamp(seconds: built.seconds - days * 86_400))
        var options = BuildOptions(output: fixture.temp.path("acme.tar"))
        options.now = built
        options.allowIncomplete = allowIncomplete
        return (fixture, try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source, options: options))
    }

    @Test("a bundle verified 90 days after its build is still complete")
    func verifiedLater() throws {
        let built = Timestamp.now
        let (fixture, result) = try Self.build(at: built, fileAgeDays: 10)
        #expect(result.report.passed)
        var later = BundleVerification.Options()
        later.now = Timestamp(seconds: built.seconds + 90 * 86_400)
        let verification = try withExtendedLifetime(fixture) { try BundleVerification.verify(path: result.archivePath, options: later) }
        #expect(verification.bag.isValid)
        #expect(verification.completeness?.passed == true, "\(verification.completeness?.results.map(\.problems) ?? [])")
        #expect(verification.passed)
    }

    @Test("a file already too old at the build stays too old (built with --allow-incomplete)")
    func tooOldAtBuild() throws {
        let (fixture, result) = try Self.build(at: .now, fileAgeDays: 45, allowIncomplete: true)
        #expect(!result.report.passed)
        let verification = try withExtendedLifetime(fixture) { try BundleVerification.verify(path: result.archivePath, options: .init()) }
        let access = try #require(verification.completeness?.results.first)
        #expect(access.status == .invalid)
        #expect(access.problemText.contains("the newest file is 45 days old"), "\(access.problemText)")
    }

    @Test("built with SOURCE_DATE_EPOCH 60 days ago (times clamped to it), the bundle verifies today")
    func clampedEpoch() throws {
        let fixture = try Self.freshSource()
        let epoch = Timestamp.now.seconds - 60 * 86_400
        try fixture.setModified("access/accounts.csv", to: Timestamp(seconds: Timestamp.now.seconds - 86_400))
        let output = try fixture.buildBundle("acme.tar.zst", epoch: epoch)
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Completeness: ok"))
    }
}
