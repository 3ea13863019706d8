import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every file option reads its file through the one small-file reader: a folder is refused by
/// name, and a file over the option's limit is refused before a byte of it is read (exit 2),
/// with no output left behind. The FIFO and device cases are in `OptionFIFOTests`.
@Suite("A folder or an oversized file given to a file option is refused, naming it")
struct OptionFileKindTests {
    /// An option, the command that takes it, and the size its reader refuses to go past.
    struct Case: Sendable, CustomStringConvertible {
        let command: String
        let option: String
        let limit: Int
        var description: String { "\(command) \(option)" }
    }

    static let cases = [
        Case(command: "verify", option: "--allowed-signers", limit: 4 << 20),
        Case(command: "verify", option: "--tsa-ca", limit: 4 << 20),
        Case(command: "extract", option: "--identity", limit: 1 << 20),
        Case(command: "build", option: "--recipients-file", limit: 1 << 20),
        Case(command: "build", option: "--sign", limit: 64 << 10),
        Case(command: "build", option: "--manifest", limit: 4 << 20),
    ]

    /// The command line that gives `path` to the case's option, and the output it must not leave.
    static func arguments(_ item: Case, _ path: String, _ stage: EvidenceFixture) -> (arguments: [String], output: String) {
        switch item.command {
        case "build":
            let manifest = item.option == "--manifest" ? path : stage.source.manifestPath
            var arguments = ["build", "--manifest", manifest, stage.source.source, "--output", stage.path("out.tar")]
            if item.option != "--manifest" { arguments += [item.option, path] }
            return (arguments, stage.path("out.tar"))
        case "extract":
            return (["extract", stage.path("bundle.tar"), item.option, path, "--to", stage.path("received")], stage.path("received"))
        default:
            return ([item.command, stage.path("bundle.tar"), item.option, path], stage.path("bundle.tar.none"))
        }
    }

    @Test("a folder", arguments: cases)
    func folder(_ item: Case) throws {
        let stage = try EvidenceFixture()
        if item.command != "build" { try stage.buildOK("bundle.tar") }
        let folder = stage.path("keys")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let (arguments, output) = Self.arguments(item, folder, stage)
        let run = try handoverWithin(20, arguments)
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(folder) && run.stderr.contains("is a folder"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("one byte over the limit, refused before it is read", arguments: cases)
    func oversized(_ item: Case) throws {
        let stage = try EvidenceFixture()
        // The CA file is read to check a time-stamp: the bundle needs one.
        let tsa = item.option == "--tsa-ca" ? try EvidenceTSA() : nil
        defer { tsa?.stop() }
        if item.command != "build" { try stage.buildOK("bundle.tar", tsa.map { ["--tsa", $0.url] } ?? []) }
        // Sparse: the size is what the reader judges first, so the test writes nothing.
        let big = stage.path("big.txt")
        try #require(FileManager.default.createFile(atPath: big, contents: Data("#".utf8)))
        try #require(truncate(big, off_t(item.limit + 1)) == 0)
        let (arguments, output) = Self.arguments(item, big, stage)
        let run = try handoverWithin(20, arguments)
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains(big), "\(run.stderr)")
        #expect(run.stderr.contains("larger than"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
