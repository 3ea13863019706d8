import Foundation

/// The bytes of a zip archive as the structure check reads them: a file read with `pread` (only
/// its headers are ever read), or bytes in memory (the fuzzer and unit tests).
enum ZipBytes {
    case file(fd: Int32, size: UInt64)
    case memory([UInt8])

    var size: UInt64 {
        switch self {
        case .file(_, let size): size
        case .memory(let bytes): UInt64(bytes.count)
        }
    }

    /// `count` bytes at `offset`, fewer only at the end of the file.
    func read(at offset: UInt64, count: Int, path: String) throws -> [UInt8] {
        guard offset < size, count > 0 else { return [] }
        let count = Int(min(UInt64(count), size - offset))
        switch self {
        case .memory(let bytes):
            let start = Int(offset)
            return Array(bytes[start..<(start + count)])
        case .file(let fd, _):
            var result = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = result.withUnsafeMutableBytes { buffer in
                    pread(fd, buffer.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
                }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw FileError.fromErrno(path, "cannot read the zip's headers")
                }
                // The file shrank under us: what is missing reads as absent, and is refused as such.
                if got == 0 { break }
                done += got
            }
            return Array(result.prefix(done))
        }
    }
}

/// Reads forward through a region of a zip in windows, so that a central directory of millions
/// of entries is read in a few large reads rather than one read per header.
struct ZipWindow {
    let bytes: ZipBytes
    let path: String
    let window: Int
    private var start: UInt64 = 0
    private var buffer: [UInt8] = []

    init(_ bytes: ZipBytes, path: String, window: Int) {
        self.bytes = bytes
        self.path = path
        self.window = window
    }

    /// `count` bytes at `offset`; fewer when the file ends first.
    mutating func slice(at offset: UInt64, count: Int) throws -> ArraySlice<UInt8> {
        if offset >= start, offset - start <= UInt64(buffer.count), UInt64(buffer.count) - (offset - start) >= UInt64(count) {
            let from = Int(offset - start)
            return buffer[from..<(from + count)]
        }
        buffer = try bytes.read(at: offset, count: max(count, window), path: path)
        start = offset
        return buffer.prefix(count)
    }
}

/// Little-endian fields of zip headers.
extension Collection where Element == UInt8, Index == Int {
    func zipUInt16(_ at: Int) -> UInt16 {
        UInt16(self[startIndex + at]) | UInt16(self[startIndex + at + 1]) << 8
    }

    func zipUInt32(_ at: Int) -> UInt32 {
        UInt32(zipUInt16(at)) | UInt32(zipUInt16(at + 2)) << 16
    }

    func zipUInt64(_ at: Int) -> UInt64 {
        UInt64(zipUInt32(at)) | UInt64(zipUInt32(at + 4)) << 32
    }
}
