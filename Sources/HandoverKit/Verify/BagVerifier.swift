/// Verifies a BagIt bag (RFC 8493) read as a stream of entries, from an archive or a folder,
/// without extracting anything.
///
/// It reads the bundle once, hashing each payload file with the algorithms of the payload
/// manifests seen so far (or `initialAlgorithms` when none has been seen yet), and reads it a
/// second time only when a manifest that came after a file needs a digest not computed, or a
/// large manifest came before bagit.txt in another encoding than guessed.
package struct BagVerifier {
    /// Options of the verification.
    public struct Options: Sendable {
        /// The algorithms computed for payload files met before any payload manifest. Naming
        /// the algorithms the bags will use spares a second reading.
        package var initialAlgorithms: [ChecksumAlgorithm] = [.sha256]
        /// The bounds kept to; by default those the command line set for this task.
        package var limits = BagLimits.current
        /// The size of each read.
        package var readSize = 1 << 20

        package init() {}
    }

    package var options: Options
    private let open: () throws -> BundleEntryReader

    /// `open` returns a new reader positioned at the first entry each time it is called; the
    /// verifier calls it once, and a second time only when it must.
    package init(options: Options = Options(), open: @escaping () throws -> BundleEntryReader) {
        self.options = options
        self.open = open
    }

    /// Verifies the bag. Problems found inside a readable bag are in the result; only a bundle
    /// that cannot be read (or that changes while it is read) throws.
    package func verify(observer: PayloadObserver? = nil) throws -> BagVerification {
        var run = VerificationRun(options: options)
        // An archive is read on a thread of its own, ahead of the hashing on this one; a folder's
        // large files are hashed on threads of their own, several at once.
        let first = try open()
        try run.firstPass(first is FolderReader ? first : ReadAheadReader(first, segmentSize: run.buffer.count), observer: observer)
        try run.finishReading()
        run.namesKeptAsBytes = (first as? ArchiveBagReader)?.serialization?.container == .tar
        run.checkFilesAndFolders()
        var passes = 1
        let plan = run.secondPassPlan()
        if !plan.isEmpty {
            try run.secondPass(ReadAheadReader(try open(), segmentSize: run.buffer.count), plan: plan)
            passes = 2
        }
        return run.result(passes: passes)
    }
}

/// The state of one verification, from the first entry to the result.
struct VerificationRun {
    let options: BagVerifier.Options
    var inventory: BagInventory
    var bagInfo: BagInfo?
    var fetchItems: [FetchItem] = []
    /// The folder entries met (an archive's; a folder's reader gives its folders too), for
    /// `checkFilesAndFolders`.
    var folders: [[UInt8]] = []
    /// Whether the names read are the bytes the bag was written with: true for a tar. A folder's
    /// file system may change their normalization form, and libarchive reads a zip's UTF-8
    /// names in NFC.
    var namesKeptAsBytes = false
    var entryCount = 0
    /// Hashes a folder's large payload files on other threads, during the first pass.
    var pool: FileHashPool?
    private let storage: ReadBuffer
    var buffer: UnsafeMutableRawBufferPointer { storage.bytes }

    init(options: BagVerifier.Options) {
        self.options = options
        inventory = BagInventory(diagnostics: BagDiagnostics(limit: options.limits.issues), maxManifestEntries: options.limits.entries)
        storage = ReadBuffer(size: max(options.readSize, 4096))
    }

    // MARK: First pass

    mutating func firstPass(_ reader: BundleEntryReader, observer: PayloadObserver?) throws {
        if reader is FolderReader, FileHashPool.defaultWorkers > 1 {
            pool = FileHashPool(workers: FileHashPool.defaultWorkers)
        }
        defer {
            pool?.shutdown()
            pool = nil
        }
        while let entry = try reader.nextEntry() {
            entryCount += 1
            guard entryCount <= options.limits.entries else {
                throw BagLimitError(.entries, path: "", found: Int64(entryCount), limit: Int64(options.limits.entries))
            }
            guard let path = entryPath(entry.path, report: true) else { continue }
            switch entry.kind {
            case .directory:
                if path == BagPaths.data { inventory.sawDataDirectory = true }
                folders.append(path)
                continue
            case .symlink(let target):
                notRegular(path, "is a symbolic link (to \"\(BagPaths.display(target))\"); a bag holds only files and folders.")
                continue
            case .hardlink(let target):
                notRegular(path, "is a hard link (to \"\(BagPaths.display(target))\"); a bag holds only files and folders.")
                continue
            case .other(let word):
                notRegular(path, "is a \(word); a bag holds only files and folders.")
                continue
            case .file:
                break
            }
            if inventory.found[path] != nil {
                inventory.diagnostics.problem(.repeatedEntry, BagPaths.display(path), "appears more than once in the bundle; only the first was checked.")
                continue
            }
            if path.isPayloadPath {
                try readPayloadFile(entry, path: path, from: reader, observer: observer)
            } else {
                try readTagFile(entry, path: path, from: reader, observer: observer)
            }
        }
        try collectHashed(observer: observer, waiting: true)
    }

    /// The entry's path in canonical form, or nil for the root itself or a path that is unsafe
    /// (reported when `report`).
    mutating func entryPath(_ raw: [UInt8], report: Bool) -> [UInt8]? {
        var path = raw[...]
        while path.starts(with: [UInt8(ascii: "."), UInt8(ascii: "/")]) { path = path.dropFirst(2) }
        while path.last == UInt8(ascii: "/") { path = path.dropLast() }
        if path.isEmpty || path.elementsEqual([UInt8(ascii: ".")]) { return nil }
        let bytes = Array(path)
        if report {
            return BagPath.safeCanonical(bytes, file: BagPaths.display(bytes), line: nil, diagnostics: &inventory.diagnostics, allowHome: true)
        }
        var ignored = BagDiagnostics(limit: 0)
        return BagPath.safeCanonical(bytes, file: BagPaths.display(bytes), line: nil, diagnostics: &ignored, allowHome: true)
    }

    private mutating func notRegular(_ path: [UInt8], _ message: String) {
        inventory.diagnostics.problem(.notRegularFile, BagPaths.display(path), message)
        if inventory.found[path] == nil {
            inventory.found[path] = FoundFile(size: 0, digests: FileDigests(), state: .notRegular)
        }
    }

    /// Why a payload entry may not be read further: its words are made only when it is told.
    enum LimitReason {
        case promised(Int64), cap(Int64), declared(Int64)

        var text: String {
            switch self {
            case .promised(let octets): "bag-info.txt promises \(octets) bytes of payload in all (Payload-Oxum)"
            case .cap(let cap): "the payload exceeds the limit of \(cap) bytes"
            case .declared(let declared): "the bundle declares \(declared) bytes for this entry"
            }
        }
    }

    /// The most bytes the next payload entry may have, and why, from what the bag promised.
    private func payloadLimit(declared: Int64?) -> (bytes: Int64, reason: LimitReason)? {
        let limits = options.limits
        var smallest: (bytes: Int64, reason: LimitReason)?
        func consider(_ bytes: Int64, _ reason: LimitReason) {
            if smallest.map({ bytes < $0.bytes }) ?? true { smallest = (bytes, reason) }
        }
        if let oxum = inventory.oxumHint {
            consider(max(0, limits.allowance(over: oxum.octets) - inventory.payloadBytesRead), .promised(oxum.octets))
        }
        if let cap = limits.payloadBytes {
            consider(max(0, cap - inventory.payloadBytesRead), .cap(cap))
        }
        if let declared {
            consider(limits.allowance(over: declared), .declared(declared))
        }
        return smallest
    }

    private mutating func readPayloadFile(_ entry: BundleEntry, path: [UInt8], from reader: BundleEntryReader, observer: PayloadObserver?) throws {
        if let declared = entry.size, inventory.isSurelyUnlisted(path) {
            // A manifest already said what to expect and this is not in it: do not read it.
            inventory.found[path] = FoundFile(size: max(0, declared), digests: FileDigests(), state: .skipped)
            return
        }
        let seen = inventory.payloadAlgorithms
        var hasher = MultiHasher(seen.isEmpty ? Set(options.initialAlgorithms) : seen)
        let limit = payloadLimit(declared: entry.size)
        let relative = Array(path.dropFirst(BagPaths.dataPrefix.count))
        if let pool, let folder = reader as? FolderReader, let size = entry.size, size >= Self.parallelMinimum,
           observer.map({ ($0 as? PayloadDataFilter)?.needsData(path: relative) == false }) ?? true,
           let fd = folder.takeFile() {
            // Counted at its declared size until hashed, so that the limits hold meanwhile.
            inventory.found[path] = FoundFile(size: size, digests: FileDigests(), state: .read, modified: entry.modified)
            inventory.payloadBytesRead += size
            pool.submit(FileHashPool.Job(path: path, fd: fd, display: folder.currentDisplayPath, algorithms: Set(hasher.algorithms),
                                         limit: limit?.bytes, reason: limit?.reason.text, size: size, modified: entry.modified))
            try collectHashed(observer: observer, waiting: false)
            return
        }
        try observer?.beginPayloadFile(path: relative, size: entry.size, modified: entry.modified)
        let (total, cut) = try Self.stream(reader, into: buffer, limit: limit?.bytes) { chunk in
            hasher.update(chunk)
            try observer?.payloadData(chunk)
        }
        if cut, let limit {
            inventory.diagnostics.problem(.exceedsPromise, BagPaths.display(path), "reading stopped after \(total) bytes: \(limit.reason.text), and this file is far larger.")
        }
        try observer?.endPayloadFile(complete: !cut)
        inventory.payloadBytesRead += total
        inventory.found[path] = FoundFile(size: total, digests: cut ? FileDigests() : hasher.finalize(), state: cut ? .cut : .read, modified: entry.modified)
    }

    /// The largest tag file hashed with every algorithm in the first reading.
    static let everyAlgorithmUpTo: Int64 = 1 << 20
    /// What tag manifests use in practice (handover, bagit-python): a larger tag file gets these.
    static let usualTagAlgorithms: Set<ChecksumAlgorithm> = [.sha256, .sha512]

    /// The smallest file worth hashing on another thread.
    static let parallelMinimum: Int64 = 64 << 10

    /// Records the files the pool has hashed (all of them, when `waiting`), as `readPayloadFile`
    /// would have, and shows them to the observer.
    private mutating func collectHashed(observer: PayloadObserver?, waiting: Bool) throws {
        guard let pool else { return }
        for done in waiting ? pool.drain() : pool.completed() {
            if let error = done.error { throw error }
            let job = done.job
            inventory.payloadBytesRead += done.total - (job.size ?? 0)
            if done.cut, let reason = job.reason {
                inventory.diagnostics.problem(.exceedsPromise, BagPaths.display(job.path), "reading stopped after \(done.total) bytes: \(reason), and this file is far larger.")
            }
            try observer?.beginPayloadFile(path: Array(job.path.dropFirst(BagPaths.dataPrefix.count)), size: job.size, modified: job.modified)
            try observer?.endPayloadFile(complete: !done.cut)
            inventory.found[job.path] = FoundFile(size: done.total, digests: done.cut ? FileDigests() : done.digests, state: done.cut ? .cut : .read, modified: job.modified)
        }
    }

    /// Reads the current entry in chunks, passing each to `body`, and stops before the bytes
    /// read would exceed `limit`. Returns the bytes passed on and whether it stopped early.
    static func stream(_ reader: BundleEntryReader, into buffer: UnsafeMutableRawBufferPointer, limit: Int64?, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> (total: Int64, cut: Bool) {
        var total: Int64 = 0
        // Read ahead, the bytes are already in memory: take them where they are, without a copy.
        let ahead = reader as? ReadAheadReader
        while true {
            let chunk: UnsafeRawBufferPointer
            if let ahead {
                guard let next = try ahead.nextChunk(limit: buffer.count) else { return (total, false) }
                chunk = next
            } else {
                let count = try reader.readData(into: buffer)
                if count <= 0 { return (total, false) }
                chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            }
            if let limit, total + Int64(chunk.count) > limit { return (total, true) }
            total += Int64(chunk.count)
            try body(chunk)
        }
    }

    private mutating func readTagFile(_ entry: BundleEntry, path: [UInt8], from reader: BundleEntryReader, observer: PayloadObserver?) throws {
        let keep = BagPaths.isKept(path)
        let manifestName = BagManifestName(fileName: path).flatMap { $0.kind == .payload ? $0 : nil }
        var sink: ManifestSink?
        if let manifestName {
            sink = ManifestSink(name: manifestName, inventory: &inventory, lineBytes: options.limits.lineBytes, bufferLimit: options.limits.keptTagFileBytes)
        }
        var bytes: [UInt8]? = keep ? [] : nil
        let limit = keep ? Int64(options.limits.keptTagFileBytes) : options.limits.otherTagFileBytes
        // Tag files are small: hashing them with every algorithm spares a second reading
        // whatever the tag manifests turn out to use. A large one (the payload manifest of a
        // million files, 100 MB) gets the algorithms tag manifests use in practice and those of
        // the payload manifests; another one a tag manifest asks for is made by a second reading.
        let small = entry.size.map { $0 <= Self.everyAlgorithmUpTo } ?? true
        var hasher = MultiHasher(small ? Set(ChecksumAlgorithm.allCases) : Self.usualTagAlgorithms.union(inventory.payloadAlgorithms))
        let (total, cut) = try Self.stream(reader, into: buffer, limit: limit) { chunk in
            hasher.update(chunk)
            bytes?.append(contentsOf: chunk)
            try sink?.feed(chunk, inventory: &inventory)
        }
        if cut {
            inventory.diagnostics.problem(.tagFileTooLarge, BagPaths.display(path), "tag file too large: it is over \(limit) bytes, the most handover reads for such a file.")
        }
        if !cut {
            try sink?.finish(inventory: &inventory)
        } else if let manifestName {
            inventory.manifests[manifestName]?.deferred = false
        }
        inventory.found[path] = FoundFile(size: total, digests: cut ? FileDigests() : hasher.finalize(), state: cut ? .cut : .read)
        guard let bytes, !cut else { return }
        inventory.kept[path] = bytes
        if path == BagPaths.declaration {
            try inventory.declarationRead(bytes)
        } else if path == BagPaths.bagInfo {
            // Read early only for Payload-Oxum, to bound the payload; reported at the end.
            var scratch = BagDiagnostics(limit: 0)
            let encoding = inventory.declaration?.encoding ?? TagFileEncoding.sniff(bytes)
            inventory.oxumHint = BagInfo.parse(bytes, encoding: encoding, diagnostics: &scratch).payloadOxum
            if let oxum = inventory.oxumHint { observer?.payloadPromised(oxum.octets) }
        }
    }
}

/// The one buffer a verification reads into, freed with it.
final class ReadBuffer {
    let bytes: UnsafeMutableRawBufferPointer

    init(size: Int) {
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    }

    deinit { bytes.deallocate() }
}
