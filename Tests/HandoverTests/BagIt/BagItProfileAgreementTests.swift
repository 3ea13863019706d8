import Foundation
import HandoverKit
import Testing

/// One rule at a time, on a bag and a profile the test writes: `handover verify --profile` and
/// bagit-profile (the Python reference checker) give the same verdict, and handover names the
/// rule with its code.
@Suite("BagIt profiles: handover and bagit-profile agree")
struct BagItProfileAgreementTests {
    /// A good bag and profile, or one thing changed in either.
    enum Case: String, CaseIterable, Sendable {
        case conforming, requiredFieldMissing, valueNotAllowed, valueAllowed, nonRepeatableRepeated
        case manifestMissing, manifestNotAllowed, tagManifestMissing
        case tagFileMissing, tagFilePresent, tagFileNotAllowed
        case fetchNotAllowed, fetchAllowed, versionNotAccepted, olderVersionAccepted
        case identifierMissing, identifierMismatch
        case serializationRequired, serializationForbidden, serializationAccepted, serializationNotAccepted

        /// The code handover gives, nil when the bag conforms.
        var code: String? {
            switch self {
            case .conforming, .valueAllowed, .tagFilePresent, .fetchAllowed, .olderVersionAccepted, .serializationAccepted: nil
            case .requiredFieldMissing: "profile-tag-missing"
            case .valueNotAllowed: "profile-tag-value-not-allowed"
            case .nonRepeatableRepeated: "profile-tag-repeated"
            case .manifestMissing: "profile-manifest-missing"
            case .manifestNotAllowed: "profile-manifest-not-allowed"
            case .tagManifestMissing: "profile-tag-manifest-missing"
            case .tagFileMissing: "profile-tag-file-missing"
            case .tagFileNotAllowed: "profile-tag-file-not-allowed"
            case .fetchNotAllowed: "profile-fetch-not-allowed"
            case .versionNotAccepted: "profile-version-not-accepted"
            case .identifierMissing: "profile-identifier-missing"
            case .identifierMismatch: "profile-identifier-mismatch"
            case .serializationRequired: "profile-serialization-required"
            case .serializationForbidden: "profile-serialization-forbidden"
            case .serializationNotAccepted: "profile-serialization-not-accepted"
            }
        }

        /// Whether the bag is checked as a zip rather than as a folder.
        var serialized: Bool { [.serializationForbidden, .serializationAccepted, .serializationNotAccepted].contains(self) }

        /// Changes the bag or the profile as the case says.
        func apply(bag: inout BagFixture, profile: inout [String: Any]) {
            var bagInfo = profile["Bag-Info"] as? [String: Any] ?? [:]
            switch self {
            case .conforming, .serializationAccepted: break
            case .requiredFieldMissing: bagInfo["Contact-Email"] = ["required": true]
            case .valueNotAllowed: bagInfo["Source-Organization"] = ["required": true, "values": ["York University", "Simon Fraser University"]]
            case .valueAllowed: bagInfo["Source-Organization"] = ["required": true, "values": ["York University", "Infogérance Ouest SAS"]]
            case .nonRepeatableRepeated:
                bag.bagInfo.append(("Source-Organization", "Nouveau Prestataire SAS"))
                bagInfo["Source-Organization"] = ["required": true, "repeatable": false]
            case .manifestMissing: profile["Manifests-Required"] = ["sha256"]
            case .manifestNotAllowed:
                bag.algorithms = [.sha512, .sha256]
                profile["Manifests-Allowed"] = ["sha512"]
            case .tagManifestMissing: profile["Tag-Manifests-Required"] = ["sha256"]
            case .tagFileMissing: profile["Tag-Files-Required"] = ["handover/manifest.yaml"]
            case .tagFilePresent:
                bag.afterWriting = { try RawFiles.write($0, Array("metadata/notes.txt".utf8), Array("notes\n".utf8)) }
                profile["Tag-Files-Required"] = ["metadata/notes.txt"]
            case .tagFileNotAllowed:
                bag.afterWriting = { root in
                    try RawFiles.write(root, Array("metadata/notes.txt".utf8), Array("notes\n".utf8))
                    try RawFiles.write(root, Array("other.txt".utf8), Array("other\n".utf8))
                }
                profile["Tag-Files-Allowed"] = ["metadata/*"]
            case .fetchNotAllowed: bag.fetch = "https://files.example.org/hello.txt 16 data/hello.txt\n"
            case .fetchAllowed:
                bag.fetch = "https://files.example.org/hello.txt 16 data/hello.txt\n"
                profile["Allow-Fetch.txt"] = true
            case .versionNotAccepted: profile["Accept-BagIt-Version"] = ["0.97"]
            case .olderVersionAccepted:
                bag.declaration = Array("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n".utf8)
                profile["Accept-BagIt-Version"] = ["0.97", "1.0"]
            case .identifierMissing: bag.bagInfo.removeAll { $0.0 == "BagIt-Profile-Identifier" }
            case .identifierMismatch:
                bag.bagInfo.removeAll { $0.0 == "BagIt-Profile-Identifier" }
                bag.bagInfo.append(("BagIt-Profile-Identifier", "https://profiles.example.org/another-v2.json"))
            case .serializationRequired: profile["Serialization"] = "required"
            case .serializationForbidden: profile["Serialization"] = "forbidden"
            case .serializationNotAccepted: profile["Accept-Serialization"] = ["application/x-tar"]
            }
            profile["Bag-Info"] = bagInfo
        }
    }

    @Test("same verdict as bagit-profile", arguments: Case.allCases)
    func agree(_ rule: Case) throws {
        let temp = try TempDirectory("profile-agree")
        var bag = ProfileSupport.baseBag()
        var profile = ProfileSupport.baseProfile()
        rule.apply(bag: &bag, profile: &profile)
        let folder = temp.path("bag")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try bag.write(to: folder)
        let profilePath = try ProfileSupport.write(profile, in: temp)
        var target = folder
        if rule.serialized {
            target = temp.path("bag.zip")
            try StandardTools.pack(folder, to: target)
        }

        let ours = try ProfileSupport.handoverVerdict(profile: profilePath, target: target)
        let (theirs, theirOutput) = try ProfileSupport.bagitProfileAccepts(profile: profilePath, identifier: ProfileSupport.testIdentifier,
                                                                          folder: folder, target: target)
        #expect(ours.passed == theirs, "handover: \(ours.codes), bagit_profile: \(theirOutput)")
        #expect(ours.passed == (rule.code == nil))
        #expect(ours.codes == rule.code.map { [$0] } ?? [], "\(ours.result.stdout)")
        if rule.code != nil {
            #expect(ours.result.status == 1, "a bag that fails its profile is not valid: \(ours.result.stdout)")
        }
    }
}
