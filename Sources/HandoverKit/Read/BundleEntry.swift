/// What kind of thing an entry of a bundle is. Only files and folders belong in a bag; the other
/// kinds are reported, never written anywhere.
package enum BundleEntryKind: Equatable, Sendable {
    case file
    case directory
    case symlink(target: [UInt8])
    case hardlink(target: [UInt8])
    /// A device, FIFO, socket or anything else, with a word for it ("character device", "FIFO").
    case other(String)
}

/// One entry of a bundle as it is read, before its data.
package struct BundleEntry: Sendable {
    /// The path relative to the bag's root (no top-level folder), bytes as stored, `/`-separated.
    package var path: [UInt8]
    package var kind: BundleEntryKind
    /// The size the archive or file system declares, when it declares one.
    package var size: Int64?
    /// The modification time, seconds since the epoch, when known.
    package var modified: Int64?

    package init(path: [UInt8], kind: BundleEntryKind, size: Int64?, modified: Int64? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.modified = modified
    }

    /// The path for messages: UTF-8, with any invalid byte shown as U+FFFD.
    package var displayPath: String { VisibleText.name(bytes: path) }
}

/// A stream of a bag's entries, from a serialized bundle or from a bag folder.
///
/// Entries come one at a time, in the order of the archive (or sorted, for a folder); the data of
/// the current entry is read with `readData(into:)` until it returns 0. Nothing is extracted.
package protocol BundleEntryReader: AnyObject {
    /// The next entry, or nil at the end of the bundle.
    func nextEntry() throws -> BundleEntry?
    /// Reads the current entry's data into `buffer`; returns the count, 0 at the entry's end.
    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
