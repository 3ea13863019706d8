import Foundation
import HandoverKit
import Testing

/// `handover extract --fetch`: the remote payload downloaded into DIR with the bundle's own
/// files, placed only when every object matches.
@Suite("extract --fetch against the real S3 server")
struct FetchExtractTests {
    @Test("every object matches: DIR holds the whole bag, remote files byte for byte")
    func good() throws {
        let bag = try HoleyBag()
        let destination = bag.temp.path("received")
        let result = try handover(["extract", try bag.tar(), "--to", destination, "--fetch", "--jobs", "3"], environment: bag.environment)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Extracted 13 files"), "\(result.stdout)")  // 6 tag files, 1 local, 6 fetched
        for file in bag.remote + bag.local {
            #expect(FileManager.default.contents(atPath: "\(destination)/data/\(file.path)") == file.contents, "data/\(file.path)")
        }
        #expect(FileManager.default.fileExists(atPath: "\(destination)/fetch.txt"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: destination).filter { $0.hasPrefix(".handover-extract-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("one object changed: exit 1, the file named, nothing placed in DIR")
    func changedPlacesNothing() throws {
        let bag = try HoleyBag()
        var other = bag.remote[5].contents
        other[0] ^= 1
        try bag.replace(5, with: other)
        let destination = bag.temp.path("received")
        let result = try handover(["extract", bag.folder, "--to", destination, "--fetch"], environment: bag.environment)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("data/objects/file-5.bin: its sha256 checksum in object storage is"), "\(result.stdout)")
        #expect(result.stderr.contains("nothing was written to \(destination)"), "\(result.stderr)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: destination)) ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test("without --fetch a holey bundle is incomplete and nothing is written")
    func withoutFetch() throws {
        let bag = try HoleyBag(remoteSizes: [10])
        let destination = bag.temp.path("received")
        let result = try handover(["extract", bag.folder, "--to", destination], environment: bag.environment)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: destination + "/data"))
    }
}

/// `handover report --fetch`: the acceptance report says how many objects were checked, in
/// French as in English.
@Suite("report --fetch against the real S3 server")
struct FetchReportTests {
    @Test("the payload line counts the files checked in object storage, agreeing in French")
    func counted() throws {
        let bag = try HoleyBag(remoteSizes: [10, 20, 30])
        let french = try handover(["report", bag.folder, "--fetch", "--format", "md", "--lang", "fr", "--output", "-"], environment: bag.environment)
        #expect(french.stdout.contains("3 fichiers vérifiés sur 3 dans le stockage objet (fetch.txt)"), "\(french.stdout)\(french.stderr)")
        let english = try handover(["report", bag.folder, "--fetch", "--format", "md", "--output", "-"], environment: bag.environment)
        #expect(english.stdout.contains("3 of 3 files in object storage (fetch.txt) checked"), "\(english.stdout)")
        try bag.deleteObject(0)
        let one = try handover(["report", bag.folder, "--fetch", "--format", "md", "--lang", "fr", "--output", "-"], environment: bag.environment)
        #expect(one.status == 1)
        #expect(one.stdout.contains("2 fichiers vérifiés sur 3"), "\(one.stdout)")
        let plain = try handover(["report", bag.folder, "--format", "md", "--output", "-"], environment: bag.environment)
        #expect(!plain.stdout.contains("object storage (fetch.txt) checked"))
    }
}
