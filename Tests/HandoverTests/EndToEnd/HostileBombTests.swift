import Foundation
import HandoverKit
import Testing

/// A zstd decompression bomb: a bag whose bag-info.txt promises 1 KB of payload, and an entry
/// of 4 GiB of zeros that weighs a few hundred KB compressed. The archive is made of zstd frames
/// one after another (a frame of the tar's headers, the same frame of 64 MiB of zeros 64 times,
/// a frame of the tar's end), which zstd and libarchive read as one stream.
struct ZstdBomb {
    static let entrySize: Int64 = 4 << 30

    /// Where bag-info.txt (and its Payload-Oxum) lies: before the payload, after it, or nowhere.
    enum BagInfoPlace: String, CaseIterable, Sendable { case first, last, absent }

    /// - Parameter bombPath: the entry inside the bag that holds the zeros.
    static func make(bombPath: String, bagInfo: BagInfoPlace = .first) throws -> [UInt8] {
        func zstd(_ bytes: [UInt8]) throws -> [UInt8] { try filter("zstd", ["-c", "-q"], bytes, install: "apt-get install zstd") }
        var bag = HandmadeBag()
        bag.payload = [("data/readme.txt", [UInt8](repeating: UInt8(ascii: "a"), count: 1023) + [10])]
        let tagFiles = bag.tagFiles()
        var head = RawTar()
        head.add(bag.top + "/", .directory, mode: 0o755)
        for (name, bytes) in tagFiles where name != "bag-info.txt" || bagInfo == .first { head.add("\(bag.top)/\(name)", data: bytes) }
        for file in bag.payload { head.add("\(bag.top)/\(file.path)", data: file.bytes) }
        head.header("\(bag.top)/\(bombPath)", size: entrySize)
        let zeros = try zstd([UInt8](repeating: 0, count: 64 << 20))
        var tail = RawTar()
        if bagInfo == .last, let info = tagFiles.first(where: { $0.0 == "bag-info.txt" }) {
            tail.add("\(bag.top)/bag-info.txt", data: info.1)
        }
        tail.finish()
        var archive = try zstd(head.bytes)
        for _ in 0..<Int(entrySize >> 26) { archive += zeros }
        archive += try zstd(tail.bytes)
        return archive
    }
}

/// Runs the binary under /usr/bin/time -v: the result, the wall time and the peak memory.
func measured(_ arguments: [String]) throws -> (result: ProcessResult, seconds: Double, peakKB: Int) {
    let time = try requireTool("time", install: "apt-get install time")
    let start = Date()
    let result = try runProcess(time, ["-v", handoverBinary()] + arguments)
    let seconds = Date().timeIntervalSince(start)
    let line = result.stderr.split(separator: "\n").first { $0.contains("Maximum resident set size") }
    let peak = line.flatMap { $0.split(separator: ":").last }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? -1
    return (result, seconds, peak)
}

@Suite("Decompression bombs stop early, in bounded time and memory")
struct HostileBombTests {
    @Test("4 GiB of zeros where bag-info.txt promises 1 KB: refused from the entry's header", arguments: ["data/bomb.bin", "handover/report.json"])
    func bomb(_ bombPath: String) throws {
        let sandbox = try ExtractSandbox()
        let archive = try ZstdBomb.make(bombPath: bombPath)
        #expect(archive.count < 4 << 20, "the bomb is small: \(archive.count) bytes")
        let bundle = try sandbox.bundle("bomb.tar.zst", archive)
        let expected = bombPath.hasPrefix("data/") ? "reading stopped there, as for a decompression bomb" : "tag file too large"

        for arguments in [["verify", bundle], ["extract", bundle, "--to", sandbox.target]] {
            let run = try measured(arguments)
            #expect(run.result.status == 1, "\(arguments[0]): \(run.result.stdout)\(run.result.stderr)")
            #expect(run.result.stderr.contains(expected), "\(run.result.stderr)")
            #expect(run.seconds < 5, "\(arguments[0]) took \(run.seconds) s")
            #expect(run.peakKB > 0 && run.peakKB < 200_000, "\(arguments[0]) peaked at \(run.peakKB) KB")
            print("bomb \(bombPath), \(arguments[0]): \(String(format: "%.2f", run.seconds)) s, peak \(run.peakKB) KB")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
        try sandbox.outsideUnchanged()
    }
}
