extension VerificationRun {
    /// A path the bag holds as a file and also as a folder (a folder entry of the same name, or
    /// entries below it) cannot be written to a file system: `extract` refuses such a bundle, so
    /// `verify` must not call it intact. A folder entry under `data/` with nothing below it is
    /// covered by no manifest: said, and left out by `extract`.
    ///
    /// Files of one folder usually come one after another: a folder's ancestors are looked up
    /// once per run of its files, so a million files cost about as many lookups as folders.
    mutating func checkFilesAndFolders() {
        var parents = Set<[UInt8]>()
        var clashes = Set<[UInt8]>()
        var lastParent: [UInt8] = []
        let found = inventory.found
        found.forEachEntry { _, path, file in
            guard file.isRegular, let slash = path.lastIndex(of: UInt8(ascii: "/")) else { return }
            let parent = UnsafeBufferPointer(rebasing: path[..<slash])
            if parent.elementsEqual(lastParent) { return }
            lastParent = Array(parent)
            var end = parent.count
            // The parent, then its own parents, until one already known.
            while end > 0 {
                let folder = Array(parent[..<end])
                guard parents.insert(folder).inserted else { break }
                if found[folder]?.isRegular == true { clashes.insert(folder) }
                end = folder.lastIndex(of: UInt8(ascii: "/")) ?? 0
            }
        }
        for folder in folders {
            if found[folder]?.isRegular == true {
                clashes.insert(folder)
            } else if folder.isPayloadPath && !parents.contains(folder) {
                inventory.diagnostics.warning(.emptyFolder, BagPaths.display(folder) + "/", "is an empty folder: no manifest covers it, and extract does not create it.")
            }
        }
        for path in clashes.sorted(by: { $0.bytewisePrecedes($1) }) {
            inventory.diagnostics.problem(.fileAndFolder, BagPaths.display(path), "is both a file and a folder in the bundle; a file system holds only one of the two, and extract refuses the bundle.")
        }
    }
}
