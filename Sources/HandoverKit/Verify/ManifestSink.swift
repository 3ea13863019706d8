/// Where the bytes of a payload manifest go while the verifier reads it.
///
/// Once bagit.txt has been read, the manifest is parsed line by line as it streams. Before that
/// its encoding is unknown, so it waits in memory (bsdtar may put it first); if it is too large
/// to wait, it is left for a second reading, in the encoding bagit.txt will have declared.
struct ManifestSink {
    let name: BagManifestName
    private var parser: BagManifestParser?
    private var waiting: [UInt8]?
    private let bufferLimit: Int

    init(name: BagManifestName, inventory: inout BagInventory, lineBytes: Int, bufferLimit: Int) {
        self.name = name
        self.bufferLimit = bufferLimit
        // Registered before its data, so the payload after it is hashed with its algorithm.
        inventory.resetTable(name)
        if inventory.sawDeclaration {
            parser = BagManifestParser(name: name, encoding: inventory.encoding, maxLineBytes: lineBytes)
        } else {
            waiting = []
        }
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, inventory: inout BagInventory) throws {
        if waiting != nil {
            waiting?.append(contentsOf: chunk)
            if let count = waiting?.count, count > bufferLimit {
                waiting = nil
                inventory.manifests[name]?.deferred = true
            }
            return
        }
        guard parser != nil else { return }
        var entries: [BagManifestEntry] = []
        parser?.feed(chunk, diagnostics: &inventory.diagnostics) { entries.append($0) }
        for entry in entries { try inventory.add(entry, to: name) }
    }

    mutating func finish(inventory: inout BagInventory) throws {
        if let waiting {
            inventory.pendingManifests[name] = waiting
            return
        }
        guard parser != nil else { return }
        var entries: [BagManifestEntry] = []
        parser?.finish(diagnostics: &inventory.diagnostics) { entries.append($0) }
        for entry in entries { try inventory.add(entry, to: name) }
        inventory.manifests[name]?.complete = true
        inventory.payloadManifestComplete(name)
    }
}
