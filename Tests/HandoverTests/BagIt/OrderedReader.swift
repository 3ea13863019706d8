import Foundation
import HandoverKit

/// Reads a bag folder's files in an order the test chooses, as an archive written by another
/// tool would present them (bsdtar's order is the file system's; handover writes the payload
/// first). The data comes from the real files, in chunks.
final class OrderedReader: BundleEntryReader {
    private let root: String
    private var order: [String]
    private var handle: FileHandle?

    init(root: String, order: [String]) {
        self.root = root
        self.order = order
    }

    func nextEntry() throws -> BundleEntry? {
        try handle?.close()
        handle = nil
        guard !order.isEmpty else { return nil }
        let name = order.removeFirst()
        let path = root + "/" + name
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            // A name that is not in the folder is given as is, without data: the hostile entry.
            return BundleEntry(path: Array(name.utf8), kind: .file, size: 0)
        }
        if isFolder.boolValue { return BundleEntry(path: Array(name.utf8), kind: .directory, size: nil) }
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        return BundleEntry(path: Array(name.utf8), kind: .file, size: size)
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let handle, let data = try handle.read(upToCount: min(buffer.count, 64 * 1024)), !data.isEmpty else { return 0 }
        data.copyBytes(to: buffer)
        return data.count
    }
}

/// Counts what a payload observer is shown.
final class RecordingObserver: PayloadObserver {
    var files: [(path: String, bytes: Int, complete: Bool, sha512: String)] = []
    private var current: (path: String, bytes: Int, hasher: MultiHasher)?

    func beginPayloadFile(path: [UInt8], size: Int64?, modified: Int64?) throws {
        current = (String(decoding: path, as: UTF8.self), 0, MultiHasher([.sha512]))
    }

    func payloadData(_ chunk: UnsafeRawBufferPointer) throws {
        current?.bytes += chunk.count
        current?.hasher.update(chunk)
    }

    func endPayloadFile(complete: Bool) throws {
        guard let current else { return }
        files.append((current.path, current.bytes, complete, current.hasher.finalize().sha512 ?? ""))
        self.current = nil
    }
}
