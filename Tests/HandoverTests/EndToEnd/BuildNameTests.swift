import Foundation
import HandoverKit
import Testing

/// File names from real exports: spaces, French accents in either Unicode form, `%`, and the odd
/// name with a line break. Each is kept byte for byte, and written in the manifests per RFC 8493
/// §2.1.3 (`%`, CR, LF percent-encoded).
@Suite("Names are kept byte for byte through build, verify and bagit.py")
struct BuildNameTests {
    static let nfc = "docs/nfc/R\u{E9}sum\u{E9} d\u{E9}taill\u{E9}.md"
    static let nfd = "docs/nfd/Re\u{301}sume\u{301} de\u{301}taille\u{301}.md"
    static let spaced = "docs/with  two spaces .md"
    static let lineFeed = "docs/line\nbreak.md"
    static let carriageReturn = "docs/Icon\r.md"
    static let percent = "docs/100% sure %41.md"

    /// The payload names as the bag's folder holds them, read as bytes with readdir.
    func namesOnDisk(_ folder: String) throws -> Set<[UInt8]> {
        var found = Set<[UInt8]>()
        func walk(_ relative: [UInt8]) throws {
            let path = RawFiles.join(folder, relative)
            guard let dir = RawFiles.cString(path, { opendir($0) }) else { throw FixtureError("opendir") }
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
                if name == Array(".".utf8) || name == Array("..".utf8) { continue }
                let child = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
                if entry.pointee.d_type == UInt8(DT_DIR) { try walk(child) } else { found.insert(child) }
            }
        }
        try walk([])
        return found
    }

    func source(_ names: [String]) throws -> SourceFixture {
        let fixture = try bundleSource()
        for name in names {
            try RawFiles.write(fixture.source, Array(name.utf8), Array("content of \(name)\n".utf8))
        }
        return fixture
    }

    @Test("spaces, NFC and NFD accents, CR and LF: kept, encoded, verified, and bagit.py agrees", arguments: ["tar.zst", "tar.gz"])
    func roundTrip(_ ext: String) throws {
        let names = [Self.nfc, Self.nfd, Self.spaced, Self.lineFeed, Self.carriageReturn]
        let fixture = try source(names)
        let output = try fixture.buildBundle("acme.\(ext)")
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "\(verify.stderr)")
        #expect(verify.stdout.contains("Integrity: intact and complete, \(bundlePayload.count + names.count) payload files"))

        // GNU tar keeps names as stored; bsdtar in a UTF-8 locale turns NFD names into NFC.
        let bag = try StandardTools.extractKeepingNames(output, into: fixture.temp.path("x"))
        try expectKept(names, in: bag)
        let validate = try StandardTools.bagitValidate(bag)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let folderVerify = try handover(["verify", bag])
        #expect(folderVerify.status == 0, "\(folderVerify.stdout)\(folderVerify.stderr)")
        #expect(folderVerify.stderr.isEmpty, "\(folderVerify.stderr)")
    }

    func expectKept(_ names: [String], in bag: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let onDisk = try namesOnDisk(bag + "/data")
        for name in names {
            #expect(onDisk.contains(Array(name.utf8)), "\(name.debugDescription) not extracted byte for byte", sourceLocation: sourceLocation)
        }
        let manifest = try String(contentsOfFile: bag + "/manifest-sha256.txt", encoding: .utf8)
        #expect(manifest.contains("  data/docs/line%0Abreak.md\n"), sourceLocation: sourceLocation)
        #expect(manifest.contains("  data/docs/Icon%0D.md\n"), sourceLocation: sourceLocation)
        #expect(Array(manifest.utf8).split(separator: UInt8(ascii: "\n")).count == bundlePayload.count + names.count, "one line per file", sourceLocation: sourceLocation)
        #expect(manifest.utf8.contains(Array(("  data/" + Self.nfd + "\n").utf8)), "NFD kept in the manifest", sourceLocation: sourceLocation)
    }

    @Test("in a zip too; libarchive reads a zip's UTF-8 names in NFC, so verify matches the NFD one with a warning")
    func zip() throws {
        let names = [Self.nfc, Self.nfd, Self.spaced, Self.lineFeed, Self.carriageReturn]
        let fixture = try source(names)
        let output = try fixture.buildBundle("acme.zip")
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let warnings = verify.stderr.split(separator: "\n")
        #expect(warnings.count == 1 && warnings.allSatisfy { $0.hasPrefix("warning: manifest-sha256.txt:") && $0.contains("Unicode normalization") }, "\(verify.stderr)")

        // The zip holds the names as on disk: Python's zipfile extracts them byte for byte.
        let folder = fixture.temp.path("x")
        let unzip = try runProcess("python3", ["-m", "zipfile", "-e", output, folder])
        try #require(unzip.status == 0, "\(unzip.stderr)")
        let bag = folder + "/" + handoverBagName
        try expectKept(names, in: bag)
        #expect(try StandardTools.bagitValidate(bag).status == 0)
    }

    @Test("% is written %25 and read back; bagit.py does not decode it (bagit-python issue 157)")
    func percent() throws {
        let fixture = try source([Self.percent])
        let output = try fixture.buildBundle("acme.tar")
        let verify = try handover(["verify", output])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stderr.isEmpty, "\(verify.stderr)")

        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        #expect(try namesOnDisk(bag + "/data").contains(Array(Self.percent.utf8)))
        let manifest = try String(contentsOfFile: bag + "/manifest-sha256.txt", encoding: .utf8)
        #expect(manifest.contains("  data/docs/100%25 sure %2541.md\n"), "\(manifest)")
        #expect(try handover(["verify", bag]).status == 0)

        // RFC 8493 §2.1.3 requires %25; bagit-python 1.9 decodes only %0A and %0D, so it looks for
        // a file named "100%25 sure %2541.md". When it is fixed, this known issue stops recurring.
        let validate = try StandardTools.bagitValidate(bag)
        withKnownIssue("bagit-python does not percent-decode %25 (LibraryOfCongress/bagit-python#157)") {
            #expect(validate.status == 0, "\(validate.stderr)")
        }
        #expect(validate.status == 0 || validate.stderr.contains("100%25 sure %2541.md"), "\(validate.stderr)")
    }
}
