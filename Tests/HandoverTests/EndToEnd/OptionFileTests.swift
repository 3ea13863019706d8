import Foundation
import Testing

/// A file given to an option that does not exist is reported at once, naming the option, with
/// exit 2 and nothing written: not as a failed check after a whole build or verification.
@Suite("Files given to options are checked before any work")
struct OptionFileTests {
    @Test("verify, extract and report name the option whose file is missing",
          arguments: [["verify", "--allowed-signers"], ["verify", "--tsa-ca"],
                      ["extract", "--allowed-signers"], ["extract", "--tsa-ca"], ["extract", "--identity"],
                      ["report", "--allowed-signers"], ["report", "--tsa-ca"]])
    func readingSide(_ command: [String]) throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let missing = stage.path("no-such-file")
        var arguments = [command[0], stage.path("bundle.tar"), command[1], missing]
        switch command[0] {
        case "extract": arguments += ["--to", stage.path("received")]
        case "report": arguments += ["--output", stage.path("report.html")]
        default: break
        }
        let result = try handover(arguments)
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(command[1]) \(missing): no such file"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.path("received")))
        #expect(!FileManager.default.fileExists(atPath: stage.path("report.html")))
    }

    @Test("build names --sign or --recipients-file when its file is missing, and writes nothing",
          arguments: ["--sign", "--recipients-file"])
    func buildSide(_ option: String) throws {
        let stage = try EvidenceFixture()
        let missing = stage.path("no-such-key")
        let result = try stage.build("bundle.tar", [option, missing])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("\(option) \(missing): no such file"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.path("bundle.tar")))
    }

    @Test("a folder given as a key file is named as such")
    func folderGiven() throws {
        let stage = try EvidenceFixture()
        let result = try stage.build("bundle.tar", ["--sign", stage.path("")])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("is a folder; give the file itself"), "\(result.stderr)")
    }
}
