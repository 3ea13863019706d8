import Foundation
import HandoverKit
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Shards, merge and resume: the remote payload split across machines the same way on each,
/// the parts merged into the verdict one run gives, and an interrupted run continued.
@Suite("verify --fetch in shards, --merge and --resume against the real S3 server")
struct FetchShardTests {
    /// Each remote file of a JSON result as canonical JSON text, sorted by path.
    private func remoteFiles(_ result: ProcessResult) throws -> [String] {
        let remote = try #require(try jsonObject(result)["remote"] as? [String: Any], "\(result.stdout)\(result.stderr)")
        let files = try #require(remote["files"] as? [[String: Any]])
        return try files.map { file in
            String(decoding: try JSONSerialization.data(withJSONObject: file, options: [.sortedKeys]), as: UTF8.self)
        }.sorted()
    }

    /// Runs the three shards of `bag`; returns the part files.
    private func shards(_ bag: HoleyBag, count: Int = 3) throws -> [String] {
        var parts: [String] = []
        var seen: [String] = []
        for index in 1...count {
            let part = bag.temp.path("part-\(index).json")
            let run = try handover(["verify", bag.folder, "--fetch", "--shard", "\(index)/\(count)", "--result", part, "--format", "json"], environment: bag.environment)
            #expect(run.status == 0, "shard \(index): \(run.stdout)\(run.stderr)")
            let remote = try #require(try jsonObject(run)["remote"] as? [String: Any])
            let files = try #require(remote["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
            #expect(!files.isEmpty, "shard \(index) checked nothing")
            seen += files
            parts.append(part)
        }
        #expect(seen.sorted() == bag.remote.map { "data/\($0.path)" }.sorted(), "every file in exactly one shard: \(seen)")
        return parts
    }

    @Test("shards 1/3 2/3 3/3 merged give the single run's verdict and files")
    func mergeEqualsSingleRun() throws {
        let bag = try HoleyBag()
        let parts = try shards(bag)
        let merged = try handover(["verify", bag.folder, "--merge"] + parts + ["--format", "json"], environment: bag.environment)
        let single = try handover(["verify", bag.folder, "--fetch", "--format", "json"], environment: bag.environment)
        #expect(merged.status == 0 && single.status == 0, "\(merged.stdout)\(merged.stderr)")
        #expect(try jsonObject(merged)["state"] as? String == "intact-and-complete")
        #expect(try remoteFiles(merged) == remoteFiles(single))
        let text = try handover(["verify", bag.folder, "--merge"] + parts)
        #expect(text.stdout.contains("Remote payload: 6 of 6 objects checked in object storage"), "\(text.stdout)")
        #expect(text.stdout.contains("merged from the parts of 3 shards"))
        // The same split from the tar of the same bag (the plan depends on the bag alone).
        let fromTar = try handover(["verify", try bag.tar(), "--merge"] + parts)
        #expect(fromTar.status == 0, "\(fromTar.stdout)\(fromTar.stderr)")
    }

    @Test("a missing shard, a duplicated shard, a part of another bundle and a damaged part are refused (exit 2)")
    func refusals() throws {
        let bag = try HoleyBag()
        let parts = try shards(bag)
        let missing = try handover(["verify", bag.folder, "--merge", parts[0], parts[1]])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("shard 3/3 is missing"), "\(missing.stderr)")
        let duplicated = try handover(["verify", bag.folder, "--merge", parts[0], parts[1], parts[1], parts[2]])
        #expect(duplicated.status == 2)
        #expect(duplicated.stderr.contains("are both shard 2/3"), "\(duplicated.stderr)")

        let other = try HoleyBag(label: "other", remoteSizes: [10, 20, 30])
        let otherPart = other.temp.path("part-1.json")
        let run = try handover(["verify", other.folder, "--fetch", "--shard", "1/3", "--result", otherPart], environment: other.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let foreign = try handover(["verify", bag.folder, "--merge", otherPart, parts[1], parts[2]])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.contains("was written for another bundle"), "\(foreign.stderr)")

        // A part of a run that did not finish: the way on names the flags that finish it.
        let unfinished = bag.temp.path("unfinished.json")
        let partText = try String(contentsOfFile: parts[2], encoding: .utf8)
        let open = try #require(partText.firstRange(of: /"complete" *: *true/))
        try partText.replacingCharacters(in: open, with: "\"complete\" : false").write(toFile: unfinished, atomically: true, encoding: .utf8)
        let notDone = try handover(["verify", bag.folder, "--merge", parts[0], parts[1], unfinished])
        #expect(notDone.status == 2)
        #expect(notDone.stderr.contains("\(unfinished) is shard 3/3 of a run that did not finish; run that shard again with the same --shard K/N and --resume STATE, then merge"), "\(notDone.stderr)")
        // The result of a whole run is not a shard's.
        let whole = bag.temp.path("whole.json")
        #expect(try handover(["verify", bag.folder, "--fetch", "--result", whole], environment: bag.environment).status == 0)
        let wholeMerged = try handover(["verify", bag.folder, "--merge", whole])
        #expect(wholeMerged.status == 2)
        #expect(wholeMerged.stderr.contains("is the result of a whole run, not of one shard; a whole run needs no merge"), "\(wholeMerged.stderr)")

        try Data("{\"format\": [".utf8).write(to: URL(fileURLWithPath: parts[2]))
        let damaged = try handover(["verify", bag.folder, "--merge"] + parts)
        #expect(damaged.status == 2)
        #expect(damaged.stderr.contains("is not a part or state file"), "\(damaged.stderr)")
        #expect(!damaged.stderr.contains("Fatal error"))
    }

    @Test("a part that says checked over a digest that does not match is not believed")
    func tamperedPart() throws {
        let bag = try HoleyBag()
        let parts = try shards(bag)
        var text = try String(contentsOfFile: parts[0], encoding: .utf8)
        let digest = try #require(text.firstRange(of: /"sha256" : "[0-9a-f]{64}"/))
        text.replaceSubrange(digest, with: "\"sha256\" : \"\(String(repeating: "0", count: 64))\"")
        try text.write(toFile: parts[0], atomically: true, encoding: .utf8)
        let merged = try handover(["verify", bag.folder, "--merge"] + parts + ["--format", "json"])
        #expect(merged.status == 1, "\(merged.stdout)\(merged.stderr)")
        #expect(try jsonObject(merged)["state"] as? String == "not-intact")
    }

    @Test("an interrupted run continues from its state file without reading again what it checked")
    func resume() throws {
        let bag = try HoleyBag(remoteSizes: Array(repeating: 3_000_000, count: 24))
        let state = bag.temp.path("state.json")
        let first = try BackgroundBuild(["verify", bag.folder, "--fetch", "--jobs", "1", "--resume", state], environment: bag.environment)
        try first.waitUntil("the state file records a checked object") {
            guard let data = FileManager.default.contents(atPath: state),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let files = object["files"] as? [Any] else { return false }
            return !files.isEmpty
        }
        kill(first.pid, SIGKILL)
        _ = first.wait()
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: state))) as? [String: Any])
        let keptFiles = try #require(kept["files"] as? [[String: Any]]).compactMap { $0["path"] as? String }
        #expect(kept["complete"] as? Bool == false)
        #expect(!keptFiles.isEmpty && keptFiles.count < 24, "\(keptFiles.count) kept")

        let second = try handover(["verify", bag.folder, "--fetch", "--resume", state, "--verbose"], environment: bag.environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        let fetched = second.stdout.split(separator: "\n").filter { $0.hasPrefix("fetched  ") }.map { String($0.split(separator: " ")[1]) }
        let resumed = second.stdout.split(separator: "\n").filter { $0.hasPrefix("resumed  ") }.map { String($0.split(separator: " ")[1]) }
        #expect(Set(resumed) == Set(keptFiles), "\(resumed) vs \(keptFiles)")
        #expect(Set(fetched).isDisjoint(with: keptFiles), "objects read again: \(Set(fetched).intersection(keptFiles))")
        #expect(fetched.count + resumed.count == 24)
        #expect(second.stdout.contains("\(keptFiles.count) taken from the state file, not read again"), "\(second.stdout)")

        let other = try HoleyBag(label: "other", remoteSizes: [10])
        let refused = try handover(["verify", other.folder, "--fetch", "--resume", state], environment: other.environment)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("was written for another bundle"), "\(refused.stderr)")
    }
}
