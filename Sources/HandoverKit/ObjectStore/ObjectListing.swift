import Foundation
import Glibc

/// One object as a listing describes it.
package struct ObjectStoreEntry: Sendable, Equatable {
    package let key: String
    package let size: Int64
    /// When the object was last written, as the store says (nil if it did not say).
    package let lastModified: Date?
    /// The object's entity tag as listed, quotes included (nil if absent or not plain ASCII):
    /// a read made with `If-Match` on it gets these bytes or none.
    package let etag: String?

    package init(key: String, size: Int64, lastModified: Date?, etag: String? = nil) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
    }
}

/// One page of a ListObjectsV2 answer, read with the bounded `XMLTagScanner`: the answer is
/// hostile input like any other, so only the elements we use are kept, each size-limited.
package struct ObjectListingPage: Sendable, Equatable {
    package var entries: [ObjectStoreEntry] = []
    package var isTruncated = false
    package var nextContinuationToken: String?

    /// The most keys one page may carry (S3 sends at most 1,000; RGW the same).
    static let maxEntries = 10_000

    /// An ETag fit to send back in an `If-Match` header: printable ASCII without a line break,
    /// at most 200 bytes (S3's are a quoted MD5, or a quoted hash and part count); nil otherwise,
    /// and the read then goes without the precondition.
    static func entityTag(_ text: String) -> String? {
        let tag = text.trimmingCharacters(in: .whitespaces)
        guard !tag.isEmpty, tag.utf8.count <= 200, tag.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return tag
    }

    /// Parses one answer body; `malformed` says why it is not a ListObjectsV2 result.
    package static func parse(_ body: [UInt8]) -> Result<ObjectListingPage, ListingFailure> {
        var page = ObjectListingPage()
        var scanner = XMLTagScanner()
        var path: [String] = []
        var text = ""
        var key: String?, size: Int64?, modified: Date?, etag: String?
        var urlEncoded = false
        var failure: ListingFailure?
        var sawRoot = false
        _ = body.withUnsafeBytes { bytes in
            scanner.feed(bytes) { event in
                switch event {
                case .start(let name, _, let selfClosing):
                    if path.isEmpty {
                        guard name == "ListBucketResult" else { failure = .notAListing(name); return false }
                        sawRoot = true
                    }
                    if !selfClosing { path.append(name) }
                    text = ""
                    if name == "Contents" { key = nil; size = nil; modified = nil; etag = nil }
                case .text(let value):
                    text += value
                case .end(let name):
                    guard path.last == name else { failure = .unbalanced(name); return false }
                    path.removeLast()
                    let parent = path.last
                    switch (parent, name) {
                    case ("Contents", "Key"): key = text
                    case ("Contents", "Size"): size = Int64(text.trimmingCharacters(in: .whitespaces))
                    case ("Contents", "LastModified"): modified = Self.date(text)
                    case ("Contents", "ETag"): etag = Self.entityTag(text)
                    case ("ListBucketResult", "IsTruncated"): page.isTruncated = text == "true"
                    case ("ListBucketResult", "NextContinuationToken"): page.nextContinuationToken = text
                    case ("ListBucketResult", "EncodingType"): urlEncoded = text == "url"
                    case ("ListBucketResult", "Contents"):
                        guard let name = key, let bytes = size, bytes >= 0 else { failure = .incompleteEntry; return false }
                        guard page.entries.count < maxEntries else { failure = .tooManyEntries; return false }
                        page.entries.append(ObjectStoreEntry(key: name, size: bytes, lastModified: modified, etag: etag))
                    default: break
                    }
                    text = ""
                }
                return true
            }
        }
        if let failure { return .failure(failure) }
        guard sawRoot, path.isEmpty else { return .failure(.truncated) }
        if urlEncoded {
            var decoded: [ObjectStoreEntry] = []
            for entry in page.entries {
                guard let key = formDecoded(entry.key) else { return .failure(.badKeyEncoding) }
                decoded.append(ObjectStoreEntry(key: key, size: entry.size, lastModified: entry.lastModified, etag: entry.etag))
            }
            page.entries = decoded
        }
        if page.isTruncated && (page.nextContinuationToken ?? "").isEmpty { return .failure(.noContinuation) }
        return .success(page)
    }

    /// A key as `encoding-type=url` sends it: form-encoded, as AWS writes it (a space as `+`,
    /// a `+` as `%2B`); Ceph writes a space as `%20`, which reads the same.
    static func formDecoded(_ text: String) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// `2026-12-02T14:11:17.000Z` (S3's ISO 8601 form) as a date; nil if it is not that.
    static func date(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count >= 20, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-"),
              digits[10] == UInt8(ascii: "T"), digits[13] == UInt8(ascii: ":"), digits[16] == UInt8(ascii: ":"),
              digits.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? { Int32(String(decoding: digits[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

/// Why a listing answer was refused.
package enum ListingFailure: Error, Equatable, CustomStringConvertible {
    case notAListing(String)
    case unbalanced(String)
    case incompleteEntry
    case tooManyEntries
    case truncated
    case badKeyEncoding
    case noContinuation

    package var description: String {
        switch self {
        case .notAListing(let root): "a listing was expected and <\(root)> came"
        case .unbalanced(let name): "the listing's XML closes <\(name)> out of order"
        case .incompleteEntry: "an object of the listing has no key or no size"
        case .tooManyEntries: "one page of the listing has more than \(ObjectListingPage.maxEntries) objects"
        case .truncated: "the listing's XML ends before its last element"
        case .badKeyEncoding: "a key of the listing is not valid percent-encoding"
        case .noContinuation: "the listing says it is truncated and gives no continuation token"
        }
    }
}
