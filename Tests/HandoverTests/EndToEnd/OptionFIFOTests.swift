import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Runs `handover` in the background and waits at most `seconds` for it to end; a run that is
/// still going then is killed and reported as blocked (a FIFO with no writer blocks an open).
func handoverWithin(_ seconds: Double, _ arguments: [String]) throws -> BackgroundBuild {
    let run = try BackgroundBuild(arguments)
    let deadline = Date().addingTimeInterval(seconds)
    while run.poll() == nil {
        if Date() > deadline {
            kill(run.pid, SIGKILL)
            run.wait()
            throw FixtureError("handover \(arguments.joined(separator: " ")) still ran after \(Int(seconds)) s: it blocked")
        }
        usleep(10_000)
    }
    return run
}

/// A FIFO given where a file is expected once blocked the command for ever, waiting for a
/// writer. Every such option now refuses it at once, naming the option, with exit 2.
@Suite("A FIFO given to a file option is refused at once, naming the option")
struct OptionFIFOTests {
    @Test("verify, extract and report: --allowed-signers, --tsa-ca, --identity",
          arguments: [["verify", "--allowed-signers"], ["verify", "--tsa-ca"],
                      ["extract", "--allowed-signers"], ["extract", "--tsa-ca"], ["extract", "--identity"],
                      ["report", "--allowed-signers"], ["report", "--tsa-ca"]])
    func readingSide(_ command: [String]) throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let fifo = stage.path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        var arguments = [command[0], stage.path("bundle.tar"), command[1], fifo]
        switch command[0] {
        case "extract": arguments += ["--to", stage.path("received")]
        case "report": arguments += ["--output", stage.path("report.html")]
        default: break
        }
        let run = try handoverWithin(10, arguments)
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("\(command[1]) \(fifo): is a FIFO (named pipe), not a regular file"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.path("received")))
        #expect(!FileManager.default.fileExists(atPath: stage.path("report.html")))
    }

    @Test("build: --sign, --recipients-file and --manifest", arguments: ["--sign", "--recipients-file", "--manifest"])
    func buildSide(_ option: String) throws {
        let stage = try EvidenceFixture()
        let fifo = stage.path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        let manifest = option == "--manifest" ? fifo : stage.source.manifestPath
        var arguments = ["build", "--manifest", manifest, stage.source.source, "--output", stage.path("bundle.tar")]
        if option != "--manifest" { arguments += [option, fifo] }
        let run = try handoverWithin(10, arguments)
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("\(option) \(fifo): is a FIFO (named pipe), not a regular file"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.path("bundle.tar")))
    }

    @Test("report and missing: --manifest")
    func manifestOnSource() throws {
        let stage = try EvidenceFixture()
        let fifo = stage.path("pipe")
        try #require(mkfifo(fifo, 0o600) == 0)
        for arguments in [["report", "--manifest", fifo, stage.source.source, "--output", stage.path("check.html")],
                          ["missing", "--manifest", fifo, stage.source.source]] {
            let run = try handoverWithin(10, arguments)
            #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
            #expect(run.stderr.contains("--manifest \(fifo): is a FIFO (named pipe), not a regular file"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: stage.path("check.html")))
    }

    @Test("a character device (/dev/zero) is refused too, not read without end")
    func device() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let run = try handoverWithin(10, ["verify", stage.path("bundle.tar"), "--allowed-signers", "/dev/zero"])
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("--allowed-signers /dev/zero: is a character device"), "\(run.stderr)")
    }
}
