import Foundation
import HandoverKit
import Testing

/// An archive's intake checks bags against the BagIt Profile they name: handover's bundles name
/// the profile shipped in Manifests/, and bdbag, bagit-profile and `handover verify --profile`
/// all accept them against it.
@Suite("BagIt profiles: handover's bundles meet the shipped profile")
struct BagItProfileTests {
    /// The shipped profile's identifier, read from the file as any checker reads it.
    static func shippedIdentifier() throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: ProfileSupport.shippedProfile))
        let profile = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let info = try #require(profile["BagIt-Profile-Info"] as? [String: Any])
        return try #require(info["BagIt-Profile-Identifier"] as? String)
    }

    @Test("build names the shipped profile in bag-info.txt, and the identifier is the one the file gives")
    func bagInfoNamesProfile() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        let identifier = try Self.shippedIdentifier()
        #expect(identifier == BagLayout.profileIdentifier)
        #expect(identifier.hasPrefix("https://"))
        #expect(try lines(of: bag + "/bag-info.txt").contains("BagIt-Profile-Identifier: \(identifier)"))
    }

    @Test("verify --profile and bagit-profile accept every serialization build writes, and the bag folder",
          arguments: ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"])
    func accepted(_ ext: String) throws {
        let fixture = try bundleSource()
        let archive = try fixture.buildBundle("acme.\(ext)")
        let folder = try StandardTools.extract(archive, into: fixture.temp.path("x"))
        for target in [archive, folder] {
            let verify = try handover(["verify", "--profile", ProfileSupport.shippedProfile, target])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("Profile: conforms to \(BagLayout.profileIdentifier) (\(ProfileSupport.shippedProfile))"), "\(verify.stdout)")
            let json = try ProfileSupport.handoverVerdict(profile: ProfileSupport.shippedProfile, target: target)
            #expect(json.passed && json.codes.isEmpty, "\(json.result.stdout)")
            // bagit-profile reads the bag from the folder, and judges the serialization of the target.
            let (accepted, output) = try ProfileSupport.bagitProfileAccepts(
                profile: ProfileSupport.shippedProfile, identifier: BagLayout.profileIdentifier, folder: folder, target: target)
            #expect(accepted, "bagit_profile on \(target): \(output)")
        }
    }

    @Test("bdbag --validate-profile full accepts a bag folder our build made, with the shipped profile")
    func bdbagFolder() throws {
        let fixture = try bundleSource()
        let folder = try StandardTools.extract(try fixture.buildBundle("acme.tar.gz"), into: fixture.temp.path("x"))
        let result = try runProcess(try ProfileSupport.bdbag(), ["--validate-profile", "full", "--profile-path", ProfileSupport.shippedProfile, folder])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("Bag structure conforms to specified profile"), "\(result.stderr)")
    }

    /// bdbag reads zip and tar (plain, gzip, bzip2, xz), not zstd.
    @Test("bdbag --validate-profile full accepts our serialized bundles, with the shipped profile", arguments: ["tar", "tar.gz", "tgz", "tar.xz", "zip"])
    func bdbagArchive(_ ext: String) throws {
        let fixture = try bundleSource()
        let archive = try fixture.buildBundle("acme.\(ext)")
        let result = try runProcess(try ProfileSupport.bdbag(), ["--validate-profile", "full", "--profile-path", ProfileSupport.shippedProfile, archive],
                                    currentDirectory: fixture.temp.path(""))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("Bag structure conforms to specified profile"), "\(result.stderr)")
        #expect(result.stderr.contains("Bag serialization conforms to specified profile"), "\(result.stderr)")
    }

    @Test("a bag bagit.py made does not meet handover's profile: each unmet rule is named, exit 1")
    func foreignBagFails() throws {
        let temp = try TempDirectory("profile-foreign")
        let bag = try VerifyBagitPythonTests.makeBag(in: temp)
        let verify = try handover(["verify", "--profile", ProfileSupport.shippedProfile, bag])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Integrity: intact and complete"), "the bag itself is fine: \(verify.stdout)")
        #expect(verify.stdout.contains("bag-info.txt: lacks BagIt-Profile-Identifier, which names the profile a bag follows"), "\(verify.stdout)")
        #expect(verify.stdout.contains("bag-info.txt: lacks Handover-Client, which the profile requires."), "\(verify.stdout)")
        #expect(verify.stdout.contains("handover/manifest.yaml: absent, but the profile requires this tag file."), "\(verify.stdout)")
        #expect(verify.stdout.contains("bagit.txt: the bag is BagIt 0.97, but the profile accepts BagIt 1.0."), "\(verify.stdout)")
        #expect(verify.stdout.contains("Result: INVALID"), "\(verify.stdout)")

        let json = try ProfileSupport.handoverVerdict(profile: ProfileSupport.shippedProfile, target: bag)
        #expect(!json.passed)
        // bagit.py writes BagIt 0.97; the profile accepts 1.0 only.
        #expect(Set(json.codes) == ["profile-version-not-accepted", "profile-identifier-missing", "profile-tag-missing", "profile-tag-file-missing"], "\(json.codes)")
        #expect(json.result.status == 1)
        let (accepted, _) = try ProfileSupport.bagitProfileAccepts(profile: ProfileSupport.shippedProfile, identifier: BagLayout.profileIdentifier,
                                                                   folder: bag, target: bag)
        #expect(!accepted, "bagit_profile agrees the bag does not meet the profile")
    }

    @Test("--quiet still says which rules of the profile are unmet")
    func quietSaysWhy() throws {
        let temp = try TempDirectory("profile-quiet")
        let bag = try VerifyBagitPythonTests.makeBag(in: temp)
        let verify = try handover(["verify", "--quiet", "--profile", ProfileSupport.shippedProfile, bag])
        #expect(verify.status == 1)
        #expect(verify.stdout.isEmpty)
        #expect(verify.stderr.contains("profile \(BagLayout.profileIdentifier): bag-info.txt: lacks Handover-Client, which the profile requires."), "\(verify.stderr)")
    }

    @Test("Data-Empty: a bag with a payload fails a profile that wants none")
    func dataEmpty() throws {
        let temp = try TempDirectory("profile-data-empty")
        let folder = temp.path("bag")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ProfileSupport.baseBag().write(to: folder)
        var profile = ProfileSupport.baseProfile()
        profile["Data-Empty"] = true
        let verdict = try ProfileSupport.handoverVerdict(profile: try ProfileSupport.write(profile, in: temp), target: folder)
        #expect(!verdict.passed)
        #expect(verdict.codes == ["profile-data-not-empty"])
        #expect(verdict.result.status == 1)
    }
}
