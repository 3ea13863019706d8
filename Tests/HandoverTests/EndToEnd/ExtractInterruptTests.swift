import Foundation
import HandoverKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The hidden staging folders `handover extract` makes inside DIR.
func stagingFolders(in folder: String) -> [String] {
    folderListing(folder).filter { $0.hasPrefix(".handover-extract-") }
}

/// A signal during `extract` once left the hidden staging folder with partial files in DIR, and
/// the rerun then refused DIR as "not empty". Now SIGINT, SIGTERM and SIGHUP clean up, and a
/// rerun removes the folder a SIGKILLed run left (and says so on stderr).
@Suite("an interrupted extract leaves DIR as it was, and a rerun works", .serialized)
struct ExtractInterruptTests {
    /// A 1 GiB bundle (a plain tar, so extraction streams at once), built once for a test.
    func largeBundle() throws -> (SourceFixture, String) {
        let fixture = try largeSource(size: 1 << 30)
        let bundle = fixture.temp.path("large.tar")
        let built = try fixture.build(output: bundle)
        try #require(built.status == 0, "\(built.stdout)\(built.stderr)")
        // The source is no longer needed; its sparse file costs nothing, but say so plainly.
        try FileManager.default.removeItem(atPath: fixture.path("db/export.bin"))
        return (fixture, bundle)
    }

    /// Starts `extract BUNDLE --to DIR` and waits until it is writing a file into its staging
    /// folder (the verification pass is over and the second reading has begun).
    func extractMidWay(_ bundle: String, into destination: String) throws -> BackgroundBuild {
        let run = try BackgroundBuild(["extract", bundle, "--to", destination])
        try run.waitUntil(timeout: 300, "a staged file appeared and grew") {
            guard let staging = stagingFolders(in: destination).first else { return false }
            let folder = destination + "/" + staging
            return folderListing(folder).contains { (fileSize(folder + "/" + $0) ?? 0) > 0 }
        }
        return run
    }

    @Test("SIGINT, SIGTERM and SIGHUP mid-extract: the process dies of the signal, DIR is as it was, the rerun succeeds")
    func interrupted() throws {
        let (fixture, bundle) = try largeBundle()
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            // A DIR the run creates is removed again; an empty DIR that existed stays, empty.
            for existed in [false, true] {
                let destination = fixture.temp.path("received-\(signal)-\(existed)")
                if existed { try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: false) }
                let run = try extractMidWay(bundle, into: destination)
                kill(run.pid, signal)
                run.wait()
                #expect(run.terminatingSignal == signal, "signal \(signal): exit \(run.exitStatus.map(String.init) ?? "none"): \(run.stderr)")
                if existed {
                    #expect(folderListing(destination).isEmpty, "signal \(signal): \(folderListing(destination))")
                } else {
                    #expect(!FileManager.default.fileExists(atPath: destination), "signal \(signal): \(folderListing(destination))")
                }
            }
        }
        // One rerun into a folder a signalled run used: it is not refused as "not empty".
        let destination = fixture.temp.path("received-\(SIGINT)-true")
        let rerun = try handover(["extract", bundle, "--to", destination, "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(fileSize(destination + "/data/db/export.bin") == 1 << 30)
        #expect(stagingFolders(in: destination).isEmpty)
    }

    @Test("after SIGKILL the staging folder stays; the rerun removes it, says so, and extracts")
    func killedThenRerun() throws {
        let (fixture, bundle) = try largeBundle()
        let destination = fixture.temp.path("received")
        let run = try extractMidWay(bundle, into: destination)
        kill(run.pid, SIGKILL)
        run.wait()
        let left = stagingFolders(in: destination)
        try #require(left.count == 1, "\(folderListing(destination))")

        let rerun = try handover(["extract", bundle, "--to", destination, "--quiet"])
        #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
        #expect(rerun.stderr.contains("removed \(left[0]) from \(destination)"), "\(rerun.stderr)")
        #expect(stagingFolders(in: destination).isEmpty, "\(folderListing(destination))")
        #expect(fileSize(destination + "/data/db/export.bin") == 1 << 30)
    }

    @Test("a staging-like folder that is not a dead run's is left alone, and DIR stays 'not empty'")
    func foreignFolderKept() throws {
        let temp = try TempDirectory("extract-foreign")
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let destination = temp.path("received")
        // A live process (this one), and a dead one's folder holding something we never write.
        let live = destination + "/.handover-extract-\(getpid())-abc"
        let odd = destination + "/.handover-extract-999999999-abc"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: odd + "/notes", withIntermediateDirectories: true)
        let result = try handover(["extract", stage.path("bundle.tar"), "--to", destination])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("is not empty"), "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: live) && FileManager.default.fileExists(atPath: odd + "/notes"))
    }
}
