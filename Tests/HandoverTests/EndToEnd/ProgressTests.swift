import Foundation
import HandoverKit
import Testing

/// Runs the built `handover` under a pseudo-terminal with util-linux's `script`, so that its
/// stderr is a terminal; returns everything the terminal received.
func handoverOnTerminal(_ arguments: [String], columns: Int = 120) throws -> ProcessResult {
    let script = try requireTool("script", install: "apt-get install util-linux")
    let quoted = ([handoverBinary()] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let command = "stty cols \(columns) 2>/dev/null; " + quoted.joined(separator: " ")
    return try runProcess(script, ["-q", "-e", "-c", command, "/dev/null"], environment: ["TERM": "xterm"])
}

@Suite("Progress on a terminal, none into a pipe; --quiet and --verbose")
struct ProgressTests {
    /// A SOURCE with a few megabytes, so that there is something to show progress of.
    func source() throws -> SourceFixture {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: exports
                title: Data exports
                paths: ["exports/*"]
            """))
        for index in 0..<8 {
            try fixture.write("exports/part-\(index).bin", Data(repeating: UInt8(index), count: 3 << 20))
        }
        return fixture
    }

    @Test("build on a terminal draws an updating line with a percentage, then erases it")
    func buildOnTerminal() throws {
        let fixture = try source()
        let output = fixture.temp.path("out.tar")
        let result = try handoverOnTerminal(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output])
        #expect(result.status == 0, "\(result.stdout)")
        let terminal = result.stdout
        #expect(terminal.contains("\rPacking"), "\(terminal.debugDescription)")
        #expect(terminal.contains("%"))
        #expect(terminal.contains(" of 25 MB"))
        #expect(terminal.contains("\r\u{1B}[K"), "the line is erased at the end")
        #expect(terminal.contains("Wrote \(output)"))
        // Erased before the summary: the summary starts on a clean line.
        let erase = try #require(terminal.range(of: "\r\u{1B}[K", options: .backwards))
        let wrote = try #require(terminal.range(of: "Wrote "))
        #expect(erase.upperBound <= wrote.lowerBound)
    }

    @Test("build into a pipe: no progress at all, only the summary")
    func buildIntoPipe() throws {
        let fixture = try source()
        let output = fixture.temp.path("out.tar")
        let result = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "\(result.stderr.debugDescription)")
        #expect(!result.stdout.contains("\r"))
        #expect(!result.stdout.contains("%"))
        #expect(result.stdout.hasPrefix("Wrote \(output)\n"))
    }

    @Test("verify on a terminal shows a percentage of the Payload-Oxum; --verbose lists every file")
    func verifyVerbose() throws {
        let fixture = try source()
        let output = fixture.temp.path("out.tar.zst")
        #expect(try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", output]).status == 0)
        let result = try handoverOnTerminal(["verify", output, "--verbose"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\rVerifying"))
        #expect(result.stdout.contains("% ["))
        for index in 0..<8 { #expect(result.stdout.contains("read  data/exports/part-\(index).bin  3.1 MB")) }
        #expect(result.stdout.contains("Result: NOT AUTHENTICATED, the bundle is intact"))
    }

    @Test("--quiet on a terminal: no progress, no summary; --verbose into a pipe: every file, no progress")
    func quietAndVerbose() throws {
        let fixture = try source()
        let quiet = try handoverOnTerminal(["build", "--manifest", fixture.manifestPath, fixture.source,
                                            "--output", fixture.temp.path("quiet.tar"), "--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(quiet.stdout.debugDescription)")
        #expect(fixture.temp.exists("quiet.tar"))

        let verbose = try handover(["build", "--manifest", fixture.manifestPath, fixture.source,
                                    "--output", fixture.temp.path("verbose.tar"), "--verbose"])
        #expect(verbose.status == 0)
        let packed = verbose.stdout.split(separator: "\n").filter { $0.hasPrefix("packed  exports/part-") }
        #expect(packed.count == 8)
        #expect(!verbose.stdout.contains("\r") && !verbose.stderr.contains("\r"))

        let both = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", fixture.temp.path("x.tar"), "-q", "-v"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--quiet and --verbose cannot be used together"))
    }
}

@Suite("The everyday command line: help with examples, completions")
struct CommandLineTests {
    @Test("every command's --help has an example and exits 0", arguments: ["init", "missing", "build", "verify", "inspect", "report"])
    func help(command: String) throws {
        let result = try handover([command, "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:\n  handover \(command) "), "\(result.stdout)")
    }

    @Test("shell completion scripts come out of our own main", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let result = try handover(["--generate-completion-script", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["report", "inspect", "verify", "lang"] {
            #expect(result.stdout.contains(command), "\(shell) completion lacks \(command)")
        }
    }
}
