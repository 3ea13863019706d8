import Foundation
import HandoverKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An export with one large file (a hole of zeros, so it costs no disk): packing it takes long
/// enough for a test to interrupt the build in the middle. An uncompressed .tar output shows its
/// progress at once (compressors hold back what they write).
func largeSource(size: Int64 = 3 << 30) throws -> SourceFixture {
    let fixture = try SourceFixture(manifest: manifestText(deliverables: """
          - id: database-export
            title: Database export
            paths: ["db/*"]
        """))
    try makeSparseFile(fixture.path("db/export.bin"), size: size)
    return fixture
}

@Suite("an interrupted build leaves nothing at the output path")
struct InterruptTests {
    /// Starts a build of `largeSource` into an empty folder and waits until it is writing the
    /// bundle: its temporary file exists and has grown.
    func buildMidWay() throws -> (SourceFixture, BackgroundBuild, String) {
        let fixture = try largeSource()
        let output = fixture.temp.path("out/acme.tar")
        try FileManager.default.createDirectory(atPath: fixture.temp.path("out"), withIntermediateDirectories: true)
        let build = try fixture.backgroundBuild(output: output)
        try build.waitUntil("the temporary file appeared and grew") {
            guard let temporary = temporaryFiles(besides: output).first else { return false }
            return (fileSize(fixture.temp.path("out/" + temporary)) ?? 0) > 0
        }
        return (fixture, build, output)
    }

    @Test("SIGKILL mid-build: no bundle and no .sha256 at the output path")
    func killed() throws {
        let (fixture, build, output) = try buildMidWay()
        kill(build.pid, SIGKILL)
        build.wait()
        #expect(build.terminatingSignal == SIGKILL)
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(!FileManager.default.fileExists(atPath: output + ".sha256"))
        // Only the hidden temporary file may remain after SIGKILL, which no handler can catch.
        let left = folderListing(fixture.temp.path("out"))
        #expect(left.allSatisfy { $0.hasPrefix(".acme.tar.tmp-") }, "\(left)")
    }

    @Test("SIGINT, SIGTERM or SIGHUP mid-build: nothing left at all, and the process dies of the signal",
          arguments: [SIGINT, SIGTERM, SIGHUP])
    func interrupted(_ signal: Int32) throws {
        let (fixture, build, _) = try buildMidWay()
        kill(build.pid, signal)
        build.wait()
        #expect(build.terminatingSignal == signal, "exit status \(build.exitStatus.map(String.init) ?? "none"): \(build.stderr)")
        #expect(folderListing(fixture.temp.path("out")).isEmpty, "\(folderListing(fixture.temp.path("out")))")
    }

    /// The temporary file is registered for removal before it is created: a signal that came
    /// between the two once left it behind (the test below saw it on its first run).
    @Test("SIGTERM the moment the temporary file appears, ten times: nothing left")
    func interruptedAtCreation() throws {
        let fixture = try largeSource()
        for round in 1...10 {
            let folder = fixture.temp.path("out-\(round)")
            let output = folder + "/acme.tar"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let build = try fixture.backgroundBuild(output: output)
            try build.waitUntil("the temporary file appeared") { !temporaryFiles(besides: output).isEmpty }
            kill(build.pid, SIGTERM)
            build.wait()
            #expect(build.terminatingSignal == SIGTERM, "round \(round)")
            #expect(folderListing(folder).isEmpty, "round \(round): \(folderListing(folder))")
        }
    }

    @Test("an interrupted build with --force leaves the earlier bundle in place")
    func interruptedForceKeepsOld() throws {
        let fixture = try largeSource()
        let output = fixture.temp.path("out/acme.tar")
        try fixture.temp.write("out/acme.tar", "an earlier bundle\n")
        let build = try fixture.backgroundBuild(output: output, ["--force"])
        try build.waitUntil("the temporary file appeared") { !temporaryFiles(besides: output).isEmpty }
        kill(build.pid, SIGTERM)
        build.wait()
        #expect(build.terminatingSignal == SIGTERM)
        #expect(try fixture.temp.read("out/acme.tar") == Data("an earlier bundle\n".utf8))
        #expect(folderListing(fixture.temp.path("out")) == ["acme.tar"])
    }
}
