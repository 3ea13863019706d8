import Foundation

/// Moves one payload file into the archive: each chunk is read once, then hashed with every
/// algorithm, shown to the content inspector and written to the archive.
///
/// The file must stay as it was when SOURCE was walked: a size or modification time that changes
/// before or while it is read, or a file that disappears, fails the build naming it.
final class PayloadPump {
    struct Packed {
        var digests: [ChecksumAlgorithm: String]
        var facts: FileFacts?
    }

    private let tree: SourceTree
    private let writer: ArchiveWriter
    private let algorithms: [ChecksumAlgorithm]
    private let recipients: [AgeRecipient]
    private let buffer: UnsafeMutableRawBufferPointer

    init(tree: SourceTree, writer: ArchiveWriter, algorithms: [ChecksumAlgorithm], recipients: [AgeRecipient]) {
        self.tree = tree
        self.writer = writer
        self.algorithms = algorithms
        self.recipients = recipients
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
    }

    deinit { buffer.deallocate() }

    func pack(_ item: PayloadItem, as entryPath: [UInt8], modified: Int64, inspector: inout FileInspector) throws -> Packed {
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
        try writer.beginFile(entryPath, size: item.storedSize, modified: modified)
        var hashers = algorithms.map { $0.makeHasher() }
        // What goes into the archive is hashed: the plaintext, or the ciphertext when encrypted,
        // so that anyone can verify the bundle without a key. No plaintext touches the disk.
        let store: (UnsafeRawBufferPointer) throws -> Void = { [writer] stored in
            for index in hashers.indices { hashers[index].update(stored) }
            try writer.write(stored)
        }
        let encryptor = item.encrypted ? try AgeEncryptor(recipients: recipients, sink: store) : nil
        let wantsContent = inspector.needsContent
        var total: Int64 = 0
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(display, "cannot read")
            }
            if count == 0 { break }
            total += Int64(count)
            if total > file.size { throw BuildError.sourceChanged(display, "grew") }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            if wantsContent { inspector.consume(chunk) }
            if let encryptor { try encryptor.update(chunk) } else { try store(chunk) }
        }
        if total != file.size { throw BuildError.sourceChanged(display, "shrank") }
        try encryptor?.finish()
        try checkUnchanged(fd, file)
        var digests: [ChecksumAlgorithm: String] = [:]
        for hasher in hashers { digests[hasher.algorithm] = hasher.finalizeHex() }
        return Packed(digests: digests, facts: wantsContent ? inspector.finish() : nil)
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
