import Foundation
import Testing
@testable import HandoverKit

/// The split of the remote payload into shards, and what a kept result is judged to be: pure
/// functions of the bag, checked without a server.
@Suite("shard plan and the judging of kept results")
struct ShardPlanTests {
    private func file(_ path: String, _ length: Int64?, sha256: String = String(repeating: "a", count: 64)) -> RemoteFile {
        var digests = FileDigests()
        digests.sha256 = sha256
        return RemoteFile(path: Array("data/\(path)".utf8), url: "s3://bucket-1/\(path)", length: length, expected: digests)
    }

    @Test("every file in exactly one shard, the same split whatever the order, balanced by bytes")
    func balanced() {
        let files = (0..<200).map { file("f\($0)", Int64(($0 * 7919) % 1000 + 1) * 1000) }
        let plan = ShardPlan.assign(files, count: 7)
        #expect(plan.allSatisfy { (1...7).contains($0) })
        #expect(ShardPlan.assign(files.reversed(), count: 7) == plan.reversed())
        var load = [Int64](repeating: 0, count: 8)
        for (file, shard) in zip(files, plan) { load[shard] += file.length ?? 0 }
        let loads = load.dropFirst()
        let largest = files.compactMap(\.length).max() ?? 0
        #expect((loads.max() ?? 0) - (loads.min() ?? 0) <= largest, "\(loads)")
        #expect(Set((1...7).flatMap { ShardPlan.files(files, shard: $0, of: 7).map(\.path) }).count == files.count)
    }

    @Test("K/N is read strictly", arguments: ["0/3", "4/3", "1/0", "a/b", "1/3/4", "/3", "1/", "-1/3", "1/10001", " 1/3"])
    func badShard(_ text: String) {
        #expect(Shard(text) == nil)
    }

    @Test("a good K/N")
    func goodShard() {
        #expect(Shard("2/3") == Shard(index: 2, count: 3))
        #expect(Shard("10000/10000") != nil)
    }

    @Test("a kept result is believed only where its size and digests bear it out")
    func judged() {
        let expected = file("x", 10)
        let right = String(repeating: "a", count: 64)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .checked, size: 10, digests: ["sha256": right]).judged(against: expected) == .checked)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .checked, size: 10, digests: ["sha256": String(repeating: "b", count: 64)]).judged(against: expected) == .changed)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .checked, size: 11, digests: ["sha256": right]).judged(against: expected) == .wrongSize)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .checked, size: 10, digests: [:]).judged(against: expected) == .notChecked)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .wrongSize, size: 10).judged(against: expected) == .notChecked)
        #expect(RemoteResult(path: "data/x", url: expected.url, state: .changed, size: 10, digests: ["sha256": right]).judged(against: expected) == .checked)
    }
}
