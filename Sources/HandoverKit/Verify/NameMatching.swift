extension VerificationRun {
    /// Matches the manifest lines whose path names no file found to a found file that no line of
    /// that manifest names, in the two ways real bags need, each with a warning:
    ///
    /// - the path as written, before percent-decoding: bagit-python writes `%` unencoded, so its
    ///   `data/50%25.txt` names a file called `50%25.txt`;
    /// - the same name in another Unicode normalization form (RFC 8493 §7.2.2 asks verifiers to
    ///   tolerate it: macOS file systems change it).
    ///
    /// Not in a bag that handover wrote (bag-info.txt's Bag-Software-Agent says so, and a
    /// signature covers it): handover encodes `%` and keeps names byte for byte, so there such a
    /// match would only let a renamed entry pass; it is a problem. Normalization forms are
    /// still matched where the names may have changed on the way (a folder, a zip): only a
    /// tar keeps them as written.
    mutating func reconcileNames() {
        let strict = bagInfo?.value("Bag-Software-Agent")?.hasPrefix(HandoverVersion.name + " ") == true
        var byText: [String: [[UInt8]]]?
        for name in inventory.manifests.keys.sorted() {
            guard var table = inventory.manifests[name] else { continue }
            // Only a line with a `%` escape or a name outside ASCII can match another way.
            var unmatched: [[UInt8]] = []
            table.entries.forEachEntry { _, path, _ in
                let percentWritten = !table.literalPaths.isEmpty && table.literalPaths[Array(path)] != nil
                guard percentWritten || !path.isAllASCII, inventory.found.value(for: path) == nil else { return }
                unmatched.append(Array(path))
            }
            guard !unmatched.isEmpty else { continue }
            for path in unmatched.sorted(by: { $0.bytewisePrecedes($1) }) {
                guard let listed = table.entries[path] else { continue }
                let shown = BagPaths.display(path)
                if let literal = table.literalPaths[path], inventory.found[literal] != nil, table.entries[literal] == nil {
                    if strict {
                        inventory.diagnostics.problem(.percentNotEncoded, name.fileName, line: listed.line, "\"\(shown)\" is not in the bag, but \"\(BagPaths.display(literal))\" is: handover, which wrote this bag, encodes \"%\" as %25, so the entry was renamed.")
                        continue
                    }
                    table.entries[literal] = listed
                    table.entries[path] = nil
                    inventory.diagnostics.warning(.percentNotEncoded, name.fileName, line: listed.line, "\"\(BagPaths.display(literal))\" is written without encoding \"%\" as %25, as RFC 8493 asks; it was matched as written.")
                    continue
                }
                guard !path.isAllASCII, let text = String(validating: path, as: UTF8.self) else { continue }
                if byText == nil { byText = foundByText() }
                // Swift compares strings by canonical equivalence, so NFC and NFD spellings meet.
                let candidates = (byText?[text] ?? []).filter { $0 != path && table.entries[$0] == nil }
                guard candidates.count == 1, let match = candidates.first else { continue }
                if strict && namesKeptAsBytes {
                    inventory.diagnostics.problem(.normalizationMismatch, name.fileName, line: listed.line, "\"\(shown)\" is not in the archive, but \"\(BagPaths.display(match))\", the same name in another Unicode normalization form, is: handover, which wrote this bag, keeps names byte for byte, so the entry was renamed.")
                    continue
                }
                table.entries[match] = listed
                table.entries[path] = nil
                inventory.diagnostics.warning(.normalizationMismatch, name.fileName, line: listed.line, "\"\(shown)\" is in another Unicode normalization form than the file in the bag; they were matched.")
            }
            inventory.manifests[name] = table
        }
    }

    /// The found files by their name as text (valid UTF-8 names only).
    private func foundByText() -> [String: [[UInt8]]] {
        var index: [String: [[UInt8]]] = [:]
        for (path, file) in inventory.found where file.isRegular && !path.isAllASCII {
            if let text = String(validating: path, as: UTF8.self) { index[text, default: []].append(path) }
        }
        return index
    }

    /// Warns about payload names that differ only by case or by Unicode normalization: they
    /// collide on macOS and Windows file systems (RFC 8493 §7.2). ASCII names are compared by
    /// their lowercased bytes; the others as text, where Swift's equality is canonical.
    ///
    /// `order` numbers the payload's entries in `inventory.found`. A million ASCII names are
    /// grouped by a hash of their lowercased bytes (16 bytes each), and only names whose hashes
    /// meet are compared, rather than each lowercased copy kept in a dictionary.
    func collisionWarnings(_ order: [Int32], diagnostics: inout BagDiagnostics) {
        var byText: [String: [[UInt8]]] = [:]
        var hashed: [(hash: Int, id: Int32)] = []
        hashed.reserveCapacity(order.count)
        for id in order {
            inventory.found.withPath(at: Int(id)) { path in
                if path.isAllASCII {
                    var hasher = Hasher()
                    for byte in path { hasher.combine(ScanText.lower(byte)) }
                    hashed.append((hasher.finalize(), id))
                } else if let text = String(validating: path, as: UTF8.self) {
                    byText[text, default: []].append(Array(path))
                }
            }
        }
        for (_, unsorted) in byText where unsorted.count > 1 {
            let group = unsorted.sorted { $0.bytewisePrecedes($1) }
            let names = group.map { "\"\(BagPaths.display($0))\"" }.joined(separator: " and ")
            diagnostics.warning(.normalizationCollision, BagPaths.display(group[0]), "\(names) differ only by Unicode normalization (NFC and NFD); they are one file on macOS.")
        }
        var byLowercase: [String: [String]] = [:]
        for text in byText.keys { byLowercase[text.lowercased(), default: []].append(text) }
        for group in byLowercase.values where group.count > 1 { caseWarning(group, &diagnostics) }

        hashed.sort { $0.hash < $1.hash }
        var start = 0
        while start < hashed.count {
            var end = start + 1
            while end < hashed.count && hashed[end].hash == hashed[start].hash { end += 1 }
            if end - start > 1 {
                // Equal hashes: group by the lowercased names themselves.
                var groups: [[UInt8]: [[UInt8]]] = [:]
                for entry in hashed[start..<end] {
                    let path = inventory.found.path(at: Int(entry.id))
                    groups[path.map(ScanText.lower), default: []].append(path)
                }
                for group in groups.values where group.count > 1 { caseWarning(group.map(BagPaths.display), &diagnostics) }
            }
            start = end
        }
    }

    private func caseWarning(_ group: [String], _ diagnostics: inout BagDiagnostics) {
        let sorted = group.sorted()
        let names = sorted.map { "\"\($0)\"" }.joined(separator: " and ")
        diagnostics.warning(.caseCollision, sorted[0], "\(names) differ only by case; they are one file on Windows and macOS.")
    }
}
