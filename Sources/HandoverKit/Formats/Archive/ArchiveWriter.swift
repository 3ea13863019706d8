import CArchive
import Foundation

/// Writes an archive through libarchive, entry by entry, data in chunks.
///
/// Every entry gets fixed owner (0/0, no names) and mode (0644 files, 0755 folders) and no
/// access or change times, so that the same input gives the same bytes. The archive's bytes go
/// to a sink (a file, plus a running SHA-256 for the `.sha256` beside it).
package final class ArchiveWriter {
    /// Receives the archive's bytes as libarchive produces them.
    package typealias Sink = (UnsafeRawBufferPointer) throws -> Void

    private let archive: OpaquePointer
    private let entry: OpaquePointer
    let name: String
    private let sink: Sink
    /// A sink error is kept here, since it cannot cross libarchive's C frames.
    private var sinkError: Error?
    private var closed = false

    package init(format: ArchiveFormat, name: String, sink: @escaping Sink) throws {
        guard let archive = archive_write_new(), let entry = archive_entry_new() else {
            throw ArchiveError(path: name, "libarchive could not allocate a writer")
        }
        self.archive = archive
        self.entry = entry
        self.name = name
        self.sink = sink
        // On a throw below, deinit frees the archive and the entry: every property is set.
        try configure(format)
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        try ArchiveError.check(archive_write_open2(archive, opaque, nil, { _, client, buffer, length in
            guard let client, let buffer else { return -1 }
            let writer = Unmanaged<ArchiveWriter>.fromOpaque(client).takeUnretainedValue()
            do {
                try writer.sink(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            } catch {
                writer.sinkError = error
                return -1
            }
        }, nil, nil), archive, path: name, doing: "cannot start the archive")
    }

    deinit {
        // An archive that was not finished is abandoned (a refused or failed build): mark it
        // failed so that freeing it writes no trailer to a sink whose file may be gone.
        if !closed { archive_write_fail(archive) }
        archive_entry_free(entry)
        archive_write_free(archive)
    }

    private func configure(_ format: ArchiveFormat) throws {
        switch format {
        case .zip:
            try ArchiveError.check(archive_write_set_format_zip(archive), archive, path: name, doing: "cannot write zip")
        default:
            // pax only where ustar cannot say it (long or non-ASCII names, large files).
            try ArchiveError.check(archive_write_set_format_pax_restricted(archive), archive, path: name, doing: "cannot write tar")
        }
        switch format {
        case .tarGzip:
            try ArchiveError.check(archive_write_add_filter_gzip(archive), archive, path: name, doing: "cannot compress with gzip")
            // No time stamp in the gzip header: reproducible output.
            archive_write_set_filter_option(archive, "gzip", "timestamp", nil)
        case .tarZstd:
            try ArchiveError.check(archive_write_add_filter_zstd(archive), archive, path: name, doing: "cannot compress with zstd")
        case .tarXz:
            try ArchiveError.check(archive_write_add_filter_xz(archive), archive, path: name, doing: "cannot compress with xz")
        case .tar, .zip:
            try ArchiveError.check(archive_write_add_filter_none(archive), archive, path: name, doing: "cannot write")
        }
        // Large blocks for throughput; no padding of the last block beyond the format's own.
        archive_write_set_bytes_per_block(archive, 64 << 10)
        archive_write_set_bytes_in_last_block(archive, 1)
    }

    /// Writes a folder entry.
    package func addDirectory(_ path: [UInt8], modified: Int64) throws {
        try writeHeader(path, type: UInt32(S_IFDIR as mode_t), permissions: 0o755, size: 0, modified: modified)
    }

    /// Starts a file entry; its `size` bytes follow through `write`.
    package func beginFile(_ path: [UInt8], size: Int64, modified: Int64) throws {
        try writeHeader(path, type: UInt32(S_IFREG as mode_t), permissions: 0o644, size: size, modified: modified)
    }

    /// Writes a whole small file (tag files) in one call.
    package func addFile(_ path: [UInt8], contents: [UInt8], modified: Int64) throws {
        try beginFile(path, size: Int64(contents.count), modified: modified)
        try contents.withUnsafeBytes { try write($0) }
    }

    /// Writes data of the current file entry.
    package func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(archive, base + offset, bytes.count - offset)
            // 0 means the entry is already full: more data than its header said would loop forever.
            if written <= 0 { throw failure("cannot write data") }
            offset += written
        }
    }

    /// Ends the archive: writes the trailer and flushes the compressor.
    package func finish() throws {
        guard !closed else { return }
        closed = true
        // A warning here (a trailer written short) is a failure too: the archive is not whole.
        let code = archive_write_close(archive)
        if !ArchiveError.succeeded(code) { throw failure("cannot finish the archive") }
    }

    private func writeHeader(_ path: [UInt8], type: UInt32, permissions: UInt32, size: Int64, modified: Int64) throws {
        archive_entry_clear(entry)
        try BytePath(path).withCString { archive_entry_copy_pathname(entry, $0) }
        archive_entry_set_filetype(entry, type)
        archive_entry_set_perm(entry, mode_t(permissions))
        archive_entry_set_size(entry, size)
        archive_entry_set_mtime(entry, time_t(modified), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        // zip stores the time as local time (MS-DOS fields, beside its UTC extra field): the
        // process runs in UTC (ProcessSetup) so that the bytes do not depend on the machine.
        let code = archive_write_header(archive, entry)
        if ArchiveError.failed(Int(code)) { throw failure("cannot write the entry \(String(decoding: path, as: UTF8.self))") }
    }

    /// The sink's own error when it caused the failure, otherwise libarchive's message.
    private func failure(_ action: String) -> Error {
        if let sinkError { return sinkError }
        return ArchiveError(path: name, "\(action): \(ArchiveError.describe(archive))")
    }
}
