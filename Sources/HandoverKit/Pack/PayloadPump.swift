import Foundation

/// Moves one payload file into the archive: each chunk is read once, straight into a buffer of
/// the archive feed, and shown to the content inspector on this thread, while the feed's thread
/// writes earlier chunks to the archive. The feed hashes each chunk with every algorithm, on the
/// thread with less to do.
///
/// The file must stay as it was when SOURCE was walked: a size or modification time that changes
/// before or while it is read, or a file that disappears, fails the build naming it.
final class PayloadPump {

    private let tree: SourceTree
    private let feed: ArchiveFeed
    private let recipients: [AgeRecipient]
    /// Plaintext of files to encrypt, which does not go to the archive as it is.
    private let plaintext: UnsafeMutableRawBufferPointer

    /// The most read at once: a chunk is hashed and inspected while it is still in the CPU's cache.
    static let readSize = 256 << 10

    init(tree: SourceTree, feed: ArchiveFeed, recipients: [AgeRecipient]) {
        self.tree = tree
        self.feed = feed
        self.recipients = recipients
        plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readSize, alignment: 64)
    }

    deinit { plaintext.deallocate() }

    /// Packs the file and returns its facts, when the inspector wanted its content; its digests
    /// are the feed's.
    func pack(_ item: PayloadItem, as entryPath: [UInt8], modified: Int64, inspector: inout FileInspector) throws -> FileFacts? {
        let file = item.file
        let display = file.displayPath
        let fd = SourceFileReader.open(cPath: tree.absolutePath(of: file), flags: O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw BuildError.sourceChanged(display, "disappeared") }
            if errno == ELOOP { throw BuildError.sourceChanged(display, "was replaced by a symbolic link") }
            throw FileError.fromErrno(display, "cannot open")
        }
        defer { close(fd) }
        try checkUnchanged(fd, file)
        try feed.beginFile(entryPath, size: item.storedSize, modified: modified)
        let wantsContent = inspector.needsContent
        if item.encrypted {
            // The ciphertext goes to the archive, and is hashed there, so that anyone can verify
            // the bundle without a key. No plaintext touches the disk.
            let encryptor = try AgeEncryptor(recipients: recipients) { [feed] stored in try feed.append(stored) }
            try readAll(fd, file, intoFeed: false) { chunk in
                if wantsContent { inspector.consume(chunk) }
                try encryptor.update(chunk)
            }
            try encryptor.finish()
        } else {
            try readAll(fd, file, intoFeed: true) { chunk in
                if wantsContent { inspector.consume(chunk) }
            }
        }
        try checkUnchanged(fd, file)
        try feed.endFile()
        return wantsContent ? inspector.finish() : nil
    }

    /// Reads the whole file in chunks, each read into the feed (plain files) or into the
    /// plaintext buffer (files to encrypt), and passes each chunk to `consume`.
    ///
    /// Each read asks for one byte more than the file should still have: a short read then tells
    /// the end without another call, which halves the reads of small files; a file that grew
    /// still shows it by that extra byte.
    private func readAll(_ fd: Int32, _ file: SourceFile, intoFeed: Bool, consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let display = file.displayPath
        var total: Int64 = 0
        var requested = 0
        func take(_ region: UnsafeMutableRawBufferPointer) throws -> Int {
            requested = region.count
            let count = try Self.readChunk(fd, into: region, display: display)
            // Checked before the bytes go anywhere: the archive entry's size is already written.
            if total + Int64(count) > file.size { throw BuildError.sourceChanged(display, "grew") }
            if count > 0 { try consume(UnsafeRawBufferPointer(rebasing: region[0..<count])) }
            return count
        }
        while true {
            let wanted = Int(min(file.size - total + 1, Int64(Self.readSize)))
            let count = intoFeed ? try feed.fill(limit: wanted, take)
                                 : try take(UnsafeMutableRawBufferPointer(rebasing: plaintext[0..<wanted]))
            if count == 0 { break }
            total += Int64(count)
            if count < requested && total == file.size { break }
        }
        if total != file.size { throw BuildError.sourceChanged(display, "shrank") }
    }

    /// One read(2), retried on EINTR.
    private static func readChunk(_ fd: Int32, into region: UnsafeMutableRawBufferPointer, display: String) throws -> Int {
        while true {
            let count = Glibc.read(fd, region.baseAddress, region.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileError.fromErrno(display, "cannot read") }
        }
    }

    private func checkUnchanged(_ fd: Int32, _ file: SourceFile) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError.fromErrno(file.displayPath, "cannot read") }
        // Deleted or replaced (renamed over) while open: the bytes read are no longer SOURCE's.
        if info.st_nlink == 0 { throw BuildError.sourceChanged(file.displayPath, "disappeared") }
        if Int64(info.st_size) != file.size { throw BuildError.sourceChanged(file.displayPath, "changed size") }
        if Int64(info.st_mtim.tv_sec) != file.modified.seconds || Int64(info.st_mtim.tv_nsec) != file.modified.nanoseconds {
            throw BuildError.sourceChanged(file.displayPath, "was modified")
        }
    }
}
