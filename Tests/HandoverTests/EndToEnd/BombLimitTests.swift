import Foundation
import HandoverKit
import Testing

/// A bag of `count` folders that hold nothing, beside a valid payload: a few hundred KB of
/// zstd that would make as many folders on disk.
func emptyFoldersBag(_ count: Int) throws -> [UInt8] {
    let bag = HandmadeBag()
    let tar = bag.tar { tar in
        tar.add("\(bag.top)/data/empty/", .directory, mode: 0o755)
        for index in 0..<count { tar.add("\(bag.top)/data/empty/\(index)/", .directory, mode: 0o755) }
    }
    return try filter("zstd", ["-c", "-q"], tar, install: "apt-get install zstd")
}

/// A valid bag whose one payload file is `size` bytes of zeros, with bag-info.txt placed as asked.
func zerosBag(_ size: Int, bagInfo: ZstdBomb.BagInfoPlace) throws -> [UInt8] {
    var bag = HandmadeBag()
    bag.payload = [("data/zeros.bin", [UInt8](repeating: 0, count: size))]
    var tar = RawTar()
    tar.add(bag.top + "/", .directory, mode: 0o755)
    let tagFiles = bag.tagFiles()
    for (name, bytes) in tagFiles where name != "bag-info.txt" || bagInfo == .first { tar.add("\(bag.top)/\(name)", data: bytes) }
    for file in bag.payload { tar.add("\(bag.top)/\(file.path)", data: file.bytes) }
    if bagInfo == .last, let info = tagFiles.first(where: { $0.0 == "bag-info.txt" }) { tar.add("\(bag.top)/bag-info.txt", data: info.1) }
    tar.finish()
    return try filter("zstd", ["-c", "-q"], tar.bytes, install: "apt-get install zstd")
}

/// The guards against bombs hold whatever the order of the entries: a ceiling on expansion
/// relative to the archive's size, on entries, and on folders that hold no file, each named in
/// the message with the option that raises it.
@Suite("Bombs stop early in any entry order; each limit has an option that raises it")
struct BombLimitTests {
    @Test("4 GiB of zeros in a small .tar.zst: verify and extract stop in bounded time and memory, whatever the place of bag-info.txt",
          arguments: ZstdBomb.BagInfoPlace.allCases)
    func zeros(_ place: ZstdBomb.BagInfoPlace) throws {
        let sandbox = try ExtractSandbox()
        let archive = try ZstdBomb.make(bombPath: "data/bomb.bin", bagInfo: place)
        #expect(archive.count < 4 << 20, "the bomb is small: \(archive.count) bytes")
        let bundle = try sandbox.bundle("bomb.tar.zst", archive)
        // With bag-info.txt first, its Payload-Oxum of 1 KB is the tighter bound; otherwise the
        // archive's own size is, and the option that raises it is named.
        let expected = place == .first ? ["reading stopped there, as for a decompression bomb"]
                                       : ["data/bomb.bin", "the limit of expansion", "--max-expansion"]
        for arguments in [["verify", bundle], ["extract", bundle, "--to", sandbox.target]] {
            let run = try measured(arguments)
            #expect(run.result.status == 1, "\(arguments[0]): \(run.result.stdout)\(run.result.stderr)")
            for text in expected { #expect(run.result.stderr.contains(text), "\(run.result.stderr)") }
            #expect(run.seconds < 20, "\(arguments[0]) took \(run.seconds) s")
            #expect(run.peakKB > 0 && run.peakKB < 256_000, "\(arguments[0]) peaked at \(run.peakKB) KB")
            print("zeros bomb, bag-info \(place), \(archive.count) bytes, \(arguments[0]): \(String(format: "%.2f", run.seconds)) s, peak \(run.peakKB) KB")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.target), "extract left \(sandbox.targetContents())")
        try sandbox.outsideUnchanged()
    }

    @Test("200,000 empty folders: verify and extract refuse, naming the limit and --max-empty-folders")
    func emptyFolders() throws {
        let sandbox = try ExtractSandbox()
        let archive = try emptyFoldersBag(200_000)
        let bundle = try sandbox.bundle("folders.tar.zst", archive)
        for arguments in [["verify", bundle], ["extract", bundle, "--to", sandbox.target]] {
            let run = try measured(arguments)
            #expect(run.result.status == 1, "\(arguments[0]): \(run.result.stdout)\(run.result.stderr)")
            #expect(run.result.stderr.contains("more than 10000 folders that hold no file, the limit of empty folders"), "\(run.result.stderr)")
            #expect(run.result.stderr.contains("--max-empty-folders"), "\(run.result.stderr)")
            #expect(run.seconds < 20, "\(arguments[0]) took \(run.seconds) s")
            #expect(run.peakKB > 0 && run.peakKB < 256_000, "\(arguments[0]) peaked at \(run.peakKB) KB")
            print("200,000 empty folders, \(archive.count) bytes, \(arguments[0]): \(String(format: "%.2f", run.seconds)) s, peak \(run.peakKB) KB")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.target), "extract left \(sandbox.targetContents())")
        try sandbox.outsideUnchanged()
    }

    @Test("--max-empty-folders raises the limit: 12,000 empty folders are refused, then verified and extracted")
    func emptyFoldersOption() throws {
        let sandbox = try ExtractSandbox()
        let bundle = try sandbox.bundle("folders.tar.zst", try emptyFoldersBag(12_000))
        let refused = try handover(["verify", bundle])
        #expect(refused.status == 1 && refused.stderr.contains("the limit of empty folders"), "\(refused.stdout)\(refused.stderr)")
        let verified = try handover(["verify", bundle, "--max-empty-folders", "20000"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let extracted = try handover(["extract", bundle, "--to", sandbox.target, "--max-empty-folders", "20000"])
        #expect(extracted.status == 0, "\(extracted.stdout)\(extracted.stderr)")
        #expect(FileManager.default.fileExists(atPath: sandbox.target + "/data/readme.txt"))
    }

    @Test("12,000 folders that each hold a file, each stored before its file as bsdtar does: no empty folder, verified")
    func foldersHoldingFiles() throws {
        let sandbox = try ExtractSandbox()
        var bag = HandmadeBag()
        bag.payload = (0..<12_000).map { ("data/f/\($0)/note.txt", Array("note \($0)\n".utf8)) }
        var tar = RawTar()
        tar.add(bag.top + "/", .directory, mode: 0o755)
        for (name, bytes) in bag.tagFiles() { tar.add("\(bag.top)/\(name)", data: bytes) }
        tar.add("\(bag.top)/data/", .directory, mode: 0o755)
        tar.add("\(bag.top)/data/f/", .directory, mode: 0o755)
        for (index, file) in bag.payload.enumerated() {
            tar.add("\(bag.top)/data/f/\(index)/", .directory, mode: 0o755)
            tar.add("\(bag.top)/\(file.path)", data: file.bytes)
        }
        tar.finish()
        let bundle = try sandbox.bundle("notes.tar.zst", try filter("zstd", ["-c", "-q"], tar.bytes, install: "apt-get install zstd"))
        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("--max-expansion raises the limit: 96 MiB of zeros with bag-info.txt after the payload, or none",
          arguments: [ZstdBomb.BagInfoPlace.last, .absent])
    func expansionOption(_ place: ZstdBomb.BagInfoPlace) throws {
        let sandbox = try ExtractSandbox()
        let archive = try zerosBag(96 << 20, bagInfo: place)
        let bundle = try sandbox.bundle("zeros.tar.zst", archive)
        let refused = try handover(["verify", bundle])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("data/zeros.bin") && refused.stderr.contains("the limit of expansion")
                && refused.stderr.contains("--max-expansion RATIO"), "\(refused.stderr)")
        let allowed = try handover(["verify", bundle, "--max-expansion", "1000000"])
        #expect(allowed.status == 0, "\(allowed.stdout)\(allowed.stderr)")
    }

    @Test("A Payload-Oxum declared before the payload allows what it declares: handover's own bundle of 96 MiB of zeros verifies")
    func oxumFirstAllows() throws {
        let fixture = try bundleSource()
        try fixture.write("docs/zeros.bin", Data(count: 96 << 20))
        let bundle = try fixture.buildBundle("zeros.tar.zst")
        let size = (try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int) ?? 0
        #expect(size < 1 << 20, "the bundle compresses well: \(size) bytes")
        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("--max-entries sets the limit of entries, named in the message")
    func entriesOption() throws {
        let sandbox = try ExtractSandbox()
        var bag = HandmadeBag()
        bag.payload = (0..<30).map { ("data/file-\($0).txt", Array("file \($0)\n".utf8)) }
        let bundle = try sandbox.bundle("many.tar", bag.tar())
        for command in [["verify", bundle], ["extract", bundle, "--to", sandbox.target]] {
            let refused = try handover(command + ["--max-entries", "10"])
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("more than 10 files, the limit of entries") && refused.stderr.contains("--max-entries N"), "\(refused.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
        let verified = try handover(["verify", bundle, "--max-entries", "40"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        let rejected = try handover(["verify", bundle, "--max-entries", "0"])
        #expect(rejected.status == 2 && rejected.stderr.contains("--max-entries must be a whole number of at least 1"), "\(rejected.stderr)")
        let tooMany = try handover(["verify", bundle, "--max-entries", "3000000000"])
        #expect(tooMany.status == 2 && tooMany.stderr.contains("--max-entries can be at most 2000000000"), "\(tooMany.stderr)")
    }
}
