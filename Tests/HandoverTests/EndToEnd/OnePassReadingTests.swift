import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `report BUNDLE` and `verify` of an archive with a `.sha256` beside it read the archive once:
/// its SHA-256 is computed from the bytes libarchive reads. A FIFO can be read only once, so a
/// bundle written into one by the test proves it; a second reading would wait for a writer that
/// never comes, and `handoverWithin` reports it as blocked.
@Suite("One pass: report and the .sha256 check hash the archive in the reading that verifies it")
struct OnePassReadingTests {
    /// `sha256sum`'s checksum of the file at `path`.
    func sha256sum(_ path: String) throws -> String {
        let tool = try requireTool("sha256sum", install: "apt-get install coreutils")
        let result = try runProcess(tool, [path])
        try #require(result.status == 0, "\(result.stderr)")
        return String(result.stdout.prefix(64))
    }

    func reportedSHA256(_ report: String) throws -> String? {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        return (json?["bundle"] as? [String: Any])?["sha256"] as? String
    }

    /// A built bundle, `work/bundle.tar`, written into the FIFO `work/pipe.tar` by a process of
    /// its own (`cat`), which ends once a reader has read it all; `stop` it at the end.
    func bundleInFIFO(_ stage: EvidenceFixture) throws -> (fifo: String, writer: Process) {
        try stage.buildOK()
        let fifo = stage.path("pipe.tar")
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: try requireTool("sh", install: "apt-get install dash"))
        writer.arguments = ["-c", "exec cat \"$0\" > \"$1\"", stage.path("bundle.tar"), fifo]
        try writer.run()
        return (fifo, writer)
    }

    func stop(_ writer: Process) {
        if writer.isRunning { writer.terminate() }
        writer.waitUntilExit()
    }

    @Test("the SHA-256 report records is sha256sum's, for a tar, a tar.zst and a zip", arguments: ["bundle.tar", "bundle.tar.zst", "bundle.zip"])
    func reportChecksum(_ name: String) throws {
        let stage = try EvidenceFixture()
        try stage.buildOK(name)
        let output = stage.path("report.json")
        let run = try handover(["report", stage.path(name), "--output", output])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try reportedSHA256(output) == (try sha256sum(stage.path(name))))
    }

    @Test("a damaged archive's report still names it by sha256sum's checksum")
    func damagedChecksum() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: stage.path("bundle.tar")))
        let damaged = try stage.work.write("damaged.tar", bytes.prefix(bytes.count / 2))
        let output = stage.path("damaged.json")
        let run = try handover(["report", damaged, "--output", output])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(try reportedSHA256(output) == (try sha256sum(damaged)))
    }

    @Test("verify reads a bundle from a FIFO once, and checks it against the .sha256 beside it")
    func verifyFIFO() throws {
        let stage = try EvidenceFixture()
        let (fifo, writer) = try bundleInFIFO(stage)
        defer { stop(writer) }
        try FileManager.default.copyItem(atPath: stage.path("bundle.tar.sha256"), toPath: fifo + ".sha256")
        let run = try handoverWithin(60, ["verify", fifo, "--format", "json"])
        #expect(run.exitStatus == 0, "\(run.stdout)\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let archive = json?["archive"] as? [String: Any]
        #expect(archive?["matches"] as? Bool == true, "\(run.stdout)")
        #expect(archive?["sha256"] as? String == (try sha256sum(stage.path("bundle.tar"))), "\(run.stdout)")
    }

    @Test("a .sha256 that does not match is reported (exit 1), from the one reading of a FIFO")
    func sidecarMismatchFIFO() throws {
        let stage = try EvidenceFixture()
        let (fifo, writer) = try bundleInFIFO(stage)
        defer { stop(writer) }
        let wrong = String(repeating: "0", count: 64)
        _ = try stage.work.write("pipe.tar.sha256", "\(wrong)  pipe.tar\n")
        let run = try handoverWithin(60, ["verify", fifo])
        #expect(run.exitStatus == 1, "\(run.stdout)\(run.stderr)")
        let said = run.stdout + run.stderr
        #expect(said.contains(wrong), "\(said)")
        #expect(said.contains(try sha256sum(stage.path("bundle.tar"))), "\(said)")
    }

    @Test("a .sha256 that does not match a regular file is reported as before (exit 1)")
    func sidecarMismatchFile() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK()
        let wrong = String(repeating: "a", count: 64)
        _ = try stage.work.write("bundle.tar.sha256", "\(wrong)  bundle.tar\n")
        let run = try stage.verify()
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains(wrong))
    }

    @Test("report reads a bundle from a FIFO once and records sha256sum's checksum")
    func reportFIFO() throws {
        let stage = try EvidenceFixture()
        let (fifo, writer) = try bundleInFIFO(stage)
        defer { stop(writer) }
        let output = stage.path("report.json")
        let run = try handoverWithin(60, ["report", fifo, "--output", output])
        #expect(run.exitStatus == 0, "\(run.stdout)\(run.stderr)")
        #expect(try reportedSHA256(output) == (try sha256sum(stage.path("bundle.tar"))))
    }

    @Test("extract, which must read a bundle twice, refuses a FIFO at once (exit 2) instead of waiting")
    func extractFIFO() throws {
        let stage = try EvidenceFixture()
        let fifo = stage.path("pipe.tar")
        try #require(mkfifo(fifo, 0o600) == 0)
        let run = try handoverWithin(30, ["extract", fifo, "--to", stage.path("received")])
        #expect(run.exitStatus == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stderr.contains("is not a regular file (a FIFO?): extract reads a bundle twice"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.path("received")))
    }
}
