import Foundation

/// Moves one payload file into the archive: each chunk is read once, straight into a buffer of
/// the archive feed, and shown to the content inspector on this thread, while the feed's thread
/// writes earlier chunks to the archive. The feed hashes each chunk with every algorithm, on the
/// thread with less to do.
///
/// The file must stay as it was when SOURCE was walked: a size or modification time that changes
/// before or while it is read, a file that disappears, or a link put in the place of the file or
/// of a folder above it, fails the build naming it. Files are opened through `SourceOpener`.
final class PayloadPump {

    let opener: SourceOpener
    private let feed: ArchiveFeed
    private let recipients: [AgeRecipient]
    /// Plaintext of files to encrypt, which does not go to the archive as it is.
    private let plaintext: UnsafeMutableRawBufferPointer

    /// The most read at once: a chunk is hashed and inspected while it is still in the CPU's cache.
    static let readSize = 256 << 10

    init(tree: SourceTree, feed: ArchiveFeed, recipients: [AgeRecipient]) throws {
        do {
            opener = try SourceOpener(tree: tree)
        } catch {
            throw PayloadPump.buildError(error, SourceOpener.rootName(tree))
        }
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
        let fd: Int32
        do {
            fd = try opener.open(file, unchanged: true)
        } catch {
            throw Self.buildError(error, display)
        }
        defer { close(fd) }
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
        do {
            try SourceOpener.checkUnchanged(fd, file)
        } catch {
            throw Self.buildError(error, file.displayPath)
        }
    }

    /// A change of SOURCE fails the check (exit 1); a refusal of the system, the run (exit 2).
    private static func buildError(_ failure: SourceOpener.Failure, _ display: String) -> Error {
        switch failure {
        case .changed(let what): BuildError.sourceChanged(display, what)
        case .unreadable(let action, let code): FileError.fromErrno(display, action, errno: code)
        }
    }
}
