import Glibc

/// The second reading of the bundle: every file entry is copied into the staging folder and
/// checked against the verification, and the folders to create are gathered.
struct ExtractionRun {
    let destination: ExtractDestination
    let contents: VerifiedContents
    /// Confidential `.age` files by bag path, with their plaintext's bag path.
    let confidential: [[UInt8]: [UInt8]]
    let identities: [AgeIdentity]

    /// Staged files with their path in the destination (canonical, joined with `/`).
    private(set) var files: StagedFiles
    /// Folders of the payload named by the bundle (`data` always), joined with `/`.
    private(set) var folders: [[UInt8]] = [BagPaths.data]
    private(set) var bytes: Int64 = 0
    /// Decrypted files by the bag path of their ciphertext: plaintext path, size, facts, time.
    private(set) var decrypted: [[UInt8]: (path: [UInt8], size: Int64, facts: FileFacts?, modified: Int64?)] = [:]
    /// The verified files met, by `VerifiedContents.number(of:)`.
    private var seen: BitSet
    /// The paths decrypted files are written at (the others are written at their own path).
    private var plaintextTargets = Set<[UInt8]>()

    init(destination: ExtractDestination, contents: VerifiedContents, confidential: [[UInt8]: [UInt8]], identities: [AgeIdentity]) {
        self.destination = destination
        self.contents = contents
        self.confidential = confidential
        self.identities = identities
        seen = BitSet(capacity: contents.numbers)
        files = StagedFiles(contents: contents)
    }

    mutating func read(_ reader: BundleEntryReader) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        let copier = EntryCopier(buffer: buffer)
        while let entry = try reader.nextEntry() {
            let shown = entry.displayPath
            guard let path = ExtractPaths.canonical(entry.path) else {
                throw ExtractError.changedSinceVerification(path: shown, reason: "is not a path inside the bag")
            }
            switch entry.kind {
            case .file:
                try copy(entry, path: path, from: reader, copier: copier)
            case .directory:
                if path == BagPaths.data || path.isPayloadPath, let parts = ExtractPaths.components(path) {
                    try checkNames(parts, shown: shown)
                    folders.append(path)
                }
            case .symlink, .hardlink, .other:
                throw ExtractError.changedSinceVerification(path: shown, reason: "is not a regular file or folder, and was not in the bundle verified")
            }
        }
        // Every path seen was verified (copy refuses others), so a smaller count means one is missing.
        if seen.count < contents.count, let missing = contents.first(notIn: seen.contains) {
            throw ExtractError.changedSinceVerification(path: BagPaths.display(missing), reason: "is missing from the second reading")
        }
        try checkFileFolderClash()
    }

    private mutating func copy(_ entry: BundleEntry, path: [UInt8], from reader: BundleEntryReader, copier: EntryCopier) throws {
        let shown = BagPaths.display(path)
        guard let expected = contents[path], let number = contents.number(of: path) else {
            throw ExtractError.changedSinceVerification(path: shown, reason: "was not in the bundle when it was verified")
        }
        guard seen.insert(number) else {
            throw ExtractError.changedSinceVerification(path: shown, reason: "appears twice in the bundle")
        }
        let plaintext = identities.isEmpty ? nil : confidential[path]
        let target = plaintext ?? path
        // Every other file is written at its own path: a decrypted one must not land on one of
        // those, nor on another decrypted one's.
        let clashes = plaintext.map { !plaintextTargets.insert($0).inserted || (contents[$0] != nil && confidential[$0] == nil) } ?? false
        guard !clashes, let parts = ExtractPaths.components(target) else {
            throw ExtractError.unsafeEntry(path: BagPaths.display(target), reason: "would be written twice (a file and the decrypted form of another)")
        }
        try checkNames(parts, shown: BagPaths.display(target))
        let decryption = plaintext.map { _ in
            EntryCopier.Decryption(identities: identities, plaintextName: String(decoding: parts.last ?? [], as: UTF8.self))
        }
        let staged = try destination.createStaged(mode: plaintext == nil ? 0o644 : 0o600)
        let copied: EntryCopier.Copied
        do {
            copied = try copier.copy(from: reader, expected: expected, to: staged.fd, shown: shown, decryption: decryption)
        } catch {
            close(staged.fd)
            destination.discardStaged(staged.id)
            throw error
        }
        do {
            // finish closes the descriptor even when it throws (close releases it whatever it
            // returns): closing it again here could close another file opened meanwhile.
            try EntryCopier.finish(staged.fd, modified: entry.modified, shown: shown)
        } catch {
            destination.discardStaged(staged.id)
            throw error
        }
        bytes += copied.bytes
        if let plaintext {
            decrypted[path] = (plaintext, copied.bytes, copied.facts, entry.modified)
        }
        if let plaintext {
            files.append(path: plaintext, staged: staged.id)
        } else {
            files.append(verified: number, staged: staged.id)
        }
    }

    /// Names a file system cannot hold are refused before anything is written.
    private func checkNames(_ parts: [[UInt8]], shown: String) throws {
        if let long = parts.first(where: { $0.count > BagLimits.current.nameBytes }) {
            throw ExtractError.unsafeEntry(path: shown, reason: "has a name of \(long.count) bytes; file systems hold at most \(BagLimits.current.nameBytes)")
        }
    }

    /// A path written as a file and also holding other entries would need to be both. In the
    /// order of components, whatever lies below a path comes right after it. A folder entry
    /// with nothing below it is covered by no manifest: it is not created (verify says so).
    private mutating func checkFileFolderClash() throws {
        // Files are numbered first, then folders: 4 bytes each, the paths are not copied.
        func withPath<Result>(_ number: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
            Int(number) < files.count ? files.withPath(Int(number), body) : folders[Int(number) - files.count].withUnsafeBufferPointer(body)
        }
        var order = Array(0..<Int32(files.count + folders.count))
        order.sort { a, b in withPath(a) { first in withPath(b) { ExtractDestination.componentOrder(first, $0) } } }
        var holding = BitSet(capacity: folders.count)
        for (current, next) in zip(order, order.dropFirst()) {
            let currentIsFile = Int(current) < files.count, nextIsFile = Int(next) < files.count
            let (same, inside) = withPath(current) { here in
                withPath(next) { after in
                    let same = after.elementsEqual(here)
                    return (same, !same && after.count > here.count && after.starts(with: here) && after[here.count] == UInt8(ascii: "/"))
                }
            }
            if (inside && currentIsFile) || (same && currentIsFile != nextIsFile) {
                throw ExtractError.unsafeEntry(path: withPath(current) { VisibleText.name(bytes: Array($0)) }, reason: "is both a file and a folder in the bundle")
            }
            if inside && !currentIsFile { _ = holding.insert(Int(current) - files.count) }
        }
        folders = folders.indices.filter { folders[$0] == BagPaths.data || holding.contains($0) }.map { folders[$0] }
    }

    /// The rules of confidential deliverables, judged on their decrypted files (which the
    /// verification could not read): one line per problem, empty when all hold.
    func plaintextProblems(manifest: Manifest, payload: PayloadFiles, now: Timestamp) -> [String] {
        var facts: [[UInt8]: FileFacts] = [:]
        let files = payload.map { file -> SourceFile in
            if let plain = decrypted[file.bagPath] {
                let relative = Array(plain.path.dropFirst(BagPaths.dataPrefix.count))
                if let found = plain.facts { facts[relative] = found }
                return SourceFile(bagPath: relative, size: plain.size, modified: plain.modified ?? now.seconds)
            }
            return SourceFile(bagPath: file.path, size: file.size, modified: now.seconds)
        }.sorted { $0.path.lexicographicallyPrecedes($1.path) }
        let selection = Selection(manifest: manifest, files: files)
        let report = DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts,
                                              options: CheckOptions(now: now, allowSecrets: true))
        return report.results.filter { $0.deliverable.confidential && $0.failsCheck }.flatMap { result in
            result.problems.map { "\(result.deliverable.id): \($0.description)" }
        }
    }
}
