import Foundation
import HandoverKit
import Testing

/// The README's main job on the shipped sample, as `Samples/demo.sh` runs it, with the built
/// binary (the script itself makes a release build, too slow for the test suite).
@Suite("The README's main job on Samples/")
struct BuildSamplesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func sample(_ name: String) -> String { repository.appendingPathComponent("Samples/\(name)").path }

    @Test("missing, build and verify on the sample export; sha256sum and bagit.py agree")
    func mainJob() throws {
        let manifest = Self.sample("acme-manifest.yaml")
        let complete = try handover(["missing", "--manifest", manifest, Self.sample("acme-export")])
        #expect(complete.status == 0, "\(complete.stdout)\(complete.stderr)")
        let incomplete = try handover(["missing", "--manifest", manifest, Self.sample("acme-export-incomplete")])
        #expect(incomplete.status == 1, "\(incomplete.stdout)\(incomplete.stderr)")

        let temp = try TempDirectory("samples")
        let output = temp.path("acme.tar.zst")
        let build = try handover(["build", "--manifest", manifest, Self.sample("acme-export"), "--output", output])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact and complete, but it is not signed"))
        let missing = try handover(["missing", output])
        #expect(missing.status == 0, "\(missing.stdout)\(missing.stderr)")
        #expect(missing.stdout.contains("optional-absent data-return-certificate"))

        let sums = try runProcess("sha256sum", ["-c", "acme.tar.zst.sha256"], currentDirectory: temp.path)
        #expect(sums.status == 0, "\(sums.stdout)\(sums.stderr)")
        let bag = try StandardTools.extract(output, into: temp.path("extracted"))
        let validate = try StandardTools.bagitValidate(bag)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }
}
