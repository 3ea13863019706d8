import Foundation
import HandoverKit
import Testing

/// The verifier in the orders archives really come in, with its second pass, its observer and
/// its guard against entries far larger than promised.
@Suite("Bag verifier: entry order, second pass, observer, limits")
struct VerifierStreamingTests {
    /// A valid bag of three payload files, and the verifier over it in `order`.
    private func fixture(_ change: (inout BagFixture) -> Void = { _ in }) throws -> TempDirectory {
        let folder = try TempDirectory("bag-order")
        var bag = BagFixture()
        bag.payload = [
            (Array("data/a.csv".utf8), Array("account,role\nroot,admin\n".utf8)),
            (Array("data/docs/b.txt".utf8), Array(String(repeating: "runbook ", count: 40_000).utf8)),
            (Array("data/c.bin".utf8), (0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 7) }),
        ]
        change(&bag)
        try bag.write(to: folder.path)
        return folder
    }

    private let payloadFirst = ["data", "data/a.csv", "data/docs", "data/docs/b.txt", "data/c.bin",
                                "bagit.txt", "bag-info.txt", "manifest-sha512.txt", "tagmanifest-sha512.txt"]

    private func verify(_ folder: TempDirectory, _ order: [String], options: BagVerifier.Options = .init(),
                        observer: PayloadObserver? = nil, opened: OpenCounter = OpenCounter()) throws -> BagVerification {
        try BagVerifier(options: options) {
            opened.count += 1
            return OrderedReader(root: folder.path, order: order)
        }.verify(observer: observer)
    }

    final class OpenCounter: @unchecked Sendable { var count = 0 }

    @Test("Payload before a sha256 manifest (handover's own order): one pass")
    func payloadFirstSha256() throws {
        let folder = try fixture { $0.algorithms = [.sha256] }
        let order = payloadFirst.map { $0.replacingOccurrences(of: "sha512", with: "sha256") }
        let opened = OpenCounter()
        let result = try verify(folder, order, opened: opened)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.passes == 1)
        #expect(opened.count == 1)
    }

    /// A sha256 bag with a tag file over 1 MiB, listed by the tag manifest of `algorithm`.
    private func bigTagFileBag(_ algorithm: ChecksumAlgorithm) throws -> TempDirectory {
        try fixture { bag in
            bag.algorithms = [.sha256]
            bag.afterWriting = { root in
                let big = Array(String(repeating: "notes of the handover meeting\n", count: 50_000).utf8)
                try RawFiles.write(root, Array("big-notes.txt".utf8), big)
                let name = Array("tagmanifest-\(algorithm.rawValue).txt".utf8)
                let line = BagManifestWriter.line(checksum: BagFixture.digest(big, algorithm), path: Array("big-notes.txt".utf8))
                let before = algorithm == .sha256 ? try RawFiles.read(root, name) : []
                try RawFiles.write(root, name, before + line)
            }
        }
    }

    @Test("A tag file over 1 MiB is hashed with the usual algorithms; another one a tag manifest uses comes from a second pass")
    func largeTagFile() throws {
        for (algorithm, passes) in [(ChecksumAlgorithm.sha256, 1), (.sha512, 1), (.md5, 2), (.sha224, 2)] {
            let folder = try bigTagFileBag(algorithm)
            let tagManifests = Set(["tagmanifest-sha256.txt", "tagmanifest-\(algorithm.rawValue).txt"]).sorted()
            let order = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "big-notes.txt",
                         "data", "data/a.csv", "data/docs", "data/docs/b.txt", "data/c.bin"] + tagManifests
            let result = try verify(folder, order)
            #expect(result.isValid, "\(algorithm): \(result.problems)")
            #expect(result.passes == passes, "\(algorithm)")

            try RawFiles.flipByte(folder.path, "big-notes.txt", at: 1_200_000)
            let broken = try verify(folder, order)
            #expect(broken.problems.map { "\($0.code.rawValue) @ \($0.file)" } == ["checksum-mismatch @ big-notes.txt"], "\(algorithm)")
        }
    }

    @Test("Payload before a sha512 manifest: a second pass computes sha512, and catches a flipped byte")
    func payloadFirstSha512() throws {
        let folder = try fixture()
        let opened = OpenCounter()
        let result = try verify(folder, payloadFirst, opened: opened)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.passes == 2)
        #expect(opened.count == 2)
        #expect(result.payload.allSatisfy { $0.digests.sha512 != nil })

        try RawFiles.flipByte(folder.path, "data/docs/b.txt", at: 100_000)
        let broken = try verify(folder, payloadFirst)
        #expect(broken.problems.map { "\($0.code.rawValue) @ \($0.file)" } == ["checksum-mismatch @ data/docs/b.txt"])
    }

    @Test("Naming the algorithms to expect spares the second pass")
    func initialAlgorithms() throws {
        let folder = try fixture()
        var options = BagVerifier.Options()
        options.initialAlgorithms = [.sha256, .sha512]
        let result = try verify(folder, payloadFirst, options: options)
        #expect(result.isValid)
        #expect(result.passes == 1)
    }

    @Test("Manifests before bagit.txt (bsdtar's order) wait for its encoding, here UTF-16")
    func manifestBeforeDeclaration() throws {
        let folder = try fixture {
            $0.declaration = Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-16\n".utf8)
            $0.encoding = .utf16
            $0.payload[0].path = Array("data/Zoë.csv".utf8)
        }
        let order = ["tagmanifest-sha512.txt", "manifest-sha512.txt", "data/c.bin", "data/Zoë.csv", "bag-info.txt",
                     "data/docs/b.txt", "bagit.txt"]
        let result = try verify(folder, order)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.passes == 1)
        #expect(result.payload.map(\.displayPath).contains("Zoë.csv"))
    }

    @Test("A manifest too large to wait for bagit.txt is read in a second pass")
    func deferredManifest() throws {
        let folder = try fixture()
        var options = BagVerifier.Options()
        options.limits.keptTagFileBytes = 100
        let order = ["manifest-sha512.txt", "data/a.csv", "data/docs/b.txt", "data/c.bin", "bagit.txt", "bag-info.txt"]
        let result = try verify(folder, order, options: options)
        #expect(result.isValid, "\(result.problems)")
        #expect(result.passes == 2)
    }

    @Test("The observer sees every payload file once, whole, in the first pass")
    func observer() throws {
        let folder = try fixture()
        let observer = RecordingObserver()
        let result = try verify(folder, payloadFirst, observer: observer)
        #expect(result.passes == 2)
        #expect(observer.files.map(\.path) == ["a.csv", "docs/b.txt", "c.bin"])
        #expect(observer.files.map(\.bytes) == [24, 320_000, 70_000])
        #expect(observer.files.allSatisfy { $0.complete })
        let expected = result.payload.sorted { $0.displayPath < $1.displayPath }.map { $0.digests.sha512 ?? "" }
        #expect(observer.files.sorted { $0.path < $1.path }.map(\.sha512) == expected)
    }

    @Test("An entry far larger than Payload-Oxum promised stops being read, and is named")
    func decompressionBomb() throws {
        let folder = try fixture { $0.oxum = "30.3" }
        var options = BagVerifier.Options()
        options.limits.minimumMargin = 1024
        let observer = RecordingObserver()
        let order = ["bagit.txt", "bag-info.txt", "data/a.csv", "data/docs/b.txt", "data/c.bin", "manifest-sha512.txt"]
        let result = try verify(folder, order, options: options, observer: observer)
        #expect(result.problems.contains { $0.code == .exceedsPromise && $0.file == "data/docs/b.txt" })
        #expect(result.problems.contains { $0.code == .payloadOxumMismatch })
        #expect(!result.problems.contains { $0.code == .checksumMismatch }, "a file cut short is not compared")
        let b = observer.files.first { $0.path == "docs/b.txt" }
        #expect(b?.complete == false)
        #expect((b?.bytes ?? .max) <= 30 + 1024)
        #expect(observer.files.first { $0.path == "c.bin" }?.bytes == 0, "the promise was already spent")
    }

    @Test("A file unlisted in a manifest already read is not read at all")
    func unlistedAfterManifest() throws {
        let folder = try fixture { $0.unlisted = [Array("data/c.bin".utf8)]; $0.oxum = "320024.2" }
        let observer = RecordingObserver()
        let order = ["bagit.txt", "manifest-sha512.txt", "data/c.bin", "data/a.csv", "data/docs/b.txt", "bag-info.txt"]
        let result = try verify(folder, order, observer: observer)
        #expect(result.problems.map { "\($0.code.rawValue) @ \($0.file)" }.sorted() == ["file-unlisted @ data/c.bin", "payload-oxum-mismatch @ bag-info.txt"])
        #expect(observer.files.map(\.path) == ["a.csv", "docs/b.txt"])
    }

    @Test("Entries climbing out, repeated, or beyond the entry limit")
    func hostileEntries() throws {
        let folder = try fixture()
        let order = ["bagit.txt", "manifest-sha512.txt", "../escape.txt", "/etc/passwd", "data/a.csv", "data/a.csv",
                     "data/docs/b.txt", "data/c.bin", "bag-info.txt"]
        let result = try verify(folder, order)
        let found = Set(result.problems.map { "\($0.code.rawValue) @ \($0.file)" })
        #expect(found == ["path-parent @ ../escape.txt", "path-absolute @ /etc/passwd", "entry-repeated @ data/a.csv"])

        var options = BagVerifier.Options()
        options.limits.entries = 3
        #expect(throws: BagLimitError(.entries, path: "", found: 4, limit: 3)) { try verify(folder, payloadFirst, options: options) }
    }

    @Test("A file that changes between the two passes is an error, not a verdict")
    func changedBetweenPasses() throws {
        let folder = try fixture()
        let opened = OpenCounter()
        let verifier = BagVerifier {
            opened.count += 1
            if opened.count == 2 { try RawFiles.append(folder.path, "data/a.csv", "late,row\n") }
            return OrderedReader(root: folder.path, order: payloadFirst)
        }
        #expect(throws: BagError.changedDuringVerification(path: "data/a.csv")) { try verifier.verify() }
    }
}
