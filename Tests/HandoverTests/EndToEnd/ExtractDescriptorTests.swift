import Foundation
import HandoverKit
import Testing

/// Extract opens a descriptor for every file it writes (staged, then placed) and, reading a bag
/// folder, one for every file it hashes. Each must be closed once, by one owner: a descriptor
/// closed twice may close another file opened meanwhile, and one never closed runs a large
/// handover out of descriptors. Watched from outside, on the real binary: strace records every
/// close(2), and a descriptor limit far below the file count turns a leak into a failure.
@Suite("extract closes each descriptor it opens once, and leaks none")
struct ExtractDescriptorTests {
    /// Far more files than the descriptor limit the extraction runs under.
    static let fileCount = 300
    static let descriptorLimit = 64

    static func manyFiles() throws -> SourceFixture {
        var files: [String: String] = [:]
        for index in 0..<fileCount { files["docs/part-\(index / 50)/page-\(index).md"] = "# Page \(index)\n" }
        return try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Technical documentation
                paths: ["docs/**/*"]
            """), files: files)
    }

    /// Runs `handover extract BUNDLE --to DIR` under the descriptor limit, traced by strace;
    /// returns the result and the close(2) lines strace saw.
    static func tracedExtract(_ bundle: String, to target: String, log: String) throws -> (ProcessResult, [Substring]) {
        let strace = try requireTool("strace", install: "apt-get install strace (or run .ci/setup)")
        // $0 strace, $1 log, $2 handover, $3 bundle, $4 DIR: no quoting of paths by hand.
        let script = "ulimit -n \(descriptorLimit) && exec \"$0\" -f -qq -e trace=close -o \"$1\" \"$2\" extract \"$3\" --to \"$4\" --quiet"
        let result = try runProcess("/bin/sh", ["-c", script, strace, log, handoverBinary(), bundle, target])
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("close(") }
        return (result, lines)
    }

    @Test("an archive and a bag folder of 300 files extract under a limit of 64 descriptors; no close fails with EBADF")
    func closedOnceEach() throws {
        let fixture = try Self.manyFiles()
        let work = try TempDirectory("handover-descriptors")
        let bundle = try buildBundle(fixture, output: work.path("acme.tar.gz"))
        // From the archive (reader thread, staged files), then from the folder it gave (hasher
        // threads, then the copy).
        for (input, target) in [(bundle, work.path("from-archive")), (work.path("from-archive"), work.path("from-folder"))] {
            let (result, closes) = try Self.tracedExtract(input, to: target, log: work.path("\(URL(fileURLWithPath: target).lastPathComponent).strace"))
            #expect(result.status == 0, "\(input): \(result.stdout)\(result.stderr)")
            #expect(try filesUnder(target + "/data").count == Self.fileCount, "\(input)")
            // Each written file was closed at least once: strace saw the run.
            #expect(closes.count >= Self.fileCount, "\(input): only \(closes.count) closes traced")
            let twice = closes.filter { $0.contains("EBADF") }
            #expect(twice.isEmpty, "\(input): closes of a descriptor that was not open:\n\(twice.prefix(10).joined(separator: "\n"))")
        }
    }
}
