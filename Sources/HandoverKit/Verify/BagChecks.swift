extension VerificationRun {
    /// Runs the checks that need the whole bag, and gathers the result.
    func result(passes: Int) -> BagVerification {
        var diagnostics = inventory.diagnostics
        checkStructure(&diagnostics)
        let payloadTables = inventory.manifests.values.filter { $0.name.kind == .payload }.sorted { $0.name < $1.name }
        let tagTables = inventory.manifests.values.filter { $0.name.kind == .tag }.sorted { $0.name < $1.name }
        let fetched = Set(fetchItems.map(\.path))
        // The payload's entries in byte order, 4 bytes each: the checks and the result walk it.
        let payloadOrder = PayloadFiles.order(of: inventory.found)
        checkPayload(payloadTables, order: payloadOrder, &diagnostics)
        let holey = checkListedPresent(payloadTables, fetched: fetched, &diagnostics)
        checkTagManifests(tagTables, payloadTables: payloadTables, &diagnostics)
        checkPayloadOxum(&diagnostics)
        checkFetch(payloadTables, &diagnostics)
        checkNames(payloadOrder, &diagnostics)
        checkNormalizationTwins(&diagnostics)

        let tagFiles = inventory.kept.map { TagFile(path: $0.key, bytes: $0.value) }
            .sorted { $0.path.bytewisePrecedes($1.path) }
        let issues = diagnostics.all.sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
        let tagOrder = inventory.found.sortedIndices { id, file in
            file.isRegular && !inventory.found.withPath(at: id) { $0.starts(with: BagPaths.dataPrefix) }
        }
        var tagEntriesRead: [[UInt8]: (size: Int64, sha256: String?)] = [:]
        for id in tagOrder.map(Int.init) where inventory.found.value(at: id).state == .read {
            let file = inventory.found.value(at: id)
            tagEntriesRead[inventory.found.path(at: id)] = (file.size, file.digests.sha256)
        }
        var result = BagVerification(
            problems: issues.filter { $0.severity == .problem },
            warnings: issues.filter { $0.severity == .warning },
            declaration: inventory.declaration,
            bagInfo: bagInfo,
            payload: PayloadFiles(inventory.found, order: payloadOrder),
            payloadAlgorithms: Set(payloadTables.compactMap(\.name.algorithm)).sorted(),
            tagAlgorithms: Set(tagTables.compactMap(\.name.algorithm)).sorted(),
            fetchItems: fetchItems,
            isHoley: holey,
            tagFiles: tagFiles,
            tagEntries: tagOrder.map { inventory.found.path(at: Int($0)) },
            tagEntriesRead: tagEntriesRead,
            tagManifestListings: Dictionary(uniqueKeysWithValues: tagTables.map { ($0.name.fileName, Set($0.entries.keys)) }),
            passes: passes)
        for item in fetchItems where inventory.found[item.path] == nil {
            var digests = FileDigests()
            for table in payloadTables {
                if let algorithm = table.name.algorithm, let listed = table.entries[item.path] { digests[algorithm] = listed.checksum.text }
            }
            result.fetchDigests[item.path] = digests
        }
        return result
    }

    /// bagit.txt, data/ and at least one payload manifest handover can check (§2.1).
    private func checkStructure(_ diagnostics: inout BagDiagnostics) {
        if !inventory.sawDeclaration {
            diagnostics.problem(.missingDeclaration, BagDeclaration.fileName, "bagit.txt is missing; every bag must declare its version and encoding in it.")
        }
        var hasPayload = false
        inventory.found.forEachEntry { _, path, _ in hasPayload = hasPayload || path.starts(with: BagPaths.dataPrefix) }
        if !inventory.sawDataDirectory && !hasPayload {
            diagnostics.problem(.missingPayloadDirectory, "data", "the payload folder data/ is missing.")
        }
        let payloadNames = inventory.manifests.keys.filter { $0.kind == .payload }.sorted()
        for name in inventory.manifests.keys.sorted() where name.algorithm == nil {
            diagnostics.warning(.unsupportedAlgorithm, name.fileName, "cannot check algorithm \(name.algorithmName): handover does not compute it, so the checksums of this manifest were not checked.")
        }
        let checkable = payloadNames.compactMap(\.algorithm)
        if payloadNames.isEmpty {
            diagnostics.problem(.noPayloadManifest, "manifest-<algorithm>.txt", "the bag has no payload manifest (manifest-<algorithm>.txt).")
        } else if checkable.isEmpty {
            diagnostics.problem(.noPayloadManifest, payloadNames[0].fileName, "the bag has no payload manifest of an algorithm handover can check (\(ChecksumAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))); nothing in the payload could be checked.")
        } else if checkable.allSatisfy(\.isWeak) {
            diagnostics.warning(.weakAlgorithmsOnly, payloadNames[0].fileName, "the payload manifests use only \(checkable.map(\.rawValue).joined(separator: " and ")), too weak to protect against tampering; RFC 8493 recommends sha512 or sha256.")
        }
    }

    /// Every payload file present is listed in every payload manifest, with the right checksum.
    private func checkPayload(_ tables: [ManifestTable], order: [Int32], _ diagnostics: inout BagDiagnostics) {
        guard !tables.isEmpty else { return }
        let lenient = (inventory.declaration?.version ?? .current) < BagItVersion(1, 0)
        for id in order.map(Int.init) {
            let path = inventory.found.path(at: id), file = inventory.found.value(at: id)
            var shown: String { BagPaths.display(path) }
            let listing = tables.filter { $0.entries[path] != nil }
            if listing.isEmpty {
                diagnostics.problem(.unlistedFile, shown, "is in the payload but not listed in \(names(tables)).")
                continue
            }
            if listing.count < tables.count {
                // Before BagIt 1.0 a file could be listed in one manifest only.
                let missing = tables.filter { $0.entries[path] == nil }
                let message = "is not listed in \(names(missing)) (it is in \(names(listing)))."
                if lenient { diagnostics.warning(.unlistedFile, shown, message) } else { diagnostics.problem(.unlistedFile, shown, message) }
            }
            guard file.state != .cut else { continue }
            for table in listing {
                guard let algorithm = table.name.algorithm, let expected = table.entries[path]?.checksum else { continue }
                guard let matches = file.digests.matches(algorithm, expected) else {
                    diagnostics.problem(.notChecked, shown, notChecked(algorithm, table))
                    continue
                }
                if !matches, let actual = file.digests[algorithm] {
                    diagnostics.problem(.checksumMismatch, shown, "its \(algorithm.rawValue) checksum is \(actual), but \(table.name.fileName) says \(expected.text): the file was changed or damaged.")
                }
            }
        }
    }

    private func notChecked(_ algorithm: ChecksumAlgorithm, _ table: ManifestTable) -> String {
        "could not be checked: its \(algorithm.rawValue) checksum was never computed, so whether it matches \(table.name.fileName) is not known. This is a fault of handover; please report it."
    }

    /// Every payload file listed is present; one that fetch.txt is to bring makes the bag holey,
    /// which is incomplete too. Returns whether the bag is holey.
    private func checkListedPresent(_ tables: [ManifestTable], fetched: Set<[UInt8]>, _ diagnostics: inout BagDiagnostics) -> Bool {
        // Each absent path once, under the first manifest that lists it.
        var absent: [(path: [UInt8], table: Int)] = []
        for (index, table) in tables.enumerated() {
            table.entries.forEachEntry { _, path, _ in
                guard inventory.found.value(for: path) == nil,
                      !tables[..<index].contains(where: { $0.entries.value(for: path) != nil }) else { return }
                absent.append((Array(path), index))
            }
        }
        var toFetch = 0
        // Sorted only when some will be left out, so that the ones kept do not depend on chance.
        if absent.count > diagnostics.limit { absent.sort { $0.path.bytewisePrecedes($1.path) } }
        for (path, index) in absent {
            if fetched.contains(path) {
                toFetch += 1
                continue
            }
            guard !diagnostics.isFull else {
                diagnostics.omit(.problem)
                continue
            }
            let listing = tables[index...].filter { $0.entries[path] != nil }
            diagnostics.problem(.missingFile, BagPaths.display(path), "is listed in \(names(listing)) but is not in the bag.")
        }
        if toFetch > 0 {
            // RFC 8493 §3: a bag is complete, hence valid, only when every file is present.
            let files = toFetch == 1 ? "1 payload file is" : "\(toFetch) payload files are"
            diagnostics.problem(.holeyBag, FetchFile.fileName, "the bag is incomplete: \(files) only referenced by fetch.txt, not in the bag, so their content was not checked here; verify --fetch reads them where they are and checks them.")
        }
        return toFetch > 0
    }

    /// Every file a tag manifest lists is present and matches (§2.2.1, §3).
    private func checkTagManifests(_ tables: [ManifestTable], payloadTables: [ManifestTable], _ diagnostics: inout BagDiagnostics) {
        for table in tables {
            for (path, listed) in table.entries.sorted(by: { $0.key.bytewisePrecedes($1.key) }) {
                let shown = BagPaths.display(path)
                if BagManifestName(fileName: path)?.kind == .tag {
                    diagnostics.warning(.tagManifestListsTagManifest, table.name.fileName, line: listed.line, "lists the tag manifest \(shown), which RFC 8493 says it must not.")
                }
                guard let file = inventory.found[path] else {
                    diagnostics.problem(.missingFile, shown, "is listed in \(table.name.fileName) but is not in the bag.")
                    continue
                }
                guard file.state == .read, let algorithm = table.name.algorithm else { continue }
                guard let matches = file.digests.matches(algorithm, listed.checksum) else {
                    diagnostics.problem(.notChecked, shown, notChecked(algorithm, table))
                    continue
                }
                if !matches, let actual = file.digests[algorithm] {
                    diagnostics.problem(.checksumMismatch, shown, "its \(algorithm.rawValue) checksum is \(actual), but \(table.name.fileName) says \(listed.checksum.text): the file was changed or damaged.")
                }
            }
            for payload in payloadTables where table.entries[Array(payload.name.fileName.utf8)] == nil && inventory.found[Array(payload.name.fileName.utf8)] != nil {
                diagnostics.warning(.tagManifestOmitsManifest, table.name.fileName, "does not list \(payload.name.fileName), as RFC 8493 says every tag manifest must.")
            }
        }
    }

    /// The payload's size and file count against Payload-Oxum (§2.2.2).
    private func checkPayloadOxum(_ diagnostics: inout BagDiagnostics) {
        guard let bagInfo, let oxum = bagInfo.payloadOxum else { return }
        var octets: Int64 = 0, count: Int64 = 0
        inventory.found.forEachEntry { _, path, file in
            guard file.isRegular, path.starts(with: BagPaths.dataPrefix) else { return }
            octets &+= file.size
            count += 1
        }
        if oxum.octets == octets && oxum.streamCount == count { return }
        // A holey bag's Payload-Oxum may count the files still to fetch.
        var counted = Set<[UInt8]>()
        let pending = fetchItems.filter { inventory.found[$0.path] == nil && counted.insert($0.path).inserted }
        if !pending.isEmpty, oxum.streamCount == count + Int64(pending.count) {
            let withFetched = octets &+ pending.reduce(Int64(0)) { $0 &+ ($1.length ?? 0) }
            // A `-` length (RFC 8493 allows it) leaves the bytes unknown: at least the known ones.
            let unknown = pending.contains { $0.length == nil }
            if oxum.octets == withFetched || (unknown && oxum.octets >= withFetched) { return }
        }
        let file = inventory.declaration?.version.metadataFileName ?? BagInfo.fileName
        diagnostics.problem(.payloadOxumMismatch, file, "Payload-Oxum says \(oxum.octets) bytes in \(oxum.streamCount) files, but the payload has \(octets) bytes in \(count) files.")
    }

    /// Every file of fetch.txt is in every payload manifest, and its length is right if present.
    private func checkFetch(_ tables: [ManifestTable], _ diagnostics: inout BagDiagnostics) {
        var firstLine: [[UInt8]: Int] = [:]
        for item in fetchItems {
            // One path, two URLs: only the first would be fetched, the other never looked at.
            if let first = firstLine[item.path] {
                diagnostics.problem(.repeatedFetchPath, FetchFile.fileName, line: item.line, "\(item.displayPath) is listed again (first at line \(first)); a path is filled by one URL only.")
                continue
            }
            firstLine[item.path] = item.line
            let missing = tables.filter { $0.entries[item.path] == nil }
            if !missing.isEmpty {
                diagnostics.problem(.fetchNotInManifest, FetchFile.fileName, line: item.line, "\(item.displayPath) is to be fetched but is not listed in \(names(missing)).")
            }
            if let length = item.length, let file = inventory.found[item.path], file.isRegular, file.size != length {
                diagnostics.warning(.fetchLengthMismatch, FetchFile.fileName, line: item.line, "\(item.displayPath) is announced as \(length) bytes but has \(file.size).")
            }
        }
    }

    /// System files and names that collide on other systems (§7.2).
    private func checkNames(_ order: [Int32], _ diagnostics: inout BagDiagnostics) {
        for id in order.map(Int.init) {
            let base = inventory.found.withPath(at: id) { path -> String? in
                let start = (path.lastIndex(of: UInt8(ascii: "/")) ?? -1) + 1
                let name = UnsafeBufferPointer(rebasing: path[start...])
                return Self.isSystemFileName(name) ? String(decoding: name, as: UTF8.self) : nil
            }
            if let base {
                diagnostics.warning(.systemFile, BagPaths.display(inventory.found.path(at: id)), "is a file the operating system leaves behind (\(base)), probably not meant to be handed over.")
            }
        }
        collisionWarnings(order, diagnostics: &diagnostics)
    }

    /// .DS_Store, Thumbs.db, desktop.ini (in any case) and AppleDouble `._` files, by their bytes.
    private static func isSystemFileName(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        if name.starts(with: [UInt8(ascii: "."), UInt8(ascii: "_")]) { return true }
        guard name.count == 9 || name.count == 11 else { return false }
        let lower = name.map(ScanText.lower)
        return lower.elementsEqual(".ds_store".utf8) || lower.elementsEqual("thumbs.db".utf8) || lower.elementsEqual("desktop.ini".utf8)
    }

    /// Two lines for one name in two normalization forms are one line too many, unless the bag
    /// holds both names as files of their own (then §7.2.2's collision warning says it).
    private func checkNormalizationTwins(_ diagnostics: inout BagDiagnostics) {
        for twin in inventory.normalizationTwins where inventory.found[twin.path] == nil || inventory.found[twin.firstPath] == nil {
            diagnostics.problem(.repeatedManifestEntry, twin.manifest, line: twin.line, "\"\(BagPaths.display(twin.path))\" is listed twice (first on line \(twin.firstLine), in another Unicode normalization form); a manifest lists each file once.")
        }
    }

    private func names(_ tables: [ManifestTable]) -> String {
        tables.map(\.name.fileName).joined(separator: ", ")
    }
}
