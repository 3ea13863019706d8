import CArchive
import Foundation

/// Reads an archive through libarchive as a stream: headers one by one, data in chunks.
///
/// The format is recognised by content, never by name. Only the formats a bundle can be written
/// in are enabled (tar in its variants, zip; gzip, bzip2, xz, zstd and lz4 compression), and no
/// external decompression program is ever started.
public final class ArchiveReader {
    /// An entry's header as the archive states it.
    public struct Header {
        public var path: [UInt8]
        public var kind: BundleEntryKind
        public var size: Int64?
        public var modified: Int64?
    }

    private let archive: OpaquePointer
    public let name: String

    /// Opens `path`. An input that is not an archive of a known format is an error (exit 2).
    public init(path: String, blockSize: Int = 1 << 20) throws {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 {
            throw ArchiveError(path: path, "not a bundle: the file is empty")
        }
        guard let archive = archive_read_new() else {
            throw ArchiveError(path: path, "libarchive could not allocate a reader")
        }
        self.archive = archive
        name = path
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_filter_gzip(archive)
        archive_read_support_filter_bzip2(archive)
        archive_read_support_filter_xz(archive)
        archive_read_support_filter_zstd(archive)
        archive_read_support_filter_lz4(archive)
        let code = archive_read_open_filename(archive, path, blockSize)
        if code < ARCHIVE_WARN {
            // Not freed here: every stored property is set, so deinit runs on this throw too.
            let reason = ArchiveError.describe(archive)
            if reason.contains("Unrecognized archive format") || reason.contains("Truncated input") {
                throw ArchiveError(path: path, "not a bundle: not a tar or zip archive (\(reason))")
            }
            throw ArchiveError(path: path, "cannot open: \(reason)")
        }
    }

    deinit {
        archive_read_free(archive)
    }

    /// The next header, or nil at the end of the archive. A damaged archive is exit status 1.
    public func nextHeader() throws -> Header? {
        var entry: OpaquePointer?
        let code = archive_read_next_header(archive, &entry)
        if code == ARCHIVE_EOF { return nil }
        if code < ARCHIVE_WARN || entry == nil {
            throw ArchiveError(path: name, "the archive is damaged or truncated: \(ArchiveError.describe(archive))",
                               exitStatus: .checkFailed)
        }
        guard let entry else { return nil }
        let path = bytes(archive_entry_pathname(entry))
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

    /// Reads data of the current entry; 0 at its end. A damaged archive is exit status 1.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        if count < 0 {
            throw ArchiveError(path: name, "the archive is damaged or truncated: \(ArchiveError.describe(archive))",
                               exitStatus: .checkFailed)
        }
        return count
    }

    private func bytes(_ text: UnsafePointer<CChar>?) -> [UInt8] {
        guard let text else { return [] }
        return Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    }
}
