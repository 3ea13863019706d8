import Crypto
import Foundation
@testable import HandoverKit

/// A holey bag made by the test: a bag folder whose remote payload files were uploaded to a
/// fresh bucket of the real S3 server and are absent from `data/`, with fetch.txt, the payload
/// manifest and the tag manifest written here (sha256 and sha512, so that every algorithm is
/// checked), and, on demand, the same bag as a tar made by bsdtar.
final class HoleyBag: @unchecked Sendable {
    let temp: TempDirectory
    let bucket: S3TestBucket
    /// Remote files by path under `data/`, with their contents.
    private(set) var remote: [(path: String, contents: Data)]
    let local: [(path: String, contents: Data)]
    /// fetch.txt's lines, as written.
    private(set) var fetchLines: [String] = []

    var folder: String { temp.path("bag") }
    var environment: [String: String] { bucket.environment }

    /// `count` remote files of different sizes (`sizes` cycles), deterministic contents.
    init(label: String = "fetch", remoteSizes sizes: [Int] = [1_000, 70_000, 5, 300_000, 20_000, 2_000_000]) throws {
        temp = try TempDirectory("holey-bag")
        bucket = try S3TestBucket(label)
        remote = sizes.enumerated().map { index, size in
            ("objects/file-\(index).bin", Self.contents(seed: index, size: size))
        }
        local = [("readme.txt", Data("The remote payload is in object storage.\n".utf8))]
        for file in remote { try bucket.put("export/\(file.path)", file.contents) }
        for file in local { try temp.write("bag/data/\(file.path)", file.contents) }
        fetchLines = remote.map { "s3://\(bucket.name)/export/\($0.path) \($0.contents.count) data/\($0.path)" }
        try writeTags()
    }

    static func contents(seed: Int, size: Int) -> Data {
        var state = UInt64(seed + 1) &* 0x9E37_79B9_7F4A_7C15
        var bytes = [UInt8](repeating: 0, count: size)
        for index in bytes.indices {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }

    /// Replaces fetch.txt's lines (and the tag manifest over it).
    func rewriteFetch(_ lines: [String]) throws {
        fetchLines = lines
        try writeTags()
    }

    /// Adds a payload file only fetch.txt knows, at `url`, listed in the manifests with `contents`.
    func addRemote(path: String, url: String, contents: Data) throws {
        remote.append((path, contents))
        fetchLines.append("\(url) \(contents.count) data/\(path)")
        try writeTags()
    }

    private func writeTags() throws {
        let all = remote + local
        let octets = all.reduce(0) { $0 + $1.contents.count }
        try temp.write("bag/bagit.txt", "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        try temp.write("bag/bag-info.txt", "Bagging-Date: 2026-12-02\nPayload-Oxum: \(octets).\(all.count)\n")
        let sorted = all.sorted { $0.path < $1.path }
        try temp.write("bag/manifest-sha256.txt", sorted.map { "\(Self.hex(SHA256.hash(data: $0.contents)))  data/\($0.path)\n" }.joined())
        try temp.write("bag/manifest-sha512.txt", sorted.map { "\(Self.hex(SHA512.hash(data: $0.contents)))  data/\($0.path)\n" }.joined())
        try temp.write("bag/fetch.txt", fetchLines.map { $0 + "\n" }.joined())
        var tags = ""
        for name in ["bag-info.txt", "bagit.txt", "fetch.txt", "manifest-sha256.txt", "manifest-sha512.txt"] {
            tags += "\(Self.hex(SHA256.hash(data: try temp.read("bag/\(name)"))))  \(name)\n"
        }
        try temp.write("bag/tagmanifest-sha256.txt", tags)
    }

    /// The bag as a tar made by bsdtar.
    func tar() throws -> String {
        let output = temp.path("bag.tar")
        try? FileManager.default.removeItem(atPath: output)
        let result = try runProcess(try requireTool("bsdtar", install: "apt-get install libarchive-tools"), ["-cf", output, "-C", temp.path, "bag"])
        guard result.status == 0 else { throw FixtureError("bsdtar: \(result.stderr)") }
        return output
    }

    /// Uploads other contents for the remote file at `index` (same key).
    func replace(_ index: Int, with contents: Data) throws {
        try bucket.put("export/\(remote[index].path)", contents)
    }

    func deleteObject(_ index: Int) throws {
        try bucket.delete("export/\(remote[index].path)")
    }

    static func hex<D: Digest>(_ digest: D) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
