import Foundation
import HandoverKit
import Testing

/// Whether a broken archive is a failed check (exit 1) or input that cannot be used (exit 2) is
/// decided by libarchive's error numbers, never by the words of its messages: the user's locale
/// cannot move a bundle from one side to the other.
@Suite("a broken archive's exit status is the same whatever the locale")
struct ArchiveExitLocaleTests {
    static let locales: [[String: String]] = [
        ["LANG": "C", "LC_ALL": "C"],
        ["LANG": "fr_FR.UTF-8", "LC_ALL": "fr_FR.UTF-8", "LANGUAGE": "fr"],
        ["LANG": "C.UTF-8", "LC_ALL": ""],
    ]

    /// The offset of the `index`-th header of an uncompressed tar (each entry is a 512-byte
    /// header and its data rounded up to 512).
    static func headerOffset(_ tar: [UInt8], index: Int) throws -> Int {
        var offset = 0
        for _ in 0..<index {
            guard offset + 512 <= tar.count else { throw FixtureError("the tar has fewer than \(index + 1) entries") }
            let field = tar[(offset + 124)..<(offset + 136)].prefix { $0 != 0 && $0 != 0x20 }
            guard let size = Int(String(decoding: field, as: UTF8.self), radix: 8) else { throw FixtureError("no size at \(offset)") }
            offset += 512 + (size + 511) / 512 * 512
        }
        return offset
    }

    @Test("cut short and a damaged header are damaged bundles (1), plain text is not a bundle (2), in C, French and C.UTF-8")
    func sameStatus() throws {
        let fixture = try plainSource()
        let work = try TempDirectory("handover-locale")
        let tar = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try buildBundle(fixture, output: work.path("acme.tar")))))
        let gzip = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try buildBundle(fixture, output: work.path("acme.tar.gz")))))
        try work.write("cut.tar.gz", Data(gzip.prefix(gzip.count / 2)))
        var damaged = tar
        let third = try Self.headerOffset(tar, index: 2)
        for index in (third + 148)..<(third + 156) { damaged[index] = UInt8(ascii: "9") }
        try work.write("damaged-header.tar", Data(damaged))
        try work.write("notes.tar", "these are notes, not an archive\n")
        let expected = ["cut.tar.gz": Int32(1), "damaged-header.tar": 1, "notes.tar": 2]
        for (name, status) in expected {
            for locale in Self.locales {
                let result = try handover(["verify", work.path(name), "--quiet"], environment: locale)
                #expect(result.status == status, "\(name) under \(locale): \(result.status)\n\(result.stdout)\(result.stderr)")
                #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
            }
        }
    }
}
