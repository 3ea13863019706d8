// libFuzzer target: the zip structure check. The input is read by ZipDirectory from memory and
// from a file (pread), which must agree; a zip it accepts is then read whole by ArchiveReader
// (libarchive, followed entry by entry against the central directory).
import Foundation
@testable import HandoverKit

private let zipPath = NSTemporaryDirectory() + "/handover-fuzz-\(getpid()).zip"
private let maxEntries = 2_000

@_cdecl("LLVMFuzzerInitialize")
public func zipFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    // As the command does: libarchive converts zip names to the locale's charset.
    setlocale(LC_ALL, "C.UTF-8")
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func zipFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    let inMemory = outcome { try ZipDirectory.read(.memory(bytes), path: "fuzz.zip", maxEntries: maxEntries) }
    if case .success(let directory) = inMemory {
        fuzzRequire(directory.entries.count <= maxEntries, "more entries than the limit")
        fuzzRequire(directory.namesInFileOrder.count == directory.entries.count, "the file order lost or gained names")
        for entry in directory.entries {
            fuzzRequire(entry.localHeaderOffset + 30 <= UInt64(bytes.count), "a local header lies outside the input")
            fuzzRequire(!entry.name.contains(0), "a name with a NUL byte was accepted")
            if entry.flags & 0x0800 != 0 {
                fuzzRequire(String(validating: entry.name, as: UTF8.self) != nil, "a name flagged UTF-8 that is not was accepted")
            }
        }
    }

    guard FileManager.default.createFile(atPath: zipPath, contents: Data(bytes)) else {
        fuzzRequire(false, "cannot write \(zipPath)")
        return 0
    }
    defer { unlink(zipPath) }
    let fd = open(zipPath, O_RDONLY | O_CLOEXEC)
    fuzzRequire(fd >= 0, "cannot open \(zipPath)")
    let fromFile = outcome { try ZipDirectory.read(fd: fd, path: "fuzz.zip", maxEntries: maxEntries) }
    close(fd)
    fuzzRequire(fromFile == inMemory, "the same zip read from a file and from memory gave different answers")

    // libarchive reads what the structure check accepted; it may still find damaged data (an
    // error), but never crashes, and whatever it yields follows the central directory.
    guard case .success = inMemory, let reader = try? ArchiveReader(path: zipPath, blockSize: 64 << 10, maxZipEntries: maxEntries) else { return 0 }
    var buffer = [UInt8](repeating: 0, count: 64 << 10)
    var read = 0
    do {
        while try reader.nextHeader() != nil {
            read += 1
            var total = 0
            while total < 16 << 20 {
                let got = try buffer.withUnsafeMutableBytes { try reader.readData(into: $0) }
                if got == 0 { break }
                total += got
            }
        }
    } catch {}
    fuzzRequire(read <= maxEntries, "libarchive yielded more entries than the central directory can list")
    return 0
}

/// The outcome of a structure check, comparable: the entries, or the problem found.
private enum Outcome: Equatable {
    case success(ZipDirectory)
    case refused(ZipStructureError.Problem)
    case other(String)
}

private func outcome(_ body: () throws -> ZipDirectory) -> Outcome {
    do {
        return .success(try body())
    } catch let error as ZipStructureError {
        return .refused(error.problem)
    } catch {
        return .other("\(error)")
    }
}
