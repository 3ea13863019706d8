import Foundation
import HandoverKit
import Testing

/// A profile file is input like any other: one that is not JSON, not a BagIt Profile, of the
/// wrong types, huge or nested without end is exit status 2 with a message that names the file
/// and what is wrong, never a crash, and the bundle is not read.
@Suite("BagIt profiles: hostile profile files")
struct BagItProfileHostileTests {
    /// The base profile as JSON text with one key replaced (or removed, for nil).
    static func variant(_ key: String, _ value: Any?) throws -> Data {
        var profile = ProfileSupport.baseProfile()
        profile[key] = value
        return try JSONSerialization.data(withJSONObject: profile)
    }

    static func cases() throws -> [(name: String, contents: Data, message: String)] {
        let deep = Data(String(repeating: "[", count: 200_000).utf8)
        return [
            ("empty", Data(), "is not a BagIt Profile: it cannot be read as JSON"),
            ("cut short", Data("{\"BagIt-Profile-Info\": {".utf8), "is not a BagIt Profile: it cannot be read as JSON"),
            ("not UTF-8", Data([0xFF, 0xFE, 0x7B, 0x00]), "is not a BagIt Profile: it cannot be read as JSON"),
            ("a list", Data("[1, 2, 3]".utf8), "its JSON is not an object"),
            ("a YAML manifest", Data("version: 1\nhandover:\n  contract: X\n".utf8), "it cannot be read as JSON"),
            ("nested without end", deep, "is not a BagIt Profile"),
            ("number out of range", Data("{\"BagIt-Profile-Info\": 1e999}".utf8), "is not a BagIt Profile"),
            ("no BagIt-Profile-Info", try variant("BagIt-Profile-Info", nil), "it has no \"BagIt-Profile-Info\""),
            ("no identifier", try variant("BagIt-Profile-Info", ["Source-Organization": "x"]), "it has no \"BagIt-Profile-Identifier\" in \"BagIt-Profile-Info\""),
            ("identifier a number", try variant("BagIt-Profile-Info", ["BagIt-Profile-Identifier": 42]), "\"BagIt-Profile-Identifier\" in \"BagIt-Profile-Info\" must be a string, not a number"),
            ("no versions", try variant("Accept-BagIt-Version", nil), "it has no \"Accept-BagIt-Version\""),
            ("empty versions", try variant("Accept-BagIt-Version", [String]()), "\"Accept-BagIt-Version\" lists no version"),
            ("manifests a string", try variant("Manifests-Required", "sha256"), "\"Manifests-Required\" must be a list of strings, not a string"),
            ("manifests of numbers", try variant("Manifests-Required", [256]), "\"Manifests-Required\" must be a list of strings, but it holds a number"),
            ("Bag-Info a list", try variant("Bag-Info", ["Source-Organization"]), "\"Bag-Info\" must be an object of bag-info.txt labels"),
            ("required a string", try variant("Bag-Info", ["Source-Organization": ["required": "yes"]]), "\"required\" of \"Source-Organization\" in \"Bag-Info\" must be true or false, not a string"),
            ("values a string", try variant("Bag-Info", ["Source-Organization": ["values": "York"]]), "\"values\" of \"Source-Organization\" in \"Bag-Info\" must be a list of strings"),
            ("fetch a string", try variant("Allow-Fetch.txt", "false"), "\"Allow-Fetch.txt\" must be true or false, not a string"),
            ("serialization unknown", try variant("Serialization", "sometimes"), "\"Serialization\" is \"sometimes\"; it must be \"forbidden\", \"required\" or \"optional\""),
            ("required not allowed", try variant("Manifests-Allowed", ["md5"]), "the profile contradicts itself, so no bag could meet it: it requires sha512 payload manifests"),
        ]
    }

    @Test("each hostile profile: exit 2, one message naming the file, no output, no crash")
    func hostile() throws {
        let temp = try TempDirectory("profile-hostile")
        let bag = temp.path("bag")
        try FileManager.default.createDirectory(atPath: bag, withIntermediateDirectories: true)
        try ProfileSupport.baseBag().write(to: bag)
        for (index, item) in try Self.cases().enumerated() {
            let path = try temp.write("profile-\(index).json", item.contents)
            for format in ["text", "json"] {
                let verify = try handover(["verify", "--profile", path, bag, "--format", format], environment: ["SWIFT_BACKTRACE": "enable=no"])
                #expect(verify.status == 2, "\(item.name): \(verify.status) \(verify.stdout)\(verify.stderr)")
                #expect(verify.stdout.isEmpty, "\(item.name): \(verify.stdout)")
                #expect(verify.stderr.hasPrefix("handover: error: \(path): "), "\(item.name): \(verify.stderr)")
                #expect(verify.stderr.contains(item.message), "\(item.name): \(verify.stderr)")
                #expect(verify.stderr.split(separator: "\n").count == 1, "\(item.name): \(verify.stderr)")
            }
        }
    }

    @Test("a profile larger than 1 MiB, a folder or a missing file: exit 2 before anything is read")
    func notASmallFile() throws {
        let temp = try TempDirectory("profile-hostile-files")
        var big = ProfileSupport.baseProfile()
        big["External-Padding"] = String(repeating: "x", count: 2 << 20)
        let huge = try ProfileSupport.write(big, in: temp, name: "huge.json")
        let folder = temp.path("folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cases = [(huge, "is larger than 1 MiB"), (folder, "is a folder, not a regular file"), (temp.path("absent.json"), "no such file")]
        for (path, message) in cases {
            // The bundle does not exist either: the profile is read first, and stops the run.
            let verify = try handover(["verify", "--profile", path, temp.path("no-bundle.tar")])
            #expect(verify.status == 2, "\(path): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stderr == "handover: error: \(path): \(message)\n" || verify.stderr.hasPrefix("handover: error: \(path): \(message)"), "\(verify.stderr)")
        }
    }
}
