/// Which shard checks which remote file: decided from the bag alone, so that N machines given
/// the same bundle agree without talking to each other, and `--merge` can check that each part
/// covered exactly its own files.
///
/// Balanced by bytes: the files from largest to smallest (ties by path), each to the shard with
/// the fewest bytes so far (ties to the lowest number). A file without a length counts as 0.
public enum ShardPlan {
    /// The most shards a run may be split into.
    public static let maximumCount = 10_000

    /// The shard (1...count) of each file, in the order of `files`.
    package static func assign(_ files: [RemoteFile], count: Int) -> [Int] {
        let order = files.indices.sorted { a, b in
            let (sizeA, sizeB) = (files[a].length ?? 0, files[b].length ?? 0)
            if sizeA != sizeB { return sizeA > sizeB }
            return files[a].path.lexicographicallyPrecedes(files[b].path)
        }
        var load = Array(repeating: Int64(0), count: max(1, count))
        var shard = Array(repeating: 1, count: files.count)
        for index in order {
            var lightest = 0
            for candidate in load.indices where load[candidate] < load[lightest] { lightest = candidate }
            shard[index] = lightest + 1
            load[lightest] += files[index].length ?? 0
        }
        return shard
    }

    /// The files of shard `index` of `count`.
    package static func files(_ files: [RemoteFile], shard index: Int, of count: Int) -> [RemoteFile] {
        zip(files, assign(files, count: count)).filter { $0.1 == index }.map(\.0)
    }
}

/// `K/N`: shard K of N, as `--shard` takes it.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N` with 1 ≤ K ≤ N ≤ `ShardPlan.maximumCount`; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 6 && $0.allSatisfy(\.isASCIIDecimalDigit) }),
              let index = Int(parts[0]), let count = Int(parts[1]),
              (1...ShardPlan.maximumCount).contains(count), (1...count).contains(index) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }
}
