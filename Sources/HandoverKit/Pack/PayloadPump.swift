import Foundation

/// Moves one payload file into the archive: each chunk is read once, straight into a buffer of
/// the archive feed where it can be, and shown to the content inspector on this thread, while
/// the feed's thread writes earlier chunks to the archive. The feed hashes each chunk with every
/// algorithm, on the thread with less to do.
///
/// Where the bytes come from is the `PayloadReader`'s business: a walked folder
/// (`FolderPayloadReader`) or a listed object-store prefix (`ObjectPayloadReader`); both fail
/// the build, naming the file, when it is no longer what the walk or the listing saw.
final class PayloadPump {
    private let reader: PayloadReader
    /// The folder's opener, for the second, bounded reads of office documents; nil for objects.
    let opener: SourceOpener?
    private let feed: ArchiveFeed
    private let recipients: [AgeRecipient]

    init(origin: PayloadOrigin, feed: ArchiveFeed, recipients: [AgeRecipient]) throws {
        switch origin {
        case .folder(let tree):
            let folder = try FolderPayloadReader(tree: tree)
            reader = folder
            opener = folder.opener
        case .objects(let source):
            reader = try ObjectPayloadReader(source)
            opener = nil
        }
        self.feed = feed
        self.recipients = recipients
    }

    /// Packs the file and returns its facts, when the inspector wanted its content; its digests
    /// are the feed's.
    func pack(_ item: PayloadItem, as entryPath: [UInt8], modified: Int64, inspector: inout FileInspector) throws -> FileFacts? {
        let wantsContent = inspector.needsContent
        try feed.beginFile(entryPath, size: item.storedSize, modified: modified)
        if item.encrypted {
            // The ciphertext goes to the archive, and is hashed there, so that anyone can verify
            // the bundle without a key. No plaintext touches the disk.
            let encryptor = try AgeEncryptor(recipients: recipients) { [feed] stored in try feed.append(stored) }
            try reader.read(item.file, into: nil) { chunk in
                if wantsContent { inspector.consume(chunk) }
                try encryptor.update(chunk)
            }
            try encryptor.finish()
        } else {
            try reader.read(item.file, into: feed) { chunk in
                if wantsContent { inspector.consume(chunk) }
            }
        }
        try feed.endFile()
        return wantsContent ? inspector.finish() : nil
    }
}

/// The files of a walked folder, opened through `SourceOpener` (never through a link put in
/// the place of a file or of a folder above it). A size or modification time that changes
/// before or while a file is read, or a file that disappears, fails the build naming it.
final class FolderPayloadReader: PayloadReader {
    let opener: SourceOpener
    /// Plaintext of files to encrypt, which does not go to the archive as it is.
    private let plaintext: UnsafeMutableRawBufferPointer

    /// The most read at once: a chunk is hashed and inspected while it is still in the CPU's cache.
    static let readSize = 256 << 10

    init(tree: SourceTree) throws {
        do {
            opener = try SourceOpener(tree: tree)
        } catch {
            throw Self.buildError(error, SourceOpener.rootName(tree))
        }
        plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readSize, alignment: 64)
    }

    deinit { plaintext.deallocate() }

    func read(_ file: SourceFile, into feed: ArchiveFeed?, consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd: Int32
        do {
            fd = try opener.open(file, unchanged: true)
        } catch {
            throw Self.buildError(error, file.displayPath)
        }
        defer { close(fd) }
        try readAll(fd, file, feed: feed, consume: consume)
        do {
            try SourceOpener.checkUnchanged(fd, file)
        } catch {
            throw Self.buildError(error, file.displayPath)
        }
    }

    /// Reads the whole file in chunks, each read into the feed (plain files) or into the
    /// plaintext buffer (files to encrypt), and passes each chunk to `consume`.
    ///
    /// Each read asks for one byte more than the file should still have: a short read then tells
    /// the end without another call, which halves the reads of small files; a file that grew
    /// still shows it by that extra byte.
    private func readAll(_ fd: Int32, _ file: SourceFile, feed: ArchiveFeed?, consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        // Made only for a message: a million files need none.
        var display: String { file.displayPath }
        var total: Int64 = 0
        var requested = 0
        func take(_ region: UnsafeMutableRawBufferPointer) throws -> Int {
            requested = region.count
            let count = try Self.readChunk(fd, into: region, display: file.displayPath)
            // Checked before the bytes go anywhere: the archive entry's size is already written.
            if total + Int64(count) > file.size { throw BuildError.sourceChanged(display, "grew") }
            if count > 0 { try consume(UnsafeRawBufferPointer(rebasing: region[0..<count])) }
            return count
        }
        while true {
            let wanted = Int(min(file.size - total + 1, Int64(Self.readSize)))
            let count = try feed.map { try $0.fill(limit: wanted, take) }
                ?? take(UnsafeMutableRawBufferPointer(rebasing: plaintext[0..<wanted]))
            if count == 0 { break }
            total += Int64(count)
            if count < requested && total == file.size { break }
        }
        if total != file.size { throw BuildError.sourceChanged(display, "shrank") }
    }

    /// One read(2), retried on EINTR.
    private static func readChunk(_ fd: Int32, into region: UnsafeMutableRawBufferPointer, display: @autoclosure () -> String) throws -> Int {
        while true {
            let count = Glibc.read(fd, region.baseAddress, region.count)
            if count >= 0 { return count }
            if errno != EINTR { throw FileError.fromErrno(display(), "cannot read") }
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
