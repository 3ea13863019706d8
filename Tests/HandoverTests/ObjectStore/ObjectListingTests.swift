import Foundation
import Testing
@testable import HandoverKit

/// ListObjectsV2 answers are hostile input: what S3 sends is read, anything else refused.
@Suite struct ObjectListingTests {
    private func parse(_ xml: String) -> Result<ObjectListingPage, ListingFailure> { ObjectListingPage.parse(Array(xml.utf8)) }

    @Test func aPageGivesKeysSizesDatesAndTheToken() throws {
        let page = try parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>\
            <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>1ueGc=</NextContinuationToken>\
            <Contents><Key>p/acc%C3%A8s/a%20b.csv</Key><LastModified>2026-12-02T14:11:17.000Z</LastModified><ETag>&quot;x&quot;</ETag><Size>42</Size></Contents>\
            <Contents><Key>p/z</Key><Size>0</Size></Contents></ListBucketResult>
            """).get()
        #expect(page.entries == [
            ObjectStoreEntry(key: "p/accès/a b.csv", size: 42, lastModified: Date(timeIntervalSince1970: 1_796_220_677), etag: "\"x\""),
            ObjectStoreEntry(key: "p/z", size: 0, lastModified: nil),
        ])
        #expect(page.isTruncated && page.nextContinuationToken == "1ueGc=")
    }

    @Test("an ETag that could not go back in a header is dropped, not sent")
    func entityTags() {
        #expect(ObjectListingPage.entityTag("\"9b2cf535f27731c974343645a3985328\"") == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(ObjectListingPage.entityTag("\"a\r\nX-Injected: 1\"") == nil)
        #expect(ObjectListingPage.entityTag("\"été\"") == nil)
        #expect(ObjectListingPage.entityTag(String(repeating: "a", count: 201)) == nil)
        #expect(ObjectListingPage.entityTag("  ") == nil)
    }

    @Test func hostileAnswersAreRefused() {
        let cases: [(String, ListingFailure)] = [
            ("<Error><Code>x</Code></Error>", .notAListing("Error")),
            ("<ListBucketResult><Contents><Key>a</Key><Size>1</Size></ListBucketResult>", .unbalanced("ListBucketResult")),
            ("<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>", .incompleteEntry),
            ("<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>", .incompleteEntry),
            ("<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents>", .truncated),
            ("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>", .noContinuation),
            ("<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>%zz</Key><Size>1</Size></Contents></ListBucketResult>", .badKeyEncoding),
            ("", .truncated),
        ]
        for (xml, failure) in cases {
            #expect(parse(xml) == .failure(failure), "\(xml)")
        }
        let many = "<ListBucketResult>" + String(repeating: "<Contents><Key>a</Key><Size>1</Size></Contents>", count: ObjectListingPage.maxEntries + 1) + "</ListBucketResult>"
        #expect(parse(many) == .failure(.tooManyEntries))
    }

    @Test func errorCodesAreReadFromErrorAnswers() {
        #expect(ObjectStoreClient.errorCode(Array("<?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>m</Message></Error>".utf8)) == "SignatureDoesNotMatch")
        #expect(ObjectStoreClient.errorCode(Array("not xml".utf8)) == "")
    }

    @Test func urlEncodedKeysAreFormDecodedAsAWSWritesThem() throws {
        // AWS writes a space as `+` and a `+` as `%2B`; Ceph writes a space as `%20`.
        let page = try parse("""
            <ListBucketResult><EncodingType>url</EncodingType>\
            <Contents><Key>p/comptes+rendus/a%2Bb+c.csv</Key><Size>1</Size></Contents>\
            <Contents><Key>p/comptes%20rendus/d%2B%2B.csv</Key><Size>2</Size></Contents></ListBucketResult>
            """).get()
        #expect(page.entries.map(\.key) == ["p/comptes rendus/a+b c.csv", "p/comptes rendus/d++.csv"])
        // Without encoding-type=url, a `+` is a `+`.
        let plain = try parse("<ListBucketResult><Contents><Key>p/a+b.csv</Key><Size>1</Size></Contents></ListBucketResult>").get()
        #expect(plain.entries.map(\.key) == ["p/a+b.csv"])
    }
}

/// fetch.txt as build writes it: URLs that no key can break, paths encoded as the RFC says.
@Suite struct FetchLineTests {
    @Test func objectURLsArePercentEncodedAndReadBack() throws {
        let keys = ["export/a b.csv", "export/100%+1.md", "export/été/naïve.txt", "export/line\nbreak", "export/tab\there"]
        for key in keys {
            let url = ObjectLocation.url(bucket: "client-data", key: key)
            #expect(!url.unicodeScalars.contains { $0.value <= 0x20 || $0.value >= 0x7F }, "\(url)")
            let object = try #require(ObjectLocation.object(url: url))
            #expect(object.bucket == "client-data" && object.key == key)
        }
        #expect(ObjectLocation.url(bucket: "b", key: "x/a b+c%.csv") == "s3://b/x/a%20b%2Bc%25.csv")
        #expect(ObjectLocation.object(url: "https://b/x") == nil)
        #expect(ObjectLocation.object(url: "s3://B/x") == nil)
        #expect(ObjectLocation.object(url: "s3://bucket/") == nil)
        #expect(ObjectLocation.object(url: "s3://bucket/%zz") == nil)
    }

    @Test func aLineReadsBackAsWritten() throws {
        let path = Array("data/comptes rendus/100%\r\nfin.md".utf8)
        let url = ObjectLocation.url(bucket: "b", key: "export/comptes rendus/100%\r\nfin.md")
        let line = FetchFile.line(url: url, length: 42, path: path)
        #expect(String(decoding: line, as: UTF8.self) == "s3://b/export/comptes%20rendus/100%25%0D%0Afin.md 42 data/comptes rendus/100%25%0D%0Afin.md\n")
        var diagnostics = BagDiagnostics()
        let items = FetchFile.parse(line + FetchFile.line(url: "s3://b/k", length: 0, path: Array("data/k".utf8)), encoding: .utf8, diagnostics: &diagnostics)
        #expect(items.map(\.path) == [path, Array("data/k".utf8)])
        #expect(items.map(\.length) == [42, 0])
        #expect(items.first?.url == url)
    }

    @Test func pathsThatCouldForgeALineAreRefused() {
        for (path, code) in [("data/a\u{0B}b", "U+000B"), ("data/a\u{0C}b", "U+000C"), ("data/a\u{85}b", "U+0085"), ("data/a\u{2028}b", "U+2028"),
                             ("data/a\tb", "U+0009"), ("data/a\u{7F}", "U+007F"), ("data/trailing ", "U+0020"), ("data/nbsp\u{A0}", "U+00A0")] {
            let why = FetchFile.unsafePath(Array(path.utf8))
            #expect(why?.contains(code) == true, "\(path): \(why ?? "accepted")")
        }
        for path in ["data/a b.csv", "data/100%.md", "data/line\nbreak", "data/été", "data/x\r"] {
            #expect(FetchFile.unsafePath(Array(path.utf8)) == nil, "\(path)")
        }
        #expect(FetchFile.unsafePath([0x64, 0x2F, 0xFF]) != nil)
    }
}
