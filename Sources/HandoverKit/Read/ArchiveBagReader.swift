/// The entries of a serialized bag, with the bag's single top-level folder taken off their paths.
///
/// A bundle holds exactly one folder at its top; everything else is refused here, before any
/// BagIt rule is looked at: files beside the folder, a second folder, absolute paths, paths that
/// climb out with `..`, absurdly long or deep paths, names no file system can hold. These end
/// the reading with exit status 1.
///
/// It also refuses, from the archive's headers and before their data is decompressed, entries
/// that no verifier would read to their end: a tag file declared larger than `BagLimits` lets
/// such a file be, and payload entries whose declared sizes add up to far more than bag-info.txt's
/// Payload-Oxum promised (a decompression bomb). Skipping an entry of a compressed archive means
/// decompressing it, so refusing late would still cost the whole bomb.
///
/// A zip is read only once its central directory agrees with its local headers, and only as
/// long as libarchive yields the entries that directory lists (see `ZipDirectory`), so that
/// what is verified is what any zip reader would extract.
public final class ArchiveBagReader: BundleEntryReader {
    private let reader: ArchiveReader
    private let limits: BagLimits
    private var promise = PayloadPromise()
    /// The name of the bag's top-level folder, once the first entry told it.
    public private(set) var topLevel: [UInt8]?

    static let maxPathBytes = 4096
    static let maxDepth = 64
    /// NAME_MAX of Linux, and what macOS and Windows file systems hold too.
    static let maxNameBytes = 255

    public init(path: String, limits: BagLimits = BagLimits()) throws {
        reader = try ArchiveReader(path: path, maxZipEntries: limits.entries)
        self.limits = limits
    }

    public func nextEntry() throws -> BundleEntry? {
        promise.entryEnded()
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
            if let long = parts.first(where: { $0.count > ArchiveBagReader.maxNameBytes }) {
                throw unsafe("the entry \(shown.prefix(80))… has a name of \(long.count) bytes; file systems hold names of at most \(ArchiveBagReader.maxNameBytes)")
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
            let relative = Array(parts.dropFirst().filter { $0 != Array(".".utf8) }.joined(separator: [UInt8(ascii: "/")]))
            if header.kind == .file, let size = header.size {
                try checkDeclaredSize(size, of: relative)
            }
            return BundleEntry(path: relative, kind: header.kind, size: header.size, modified: header.modified)
        }
        return nil
    }

    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try reader.readData(into: buffer)
        if count > 0 { promise.saw(UnsafeRawBufferPointer(rebasing: buffer[0..<count])) }
        return count
    }

    /// Refuses an entry, from its header alone, that is larger than anything the verifier reads.
    private func checkDeclaredSize(_ size: Int64, of path: [UInt8]) throws {
        let shown = String(decoding: path.prefix(300), as: UTF8.self)
        if path.isPayloadPath {
            promise.payloadDeclared = promise.payloadDeclared.addingReportingOverflow(max(0, size)).partialValue
            if let oxum = promise.oxum, promise.payloadDeclared > limits.allowance(over: oxum.octets) {
                throw unsafe("\(shown) is declared \(size) bytes long, and with it the payload grows far beyond what bag-info.txt promises (Payload-Oxum \(oxum): \(oxum.octets) bytes in all); reading stopped there, as for a decompression bomb")
            }
            return
        }
        let limit = VerificationRun.isKept(path) ? Int64(limits.keptTagFileBytes) : limits.otherTagFileBytes
        if size > limit {
            throw unsafe("\(shown): tag file too large: the archive declares \(size) bytes for it, and handover reads at most \(limit) bytes of such a file")
        }
        if path == BagPaths.bagInfo { promise.startBagInfo(declared: size) }
    }

    private func unsafe(_ message: String) -> ArchiveError {
        ArchiveError(path: reader.name, message, exitStatus: .checkFailed)
    }
}

/// What bag-info.txt promises about the payload, learned as its bytes go by, and what the
/// archive's headers declare so far. Only the first bag-info.txt counts, as for the verifier.
private struct PayloadPromise {
    var oxum: PayloadOxum?
    var payloadDeclared: Int64 = 0
    private var bagInfo: (bytes: [UInt8], declared: Int64)?
    private var sawBagInfo = false

    mutating func startBagInfo(declared: Int64) {
        guard !sawBagInfo else { return }
        sawBagInfo = true
        bagInfo = ([], declared)
    }

    mutating func saw(_ chunk: UnsafeRawBufferPointer) {
        guard bagInfo != nil else { return }
        bagInfo?.bytes.append(contentsOf: chunk)
    }

    /// The current entry is over: a bag-info.txt read whole gives its Payload-Oxum.
    mutating func entryEnded() {
        guard let (bytes, declared) = bagInfo else { return }
        bagInfo = nil
        guard Int64(bytes.count) == declared else { return }
        var ignored = BagDiagnostics(limit: 0)
        oxum = BagInfo.parse(bytes, encoding: BagInventory.sniffEncoding(bytes), diagnostics: &ignored).payloadOxum
    }
}
