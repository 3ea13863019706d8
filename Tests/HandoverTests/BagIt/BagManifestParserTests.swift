import HandoverKit
import Testing

@Suite("BagIt manifests, paths and fetch.txt")
struct ManifestParserTests {
    private let sha256 = BagManifestName(kind: .payload, algorithm: .sha256)
    private let digest = String(repeating: "ab", count: 32)

    private func parse(_ text: String, name: BagManifestName? = nil, encoding: TagFileEncoding = .utf8) -> ([BagManifestEntry], [BagIssue]) {
        parse(Array(text.utf8), name: name, encoding: encoding)
    }

    private func parse(_ bytes: [UInt8], name: BagManifestName? = nil, encoding: TagFileEncoding = .utf8) -> ([BagManifestEntry], [BagIssue]) {
        var diagnostics = BagDiagnostics()
        let entries = BagManifestParser.entries(of: bytes, name: name ?? sha256, encoding: encoding, diagnostics: &diagnostics)
        return (entries, diagnostics.all)
    }

    @Test("Manifest file names give the kind and the algorithm")
    func names() {
        #expect(BagManifestName(fileName: Array("manifest-sha512.txt".utf8)) == BagManifestName(kind: .payload, algorithm: .sha512))
        #expect(BagManifestName(fileName: Array("tagmanifest-md5.txt".utf8)) == BagManifestName(kind: .tag, algorithm: .md5))
        #expect(BagManifestName(fileName: Array("manifest-blake2b512.txt".utf8))?.algorithm == nil)
        #expect(BagManifestName(fileName: Array("manifest-.txt".utf8)) == nil)
        // Names with a dash or an underscore are manifests of algorithms handover cannot
        // compute: reported as unchecked, not taken for ordinary tag files.
        #expect(BagManifestName(fileName: Array("manifest-sha-256.txt".utf8))?.algorithmName == "sha-256")
        #expect(BagManifestName(fileName: Array("manifest-sha3_256.txt".utf8)).map { ($0.kind, $0.algorithm) } ?? (.tag, .md5) == (.payload, nil))
        #expect(BagManifestName(fileName: Array("tagmanifest-sha3-512.txt".utf8))?.kind == .tag)
        #expect(BagManifestName(fileName: Array("manifest-sha224.txt".utf8))?.algorithm == .sha224)
        #expect(BagManifestName(fileName: Array("manifest-sha384.txt".utf8))?.algorithm == .sha384)
        #expect(BagManifestName(fileName: Array("manifest-sha 256.txt".utf8)) == nil)
        #expect(BagManifestName(fileName: Array("manifest-../x.txt".utf8)) == nil)
        #expect(BagManifestName(fileName: Array("bag-info.txt".utf8)) == nil)
    }

    @Test("Lines: checksum, spaces or tabs, path with spaces; uppercase hex is lowered; blank lines skipped")
    func goodLines() {
        let upper = digest.uppercased()
        let (entries, issues) = parse("\(digest)  data/a b.txt\r\n\n\(upper)\tdata/dir/c.csv\n\(digest) data/trailing\u{20}")
        #expect(issues.isEmpty)
        #expect(entries.map(\.path) == [Array("data/a b.txt".utf8), Array("data/dir/c.csv".utf8), Array("data/trailing ".utf8)])
        #expect(entries.allSatisfy { $0.checksum == digest })
        #expect(entries.map(\.line) == [1, 3, 4])
    }

    @Test("Percent-encoding: %25, %0A and %0D decode (either case); other % stay; the writer encodes only those")
    func percent() {
        let (entries, issues) = parse("\(digest)  data/100%25 sure%0Aline%0dend %41 50%.txt\n")
        #expect(issues.isEmpty)
        #expect(entries.first?.path == Array("data/100% sure\nline\rend %41 50%.txt".utf8))
        #expect(entries.first?.literalPath == Array("data/100%25 sure%0Aline%0dend %41 50%.txt".utf8))

        let name = Array("data/a%b\nc\rd e.txt".utf8)
        let line = BagManifestWriter.line(checksum: digest.uppercased(), path: name)
        #expect(String(decoding: line, as: UTF8.self) == "\(digest)  data/a%25b%0Ac%0Dd e.txt\n")
        #expect(parse(line).0.first?.path == name, "what the writer writes reads back")
        #expect(BagPath.decode(BagPath.encode(Array("%25%%0A".utf8))) == Array("%25%%0A".utf8))
    }

    @Test("A checksum of the wrong length or not hexadecimal is a problem; so is a line without a path")
    func badChecksums() {
        #expect(parse("abc123  data/a\n").1.map(\.code) == [.malformedChecksum])
        #expect(parse("\(digest.dropLast())g  data/a\n").1.map(\.code) == [.malformedChecksum])
        #expect(parse("\(digest)\n").1.map(\.code) == [.malformedManifestLine])
        #expect(parse("\(digest)  data/\(String(repeating: "x", count: 70_000))\n").1.map(\.code) == [.lineTooLong])
        let unknown = BagManifestName(fileName: Array("manifest-blake3.txt".utf8))
        #expect(parse("abc123  data/a\n", name: unknown).1.isEmpty, "no length is known for an algorithm handover does not compute")
    }

    @Test("Paths: absolute, .., ~, outside data/, NUL are refused; ./ and backslash warned; * marker tolerated")
    func paths() {
        func codes(_ path: String) -> [BagIssue.Code] { parse("\(digest)  \(path)\n").1.map(\.code) }
        #expect(codes("/etc/passwd") == [.absolutePath])
        #expect(codes("C:/Windows/x") == [.absolutePath])
        #expect(codes("data/../../etc/passwd") == [.parentPath])
        #expect(codes("../data/a") == [.parentPath])
        #expect(codes("~root/.ssh/id") == [.homePath])
        #expect(codes("bagit.txt") == [.notUnderPayload])
        #expect(codes("data/a\u{0}b") == [.invalidPath])
        #expect(codes("./data/a") == [.dotSegment])
        #expect(codes("data//a") == [.dotSegment])
        #expect(codes("data/dir\\file.txt") == [.backslash])
        #expect(codes("*data/a") == [.md5sumBinaryMarker])
        #expect(parse("\(digest)  ./data/./a\n").0.first?.path == Array("data/a".utf8))

        let tag = BagManifestName(kind: .tag, algorithm: .sha256)
        #expect(parse("\(digest)  data/a\n", name: tag).1.map(\.code) == [.payloadInTagManifest])
        #expect(parse("\(digest)  handover/report.json\n", name: tag).1.isEmpty)
    }

    @Test("A manifest in ISO-8859-1 or UTF-16 yields UTF-8 paths")
    func encodedManifest() {
        let text = "\(digest)  data/café.txt\n"
        let latin1 = parse(TagFileParserTests.latin1(text), encoding: .latin1)
        let utf16 = parse(TagFileParserTests.utf16(text, littleEndian: false), encoding: .utf16)
        #expect(latin1.0.first?.path == Array("data/café.txt".utf8))
        #expect(utf16.0.first?.path == Array("data/café.txt".utf8))
    }

    @Test("A large manifest streams in small chunks with bounded memory per line")
    func streaming() {
        var parser = BagManifestParser(name: sha256, encoding: .utf8)
        var diagnostics = BagDiagnostics()
        var count = 0
        var last: [UInt8] = []
        let chunk = (0..<1000).map { "\(digest)  data/file-\($0).bin\n" }.joined()
        for _ in 0..<50 {
            // Odd-sized pieces, so lines and CRLF pairs straddle the chunk boundaries.
            let bytes = Array(chunk.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + 4093)
                bytes[start..<end].withUnsafeBytes { parser.feed($0, diagnostics: &diagnostics) { entry in count += 1; last = entry.path } }
                start = end
            }
        }
        parser.finish(diagnostics: &diagnostics) { _ in count += 1 }
        #expect(count == 50_000)
        #expect(last == Array("data/file-999.bin".utf8))
        #expect(diagnostics.all.isEmpty)
    }

    @Test("fetch.txt: url, length or -, path with spaces; bad lines are problems")
    func fetch() {
        let text = """
        https://cdn.example.org/a.tif 216951362 data/big image.tif
        https://cdn.example.org/b.tif\t-\tdata/b%25.tif
        not-a-url 12 data/c
        https://x.org/d twelve data/d
        https://x.org/e 1 bag-info.txt
        https://x.org/f 1

        """
        var diagnostics = BagDiagnostics()
        let items = FetchFile.parse(Array(text.utf8), encoding: .utf8, diagnostics: &diagnostics)
        #expect(items.map(\.displayPath) == ["data/big image.tif", "data/b%.tif"])
        #expect(items.map(\.length) == [216_951_362, nil])
        #expect(diagnostics.all.map(\.code) == [.malformedFetchLine, .malformedFetchLine, .notUnderPayload, .malformedFetchLine])
        #expect(diagnostics.all.map(\.line) == [3, 4, 5, 6])
    }

    @Test("Findings are bounded: past the limit they are counted, not kept")
    func boundedDiagnostics() {
        var diagnostics = BagDiagnostics(limit: 10)
        let text = (0..<500).map { _ in "zz  data/a\n" }.joined()
        _ = BagManifestParser.entries(of: Array(text.utf8), name: sha256, encoding: .utf8, diagnostics: &diagnostics)
        #expect(diagnostics.issues.count == 10)
        #expect(diagnostics.omitted == 490)
        #expect(diagnostics.all.last?.code == .tooManyIssues)
        #expect(diagnostics.hasProblems)
    }
}
