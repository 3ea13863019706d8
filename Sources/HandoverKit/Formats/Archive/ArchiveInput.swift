import CArchive
import Crypto
import Foundation

/// The raw bytes of an archive, as libarchive asks for them through its read callbacks: the
/// file is opened once, by this type, and read once.
///
/// With a `ArchiveDigest` attached, the bytes handed to libarchive are hashed on their way, so
/// that the SHA-256 of the whole file comes from the same reading as its entries. What
/// libarchive did not ask for (the padding after a tar's last record, the parts of a zip it
/// seeked over) is read at the end by `ArchiveDigest.finish`, in file order.
///
/// A FIFO, or any file that cannot seek, is read in one forward stream; only a regular file can
/// be a zip, whose central directory is read first.
final class ArchiveInput {
    let fd: Int32
    let path: String
    /// The file's size when it is a regular file; nil for a stream.
    let regularSize: Int64?
    private let buffer: UnsafeMutableRawBufferPointer
    /// Bytes read ahead to recognise the format, handed out by the first read callback.
    private var pending = 0
    /// The offset of the next byte handed to libarchive.
    private var position: Int64 = 0
    /// Set when the bytes are to be hashed.
    fileprivate var digest: ArchiveDigest?

    /// Opens `path` for reading. A folder or a file that cannot be opened is exit status 2.
    init(path: String, blockSize: Int) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ArchiveError(path: path, "cannot open: \(reason)")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            close(fd)
            throw ArchiveError(path: path, "cannot open: \(String(cString: strerror(EISDIR)))")
        }
        self.fd = fd
        self.path = path
        regularSize = info.st_mode & S_IFMT == S_IFREG ? Int64(info.st_size) : nil
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(blockSize, 4096), alignment: 64)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// The first bytes of the file (up to one block, fewer only at its end), read once and kept
    /// for libarchive's first read: a stream cannot be read twice.
    func head() throws -> UnsafeRawBufferPointer {
        if pending == 0 {
            pending = try fill(at: 0)
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<pending])
    }

    /// Hands the bytes read from now on to `digest` as well.
    func attach(_ digest: ArchiveDigest) {
        digest.input = self
        self.digest = digest
    }

    /// Reads one block at `offset` into the buffer (a stream ignores the offset: it is where the
    /// stream is); 0 at the end.
    private func fill(at offset: Int64) throws -> Int {
        while true {
            let count = regularSize != nil ? pread(fd, buffer.baseAddress, buffer.count, off_t(offset)) : read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ArchiveError(path: path, "cannot read: \(String(cString: strerror(errno)))")
        }
    }

    // MARK: libarchive's callbacks

    /// The next bytes for libarchive: the head read ahead first, then block by block.
    fileprivate func nextBlock(_ archive: OpaquePointer?, _ out: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        let count: Int
        if pending > 0, position == 0 {
            count = pending
        } else {
            do {
                count = try fill(at: position)
            } catch {
                handover_archive_set_error(archive, errno == 0 ? EIO : errno, (error as? ArchiveError)?.message ?? "cannot read")
                return -1
            }
        }
        pending = 0
        out?.pointee = UnsafeRawPointer(buffer.baseAddress)
        digest?.saw(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: position)
        position += Int64(count)
        return count
    }

    /// Moves the reading position of a regular file (a zip's central directory is at its end).
    fileprivate func seek(_ offset: Int64, whence: Int32) -> Int64 {
        guard let size = regularSize else { return Int64(ARCHIVE_FATAL) }
        let target: Int64
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = size + offset
        default: return Int64(ARCHIVE_FATAL)
        }
        guard target >= 0 else { return Int64(ARCHIVE_FATAL) }
        if target != position { pending = 0 }
        position = target
        return target
    }

    /// Opens `archive` on this input. Seeking is offered only for a zip (libarchive reads its
    /// central directory first), so that a tar is read forward, every byte once.
    func start(_ archive: OpaquePointer, seekable: Bool) -> Int32 {
        let me = Unmanaged.passUnretained(self).toOpaque()
        archive_read_set_callback_data(archive, me)
        archive_read_set_read_callback(archive) { archive, data, out in
            guard let data else { return -1 }
            return Unmanaged<ArchiveInput>.fromOpaque(data).takeUnretainedValue().nextBlock(archive, out)
        }
        if seekable, regularSize != nil {
            archive_read_set_seek_callback(archive) { _, data, offset, whence in
                guard let data else { return Int64(ARCHIVE_FATAL) }
                return Unmanaged<ArchiveInput>.fromOpaque(data).takeUnretainedValue().seek(offset, whence: whence)
            }
        }
        return archive_read_open1(archive)
    }

    /// Reads what libarchive left, from the first byte not yet hashed to the end of the file.
    fileprivate func readRest(from offset: Int64, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        var at = offset
        while true {
            let count = try fill(at: at)
            if count == 0 { return }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            at += Int64(count)
        }
    }
}

/// The SHA-256 of an archive file computed from the reading that verifies it (see
/// `ArchiveInput`): one pass gives both the verdict and the checksum the report records.
public final class ArchiveDigest: @unchecked Sendable {
    private var hasher = SHA256()
    /// Every byte before this offset is hashed, in order.
    private var hashed: Int64 = 0
    fileprivate var input: ArchiveInput?

    public init() {}

    /// Whether a reader took this digest: if not, nothing of the file was read for it.
    public var isAttached: Bool { input != nil }

    /// Bytes at `offset`: only those that extend the hashed prefix count, so a seek back (a
    /// zip's central directory) is not hashed twice and a seek forward leaves a gap for `finish`.
    fileprivate func saw(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        let end = offset + Int64(bytes.count)
        guard offset <= hashed, end > hashed else { return }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[Int(hashed - offset)...]))
        hashed = end
    }

    /// Hashes what the reading left (at most a tar's padding, once the archive was read to its
    /// end) and gives the checksum and the file's size. Call it once the reader is done.
    public func finish() throws -> (sha256: String, bytes: Int64) {
        guard let input else { throw ArchiveError(path: "", "the archive was not read, so it has no checksum") }
        var extra: Int64 = 0
        try input.readRest(from: hashed) { chunk in
            hasher.update(bufferPointer: chunk)
            extra += Int64(chunk.count)
        }
        hashed += extra
        self.input = nil
        return (hex(hasher.finalize()), hashed)
    }
}
