import Foundation
import HandoverKit
import Testing

/// Someone changes the bundle between the provider and the client. Whatever they do, `verify`
/// exits 1 and names the file, whether it reads the archive or the extracted folder.
@Suite("handover verify catches tampering, naming the file")
struct VerifyTamperTests {
    enum Tampering: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case flippedByte, addedFile, removedFile, editedBagInfo

        var testDescription: String { rawValue }

        /// Changes the extracted bag folder.
        func apply(to bag: String) throws {
            switch self {
            case .flippedByte: try RawFiles.flipByte(bag, "data/access/accounts.csv", at: 12)
            case .addedFile: try RawFiles.write(bag, Array("data/docs/slipped in.md".utf8), Array("added later\n".utf8))
            case .removedFile: try RawFiles.remove(bag, "data/inventory/servers.csv")
            case .editedBagInfo:
                let path = Array("bag-info.txt".utf8)
                let text = String(decoding: try RawFiles.read(bag, path), as: UTF8.self)
                try RawFiles.write(bag, path, Array(text.replacingOccurrences(of: "Acme SA", with: "Acme Holding").utf8))
            }
        }

        /// The problem lines `verify` must print: each names the file.
        var expected: [String] {
            switch self {
            case .flippedByte: ["  data/access/accounts.csv: "]
            case .addedFile: ["  data/docs/slipped in.md: ", "  bag-info.txt: "]
            case .removedFile: ["  data/inventory/servers.csv: ", "  bag-info.txt: "]
            case .editedBagInfo: ["  bag-info.txt: "]
            }
        }

        /// The stable codes of the problems, in `verify --format json`.
        var codes: Set<String> {
            switch self {
            case .flippedByte: ["checksum-mismatch"]
            case .addedFile: ["file-unlisted", "payload-oxum-mismatch"]
            case .removedFile: ["file-missing", "payload-oxum-mismatch"]
            case .editedBagInfo: ["checksum-mismatch"]
            }
        }
    }

    /// A built bundle, extracted, tampered with; the folder and (`ext`) an archive re-packed by bsdtar.
    func tampered(_ tampering: Tampering, ext: String) throws -> (fixture: SourceFixture, folder: String, archive: String) {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.\(ext)"), into: fixture.temp.path("x"))
        try tampering.apply(to: bag)
        let archive = fixture.temp.path("tampered.\(ext)")
        try StandardTools.pack(bag, to: archive)
        return (fixture, bag, archive)
    }

    func expectCaught(_ tampering: Tampering, _ target: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try handover(["verify", target])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)", sourceLocation: sourceLocation)
        #expect(verify.stdout.contains("Integrity: NOT INTACT"), sourceLocation: sourceLocation)
        for line in tampering.expected {
            #expect(verify.stdout.contains(line), "\(line) in: \(verify.stdout)", sourceLocation: sourceLocation)
        }
        #expect(verify.stdout.hasSuffix("Result: INVALID, the bundle is not intact (altered, forged or unreadable): see the problems above.\n"), sourceLocation: sourceLocation)

        let json = try jsonObject(try handover(["verify", target, "--format", "json"]), sourceLocation: sourceLocation)
        #expect(json["passed"] as? Bool == false, sourceLocation: sourceLocation)
        let integrity = try #require(json["integrity"] as? [String: Any], sourceLocation: sourceLocation)
        let problems = integrity["problems"] as? [[String: Any]] ?? []
        #expect(Set(problems.compactMap { $0["code"] as? String }) == tampering.codes, "\(problems)", sourceLocation: sourceLocation)
    }

    @Test("as a re-packed archive", arguments: Tampering.allCases, ["tar.zst", "zip"])
    func archive(_ tampering: Tampering, ext: String) throws {
        let (fixture, _, archive) = try tampered(tampering, ext: ext)
        try withExtendedLifetime(fixture) { try expectCaught(tampering, archive) }
    }

    @Test("as the extracted folder", arguments: Tampering.allCases)
    func folder(_ tampering: Tampering) throws {
        let (fixture, folder, _) = try tampered(tampering, ext: "tar")
        try withExtendedLifetime(fixture) {
            try expectCaught(tampering, folder)
            #expect(try StandardTools.bagitValidate(folder).status != 0, "bagit.py agrees the bag is broken")
        }
    }

    @Test("a removed file is also a missing deliverable in the completeness check")
    func removedDeliverable() throws {
        let (fixture, folder, _) = try tampered(.removedFile, ext: "tar")
        let verify = try withExtendedLifetime(fixture) { try handover(["verify", folder]) }
        #expect(verify.stdout.contains("Completeness: FAILED, 1 of 3 required deliverables not delivered"), "\(verify.stdout)")
        #expect(verify.stdout.contains("  MISSING inventories: Hardware and software inventories\n"))
    }

    @Test("every problem is listed, not just the first")
    func everyProblem() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        for tampering in Tampering.allCases { try tampering.apply(to: bag) }
        let archive = fixture.temp.path("tampered.tar.gz")
        try StandardTools.pack(bag, to: archive)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1)
        for line in Tampering.allCases.flatMap(\.expected) {
            #expect(verify.stdout.contains(line), "\(line) in: \(verify.stdout)")
        }
    }

    @Test("a bundle made of two bags, or with a file beside the bag folder, is refused: exit 1")
    func notOneFolder() throws {
        let fixture = try bundleSource()
        let bag = try StandardTools.extract(try fixture.buildBundle("acme.tar"), into: fixture.temp.path("x"))
        let parent = URL(fileURLWithPath: bag).deletingLastPathComponent().path
        try fixture.temp.write("x/README.txt", "unpack me\n")
        let archive = fixture.temp.path("two.tar")
        let pack = try runProcess(try StandardTools.bsdtar(), ["-cf", archive, "-C", parent, handoverBagName, "README.txt"])
        try #require(pack.status == 0)
        let verify = try handover(["verify", archive])
        #expect(verify.status == 1, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.contains("README.txt"), "\(verify.stderr)")
    }
}
