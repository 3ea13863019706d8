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
/// broken read), never held whole. An object whose size is no longer the listing's was
/// rewritten since SOURCE was listed: the build stops naming it.
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
        try client.read(bucket: source.location.bucket, key: key, throwing: { chunk in
            total += Int64(chunk.count)
            if total > file.size {
                throw BuildError.sourceChanged(shown, "changed size since SOURCE was listed (more than the \(file.size) bytes listed)")
            }
            try consume(chunk)
            try feed?.append(chunk)
        })
        if total != file.size {
            throw BuildError.sourceChanged(shown, "changed size since SOURCE was listed (\(total) bytes, \(file.size) listed)")
        }
    }
}
