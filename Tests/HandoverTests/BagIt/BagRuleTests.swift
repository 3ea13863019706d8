import Foundation
import HandoverKit
import Testing

/// One rule of RFC 8493 (or of prudence), a bag made to follow or break it, and the verdict.
struct BagRule: Sendable, CustomTestStringConvertible {
    /// A finding expected: its rule and the file it names.
    struct Finding: Hashable, Sendable, CustomStringConvertible {
        let code: BagIssue.Code
        let file: String
        init(_ code: BagIssue.Code, _ file: String) {
            self.code = code
            self.file = file
        }
        var description: String { "\(code.rawValue) @ \(file)" }
    }

    let rule: String
    var problems: [Finding] = []
    var warnings: [Finding] = []
    let bag: BagFixture
    var check: @Sendable (BagVerification) -> Bool = { _ in true }

    var testDescription: String { rule }
}

private let digest = String(repeating: "0", count: 128)
private let nfc = "data/caf\u{E9}.txt"
private let nfd = "data/cafe\u{301}.txt"

private func bag(_ change: (inout BagFixture) -> Void) -> BagFixture {
    var fixture = BagFixture()
    change(&fixture)
    return fixture
}

private func payload(_ names: String...) -> [(path: [UInt8], bytes: [UInt8])] {
    names.map { (Array($0.utf8), Array("content of \($0)\n".utf8)) }
}

/// The rules, in the order of the RFC.
let bagRules: [BagRule] = [
    BagRule(rule: "A minimal bag (bagit.txt, data/, manifest, bag-info, tag manifest) is valid", bag: BagFixture()),
    BagRule(rule: "A BagIt 0.97 bag is read", bag: bag { $0.declaration = Array("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n".utf8) }),
    BagRule(rule: "§2.1.1 bagit.txt with CRLF line endings is valid", bag: bag { $0.declaration = Array("BagIt-Version: 1.0\r\nTag-File-Character-Encoding: UTF-8\r\n".utf8) }),
    BagRule(rule: "§2.1.1 bagit.txt must not start with a byte-order mark",
            problems: [.init(.declarationByteOrderMark, "bagit.txt")],
            bag: bag { $0.declaration = [0xEF, 0xBB, 0xBF] + Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8) }),
    BagRule(rule: "§2.1.1 a version other than 1.0 or a draft from 0.93 to 0.97 is a problem",
            problems: [.init(.unsupportedVersion, "bagit.txt")],
            bag: bag { $0.declaration = Array("BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n".utf8) }),
    BagRule(rule: "A BagIt 0.96 bag is read, its old version a warning",
            warnings: [.init(.oldVersion, "bagit.txt")],
            bag: bag { $0.declaration = Array("BagIt-Version: 0.96\nTag-File-Character-Encoding: UTF-8\n".utf8) }),
    BagRule(rule: "§2.1.1 an encoding handover cannot read is a problem",
            problems: [.init(.unknownEncoding, "bagit.txt")],
            bag: bag { $0.declaration = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: KOI8-R\n".utf8) }),
    BagRule(rule: "§2.1 bagit.txt is required",
            problems: [.init(.missingDeclaration, "bagit.txt")],
            bag: bag { $0.declaration = nil }),
    BagRule(rule: "§2.1.2 the payload folder data/ is required",
            problems: [.init(.missingPayloadDirectory, "data")],
            bag: bag { $0.payload = []; $0.afterWriting = { try RawFiles.removeFolder($0, "data") } }),
    BagRule(rule: "§2.1.3 at least one payload manifest is required",
            problems: [.init(.noPayloadManifest, "manifest-<algorithm>.txt")],
            bag: bag { $0.algorithms = [] }),
    BagRule(rule: "§2.1.3 every payload file is listed: an unlisted file is a problem",
            problems: [.init(.unlistedFile, "data/extra.txt"), .init(.payloadOxumMismatch, "bag-info.txt")],
            bag: bag { $0.afterWriting = { try RawFiles.write($0, Array("data/extra.txt".utf8), [1, 2, 3]) } }),
    BagRule(rule: "§3 every listed payload file is present",
            problems: [.init(.missingFile, "data/b.txt"), .init(.payloadOxumMismatch, "bag-info.txt")],
            bag: bag { $0.payload = payload("data/a.txt", "data/b.txt"); $0.afterWriting = { try RawFiles.remove($0, "data/b.txt") } }),
    BagRule(rule: "§3 every checksum matches: a flipped byte is a problem",
            problems: [.init(.checksumMismatch, "data/hello.txt")],
            bag: bag { $0.afterWriting = { try RawFiles.flipByte($0, "data/hello.txt", at: 3) } }),
    BagRule(rule: "§3 every checksum of every manifest is checked (sha256 and sha512)",
            problems: [.init(.checksumMismatch, "data/hello.txt")],
            bag: bag { $0.algorithms = [.sha256, .sha512]; $0.afterWriting = { try RawFiles.flipByte($0, "data/hello.txt") } },
            check: { $0.problems.count == 2 }),
    BagRule(rule: "§2.2.2 Payload-Oxum must match the payload's bytes and files",
            problems: [.init(.payloadOxumMismatch, "bag-info.txt")],
            bag: bag { $0.oxum = "999.1" }),
    BagRule(rule: "§2.2.2 Payload-Oxum must be OctetCount.StreamCount",
            problems: [.init(.malformedPayloadOxum, "bag-info.txt")],
            bag: bag { $0.oxum = "sixteen" }),
    BagRule(rule: "§6.1 a manifest path with ../ climbs out of the bag",
            problems: [.init(.parentPath, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(digest)  data/../../etc/passwd"] }),
    BagRule(rule: "§6.1 an absolute manifest path is refused",
            problems: [.init(.absolutePath, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(digest)  /etc/passwd"] }),
    BagRule(rule: "§6.1 a manifest path starting with ~ is refused",
            problems: [.init(.homePath, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(digest)  ~/.ssh/id_ed25519"] }),
    BagRule(rule: "§2.1.3 a payload manifest must not list files outside data/",
            problems: [.init(.notUnderPayload, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(digest)  bagit.txt"] }),
    BagRule(rule: "§2.1.3 a path listed twice, even with the same checksum, is a problem",
            problems: [.init(.repeatedManifestEntry, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(BagFixture.digest(Array("Hello, handover\n".utf8), .sha512))  data/hello.txt"] }),
    BagRule(rule: "§2.1.3 a path listed twice with different checksums is a problem",
            problems: [.init(.conflictingManifestEntry, "manifest-sha512.txt")],
            bag: bag { $0.extraManifestLines = ["\(digest)  data/hello.txt"] }),
    BagRule(rule: "§2.4 md5 alone is too weak: a warning",
            warnings: [.init(.weakAlgorithmsOnly, "manifest-md5.txt")],
            bag: bag { $0.algorithms = [.md5] }),
    BagRule(rule: "§2.1.3 paths are relative without ./: a warning",
            warnings: [.init(.dotSegment, "manifest-sha512.txt")],
            bag: bag { $0.pathPrefix = "./" }),
    BagRule(rule: "§2.1.3 names with spaces, %, CR and LF are percent-encoded and read back",
            bag: bag { $0.payload = payload("data/with space.txt", "data/100% sure.txt", "data/line\nbreak.txt", "data/carriage\rreturn.txt") }),
    BagRule(rule: "§7.2 a .DS_Store in the payload is a warning",
            warnings: [.init(.systemFile, "data/.DS_Store")],
            bag: bag { $0.payload += payload("data/.DS_Store") }),
    BagRule(rule: "§7.2 Thumbs.db and AppleDouble ._ files are warnings",
            warnings: [.init(.systemFile, "data/dir/Thumbs.db"), .init(.systemFile, "data/._hello.txt")],
            bag: bag { $0.payload += payload("data/dir/Thumbs.db", "data/._hello.txt") }),
    BagRule(rule: "§7.2.1 names differing only by case are a warning",
            warnings: [.init(.caseCollision, "data/Report.txt")],
            bag: bag { $0.payload = payload("data/Report.txt", "data/report.txt") }),
    BagRule(rule: "§7.2.2 names differing only by Unicode normalization (NFC, NFD) are a warning",
            warnings: [.init(.normalizationCollision, nfd)],
            bag: bag { $0.payload = payload(nfc, nfd) }),
    BagRule(rule: "§7.2.2 a manifest name in NFC matches a file stored in NFD, with a warning",
            warnings: [.init(.normalizationMismatch, "manifest-sha512.txt")],
            bag: bag {
                $0.payload = payload(nfc)
                $0.afterWriting = { root in try RawFiles.rename(root, nfc, to: nfd) }
            },
            check: { $0.payload.map(\.displayPath) == ["cafe\u{301}.txt"] }),
    BagRule(rule: "§3 a holey bag (fetch.txt, file absent) is incomplete, hence not valid",
            problems: [.init(.holeyBag, "fetch.txt")],
            bag: bag {
                $0.payload += payload("data/remote.bin")
                $0.fetch = "https://example.org/remote.bin 27 data/remote.bin\n"
                $0.afterWriting = { root in
                    try RawFiles.remove(root, "data/remote.bin")
                    // Payload-Oxum counts the file to fetch, as the bag will be once complete.
                }
            },
            check: { $0.isHoley && $0.fetchItems.count == 1 }),
    BagRule(rule: "§2.2.3 a path fetch.txt lists twice is a problem (only one URL would be fetched)",
            problems: [.init(.holeyBag, "fetch.txt"), .init(.repeatedFetchPath, "fetch.txt")],
            bag: bag {
                $0.payload += payload("data/remote.bin")
                $0.fetch = "https://example.org/remote.bin 27 data/remote.bin\nhttps://example.org/other.bin 27 data/remote.bin\n"
                $0.afterWriting = { root in try RawFiles.remove(root, "data/remote.bin") }
            },
            check: { $0.fetchItems.count == 2 }),
    BagRule(rule: "§2.2.3 every file of fetch.txt must be in every payload manifest",
            problems: [.init(.fetchNotInManifest, "fetch.txt")],
            bag: bag { $0.fetch = "https://example.org/x.bin - data/x.bin\n" },
            check: { $0.fetchItems.map(\.displayPath) == ["data/x.bin"] }),
    BagRule(rule: "§2.2.1 a tag file that does not match its tag manifest is a problem",
            problems: [.init(.checksumMismatch, "bag-info.txt")],
            bag: bag { $0.afterWriting = { try RawFiles.append($0, "bag-info.txt", "Contact-Name: Mallory\n") } }),
    BagRule(rule: "§3 every file listed in a tag manifest is present",
            problems: [.init(.missingFile, "bag-info.txt")],
            bag: bag { $0.afterWriting = { try RawFiles.remove($0, "bag-info.txt") } }),
    BagRule(rule: "§2.3 bag-info.txt in ISO-8859-1, as bagit.txt declares, is read",
            bag: bag {
                $0.declaration = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: ISO-8859-1\n".utf8)
                $0.encoding = .latin1
                $0.payload = payload("data/résumé.txt")
            },
            check: { $0.bagInfo?.value("Source-Organization") == "Infogérance Ouest SAS" && $0.payload.first?.displayPath == "résumé.txt" }),
    BagRule(rule: "§2.3 bag-info.txt and manifests in UTF-16, as bagit.txt declares, are read",
            bag: bag {
                $0.declaration = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n".utf8)
                $0.encoding = .utf16
                $0.payload = payload("data/Zoë.txt")
            },
            check: { $0.bagInfo?.value("Source-Organization") == "Infogérance Ouest SAS" && $0.payload.first?.displayPath == "Zoë.txt" }),
    BagRule(rule: "§2.3 a UTF-8 tag file must not start with a byte-order mark: a warning",
            warnings: [.init(.tagFileByteOrderMark, "bag-info.txt")],
            bag: bag { $0.bagInfoByteOrderMark = true }),
    BagRule(rule: "A symbolic link in the payload is a problem, never followed",
            problems: [.init(.notRegularFile, "data/passwd")],
            bag: bag { $0.afterWriting = { try RawFiles.symlink($0, "data/passwd", to: "/etc/passwd") } }),
    BagRule(rule: "A FIFO in the payload is a problem, never read",
            problems: [.init(.notRegularFile, "data/pipe")],
            bag: bag { $0.afterWriting = { try RawFiles.fifo($0, "data/pipe") } }),
    BagRule(rule: "bagit-python's unencoded % in a manifest is matched as written, with a warning",
            warnings: [.init(.percentNotEncoded, "manifest-sha512.txt")],
            bag: bag {
                $0.payload += payload("data/50%25.txt")
                $0.unlisted = [Array("data/50%25.txt".utf8)]
                let line = "\(BagFixture.digest(Array("content of data/50%25.txt\n".utf8), .sha512))  data/50%25.txt"
                $0.extraManifestLines = [line]
                $0.oxum = "\(16 + 26).2"
            }),
]

@Suite("RFC 8493 rules, one small bag folder each")
struct BagRuleTests {
    @Test(arguments: bagRules)
    func rule(_ rule: BagRule) throws {
        let folder = try TempDirectory("bag-rule")
        try rule.bag.write(to: folder.path)
        let result = try verifyFolder(folder.path)
        let problems = Set(result.problems.map { BagRule.Finding($0.code, $0.file) })
        let warnings = Set(result.warnings.map { BagRule.Finding($0.code, $0.file) })
        #expect(problems == Set(rule.problems), "problems: \(result.problems)")
        #expect(warnings == Set(rule.warnings), "warnings: \(result.warnings)")
        #expect(result.isValid == rule.problems.isEmpty)
        #expect(rule.check(result))
    }
}

@Suite("Bag verification results for the command line")
struct BagVerificationOutputTests {
    @Test("Findings encode to JSON with their rule, file, line and message; the verdict maps to the exit status")
    func json() throws {
        let folder = try TempDirectory("bag-json")
        var bag = BagFixture()
        bag.extraManifestLines = ["\(String(repeating: "0", count: 128))  /etc/passwd"]
        try bag.write(to: folder.path)
        let result = try verifyFolder(folder.path)
        #expect(result.exitStatus == .checkFailed)
        let json = String(decoding: try JSONEncoder().encode(result.problems), as: UTF8.self)
        #expect(json.contains("\"code\":\"path-absolute\""))
        #expect(json.contains("\"file\":\"manifest-sha512.txt\""))
        #expect(json.contains("\"line\":2"))
        #expect(json.contains("\"severity\":\"problem\""))

        let valid = try TempDirectory("bag-json")
        try BagFixture().write(to: valid.path)
        #expect(try verifyFolder(valid.path).exitStatus == .ok)
    }
}
