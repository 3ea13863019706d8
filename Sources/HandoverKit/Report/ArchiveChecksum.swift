import Crypto
import Foundation

/// The SHA-256 of a bundle's archive file as received, read in chunks, compared with the
/// `<archive>.sha256` the build wrote beside it when that file is there.
///
/// The report quotes it so that the minutes name exactly the file that was accepted.
public struct ArchiveChecksum: Sendable {
    /// How the computed checksum compares with the `.sha256` file beside the archive.
    public enum Sidecar: String, Sendable {
        case match, mismatch, absent
    }

    public var sha256: String
    public var bytes: Int64
    public var sidecar: Sidecar
    public var sidecarPath: String

    /// Hashes the file at `path`; `progress` is told the bytes read so far.
    public static func compute(path: String, progress: ((Int64) -> Void)? = nil) throws -> ArchiveChecksum {
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        try SourceFileReader.read(path: Array(path.utf8), display: path, buffer: buffer) { chunk in
            hasher.update(bufferPointer: chunk)
            total += Int64(chunk.count)
            progress?(total)
        }
        let digest = hex(hasher.finalize())
        let sidecarPath = path + ".sha256"
        return ArchiveChecksum(sha256: digest, bytes: total, sidecar: compare(digest, sidecarPath), sidecarPath: sidecarPath)
    }

    /// Reads the first checksum of a `sha256sum` file (at most 4 KB of it: it holds one line).
    static func compare(_ digest: String, _ sidecarPath: String) -> Sidecar {
        guard let handle = FileHandle(forReadingAtPath: sidecarPath) else { return .absent }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4096)) ?? Data()
        let text = String(decoding: head, as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).first else { return .mismatch }
        return first.lowercased() == digest ? .match : .mismatch
    }
}
