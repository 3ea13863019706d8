/// The entries of a serialized bag, with the bag's single top-level folder taken off their paths.
///
/// A bundle holds exactly one folder at its top; everything else is refused here, before any
/// BagIt rule is looked at: files beside the folder, a second folder, absolute paths, paths that
/// climb out with `..`, absurdly long or deep paths. These end the reading with exit status 1.
public final class ArchiveBagReader: BundleEntryReader {
    private let reader: ArchiveReader
    /// The name of the bag's top-level folder, once the first entry told it.
    public private(set) var topLevel: [UInt8]?

    static let maxPathBytes = 4096
    static let maxDepth = 64

    public init(path: String) throws {
        reader = try ArchiveReader(path: path)
    }

    public func nextEntry() throws -> BundleEntry? {
        while let header = try reader.nextHeader() {
            let shown = String(decoding: header.path.prefix(300), as: UTF8.self)
            guard header.path.count <= ArchiveBagReader.maxPathBytes else {
                throw unsafe("an entry's path is \(header.path.count) bytes long (\(shown.prefix(60))…); a bundle's paths stay under \(ArchiveBagReader.maxPathBytes)")
            }
            guard header.path.first != UInt8(ascii: "/") else {
                throw unsafe("the entry \(shown) has an absolute path; a bundle's entries are relative to its top-level folder")
            }
            var parts = header.path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
            while parts.first == Array(".".utf8) { parts.removeFirst() }
            guard !parts.isEmpty else { continue }
            guard !parts.contains(Array("..".utf8)) else {
                throw unsafe("the entry \(shown) climbs out with '..'; refusing the bundle")
            }
            guard parts.count <= ArchiveBagReader.maxDepth else {
                throw unsafe("the entry \(shown.prefix(80))… is nested \(parts.count) folders deep; a bundle's paths stay under \(ArchiveBagReader.maxDepth)")
            }
            let top = parts[0]
            if let topLevel, topLevel != top {
                throw unsafe("more than one top-level entry (\(String(decoding: topLevel, as: UTF8.self)) and \(String(decoding: top, as: UTF8.self))); a bundle holds a single bag folder")
            }
            if parts.count == 1 {
                guard header.kind == .directory else {
                    throw unsafe("\(shown) lies at the top of the archive, outside a bag folder; a bundle holds a single bag folder")
                }
                topLevel = top
                continue
            }
            topLevel = top
            let relative = Array(parts.dropFirst().joined(separator: [UInt8(ascii: "/")]))
            return BundleEntry(path: relative, kind: header.kind, size: header.size, modified: header.modified)
        }
        return nil
    }

    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try reader.readData(into: buffer)
    }

    private func unsafe(_ message: String) -> ArchiveError {
        ArchiveError(path: reader.name, message, exitStatus: .checkFailed)
    }
}
