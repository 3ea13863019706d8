import HandoverKit
import Testing

/// Every parser reads untrusted bytes: random and adversarial input must give findings, never a
/// crash, and stay within its bounds.
@Suite("BagIt parsers on hostile input")
struct HostileInputTests {
    /// A small deterministic generator, so a failure can be replayed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }

        /// Bytes biased towards the ones the formats care about.
        mutating func bytes(_ count: Int) -> [UInt8] {
            let special = Array(" \t\r\n:%./~\\*#-0aA".utf8) + [0x00, 0xEF, 0xBB, 0xBF, 0xFE, 0xFF, 0xC3, 0xA9]
            return (0..<count).map { _ in
                let r = next()
                return r % 3 == 0 ? UInt8(truncatingIfNeeded: r >> 8) : special[Int(r >> 8) % special.count]
            }
        }
    }

    @Test("Random bytes through every parser in every encoding: no crash, lines bounded")
    func randomBytes() {
        var random = Random(state: 0x68616E646F766572)
        for round in 0..<400 {
            let bytes = random.bytes(Int(random.next() % 600))
            var diagnostics = BagDiagnostics(limit: 50)
            _ = BagDeclaration.parse(bytes, diagnostics: &diagnostics)
            for encoding in TagFileEncoding.allCases {
                _ = BagInfo.parse(bytes, encoding: encoding, diagnostics: &diagnostics)
                _ = FetchFile.parse(bytes, encoding: encoding, diagnostics: &diagnostics)
                for name in [BagManifestName(kind: .payload, algorithm: .md5), BagManifestName(kind: .tag, algorithm: .sha512)] {
                    for entry in BagManifestParser.entries(of: bytes, name: name, encoding: encoding, diagnostics: &diagnostics) {
                        #expect(!entry.path.isEmpty && entry.path.first != UInt8(ascii: "/"))
                        #expect(!entry.path.split(separator: UInt8(ascii: "/")).contains { $0.elementsEqual("..".utf8) })
                    }
                }
                let (lines, _) = TagLineReader.lines(of: bytes, encoding: encoding, maxLineBytes: 64)
                // A line is at most 64 source bytes, which UTF-8 may widen (Latin-1 doubles).
                #expect(lines.allSatisfy { $0.bytes.count <= 3 * 64 }, "round \(round)")
            }
            #expect(diagnostics.issues.count <= 50)
        }
    }

    @Test("Payload-Oxum and sizes at the edge of Int64 do not overflow")
    func hugeNumbers() {
        #expect(PayloadOxum(parsing: "9223372036854775807.9223372036854775807")?.octets == .max)
        #expect(PayloadOxum(parsing: "9223372036854775808.1") == nil)
        let limits = BagLimits()
        #expect(limits.allowance(over: .max) == .max)
        #expect(limits.allowance(over: -5) == limits.minimumMargin)
        #expect(limits.allowance(over: 800 << 20) == 900 << 20)
    }

    @Test("A bag whose Payload-Oxum claims Int64.max bytes is verified, not trapped")
    func hugeOxum() throws {
        let folder = try TempDirectory("hostile")
        var bag = BagFixture()
        bag.oxum = "9223372036854775807.1"
        try bag.write(to: folder.path)
        let result = try verifyFolder(folder.path)
        #expect(result.problems.map(\.code) == [.payloadOxumMismatch])
    }

    @Test("A manifest line without end is cut at the limit and reported")
    func endlessLine() throws {
        let folder = try TempDirectory("hostile")
        var bag = BagFixture()
        bag.extraManifestLines = [String(repeating: "a", count: 200_000)]
        try bag.write(to: folder.path)
        let result = try verifyFolder(folder.path)
        #expect(result.problems.map(\.code) == [.lineTooLong])
        #expect(result.problems.first?.file == "manifest-sha512.txt")
    }

    @Test("More manifest lines than the limit is an error, not an unbounded table")
    func tooManyLines() throws {
        let folder = try TempDirectory("hostile")
        var bag = BagFixture()
        bag.extraManifestLines = (0..<50).map { "\(String(repeating: "0", count: 128))  data/ghost-\($0)" }
        try bag.write(to: folder.path)
        var options = BagVerifier.Options()
        options.limits.entries = 20
        #expect(throws: BagError.tooManyManifestEntries(file: "manifest-sha512.txt", limit: 20)) {
            try verifyFolder(folder.path, options: options)
        }
    }
}
