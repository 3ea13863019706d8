import CArchive
import Foundation

/// Reads an archive through libarchive as a stream: headers one by one, data in chunks.
///
/// The format is recognised by content, never by name. Only the formats a bundle can be written
/// in are enabled (tar in its variants, zip; gzip, bzip2, xz, zstd and lz4 compression), and no
/// external decompression program is ever started.
package final class ArchiveReader {
    /// An entry's header as the archive states it.
    package struct Header {
        package var path: [UInt8]
        package var kind: BundleEntryKind
        package var size: Int64?
        package var modified: Int64?
    }

    private let archive: OpaquePointer
    package let name: String
    /// The archive's size on disk, when it is a regular file: what its expansion is measured against.
    package let fileBytes: Int64?
    /// Names are read under the POSIX locale (see `storedNames`); not for zip.
    private let keepsStoredNames: Bool

    /// The file libarchive reads, opened once: for a zip, the one whose structure was checked,
    /// so that the file cannot be swapped in between.
    private let input: ArchiveInput
    /// For a zip: the entries its central directory lists, which libarchive must yield in turn.
    private var zipOrder: ZipEntryOrder?
    private let maxZipEntries: Int
    /// Whether the format libarchive chose was looked at (at the first header).
    private var formatChecked = false
    /// What the archive is, by content, once its first header was read (a BagIt Profile's
    /// serialization rules need it).
    package private(set) var serialization: ArchiveSerialization?

    /// Opens `path`. An input that is not an archive of a known format is an error (exit 2).
    ///
    /// A zip's central directory and local headers are checked before libarchive reads it, and
    /// `maxZipEntries` bounds the entries it may list (see `ZipDirectory`). With `digest`, the
    /// file's bytes are hashed as libarchive reads them (see `ArchiveInput`). A FIFO is read as
    /// a stream, once.
    package init(path: String, blockSize: Int = 1 << 20, maxZipEntries: Int = BagLimits().entries, digest: ArchiveDigest? = nil) throws {
        let input = try ArchiveInput(path: path, blockSize: blockSize)
        let head = try input.head()
        if head.isEmpty {
            throw ArchiveError(path: path, "not a bundle: the file is empty")
        }
        let isZip = ArchiveReader.isZipHead(head)
        fileBytes = input.regularSize
        if isZip {
            guard input.regularSize != nil else {
                throw ArchiveError(path: path, "not a bundle that can be read from a stream: a zip's directory is at its end; give the zip as a file")
            }
            zipOrder = ZipEntryOrder(path: path, directory: try ZipDirectory.read(fd: input.fd, path: path, maxEntries: maxZipEntries))
        }
        if let digest { input.attach(digest) }
        let previous = ArchiveReader.useStoredNames(!isZip)
        defer { uselocale(previous) }
        guard let archive = archive_read_new() else {
            throw ArchiveError(path: path, "libarchive could not allocate a reader")
        }
        self.archive = archive
        self.input = input
        self.maxZipEntries = maxZipEntries
        name = path
        keepsStoredNames = !isZip
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        archive_read_support_format_zip(archive)
        // A tar ends with two zero blocks, and readers stop there; GNU tar -i and others read
        // on. Reading on past them, an archive appended after the end gives entries of its own
        // (unlisted, so the bag is not intact) and bytes that are not zeros are a damaged
        // archive: nothing after the end passes unseen. Zero padding is skipped.
        archive_read_set_format_option(archive, "tar", "read_concatenated_archives", "1")
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_filter_lz4(archive)
        let code = input.start(archive, seekable: isZip)
        if ArchiveError.failed(Int(code)) {
            // Not freed here: every stored property is set, so deinit runs on this throw too.
            // A file that was recognised, then broke off (a compressed stream cut short), is a
            // damaged bundle, as when the same happens further in: opening reads ahead, and a
            // small bundle is read whole.
            throw ArchiveError.openFailure(archive, path: path)
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// Opens the zip at `path` and checks its structure; returns the open file and what it lists.
    private static func checkZip(_ path: String, maxEntries: Int) throws -> (Int32, ZipDirectory) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError(path: path, "cannot open: \(String(cString: strerror(errno)))") }
        do {
            return (fd, try ZipDirectory.read(fd: fd, path: path, maxEntries: maxEntries))
        } catch {
            close(fd)
            throw error
        }
    }

    /// At the first header, once libarchive has chosen a format: a file that begins as a zip
    /// must be read as one, and a zip found otherwise (data before its first entry) is checked
    /// as one before any of its entries is used.
    private func checkFormat() throws {
        guard !formatChecked else { return }
        formatChecked = true
        let isZipFormat = archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK == ARCHIVE_FORMAT_ZIP
        serialization = ArchiveSerialization(container: isZipFormat ? .zip : .tar, compression: outerCompression())
        if !keepsStoredNames, !isZipFormat { throw ZipStructureError(path: name, .readAsOtherFormat) }
        if isZipFormat, zipOrder == nil {
            // Data before the first entry: libarchive found the zip without seeking, so the file
            // is checked as a zip through its own descriptor (a stream cannot be, and is refused).
            guard input.regularSize != nil else { throw ZipStructureError(path: name, .readAsOtherFormat) }
            let (fd, directory) = try ArchiveReader.checkZip(name, maxEntries: maxZipEntries)
            close(fd)
            zipOrder = ZipEntryOrder(path: name, directory: directory)
        }
    }

    /// The compression filter nearest the raw file (libarchive numbers them from the format
    /// outwards); nil when the archive is not compressed.
    private func outerCompression() -> ArchiveSerialization.Compression? {
        var outer: ArchiveSerialization.Compression?
        for index in 0..<max(0, archive_filter_count(archive)) {
            switch archive_filter_code(archive, index) {
            case ARCHIVE_FILTER_GZIP: outer = .gzip
            case ARCHIVE_FILTER_BZIP2: outer = .bzip2
            case ARCHIVE_FILTER_XZ: outer = .xz
            case ARCHIVE_FILTER_ZSTD: outer = .zstd
            case ARCHIVE_FILTER_LZ4: outer = .lz4
            default: break
            }
        }
        return outer
    }

    /// libarchive converts the UTF-8 names of pax headers and zip entries to the locale's
    /// charset, and in a UTF-8 locale it normalizes them to NFC on the way: a file stored under
    /// an NFD name would come out under another name than its manifest line gives. Under the
    /// POSIX locale the conversion of a non-ASCII tar name fails, and libarchive keeps the bytes
    /// as stored (with a warning), so tar headers are read under it, on this thread only. A zip
    /// entry flagged UTF-8 gets no such fallback (its name would come out empty): zip keeps the
    /// process's UTF-8 locale, and its NFD names come out NFC, matched with a warning.
    nonisolated(unsafe) private static let storedNames = newlocale(LC_CTYPE_MASK, "C", nil)

    /// Switches this thread to `storedNames` when `keep`; returns the locale to put back.
    private static func useStoredNames(_ keep: Bool) -> locale_t? {
        guard keep, let storedNames else { return uselocale(nil) }
        return uselocale(storedNames)
    }

    /// Whether the file begins as a zip archive does ("PK\u{3}\u{4}", or "PK\u{5}\u{6}" when empty).
    static func startsLikeZip(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4)
        guard read(fd, &head, 4) == 4 else { return false }
        return head.withUnsafeBytes { isZipHead($0) }
    }

    /// Whether `head`, a file's first bytes, begins as a zip archive does.
    static func isZipHead(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 4 else { return false }
        return head[0] == 0x50 && head[1] == 0x4B && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))
    }

    /// The next header, or nil at the end of the archive. A damaged archive is exit status 1.
    package func nextHeader() throws -> Header? {
        let previous = ArchiveReader.useStoredNames(keepsStoredNames)
        defer { uselocale(previous) }
        var entry: OpaquePointer?
        let code = archive_read_next_header(archive, &entry)
        if ArchiveError.ended(code) {
            try zipOrder?.ended()
            return nil
        }
        if ArchiveError.failed(Int(code)) || entry == nil {
            throw ArchiveError.readFailure(archive, path: name)
        }
        guard let entry else { return nil }
        try checkFormat()
        let path = bytes(archive_entry_pathname(entry))
        try zipOrder?.saw(path, warning: ArchiveError.warned(code) ? ArchiveError.describe(archive) : nil)
        let kind: BundleEntryKind
        let type = archive_entry_filetype(entry)
        if let hardlink = archive_entry_hardlink(entry) {
            kind = .hardlink(target: bytes(hardlink))
        } else {
            switch type {
            case UInt32(S_IFREG as mode_t): kind = .file
            case UInt32(S_IFDIR as mode_t): kind = .directory
            case UInt32(S_IFLNK as mode_t): kind = .symlink(target: bytes(archive_entry_symlink(entry)))
            default: kind = .other(describeFileType(mode_t(type)))
            }
        }
        let size = archive_entry_size_is_set(entry) != 0 ? Int64(archive_entry_size(entry)) : nil
        let modified = archive_entry_mtime_is_set(entry) != 0 ? Int64(archive_entry_mtime(entry)) : nil
        return Header(path: path, kind: kind, size: size, modified: modified)
    }

    /// Whether the archive is a zip (whose names must be UTF-8 to be read back as written).
    package var isZip: Bool { !keepsStoredNames }

    /// The bytes the decompression has given the archive's reader so far (headers and data of a
    /// tar); for a zip, whose entries are compressed one by one, the archive's bytes read.
    package var expandedBytes: Int64 { archive_filter_bytes(archive, 0) }

    /// Reads data of the current entry; 0 at its end. A damaged archive is exit status 1.
    package func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if count < 0 {
            throw ArchiveError.readFailure(archive, path: name)
        }
        return count
    }

    private func bytes(_ text: UnsafePointer<CChar>?) -> [UInt8] {
        guard let text else { return [] }
        return Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    }
}
