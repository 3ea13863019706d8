import Foundation
import HandoverKit
import Testing

/// The fast paths of issue 6 give the same verdicts as the plain ones: a folder's large files
/// hashed several at once, an archive read ahead on its own thread, a build that writes on a
/// thread of its own with many small files sharing a buffer.
@Suite("Parallel build and verify paths: same verdicts")
struct ParallelPathsTests {
    /// Bytes that differ from file to file, so a mix-up of digests between files would show.
    private static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ ($0 >> 7) ^ seed) }
    }

    /// A bag folder with large files (hashed by the pool) between small ones (hashed in line).
    private func largeFileBag(_ change: (inout BagFixture) -> Void = { _ in }) throws -> TempDirectory {
        let folder = try TempDirectory("bag-parallel")
        var bag = BagFixture()
        bag.algorithms = [.sha256, .sha512]
        bag.payload = (0..<12).map { index in
            let size = index % 3 == 0 ? 200 + index : 70_000 + index * 50_000
            return (Array("data/part-\(index / 4)/file-\(index).bin".utf8), Self.bytes(size, seed: index))
        }
        change(&bag)
        try bag.write(to: folder.path)
        return folder
    }

    @Test("A folder whose large files are hashed several at once is valid, with each file's own digests")
    func parallelFolderValid() throws {
        let folder = try largeFileBag()
        let result = try verifyFolder(folder.path)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.payload.count == 12)
        for file in result.payload {
            let bytes = try RawFiles.read(folder.path, file.bagPath)
            #expect(file.size == Int64(bytes.count))
            #expect(file.digests.sha256 == BagFixture.digest(bytes, .sha256), "\(file.displayPath)")
            #expect(file.digests.sha512 == BagFixture.digest(bytes, .sha512), "\(file.displayPath)")
        }
    }

    @Test("A byte changed in a large file of a folder is caught, and only that file is named")
    func parallelFolderTampered() throws {
        let folder = try largeFileBag()
        try RawFiles.flipByte(folder.path, "data/part-1/file-5.bin", at: 123_456)
        let result = try verifyFolder(folder.path)
        let found = Set(result.problems.map { "\($0.code.rawValue) @ \($0.file)" })
        #expect(found == ["checksum-mismatch @ data/part-1/file-5.bin"])
    }

    @Test("Large files far beyond Payload-Oxum are cut short in the pool too, and named")
    func parallelFolderLimit() throws {
        let folder = try largeFileBag { $0.oxum = "300.12" }
        var options = BagVerifier.Options()
        options.limits.minimumMargin = 1024
        let result = try verifyFolder(folder.path, options: options)
        #expect(result.problems.contains { $0.code == .exceedsPromise })
        #expect(result.problems.contains { $0.code == .payloadOxumMismatch })
        #expect(!result.problems.contains { $0.code == .checksumMismatch }, "a file cut short is not compared")
    }

    @Test("An observer that needs every byte still sees every file of a folder, complete")
    func observerSeesAll() throws {
        let folder = try largeFileBag()
        let observer = RecordingObserver()
        let result = try verifyFolder(folder.path, observer: observer)
        #expect(result.isValid)
        #expect(observer.files.count == 12)
        let sizes = Dictionary(uniqueKeysWithValues: result.payload.map { ($0.displayPath, Int($0.size)) })
        #expect(observer.files.allSatisfy { $0.complete && sizes[$0.path] == $0.bytes })
    }

    @Test("Thousands of small files and a few large ones build into an archive that verifies, twice the same")
    func manySmallFilesBuild() throws {
        let source = try TempDirectory("build-many")
        for index in 0..<3_000 {
            let size = index % 997 == 0 ? 400_000 + index : 1 + index % 1_500
            let text = String(repeating: "line \(index) of the ticket history\n", count: size / 30 + 1)
            _ = try source.write("tickets/\(index / 500)/t\(index).txt", String(text.prefix(size)))
        }
        let manifest = try ManifestParser.parse(Array("""
            version: 1
            handover: {contract: C-1, client: Client, provider: Provider, recipient: Recipient}
            deliverables:
              - {id: tickets, title: Tickets, category: history, paths: ["tickets/**/*"]}
            """.utf8), fileName: "manifest.yaml")
        let out = try TempDirectory("build-many-out")
        var digests: [String] = []
        for name in ["a.tar", "b.tar"] {
            var options = BuildOptions(output: out.path(name))
            options.sourceDateEpoch = 1_798_761_600
            let built = try BundleBuilder.build(manifest: manifest, source: source.path, options: options)
            #expect(built.payloadFiles == 3_000)
            digests.append(built.archiveSHA256)
            let verified = try BagVerifier { try ArchiveBagReader(path: out.path(name)) }.verify()
            #expect(verified.isValid, "\(verified.problems.prefix(5))")
            #expect(verified.payload.count == 3_000)
        }
        #expect(digests[0] == digests[1], "the same input gives the same bytes")
    }
}
