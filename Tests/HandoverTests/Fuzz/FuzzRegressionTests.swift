import Foundation
@testable import HandoverKit
import Testing

/// Inputs the fuzz targets of Tests/Fuzz found, kept as they were found, with the property each
/// broke. A test here fails if the bug it records comes back.
@Suite("Findings of the fuzzers stay fixed")
struct FuzzRegressionTests {
    // MARK: inspector: a NUL byte after findings, within the first 8 KiB

    /// The inspector target's finding: notes with tokens, then a NUL at byte 731. Read whole, the
    /// file is binary and not scanned; read in pieces, the tokens before the NUL stayed findings.
    static let tokensThenNul = """
        YXdzX2FjY2Vzc19r5XlfaWQgSU9TRk9ETk43RVhBTVBMRQpHSVRIVUI9Z2hwX2FCM2FCM2FCM2FKM2FCM2FCM2FCM2FCM2FCM2FC\
        M2FCM2FCMwp0b2tlbjogZ2l0QjNhQjNhQjNhQjNhQjMKdG9rZW46IGdpdGh1Yl9wYXRfeDFZX3gweDFZX3g9eG94Yi0xMjM0NTY3\
        ODkwLWFiY2RlZgprZXk9QWludXggOiBhcHBsaXF1ZXIgYGFwdCB1cGdyYWRlYCBsZSB0cm9pc2nDqG1lIG1lcmNyZWRpIGR1IG1v\
        aXMgZW50cmUgMjAgaCBldCAyMiBoLgo0LiBDb3JyZWN0aWYgY3JpdGlxdWUgIyBTdXBlcnZpc2lvbiBkJ0FjbWUgU0EgLSBleHBv\
        cnQgWmFiYml4IDYuNCBkdSAxNyBub3ZlbWJyZSAyMDI2CgotIGB6YWJiaXgvaG90ZXMuY3N2YCA6IGxlcyBow7R0ZXMgc3VwZXJ2\
        aXPDqXMsIGxldXIgbW9kw6hsZSBldCBsZXVyIGdyb3VwZS4KLSBgemFiYml4L21vZGVsZXMtYWNtZS55YW1sYCA6IGxlcyDDqWzD\
        qW1lbnRzIGV0IGTDqWNsZW5jaGV1cnMgcHJvcHJlcyDDoCBBY21lIFNBIChsZXMgbW9kw6hsZXMKICBzdGFuZGFyZHMgZGUgWmFi\
        Yml4IG5lIHNvbnQgcGFzIGV4cG9ydMOpcykuCi0gYGVzY2FsYWRlcyhDVlNTIDkgb3UgcGx1cykgZXhwb3PDqSBzdXIgaW50ZXJu\
        ZXQgOiBhcHBsaXF1ZXIgc291cyA3MiBoZXVyZXMsIGhvcnMgY2FsZW5kcmllci4KNS4gRXhwb3J0ZXIgbCfDqXRhdCBkZXMgY29y\
        cmVjdGlmcyDDoCBsYSBmaW4gZC55YW1sYCA6IHF1aSBlc3QgcHLDqXZlbnUsIHF1YW5kIGV0IGMAAAAAAAAAAAAAAAAAAAAAAG9t\
        bWVudC4KCkxlcyBhY2PDqHMgZW4gbGVjdHVyZSBhSXphU3lfOS1TeV85LVN5XzktU3mhxtKqeV85LVN5XzktU3lfMi0K
        """

    @Test("a file with a NUL in its first 8 KiB is binary whatever the read sizes: no findings")
    func nulAfterFindings() throws {
        let bytes = Array(try #require(Data(base64Encoded: Self.tokensThenNul)))
        #expect(bytes.firstIndex(of: 0) == 731)
        for fileName in ["export.csv", "notes.txt"] {
            let whole = inspect(bytes, fileName: fileName)
            #expect(whole.secrets.isEmpty, "\(fileName): \(whole.secrets)")
            for chunk in [1, 7, 64, 97, 128, 500] {
                #expect(inspect(bytes, fileName: fileName, chunk: chunk) == whole, "\(fileName) read \(chunk) bytes at a time")
            }
        }
    }

    @Test("the same, reduced: a token, 200 bytes of text, then a NUL")
    func nulAfterFindingsReduced() {
        let text = "GITHUB_TOKEN=\(SampleSecrets.githubToken)\n" + String(repeating: "plain text ", count: 20)
        let bytes = Array(text.utf8) + [0] + Array("more\n".utf8)
        #expect(inspect(Array(text.utf8), fileName: "notes.txt").secrets.count == 1, "without the NUL it is a finding")
        #expect(inspect(bytes, fileName: "notes.txt").secrets.isEmpty)
        #expect(inspect(bytes, fileName: "notes.txt", chunk: 100).secrets.isEmpty)
        #expect(inspect(bytes, fileName: "notes.txt", chunk: 1).secrets.isEmpty)
    }

    // MARK: tagfiles: a continuation after an empty value

    /// The tagfiles target's finding: `Label:` with nothing after it, then an indented
    /// continuation. The value was read with a leading space, which writing and reading again
    /// took away: bag-info.txt did not read back as it was written.
    static let emptyValueThenContinuation: [UInt8] = Array(
        "BagIt-Version: 0.98\nTagersb8b5d629635a5c613cdb7919  dation:\r .790\nTag-Fil-File-Chart-arecEncoding: UTF-8\n".utf8)

    @Test("a value that starts on a continuation line has no leading space, and reads back as written")
    func continuationAfterEmptyValue() throws {
        var diagnostics = BagDiagnostics()
        let info = BagInfo.parse(Self.emptyValueThenContinuation, encoding: .utf8, version: BagItVersion(0, 97), diagnostics: &diagnostics)
        #expect(info.value("Tagersb8b5d629635a5c613cdb7919  dation") == ".790")
        var again = BagDiagnostics()
        let reread = BagInfo.parse(try info.serialized(), encoding: .utf8, diagnostics: &again)
        #expect(reread.fields == info.fields)
        #expect(again.all.isEmpty)
    }

    @Test("a folded value still joins its lines with one space")
    func continuationAfterValue() {
        var diagnostics = BagDiagnostics()
        let info = BagInfo.parse(Array("External-Description: first\n  second\n\tthird\nContact-Name:\n  Alice\n".utf8),
                                 encoding: .utf8, diagnostics: &diagnostics)
        #expect(info.value("External-Description") == "first second third")
        #expect(info.value("Contact-Name") == "Alice")
    }

    /// The tagfiles target's second finding, read as ISO-8859-1: byte 0x85 is NEL (U+0085), which
    /// Swift counts as a newline. Writing turned it into a space, though only CR and LF end a line
    /// of a tag file, so the value read back was another.
    static let latin1NextLine = """
        Z2FCSXQtVmVyc2lvhYWFhYWBhYWFhYWFBQAAaW+FhYWFhYWFhYWFhYUFb2YyNwpDb250YWN0LU5hbWU6IEluZm9n6XJhbmNlIE91\
        ZXN0CkV4dGVybmFsLURlc2NyaXB0aW9uOiBBIGxvbmcgZGVzY3JpcHRpb24gdGhhdCBiYWdpdC1weXRob24gZm9sZHMgb3ZlciBz\
        ZXZlcmFsIGxpbmVzIGJlY2F1c2UgaQAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\
        AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVVRGLTMyAAAAZ2VyIHRo\
        YW4gc2V2ZW50eS1uaW5lIGNoYXJhY3RlcgAAAGRhdGEvhYWF/wQgMC45NwpkYXRhL2lsY3Rlci1F3GNvZGluc2lQYXlsb2FkLU94\
        dW1vbjogMC4KAIWFhYWFhYWF/v8gMC45NwpUYWctRmlsY3Rlci1F3GNvZGluc2lQYXlsb2FkLU94dW1vbjogMC4K
        """

    @Test("bag-info.txt values with NEL or U+2028 read back as written; CR and LF become spaces")
    func nextLineIsText() throws {
        let bytes = Array(try #require(Data(base64Encoded: Self.latin1NextLine)))
        var diagnostics = BagDiagnostics()
        let info = BagInfo.parse(bytes, encoding: .latin1, version: BagItVersion(0, 97), diagnostics: &diagnostics)
        #expect(info.fields.contains { $0.value.contains("\u{85}") })
        var again = BagDiagnostics()
        #expect(BagInfo.parse(try info.serialized(), encoding: .utf8, diagnostics: &again).fields == info.fields)

        let written = try BagInfo(fields: [.init("Note", "a\u{85}b\u{2028}c\nd\re\r\nf")]).serialized()
        #expect(String(decoding: written, as: UTF8.self) == "Note: a\u{85}b\u{2028}c d e f\n")
    }

    /// The tagfiles target's third finding: a line starting with a UTF-8 byte-order mark in the
    /// middle of the file gave the label "\u{FEFF}ps"; written first, it made the file start
    /// with a byte-order mark, which reading skips, and the label read back was "ps".
    static let byteOrderMarkLabel = """
        YzYVYjSjNP//NGUyMTdjYmEwNWRhdGEvZG9jcy9hcmNoaXRlY3R1cmUubWQKNSUwQTMwZTNiOGJRZDYyOTYzNWFQYXlsb2FkLU94\
        dW01YzYxZjZkYjM5MTkgIGRhdGEKCgoKCgoKCgoKCgoK9v0KCgoKCgrvu79wczqwcnNpb/7/IDAuOTcKVLCwsLCwsLCwsLCwsLCw\
        sLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLu/cHM6sHJzaW/+/yAwLjk3ClSwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCw\
        sLCwsLCwsLCwsLCwsLCwuLCwsLCwsLCwsLCwsLCwsBsbGxsbGxsbGxsbGxsbGxsbGxsbGxuwsLCwsLCwsLCwsH6wsLAKCgoKCgoK\
        CgoKCgoKPz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz8/sCUwQbBCYWct\
        rT8/Pz8/Pz8/Pz8/Pz8/Pz8/Pz+QmYN3YT8/Pz9y
        """

    @Test("a label starting with U+FEFF is refused when writing, since it could not be read back")
    func byteOrderMarkInLabel() throws {
        let bytes = Array(try #require(Data(base64Encoded: Self.byteOrderMarkLabel)))
        var diagnostics = BagDiagnostics()
        let info = BagInfo.parse(bytes, encoding: .utf8, version: BagItVersion(0, 97), diagnostics: &diagnostics)
        #expect(info.fields.first?.label == "\u{FEFF}ps")
        #expect(throws: BagError.self) { try info.serialized() }
        #expect(throws: BagError.self) { try BagInfo(fields: [.init("\u{FEFF}Contact-Name", "Alice")]).serialized() }
    }

    /// Found while fixing the NEL finding: a long value folded next to a tab lost the tab, since
    /// reading trims the ends of each line.
    @Test("a long value is never folded beside a tab")
    func foldKeepsTabs() throws {
        // The only spaces a fold may use are in "Start here: "; the others touch a tab.
        let value = "Start here: " + String(repeating: "abcdefg \t", count: 12) + "end"
        let written = try BagInfo(fields: [.init("External-Description", value)]).serialized()
        var diagnostics = BagDiagnostics()
        #expect(BagInfo.parse(written, encoding: .utf8, diagnostics: &diagnostics).value("External-Description") == value)
        #expect(String(decoding: written, as: UTF8.self).split(separator: "\n").count > 1, "the value is folded")
    }

    // MARK: bundle: any input that is not an archive

    /// The bundle target's first input, the empty file, crashed the process: libarchive aborted on
    /// a reader freed twice (once on the failed open, once in deinit). Any bytes that are not an
    /// archive did the same. (Also fixed on main meanwhile; kept here as the fuzzer found it.)
    @Test("bytes that are not an archive are an error, not a crash", arguments: [
        "", "x", "not an archive at all\n", "PK\u{3}\u{4}", "\u{1F}\u{8B}\u{08}",
    ])
    func notAnArchive(_ text: String) throws {
        let folder = try TempDirectory("handover-fuzz-regression")
        let path = try folder.write("input.bundle", text)
        #expect(throws: (any Error).self) {
            _ = try BagVerifier(open: { try ArchiveBagReader(path: path) }).verify()
        }
    }
}
