import Glibc

/// The second reading of the bundle: every file entry is copied into the staging folder and
/// checked against the verification, and the folders to create are gathered.
struct ExtractionRun {
    let destination: ExtractDestination
    let contents: VerifiedContents
    /// Confidential `.age` files by bag path, with their plaintext's bag path.
    let confidential: [[UInt8]: [UInt8]]
    let identities: [AgeIdentity]

    /// Staged files by their path in the destination (canonical, joined with `/`).
    private(set) var files: [(path: [UInt8], staged: Int)] = []
    /// Folders of the payload named by the bundle (`data` always), joined with `/`.
    private(set) var folders: [[UInt8]] = [BagPaths.data]
    private(set) var bytes: Int64 = 0
    /// Decrypted files by the bag path of their ciphertext: plaintext path, size, facts, time.
    private(set) var decrypted: [[UInt8]: (path: [UInt8], size: Int64, facts: FileFacts?, modified: Int64?)] = [:]
    /// The verified files met, a bit per file (`VerifiedContents.number(of:)`).
    private var seen: [UInt64]
    private var seenCount = 0
    /// The paths decrypted files are written at (the others are written at their own path).
    private var plaintextTargets = Set<[UInt8]>()

    init(destination: ExtractDestination, contents: VerifiedContents, confidential: [[UInt8]: [UInt8]], identities: [AgeIdentity]) {
        self.destination = destination
        self.contents = contents
        self.confidential = confidential
        self.identities = identities
        seen = Array(repeating: 0, count: (contents.numbers + 63) / 64)
    }

    private func wasSeen(_ number: Int) -> Bool { number >= 0 && seen[number / 64] & (1 << UInt64(number % 64)) != 0 }

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
        if seenCount < contents.count, let missing = contents.first(notIn: wasSeen) {
            throw ExtractError.changedSinceVerification(path: BagPaths.display(missing), reason: "is missing from the second reading")
        }
        try checkFileFolderClash()
    }

    private mutating func copy(_ entry: BundleEntry, path: [UInt8], from reader: BundleEntryReader, copier: EntryCopier) throws {
        let shown = BagPaths.display(path)
        guard let expected = contents[path], let number = contents.number(of: path) else {
            throw ExtractError.changedSinceVerification(path: shown, reason: "was not in the bundle when it was verified")
        }
        guard !wasSeen(number) else {
            throw ExtractError.changedSinceVerification(path: shown, reason: "appears twice in the bundle")
        }
        seen[number / 64] |= 1 << UInt64(number % 64)
        seenCount += 1
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
        files.append((target, staged.id))
    }

    /// Names a file system cannot hold are refused before anything is written.
    private func checkNames(_ parts: [[UInt8]], shown: String) throws {
        if let long = parts.first(where: { $0.count > BagLimits.current.nameBytes }) {
            throw ExtractError.unsafeEntry(path: shown, reason: "has a name of \(long.count) bytes; file systems hold at most \(BagLimits.current.nameBytes)")
        }
    }

    /// A path written as a file and also holding other entries would need to be both. In the
    /// order of components, whatever lies below a path comes right after it.
    private func checkFileFolderClash() throws {
        var paths: [(path: [UInt8], isFile: Bool)] = files.map { ($0.path, true) } + folders.map { ($0, false) }
        paths.sort { ExtractDestination.componentOrder($0.path, $1.path) }
        for (current, next) in zip(paths, paths.dropFirst()) {
            let same = next.path == current.path
            let inside = !same && next.path.count > current.path.count && next.path.starts(with: current.path)
                && next.path[current.path.count] == UInt8(ascii: "/")
            if (inside && current.isFile) || (same && current.isFile != next.isFile) {
                throw ExtractError.unsafeEntry(path: String(decoding: current.path, as: UTF8.self), reason: "is both a file and a folder in the bundle")
            }
        }
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
