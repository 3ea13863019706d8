/// `s3://bucket/prefix/`: a bucket and a key prefix (possibly empty) in the configured store.
package struct ObjectLocation: Sendable, Equatable, CustomStringConvertible {
    package let bucket: String
    package let prefix: String

    package init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Whether `text` is written as an object-store location (and so is not a local path).
    package static func isLocation(_ text: String) -> Bool { text.hasPrefix("s3://") }

    /// Parses `s3://bucket[/prefix]`. A bucket name follows S3's rules (3 to 63 lower-case
    /// letters, digits, dots and dashes); the prefix is any key prefix.
    package init(_ text: String) throws(ObjectStoreError) {
        guard text.hasPrefix("s3://") else { throw .badLocation(text) }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        let prefix = rest.dropFirst(bucket.count).drop { $0 == "/" }
        guard (3...63).contains(bucket.count),
              bucket.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
              prefix.utf8.count <= 1024, !prefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { throw .badLocation(text) }
        self.bucket = String(bucket)
        // A prefix names a folder: `s3://b/export` lists `export/…`, never `exports/…`.
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? String(prefix) : prefix + "/"
    }

    /// The URL of one object, as fetch.txt writes it: the key percent-encoded as RFC 3986
    /// wants a URL path (every byte but the unreserved ones and `/`), so that a space, a `%`,
    /// a non-ASCII letter or a line break in a key can neither end the URL field of a
    /// fetch.txt line nor start a new line. `object(url:)` reads it back.
    package static func url(bucket: String, key: String) -> String {
        "s3://\(bucket)/\(SigV4Signer.uriEncode(key, keepSlash: true))"
    }

    /// The bucket and key of an `s3://bucket/key` URL that `url(bucket:key:)` wrote; nil when
    /// it is not one (another scheme, a bad bucket name, an empty key, bad percent-encoding).
    package static func object(url: String) -> (bucket: String, key: String)? {
        guard url.hasPrefix("s3://") else { return nil }
        let rest = url.dropFirst(5)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let bucket = String(rest[..<slash])
        guard (try? ObjectLocation("s3://\(bucket)/")) != nil,
              let key = String(rest[rest.index(after: slash)...]).removingPercentEncoding, !key.isEmpty else { return nil }
        return (bucket, key)
    }

    package var description: String { "s3://\(bucket)/\(prefix)" }
}
