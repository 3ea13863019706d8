import Foundation

/// Reads one payload file whole, in order, checked against what the walk or the listing said
/// of it: the seam between `PayloadPump` (which packs) and where the bytes come from.
///
/// With a feed, the bytes go into the archive feed as they are read (and are hashed there);
/// `consume` sees each chunk in every case. A file that turns out larger than announced fails
/// before its extra bytes go anywhere: the archive entry's size is already written.
protocol PayloadReader: AnyObject {
    func read(_ file: SourceFile, into feed: ArchiveFeed?, consume: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// The objects of a listed prefix, each streamed with one GET (resumed with ranged GETs after a
/// broken read), never held whole, each on the condition that its ETag is still the listed one
/// (`If-Match`). An object rewritten since SOURCE was listed, whatever its size, stops the
/// build naming it; so does one whose size is no longer the listing's (a store that ignores
/// `If-Match`).
final class ObjectPayloadReader: PayloadReader {
    let source: ObjectSource
    private let client: ObjectStoreClient

    init(_ source: ObjectSource) throws {
        self.source = source
        client = try ObjectStoreClient(source.configuration)
    }

    func read(_ file: SourceFile, into feed: ArchiveFeed?, consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let key = source.key(of: file)
        let shown = ObjectLocation.url(bucket: source.location.bucket, key: key)
        var total: Int64 = 0
        do {
            try client.read(bucket: source.location.bucket, key: key, ifMatch: source.etag(of: file), throwing: { chunk in
                total += Int64(chunk.count)
                if total > file.size {
                    throw BuildError.sourceChanged(shown, "changed size since SOURCE was listed (more than the \(file.size) bytes listed)")
                }
                try consume(chunk)
                try feed?.append(chunk)
            })
        } catch ObjectStoreError.changedSinceListing {
            throw BuildError.sourceChanged(shown, "was rewritten since SOURCE was listed (its ETag is no longer the listed one)")
        }
        if total != file.size {
            throw BuildError.sourceChanged(shown, "changed size since SOURCE was listed (\(total) bytes, \(file.size) listed)")
        }
    }
}
