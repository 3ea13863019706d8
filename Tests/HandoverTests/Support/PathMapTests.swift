@testable import HandoverKit
import Testing

/// The verifier's table of paths behaves as a dictionary keyed by path bytes would, with the
/// paths kept once in one arena.
@Suite("PathMap: a dictionary of byte paths without an allocation per path")
struct PathMapTests {
    @Test("what is inserted is found again, after the table has grown many times; what is not is absent")
    func insertAndFind() {
        var map = PathMap<Int>()
        var reference: [[UInt8]: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        for number in 0..<20_000 {
            // Random bytes, NUL and high bytes included, lengths 0 to 40.
            let path = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            map[path] = number
            reference[path] = number
        }
        #expect(map.count == reference.count)
        for (path, number) in reference { #expect(map[path] == number) }
        #expect(map[Array("not there".utf8) + [0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 0xF7, 0xF6, 0xF5, 0xF4, 0xF3, 0xF2, 0xF1, 0xF0, 0xEF, 0xEE, 0xED, 0xEC, 0xEB, 0xEA, 0xE9, 0xE8, 0xE7, 0xE6, 0xE5, 0xE4, 0xE3, 0xE2, 0xE1, 0xE0, 0xDF, 0xDE, 0xDD, 0xDC, 0xDB, 0xDA, 0xD9, 0xD8]] == nil)
        #expect(Dictionary(uniqueKeysWithValues: map.map { ($0.key, $0.value) }) == reference)
    }

    @Test("a path inserted again replaces its value; a removed one is gone and can come back")
    func replaceAndRemove() {
        var map = PathMap<String>()
        let a = Array("data/a.txt".utf8), b = Array("data/b.txt".utf8)
        map[a] = "first"
        map[b] = "b"
        map[a] = "second"
        #expect(map.count == 2)
        #expect(map[a] == "second")
        map[a] = nil
        #expect(map[a] == nil && !map.contains(a) && map.count == 1)
        #expect(map.keys == [b])
        map[a] = "back"
        #expect(map[a] == "back" && map.count == 2)
        map[Array("never there".utf8)] = nil
        #expect(map.count == 2)
    }

    @Test("sortedIndices gives byte order, a prefix before what it begins, as bytewisePrecedes does")
    func byteOrder() {
        var map = PathMap<Bool>()
        let paths: [[UInt8]] = [[0x62], [0x61, 0x62], [0x61], [], [0xC3, 0xA9], [0x61, 0x00], [0x5A]]
        for path in paths { map[path] = path.count != 1 }
        let order = map.sortedIndices().map { map.path(at: Int($0)) }
        #expect(order == paths.sorted { $0.bytewisePrecedes($1) })
        let filtered = map.sortedIndices { _, value in value }.map { map.path(at: Int($0)) }
        #expect(filtered == paths.filter { $0.count != 1 }.sorted { $0.bytewisePrecedes($1) })
    }
}

/// What a million files cost is decided by a few types' sizes: they are held once per file.
@Suite("the per-file types stay small")
struct PerFileLayoutTests {
    @Test("a SourceFile is 40 bytes (its kind boxed), a found file 64")
    func sizes() {
        #expect(MemoryLayout<SourceFile>.stride == 40)
        #expect(MemoryLayout<FoundFile>.stride == 64)
        #expect(MemoryLayout<ListedChecksum>.size <= 40)
        #expect(MemoryLayout<ManifestTable.Listed>.stride == 40)
    }

    @Test("a found file without a time has none; one dated Int64.min keeps a time (never taken for 'no time')")
    func foundTimes() {
        #expect(FoundFile(size: 1, digests: FileDigests(), state: .read).modified == nil)
        #expect(FoundFile(size: 1, digests: FileDigests(), state: .read, modified: 0).modified == 0)
        #expect(FoundFile(size: 1, digests: FileDigests(), state: .read, modified: .min).modified == .min + 1)
        var file = FoundFile(size: 1, digests: FileDigests(), state: .read, modified: 5)
        file.modified = nil
        #expect(file.modified == nil)
    }

    @Test("a manifest's SHA-256 is kept as 32 bytes and compared as such; other text is kept as written")
    func checksums() {
        let text = String(repeating: "0123456789abcdef", count: 4)
        guard case .sha256 = ListedChecksum(text) else {
            Issue.record("64 lowercase hexadecimal digits should be kept as bytes")
            return
        }
        #expect(ListedChecksum(text).text == text)
        let upper = text.uppercased()
        #expect(ListedChecksum(upper).text == upper, "anything else is kept as it was given")
        var digests = FileDigests()
        digests.sha256 = text
        #expect(digests.matches(.sha256, ListedChecksum(text)) == true)
        #expect(digests.matches(.sha256, ListedChecksum(String(text.dropLast()) + "0")) == false)
        #expect(digests.matches(.sha512, ListedChecksum(text)) == nil, "not computed: not known, not a mismatch")
        #expect(digests.has(.sha256) && !digests.has(.md5))
    }

    @Test("a file's digests kept from the hashers' bytes are the digests' text, SHA-256 as bytes")
    func digestsFromBytes() {
        var generator = SystemRandomNumberGenerator()
        for size in [0, 1, 55, 64, 1000] {
            let data = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var hasher = MultiHasher(ChecksumAlgorithm.allCases)
            data.withUnsafeBytes { hasher.update($0) }
            let digests = hasher.finalize()
            for algorithm in ChecksumAlgorithm.allCases {
                var alone = algorithm.makeHasher()
                data.withUnsafeBytes { alone.update($0) }
                let expected = alone.finalizeHex()
                #expect(digests[algorithm] == expected, "\(algorithm)")
                #expect(digests.matches(algorithm, ListedChecksum(expected)) == true, "\(algorithm)")
            }
        }
    }

    @Test("a name's extension and a path's encoded length, taken from bytes, are what the text and the encoder give")
    func extensionsAndEncodedLengths() {
        let names = ["README", "a.PDF", "x/y.Tar.GZ", ".hidden", "dir.d/file", "é.CSV", "e\u{301}.txt", "a.\u{301}b", "a.b.C", "x/.", "a\r\n.b", "data/%0A.txt"]
        for name in names {
            let file = SourceFile(path: Array(name.utf8), kind: .regular, size: 0, modified: Timestamp(seconds: 0))
            let text = file.name
            let expected = text.lastIndex(of: ".").map { $0 == text.startIndex ? "" : String(text[text.index(after: $0)...]).lowercased() } ?? ""
            #expect(file.fileExtension == expected, "\(name)")
            #expect(BagPath.encodedCount(file.path) == BagPath.encode(file.path).count, "\(name)")
        }
        #expect(BagPath.encodedCount(Array("%\n\r".utf8)) == 9)
    }
}
