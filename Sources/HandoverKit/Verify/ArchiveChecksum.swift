import Crypto
import Foundation

/// The SHA-256 of a bundle's archive file as received, read in chunks, compared with the
/// `<archive>.sha256` the build wrote beside it when that file is there.
///
/// Verify fails when the two differ: the file is then not the one that was built. The report
/// quotes the checksum so that the minutes name exactly the file that was accepted.
public struct ArchiveChecksum: Sendable {
    /// How the computed checksum compares with the `.sha256` file beside the archive.
    package enum Sidecar: String, Codable, Sendable {
        case match, mismatch, absent
    }

    public var sha256: String
    public var bytes: Int64
    package var sidecar: Sidecar
    public var sidecarPath: String
    /// The checksum the `.sha256` file gives, when it gives one.
    public var sidecarDigest: String?

    /// Whether a `.sha256` file sits beside the archive at `path`.
    public static func hasSidecar(_ path: String) -> Bool {
        hasSidecarFile(path + ".sha256")
    }

    private static func hasSidecarFile(_ sidecarPath: String) -> Bool {
        var info = stat()
        return lstat(sidecarPath, &info) == 0
    }

    /// Why the archive fails its `.sha256`, in one sentence; nil when it does not.
    public var mismatchProblem: String? { mismatch?.message }

    /// The same, with its code and parameters, for a report in another language.
    package var mismatch: Problem? {
        guard sidecar == .mismatch else { return nil }
        guard let sidecarDigest else { return Problem(.archiveChecksumMissing, ["sha256": sha256, "sidecar": sidecarPath]) }
        return Problem(.archiveChecksumMismatch, ["sha256": sha256, "sidecar": sidecarPath, "expected": sidecarDigest])
    }

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
        let (sidecar, said) = compare(digest, sidecarPath)
        return ArchiveChecksum(sha256: digest, bytes: total, sidecar: sidecar, sidecarPath: sidecarPath, sidecarDigest: said)
    }

    /// The checksum of the archive at `path` from the reading that verified it, the rest of the
    /// file read now (see `ArchiveDigest`); when no reading began (the archive could not be
    /// opened), the file is hashed here.
    public static func after(_ digest: ArchiveDigest, path: String) throws -> ArchiveChecksum {
        guard digest.isAttached else { return try compute(path: path) }
        let (sha256, bytes) = try digest.finish()
        let sidecarPath = path + ".sha256"
        let (sidecar, said) = compare(sha256, sidecarPath)
        return ArchiveChecksum(sha256: sha256, bytes: bytes, sidecar: sidecar, sidecarPath: sidecarPath, sidecarDigest: said)
    }

    /// The most a `.sha256` file may hold: one line, a checksum and a file name.
    static let sidecarLimit = 64 << 10

    /// Reads the first checksum of a `sha256sum` file, and says how it compares, with the
    /// checksum it read when it is one. A sidecar that is not a regular file (a FIFO named like
    /// one would block a plain read), or larger than one line can be, does not match.
    static func compare(_ digest: String, _ sidecarPath: String) -> (Sidecar, String?) {
        guard hasSidecarFile(sidecarPath) else { return (.absent, nil) }
        guard let head = try? SmallFile.read(sidecarPath, limit: sidecarLimit) else { return (.mismatch, nil) }
        let text = String(decoding: head, as: UTF8.self)
        guard let first = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).first else { return (.mismatch, nil) }
        let said = first.lowercased()
        let isDigest = said.utf8.count == 64 && said.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        return (said == digest ? .match : .mismatch, isDigest ? said : nil)
    }
}
