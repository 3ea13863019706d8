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
/// The guards of `BagLimits` that do not depend on the order of the entries hold here too, for
/// every reading (verify's and extract's): the expansion of the archive against its own size,
/// checked from each header and as the data comes; the number of entries; and the folders that
/// hold no file, which would each become a folder on disk.
///
/// A zip is read only once its central directory agrees with its local headers, and only as
/// long as libarchive yields the entries that directory lists (see `ZipDirectory`), so that
/// what is verified is what any zip reader would extract.
package final class ArchiveBagReader: BundleEntryReader {
    private let reader: ArchiveReader
    private let limits: BagLimits
    private var promise = PayloadPromise()
    private var folders = EmptyFolderCount()
    private var entries = 0
    /// Entry data given out so far: a zip's entries are decompressed one by one, out of sight
    /// of `ArchiveReader.expandedBytes`.
    private var dataBytes: Int64 = 0
    /// The current entry's path as the archive gives it (shown only in a message).
    private var currentPath: [UInt8] = []
    /// The name of the bag's top-level folder, once the first entry told it.
    package private(set) var topLevel: [UInt8]?
    /// What the archive is (tar, tar.gz, zip…), known from its first entry on.
    package var serialization: ArchiveSerialization? { reader.serialization }

    /// `limits` are by default those the command line set for this task (`BagLimits.current`);
    /// `digest` hashes the archive's bytes as they are read.
    package init(path: String, limits: BagLimits = BagLimits.current, digest: ArchiveDigest? = nil) throws {
        reader = try ArchiveReader(path: path, maxZipEntries: limits.entries, digest: digest)
        self.limits = limits
    }

    package func nextEntry() throws -> BundleEntry? {
        promise.entryEnded()
        while let header = try reader.nextHeader() {
            // Made only for a message: a million entries need none.
            var shown: String { Self.shown(header.path) }
            currentPath = header.path
            entries += 1
            if entries > limits.entries {
                throw limit(BagLimitError(.entries, path: "", found: Int64(entries), limit: Int64(limits.entries)))
            }
            // Data the verifier skipped was still decompressed: it counts from the next header on.
            try checkExpansion(adding: 0)
            // A zip's names are UTF-8: one that is not (libarchive gives it empty) is refused as
            // build refuses to write it, rather than skipped or read under another name.
            if reader.isZip, header.path.isEmpty || String(validating: header.path, as: UTF8.self) == nil {
                throw limit(BagLimitError(.nameEncoding, path: header.path.isEmpty ? "an entry" : shown, found: 0, limit: 0))
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
            do {
                try limits.checkEntryPath(parts, bytes: header.path.count, shown: shown)
            } catch {
                throw limit(error)
            }
            let top = parts[0]
            if let topLevel, topLevel != top {
                throw unsafe("more than one top-level entry (\(Self.shown(topLevel)) and \(Self.shown(top))); a bundle holds a single bag folder")
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
            if header.kind == .directory {
                if !folders.sawFolder(relative, limit: limits.emptyFolders) {
                    throw limit(BagLimitError(.emptyFolders, path: "", found: Int64(folders.pending), limit: Int64(limits.emptyFolders)))
                }
            } else {
                folders.sawEntry(relative)
            }
            if header.kind == .file, let size = header.size {
                try checkDeclaredSize(size, of: relative)
                // Refused from the header, before the bytes are decompressed only to be thrown away.
                try checkExpansion(adding: max(0, size))
            }
            return BundleEntry(path: relative, kind: header.kind, size: header.size, modified: header.modified)
        }
        return nil
    }

    /// An entry's path for messages: its first 300 bytes, escaped (VisibleText), since a
    /// hostile name may hold a line break and a forged verdict.
    private static func shown(_ path: [UInt8]) -> String {
        VisibleText.name(bytes: Array(path.prefix(300)))
    }

    package func readData(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try reader.readData(into: buffer)
        if count > 0 {
            promise.saw(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            dataBytes += Int64(count)
            try checkExpansion(adding: 0)
        }
        return count
    }

    /// Stops when what the archive has expanded to, plus `adding` bytes announced by a header,
    /// goes past `BagLimits.expansionCeiling`: whatever the order of the entries, and whether
    /// or not bag-info.txt declares anything.
    private func checkExpansion(adding: Int64) throws {
        guard let archiveBytes = reader.fileBytes else { return }
        let ceiling = limits.expansionCeiling(archiveBytes: archiveBytes, declaredPayload: promise.oxumBeforePayload?.octets)
        let expanded = max(reader.expandedBytes, dataBytes)
        let (projected, overflow) = expanded.addingReportingOverflow(adding)
        guard overflow || projected > ceiling else { return }
        throw limit(BagLimitError(.expansion, path: Self.shown(currentPath), found: overflow ? .max : projected, limit: ceiling))
    }

    /// Refuses an entry, from its header alone, that is larger than anything the verifier reads.
    private func checkDeclaredSize(_ size: Int64, of path: [UInt8]) throws {
        var shown: String { Self.shown(path) }
        if path.isPayloadPath {
            promise.sawPayload = true
            promise.payloadDeclared = promise.payloadDeclared.addingReportingOverflow(max(0, size)).partialValue
            if let oxum = promise.oxum, promise.payloadDeclared > limits.allowance(over: oxum.octets) {
                throw unsafe("\(shown) is declared \(size) bytes long, and with it the payload grows far beyond what bag-info.txt promises (Payload-Oxum \(oxum): \(oxum.octets) bytes in all); reading stopped there, as for a decompression bomb")
            }
            return
        }
        let limit = BagPaths.isKept(path) ? Int64(limits.keptTagFileBytes) : limits.otherTagFileBytes
        if size > limit {
            throw self.limit(BagLimitError(.tagFileBytes, path: shown, found: size, limit: limit))
        }
        if path == BagPaths.bagInfo { promise.startBagInfo(declared: size) }
    }

    /// A limit passed, with the bundle named.
    private func limit(_ error: BagLimitError) -> BagLimitError {
        var error = error
        error.bundle = reader.name
        return error
    }

    private func unsafe(_ message: String) -> ArchiveError {
        ArchiveError(path: reader.name, message, exitStatus: .checkFailed)
    }
}

/// What bag-info.txt promises about the payload, learned as its bytes go by, and what the
/// archive's headers declare so far. Only the first bag-info.txt counts, as for the verifier.
private struct PayloadPromise {
    var oxum: PayloadOxum?
    /// The Payload-Oxum, when bag-info.txt came before any payload entry: only then may it
    /// raise the ceiling on expansion, since a promise made after the fact bounds nothing.
    var oxumBeforePayload: PayloadOxum?
    var sawPayload = false
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
        oxum = BagInfo.parse(bytes, encoding: TagFileEncoding.sniff(bytes), diagnostics: &ignored).payloadOxum
        if !sawPayload { oxumBeforePayload = oxum }
    }
}

/// The folders of a bundle that hold no file so far, bounded as they are met: a folder entry
/// counts until a file (or any other entry) is met inside it. Only folders that hold something
/// are remembered beyond that, so memory stays within the entries already counted.
private struct EmptyFolderCount {
    private var empty = Set<[UInt8]>()
    private var holding = Set<[UInt8]>()
    var pending: Int { empty.count }

    /// A folder entry; false when the folders holding nothing are now more than `limit`.
    mutating func sawFolder(_ path: [UInt8], limit: Int) -> Bool {
        guard !holding.contains(path) else { return true }
        empty.insert(path)
        return empty.count <= limit
    }

    /// Any other entry: each folder above it holds something.
    mutating func sawEntry(_ path: [UInt8]) {
        var end = path.count
        while let slash = path[..<end].lastIndex(of: UInt8(ascii: "/")) {
            let folder = Array(path[..<slash])
            guard holding.insert(folder).inserted else { return }
            empty.remove(folder)
            end = slash
        }
    }
}
