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
            ObjectStoreEntry(key: "p/accès/a b.csv", size: 42, lastModified: Date(timeIntervalSince1970: 1_796_220_677)),
            ObjectStoreEntry(key: "p/z", size: 0, lastModified: nil),
        ])
        #expect(page.isTruncated && page.nextContinuationToken == "1ueGc=")
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
}
