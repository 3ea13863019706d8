import Foundation
@testable import HandoverKit
import Testing

/// A checksum that is absent is said to be absent: never an empty text written into a manifest,
/// never a listed file skipped without a word.
@Suite("an absent digest is never taken for a checked one")
struct DigestAbsenceTests {
    @Test("the verifier names a listed payload file it has no digest for: could not be checked")
    func listedWithoutDigest() throws {
        var run = VerificationRun(options: BagVerifier.Options())
        let path = Array("data/accounts.csv".utf8)
        run.inventory.sawDeclaration = true
        run.inventory.sawDataDirectory = true
        // Read whole, listed in manifest-sha256.txt, yet no SHA-256 came back for it.
        run.inventory.found[path] = FoundFile(size: 5, digests: FileDigests(), state: .read)
        let name = BagManifestName(kind: .payload, algorithm: .sha256)
        var table = ManifestTable(name: name)
        table.entries[path] = ManifestTable.Listed(checksum: ListedChecksum(String(repeating: "a", count: 64)), line: 1)
        table.complete = true
        run.inventory.manifests[name] = table
        let result = run.result(passes: 1)
        let found = result.problems.filter { $0.code == .notChecked }
        #expect(found.map(\.file) == ["data/accounts.csv"], "\(result.problems)")
        #expect(found.first?.message.contains("could not be checked") == true)
        #expect(!result.isValid)
    }

    @Test("the archive feed gives no digest (nil, not \"\") for an algorithm or a file it did not hash")
    func feedDigestAbsent() throws {
        let writer = try ArchiveWriter(format: .tar, name: "memory.tar") { _ in }
        let bytes = Array("hello".utf8)
        let feed = try ArchiveFeed.feeding(writer, algorithms: [.sha256], hashOnWriter: true) { feed in
            try feed.beginFile(Array("bag/data/hello.txt".utf8), size: Int64(bytes.count), modified: handoverEpoch)
            try bytes.withUnsafeBytes { try feed.append($0) }
            try feed.endFile()
        }
        try writer.finish()
        #expect(feed.digest(.sha256, file: 0) == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        #expect(feed.digest(.sha512, file: 0) == nil)
        #expect(feed.digest(.sha256, file: 1) == nil)
        #expect(feed.digest(.sha256, file: -1) == nil)
    }

    @Test("a tag manifest of an algorithm no tag file was hashed with is refused, not written with empty checksums")
    func tagManifestAbsent() throws {
        var tags = TagFileSet(algorithms: [.sha256])
        _ = tags.add("bagit.txt", Array("BagIt-Version: 1.0\n".utf8))
        #expect(try String(decoding: tags.tagManifest(.sha256), as: UTF8.self).hasSuffix("  bagit.txt\n"))
        #expect(throws: BuildError.self) { try tags.tagManifest(.sha512) }
    }
}
