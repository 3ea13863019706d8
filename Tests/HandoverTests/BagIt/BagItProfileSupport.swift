import Foundation
import HandoverKit
import Testing

/// What the BagIt Profile tests share: the shipped profile, profiles and bags made by the test,
/// and the two Python checkers (bagit-profile's `bagit_profile`, bdbag), run as they are.
enum ProfileSupport {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// Manifests/handover-bagit-profile.json, the authoritative copy of handover's profile.
    static let shippedProfile = repository.appendingPathComponent("Manifests/handover-bagit-profile.json").path

    /// The identifier of the test profile (never fetched: both checkers are given the file).
    static let testIdentifier = "https://profiles.example.org/handover-test-v1.json"

    /// A profile a `BagFixture` bag meets as it is: its fields, sha512 manifests, BagIt 1.0.
    static func baseProfile() -> [String: Any] {
        [
            "BagIt-Profile-Info": [
                "BagIt-Profile-Identifier": testIdentifier,
                "BagIt-Profile-Version": "1.4.0",
                "Source-Organization": "Tests of handover",
                "External-Description": "A profile the test bag meets unless a case changes one thing",
                "Version": "1",
            ],
            "Bag-Info": [
                "Source-Organization": ["required": true],
                "Bagging-Date": ["required": true],
            ],
            "Manifests-Required": ["sha512"],
            "Tag-Manifests-Required": ["sha512"],
            "Allow-Fetch.txt": false,
            "Serialization": "optional",
            "Accept-Serialization": ["application/zip", "application/x-tar"],
            "Accept-BagIt-Version": ["1.0"],
        ]
    }

    /// A `BagFixture` bag that names the test profile.
    static func baseBag() -> BagFixture {
        var bag = BagFixture()
        bag.bagInfo.append(("BagIt-Profile-Identifier", testIdentifier))
        return bag
    }

    /// Writes `profile` as JSON into `temp/name`; returns its path.
    static func write(_ profile: [String: Any], in temp: TempDirectory, name: String = "profile.json") throws -> String {
        let data = try JSONSerialization.data(withJSONObject: profile, options: [.prettyPrinted, .sortedKeys])
        return try temp.write(name, data)
    }

    static func python() throws -> String { try requireTool("python3", install: "apt-get install python3") }

    /// Fails with what to install when a Python module is absent (`.ci/setup` installs them).
    static func requireModule(_ module: String, package: String) throws {
        let probe = try runProcess(try python(), ["-c", "import \(module)"])
        guard probe.status == 0 else { throw MissingTool(tool: "the Python module \(module)", install: "pip install \(package)") }
    }

    static func bdbag() throws -> String { try requireTool("bdbag", install: "pip install bdbag") }

    /// bagit-profile's verdict on a bag: its serialization rules on `target` (the archive, or
    /// the folder), the others on `folder`, as its own command line does. True when it conforms.
    static func bagitProfileAccepts(profile: String, identifier: String, folder: String, target: String) throws -> (Bool, String) {
        try requireModule("bagit_profile", package: "bagit-profile")
        let script = """
            import json, logging, sys
            import bagit, bagit_profile
            logging.disable(logging.CRITICAL)
            profile_path, identifier, folder, target = sys.argv[1:5]
            with open(profile_path) as f:
                profile = bagit_profile.Profile(identifier, profile=json.load(f))
            ok = True
            try:
                profile.validate_serialization(target)
            except bagit_profile.ProfileValidationError as e:
                ok = False
                print("serialization:", e)
            if not profile.validate(bagit.Bag(folder)):
                ok = False
                print(profile.report)
            print("VALID" if ok else "INVALID")
            sys.exit(0 if ok else 1)
            """
        let result = try runProcess(try python(), ["-c", script, profile, identifier, folder, target])
        guard result.status == 0 || result.status == 1, result.stdout.contains("VALID") else {
            throw FixtureError("bagit_profile did not run: \(result.stdout)\(result.stderr)")
        }
        return (result.status == 0, result.stdout)
    }

    /// `handover verify --profile PROFILE TARGET --format json`: whether the profile's rules
    /// hold, and the codes of those that do not.
    static func handoverVerdict(profile: String, target: String) throws -> (passed: Bool, codes: [String], result: ProcessResult) {
        let result = try handover(["verify", "--profile", profile, target, "--format", "json"])
        let json = try jsonObject(result)
        let check = try #require(json["profile"] as? [String: Any], "no profile in \(result.stdout)")
        let passed = try #require(check["passed"] as? Bool)
        let problems = try #require(check["problems"] as? [[String: Any]])
        return (passed, problems.compactMap { $0["code"] as? String }, result)
    }
}
