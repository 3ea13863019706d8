/// What a second reading of the bundle must do.
struct SecondPassPlan {
    /// Payload files and the digests they still need.
    var rehash: [[UInt8]: Set<ChecksumAlgorithm>] = [:]
    /// Manifests to parse, in the declared encoding.
    var reparse: [BagManifestName: TagFileEncoding] = [:]

    var isEmpty: Bool { rehash.isEmpty && reparse.isEmpty }
}

extension VerificationRun {
    /// The end of the first reading: the tag files kept whole are parsed, now that bagit.txt's
    /// encoding is known (or known to be missing).
    mutating func finishReading() throws {
        for (name, bytes) in inventory.pendingManifests.sorted(by: { $0.key < $1.key }) {
            try inventory.parseWhole(bytes, name: name, encoding: inventory.encoding)
        }
        inventory.pendingManifests = [:]
        let encoding = inventory.encoding
        let version = inventory.declaration?.version ?? .current
        let metadata = version.metadataFileName
        if let bytes = inventory.kept[Array(metadata.utf8)] {
            bagInfo = BagInfo.parse(bytes, encoding: encoding, version: version, file: metadata, diagnostics: &inventory.diagnostics)
        }
        if let bytes = inventory.kept[BagPaths.fetch] {
            fetchItems = FetchFile.parse(bytes, encoding: encoding, diagnostics: &inventory.diagnostics)
        }
        let tagManifests = inventory.kept.compactMap { path, bytes in BagManifestName(fileName: path).flatMap { $0.kind == .tag ? ($0, bytes) : nil } }
        for (name, bytes) in tagManifests.sorted(by: { $0.0 < $1.0 }) {
            try inventory.parseWhole(bytes, name: name, encoding: encoding)
        }
    }

    /// Decides whether a second reading is needed, and for what.
    mutating func secondPassPlan() -> SecondPassPlan {
        var plan = SecondPassPlan()
        for table in inventory.manifests.values where table.deferred {
            plan.reparse[table.name] = inventory.encoding
        }
        // A large tag file was hashed with the usual algorithms only (readTagFile).
        for table in inventory.manifests.values where table.name.kind == .tag {
            guard let algorithm = table.name.algorithm else { continue }
            table.entries.forEachEntry { _, path, _ in
                guard let file = inventory.found.value(for: path), file.state == .read, !file.digests.has(algorithm) else { return }
                plan.rehash[Array(path), default: []].insert(algorithm)
            }
        }
        let algorithms = inventory.payloadAlgorithms
        if plan.reparse.isEmpty {
            reconcileNames()
            for table in inventory.manifests.values where table.name.kind == .payload {
                guard let algorithm = table.name.algorithm else { continue }
                // Walked in place: a million paths are not copied out to look at each once.
                table.entries.forEachEntry { _, path, _ in
                    guard let file = inventory.found.value(for: path), file.state == .read || file.state == .skipped,
                          !file.digests.has(algorithm) else { return }
                    plan.rehash[Array(path), default: []].insert(algorithm)
                }
            }
        } else {
            // Which files the deferred manifests list is not known yet: complete every digest.
            for (path, file) in inventory.found where path.isPayloadPath && (file.state == .read || file.state == .skipped) {
                let missing = algorithms.subtracting(file.digests.algorithms)
                if !missing.isEmpty { plan.rehash[path] = missing }
            }
        }
        return plan
    }

    /// Reads the bundle again for the digests and manifests the first reading could not give.
    mutating func secondPass(_ reader: BundleEntryReader, plan: SecondPassPlan) throws {
        var done = Set<[UInt8]>()
        var reparsed = Set<BagManifestName>()
        while let entry = try reader.nextEntry() {
            guard case .file = entry.kind, let path = entryPath(entry.path, report: false), !done.contains(path) else { continue }
            if let algorithms = plan.rehash[path] {
                done.insert(path)
                try rehash(path, algorithms: algorithms, from: reader)
            } else if let name = BagManifestName(fileName: path), let encoding = plan.reparse[name], !reparsed.contains(name) {
                reparsed.insert(name)
                try reparse(name, encoding: encoding, from: reader)
            }
        }
        if let missing = plan.rehash.keys.first(where: { !done.contains($0) }) {
            throw BagError.changedDuringVerification(path: BagPaths.display(missing))
        }
        if !plan.reparse.isEmpty { reconcileNames() }
    }

    private mutating func rehash(_ path: [UInt8], algorithms: Set<ChecksumAlgorithm>, from reader: BundleEntryReader) throws {
        guard var file = inventory.found[path] else { return }
        let changed = BagError.changedDuringVerification(path: BagPaths.display(path))
        // A file read in full before must have the same size; one skipped has only a declared size.
        let limit = file.state == .read ? file.size : options.limits.allowance(over: file.size)
        var hasher = MultiHasher(algorithms)
        let (total, cut) = try Self.stream(reader, into: buffer, limit: limit) { hasher.update($0) }
        if cut {
            guard file.state == .skipped else { throw changed }
            inventory.diagnostics.problem(.exceedsPromise, BagPaths.display(path), "reading stopped after \(total) bytes: the bundle declares \(file.size) bytes for this entry, and it is far larger.")
            file.state = .cut
            inventory.found[path] = file
            return
        }
        if file.state == .read && total != file.size { throw changed }
        file.size = total
        file.state = .read
        file.digests.merge(hasher.finalize())
        inventory.found[path] = file
    }

    private mutating func reparse(_ name: BagManifestName, encoding: TagFileEncoding, from reader: BundleEntryReader) throws {
        inventory.resetTable(name)
        var parser = BagManifestParser(name: name, encoding: encoding, maxLineBytes: options.limits.lineBytes)
        var entries: [BagManifestEntry] = []
        _ = try Self.stream(reader, into: buffer, limit: nil) { chunk in
            parser.feed(chunk, diagnostics: &inventory.diagnostics) { entries.append($0) }
            for entry in entries { try inventory.add(entry, to: name) }
            entries.removeAll(keepingCapacity: true)
        }
        parser.finish(diagnostics: &inventory.diagnostics) { entries.append($0) }
        for entry in entries { try inventory.add(entry, to: name) }
        inventory.manifests[name]?.complete = true
    }
}
