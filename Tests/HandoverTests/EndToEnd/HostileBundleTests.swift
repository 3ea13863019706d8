import Foundation
import HandoverKit
import Testing

/// A bundle made by a hostile (or careless) party, and what `verify` and `extract` must say.
enum HostileBundle: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case climbsOut, absolutePath, symlink, hardLink, characterDevice, blockDevice, fifo
    case samePathTwice, twoTopFolders, fileAtTop, notABag, truncated, randomBytes, emptyFile
    case manifestClimbsOut, manifestAbsolute, oversizedTagFile, deepPath, longPath, longName

    var testDescription: String { rawValue }

    /// The exit status of both commands: 2 for input that is no archive at all, 1 otherwise.
    var status: Int32 { self == .randomBytes || self == .emptyFile ? 2 : 1 }

    /// What the message must say.
    var message: String {
        switch self {
        case .climbsOut: "climbs out with '..'"
        case .absolutePath: "has an absolute path"
        case .symlink: "data/readme.txt: is a symbolic link"
        case .hardLink: "data/copy.txt: is a hard link"
        case .characterDevice: "data/null: is a character device"
        case .blockDevice: "data/sda: is a block device"
        case .fifo: "data/pipe: is a FIFO"
        case .samePathTwice: "data/readme.txt: appears more than once"
        case .twoTopFolders: "more than one top-level entry (acme-bag and other-bag)"
        case .fileAtTop: "lies at the top of the archive, outside a bag folder"
        case .notABag: "bagit.txt is missing"
        case .truncated: "the archive is damaged or truncated"
        case .randomBytes: "not a bundle: not a tar or zip archive"
        case .emptyFile: "not a bundle: the file is empty"
        case .manifestClimbsOut: "has a \"..\" segment, which could climb out of the bag"
        case .manifestAbsolute: "is absolute; paths in a bag are relative"
        case .oversizedTagFile: "tag file too large"
        case .deepPath: "levels deep"
        case .longPath: "bytes long"
        case .longName: "has a name of 300 bytes"
        }
    }

    /// The archive's bytes; `sandbox` is where an escaping entry would land.
    func bytes(sandbox: String) throws -> [UInt8] {
        var bag = HandmadeBag()
        switch self {
        case .climbsOut:
            // Whether the top folder is kept or taken off, this lands beside DIR.
            return bag.tar { $0.add("acme-bag/../../escaped.txt", text: "out!\n") }
        case .absolutePath:
            return bag.tar { $0.add(sandbox + "/abs-escaped.txt", text: "out!\n") }
        case .symlink:
            // The classic: a link in the payload, then a file written through it.
            bag.payload = []
            return bag.tar {
                $0.add("acme-bag/data/readme.txt", .symlink(sandbox + "/outside.txt"))
                $0.add("acme-bag/data/readme.txt", text: "overwritten through the link\n")
            }
        case .hardLink:
            return bag.tar { $0.add("acme-bag/data/copy.txt", .hardlink(sandbox + "/outside.txt")) }
        case .characterDevice:
            return bag.tar { $0.add("acme-bag/data/null", .characterDevice) }
        case .blockDevice:
            return bag.tar { $0.add("acme-bag/data/sda", .blockDevice) }
        case .fifo:
            return bag.tar { $0.add("acme-bag/data/pipe", .fifo) }
        case .samePathTwice:
            return bag.tar { $0.add("acme-bag/data/readme.txt", text: "Hello, other bytes\n") }
        case .twoTopFolders:
            return bag.tar { $0.add("other-bag/readme.txt", text: "a second bag\n") }
        case .fileAtTop:
            var tar = RawTar()
            tar.add("readme.txt", text: "beside the bag\n")
            return tar.bytes + bag.tar()
        case .notABag:
            var tar = RawTar()
            tar.add("project/", .directory)
            tar.add("project/README.md", text: "# A project\n")
            tar.add("project/src/main.c", text: "int main(void) { return 0; }\n")
            tar.finish()
            return tar.bytes
        case .truncated:
            var generator = SystemRandomNumberGenerator()
            bag.payload.append(("data/big.bin", (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }))
            let whole = try filter("gzip", ["-c"], bag.tar(), install: "apt-get install gzip")
            return Array(whole.prefix(whole.count / 2))
        case .randomBytes:
            var generator = SystemRandomNumberGenerator()
            return (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case .emptyFile:
            return []
        case .manifestClimbsOut:
            bag.extraManifestLines = ["\(HandmadeBag.sha256([]))  data/../../../../etc/passwd"]
            return bag.tar()
        case .manifestAbsolute:
            bag.extraManifestLines = ["\(HandmadeBag.sha256([]))  /etc/passwd"]
            return bag.tar()
        case .oversizedTagFile:
            // 20 MiB of bag-info.txt, a few KiB once compressed.
            let info = String(repeating: "Internal-Sender-Description: padding padding padding padding\n", count: 340_000)
            let tar = bag.tar { $0.add("acme-bag/bag-info.txt", text: info) }
            return try filter("gzip", ["-c"], tar, install: "apt-get install gzip")
        case .deepPath:
            return bag.tar { $0.add("acme-bag/data/" + String(repeating: "d/", count: 100) + "deep.txt", text: "deep\n") }
        case .longPath:
            return bag.tar { $0.add("acme-bag/data/" + String(repeating: "long-folder-name/", count: 300) + "f.txt", text: "long\n") }
        case .longName:
            let name = "data/" + String(repeating: "n", count: 300)
            bag.payload.append((name, Array("a name too long\n".utf8)))
            return bag.tar()
        }
    }
}

@Suite("Hostile bundles: verify and extract refuse them, name the problem, and write nothing")
struct HostileBundleTests {
    @Test("Each hostile bundle", arguments: HostileBundle.allCases)
    func hostile(_ kind: HostileBundle) throws {
        let sandbox = try ExtractSandbox()
        let bundle = try sandbox.bundle("hostile.tar", try kind.bytes(sandbox: sandbox.temp.path))

        let verified = try handover(["verify", bundle])
        #expect(verified.status == kind.status, "verify: \(verified.stdout)\(verified.stderr)")
        #expect((verified.stdout + verified.stderr).contains(kind.message), "verify: \(verified.stdout)\(verified.stderr)")
        #expect(!verified.stderr.contains("Fatal error") && !verified.stderr.contains("Stack dump"))

        let said = (verified.stdout + verified.stderr).split(separator: "\n").first { $0.contains(kind.message) } ?? ""
        print("\(kind): exit \(verified.status): \(said)")

        let extracted = try handover(["extract", bundle, "--to", sandbox.target])
        #expect(extracted.status == kind.status, "extract: \(extracted.stdout)\(extracted.stderr)")
        #expect((extracted.stdout + extracted.stderr).contains(kind.message), "extract: \(extracted.stdout)\(extracted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.target), "DIR was created: \(sandbox.targetContents())")
        try sandbox.outsideUnchanged()

        // Into an existing empty DIR: it stays empty.
        try FileManager.default.createDirectory(atPath: sandbox.target, withIntermediateDirectories: false)
        #expect(try handover(["extract", bundle, "--to", sandbox.target]).status == kind.status)
        #expect(sandbox.targetContents().isEmpty)
        try sandbox.outsideUnchanged()
    }
}
