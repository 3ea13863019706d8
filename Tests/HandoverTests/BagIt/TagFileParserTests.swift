import Foundation
import HandoverKit
import Testing

@Suite("BagIt tag files: bagit.txt, encodings, bag-info.txt")
struct TagFileParserTests {
    private func declaration(_ text: String) -> (BagDeclaration?, [BagIssue]) {
        declaration(Array(text.utf8))
    }

    private func declaration(_ bytes: [UInt8]) -> (BagDeclaration?, [BagIssue]) {
        var diagnostics = BagDiagnostics()
        let result = BagDeclaration.parse(bytes, diagnostics: &diagnostics)
        return (result, diagnostics.all)
    }

    @Test("bagit.txt 1.0 and 0.97 read, with LF, CRLF or CR line endings")
    func declarationGood() {
        for ending in ["\n", "\r\n", "\r"] {
            let (parsed, issues) = declaration("BagIt-Version: 1.0\(ending)Tag-File-Character-Encoding: UTF-8\(ending)")
            #expect(parsed?.version == BagItVersion(1, 0))
            #expect(parsed?.encoding == .utf8)
            #expect(issues.isEmpty)
        }
        let (old, issues) = declaration("BagIt-Version: 0.97\nTag-File-Character-Encoding: ISO-8859-1")
        #expect(old?.version == BagItVersion(0, 97))
        #expect(old?.encoding == .latin1)
        #expect(issues.isEmpty)
    }

    @Test("bagit.txt: a byte-order mark, another version, an unknown encoding, extra or missing lines are problems")
    func declarationBad() {
        let bom = declaration([0xEF, 0xBB, 0xBF] + Array("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".utf8))
        #expect(bom.1.map(\.code) == [.declarationByteOrderMark])
        #expect(bom.0?.version == BagItVersion(1, 0))

        let version = declaration("BagIt-Version: 2.0\nTag-File-Character-Encoding: UTF-8\n")
        #expect(version.1.map(\.code) == [.unsupportedVersion])

        let encoding = declaration("BagIt-Version: 1.0\nTag-File-Character-Encoding: KOI8-R\n")
        #expect(encoding.1.map(\.code) == [.unknownEncoding])
        #expect(encoding.0?.encoding == nil)

        let extra = declaration("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nOther: x\n")
        #expect(extra.1.contains { $0.code == .malformedDeclaration })

        let missing = declaration("BagIt-Version: 1.0\n")
        #expect(missing.0 == nil)
        #expect(missing.1.allSatisfy { $0.code == .malformedDeclaration && $0.file == "bagit.txt" })

        let garbage = declaration("BagIt-Version: one\nTag-File-Character-Encoding: UTF-8\n")
        #expect(garbage.0 == nil)
    }

    @Test("bagit.txt written by handover reads back as 1.0 / UTF-8")
    func declarationWriter() {
        let bytes = BagDeclaration.current.serialized()
        #expect(String(decoding: bytes, as: UTF8.self) == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
        #expect(declaration(bytes).0 == BagDeclaration.current)
    }

    @Test("Tag lines split on LF, CR and CRLF even across chunks, with a bounded length")
    func lineSplitting() {
        var reader = TagLineReader(encoding: .utf8, maxLineBytes: 8)
        var lines: [TagLine] = []
        reader.feed(Array("one\r".utf8)) { lines.append($0) }
        reader.feed(Array("\ntwo\rthree\nfar-too-long-line\nlast".utf8)) { lines.append($0) }
        reader.finish { lines.append($0) }
        #expect(lines.map(\.text) == ["one", "two", "three", "far-too-", "last"])
        #expect(lines.map(\.isTooLong) == [false, false, false, true, false])
        #expect(lines.map(\.number) == [1, 2, 3, 4, 5])
    }

    @Test("Encodings: UTF-8 (BOM remembered), ISO-8859-1, UTF-16 LE and BE with BOM, declared names")
    func encodings() {
        let text = "Contact-Name: Jérôme Dupré\n"
        let utf8 = TagLineReader.lines(of: [0xEF, 0xBB, 0xBF] + Array(text.utf8), encoding: .utf8)
        #expect(utf8.lines.map(\.text) == ["Contact-Name: Jérôme Dupré"])
        #expect(utf8.reader.byteOrderMark)

        let latin1 = TagLineReader.lines(of: Self.latin1(text), encoding: .latin1)
        #expect(latin1.lines.map(\.text) == ["Contact-Name: Jérôme Dupré"])

        for littleEndian in [true, false] {
            let utf16 = TagLineReader.lines(of: Self.utf16(text, littleEndian: littleEndian), encoding: .utf16)
            #expect(utf16.lines.map(\.text) == ["Contact-Name: Jérôme Dupré"])
            #expect(utf16.reader.byteOrderMark)
        }
        let noBOM = TagLineReader.lines(of: Array(Self.utf16(text, littleEndian: false).dropFirst(2)), encoding: .utf16)
        #expect(noBOM.lines.map(\.text) == ["Contact-Name: Jérôme Dupré"])
        #expect(noBOM.reader.missingByteOrderMark)

        let invalid = TagLineReader.lines(of: [0x61, 0xFF, 0x62], encoding: .utf8)
        #expect(invalid.lines.first?.hasInvalidText == true)
        #expect(invalid.lines.first?.bytes == [0x61, 0xFF, 0x62], "UTF-8 lines keep their bytes: names are bytes")

        #expect(TagFileEncoding(declared: "utf-8") == .utf8)
        #expect(TagFileEncoding(declared: " ISO_8859-1 ") == .latin1)
        #expect(TagFileEncoding(declared: "latin1") == .latin1)
        #expect(TagFileEncoding(declared: "UTF-16LE") == .utf16LE)
        #expect(TagFileEncoding(declared: "EBCDIC") == nil)
    }

    @Test("bag-info.txt: labels in order with their case, repeats kept, continuation lines joined")
    func bagInfo() {
        let text = """
        Source-Organization: Infogérance Ouest SAS
        External-Description: Uncompressed greyscale TIFF images from the
          FOO papers collection,
        \tsecond volume
        Contact-Name: A
        contact-name: B
        Payload-Oxum: 279164409832.1198
        Bagging-Date: 2026-12-31
        Bag-Size: 260 GB

        """
        var diagnostics = BagDiagnostics()
        let info = BagInfo.parse(Array(text.utf8), encoding: .utf8, diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(info.fields.map(\.label) == ["Source-Organization", "External-Description", "Contact-Name", "contact-name", "Payload-Oxum", "Bagging-Date", "Bag-Size"])
        #expect(info.value("External-Description") == "Uncompressed greyscale TIFF images from the FOO papers collection, second volume")
        #expect(info.values("CONTACT-NAME") == ["A", "B"])
        #expect(info.payloadOxum == PayloadOxum(octets: 279_164_409_832, streamCount: 1198))
        #expect(info.baggingDate?.description == "2026-12-31")
        #expect(info.bagSize == "260 GB")
    }

    @Test("bag-info.txt in ISO-8859-1 and in UTF-16 reads the same as in UTF-8")
    func bagInfoEncodings() {
        let text = "Source-Organization: Société Générale\nContact-Name: Zoë Çelik\n"
        var diagnostics = BagDiagnostics()
        let expected = BagInfo.parse(Array(text.utf8), encoding: .utf8, diagnostics: &diagnostics)
        let latin1 = BagInfo.parse(Self.latin1(text), encoding: .latin1, diagnostics: &diagnostics)
        let utf16 = BagInfo.parse(Self.utf16(text, littleEndian: true), encoding: .utf16, diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(latin1 == expected)
        #expect(utf16 == expected)
        #expect(utf16.value("contact-name") == "Zoë Çelik")
    }

    @Test("bag-info.txt: malformed lines, a bad or repeated Payload-Oxum, a bad date, a UTF-8 BOM")
    func bagInfoBad() {
        func issues(_ bytes: [UInt8]) -> [BagIssue.Code] {
            var diagnostics = BagDiagnostics()
            _ = BagInfo.parse(bytes, encoding: .utf8, diagnostics: &diagnostics)
            return diagnostics.all.map(\.code)
        }
        #expect(issues(Array(" leading continuation\n".utf8)) == [.malformedBagInfo])
        #expect(issues(Array("no colon here\n".utf8)) == [.malformedBagInfo])
        #expect(issues(Array("Payload-Oxum: 12\n".utf8)) == [.malformedPayloadOxum])
        #expect(issues(Array("Payload-Oxum: 1.2x\n".utf8)) == [.malformedPayloadOxum])
        #expect(issues(Array("Payload-Oxum: 99999999999999999999.1\n".utf8)) == [.malformedPayloadOxum])
        #expect(issues(Array("Payload-Oxum: 1.1\nPayload-Oxum: 1.1\n".utf8)) == [.repeatedPayloadOxum])
        #expect(issues(Array("Bagging-Date: 31/12/2026\n".utf8)) == [.malformedBaggingDate])
        #expect(issues([0xEF, 0xBB, 0xBF] + Array("A: b\n".utf8)) == [.tagFileByteOrderMark])
    }

    @Test("bag-info.txt writer folds long values at spaces and reads back the same")
    func bagInfoWriter() throws {
        var info = BagInfo()
        info.append("Source-Organization", "Infogérance Ouest SAS")
        info.append("External-Description", String(repeating: "a long description of the handover ", count: 8).trimmingCharacters(in: .whitespaces))
        info.append("Internal-Sender-Identifier", "https://example.org/" + String(repeating: "x", count: 120))
        info.append("Handover-Client", "Acme SA\nsecond line")
        let bytes = try info.serialized()
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count > 5, "the long value was folded")
        #expect(lines.filter { !$0.contains("https://") }.allSatisfy { $0.count <= 79 })
        var diagnostics = BagDiagnostics()
        let back = BagInfo.parse(bytes, encoding: .utf8, diagnostics: &diagnostics)
        #expect(diagnostics.all.isEmpty)
        #expect(back.fields.count == 4)
        #expect(back.fields[0...2] == info.fields[0...2])
        #expect(back.value("Handover-Client") == "Acme SA second line")

        var bad = BagInfo()
        bad.append("Label: with colon", "x")
        #expect(throws: BagError.invalidBagInfoLabel("Label: with colon")) { try bad.serialized() }
    }

    @Test("Payload-Oxum, Bagging-Date and Bag-Size values")
    func values() {
        #expect(PayloadOxum(parsing: "1024.3")?.description == "1024.3")
        #expect(PayloadOxum(parsing: ".3") == nil)
        #expect(PayloadOxum(parsing: "-1.3") == nil)
        #expect(BaggingDate(parsing: "2026-02-30") != nil, "day ranges are checked loosely, as the RFC's format")
        #expect(BaggingDate(parsing: "2026-13-01") == nil)
        #expect(BagSize.format(bytes: 512) == "512 B")
        #expect(BagSize.format(bytes: 42_600_000_000) == "42.6 GB")
    }

    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }

    static func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var out: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let (hi, lo) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            out += littleEndian ? [lo, hi] : [hi, lo]
        }
        return out
    }
}
