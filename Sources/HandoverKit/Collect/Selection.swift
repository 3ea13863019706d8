/// Which files each deliverable's globs select, which files no deliverable selects, and which
/// files are ignored (system junk, `exclude:`).
package struct Selection: Sendable {
    /// For each deliverable of the manifest, in order, its files sorted by path.
    package var files: [[SourceFile]]
    /// Files of SOURCE that no deliverable selects: they are not packaged.
    package var notCollected: [SourceFile]
    /// Files of SOURCE ignored as a whole: system junk (`SystemJunk`) and the manifest's own
    /// `exclude:`. Never collected, never packed, never judged; only counted.
    package var ignored: [SourceFile]
    /// For each deliverable, the files its globs match that it ignores: junk, the manifest's
    /// `exclude:` and its own `exclude:`.
    package var ignoredBy: [[SourceFile]]
    /// For each deliverable, the empty folders its globs reach into (paths relative to SOURCE).
    package var emptyFoldersOf: [[String]]
    /// Every empty folder of SOURCE, whether or not a deliverable reaches into it.
    package var emptyFolders: [String]
    /// Paths selected by at least one confidential deliverable, and by at least one other.
    private var confidentialPaths = Set<[UInt8]>()
    private var openPaths = Set<[UInt8]>()

    /// Matches every file of `files` against every deliverable of `manifest`; `emptyFolders`
    /// (paths relative to SOURCE) are given to the deliverables whose globs reach into them.
    package init<Files: Sequence<SourceFile>>(manifest: Manifest, files: Files, emptyFolders: [[UInt8]] = []) {
        let count = manifest.deliverables.count
        var perDeliverable = [[SourceFile]](repeating: [], count: count)
        var ignoredBy = [[SourceFile]](repeating: [], count: count)
        var notCollected: [SourceFile] = []
        var ignored: [SourceFile] = []
        // Which paths are confidential matters only when a deliverable is: no set of every path otherwise.
        let anyConfidential = manifest.deliverables.contains(where: \.confidential)
        for file in files {
            var selected = false
            let components = file.components
            let ignoredEverywhere = SystemJunk.contains(components) || manifest.exclude.contains { $0.matches(components) }
            if ignoredEverywhere { ignored.append(file) }
            // A link to a folder stands where the deliverable's files would be: it is that
            // deliverable's (and said to be a link, never followed), not a stray file.
            let isLink = if case .symlink = file.kind { true } else { false }
            for (index, deliverable) in manifest.deliverables.enumerated()
            where deliverable.paths.contains(where: { $0.matches(components) || (isLink && $0.mayMatchBelow(components)) }) {
                if ignoredEverywhere || deliverable.exclude.contains(where: { $0.matches(components) }) {
                    ignoredBy[index].append(file)
                    continue
                }
                perDeliverable[index].append(file)
                selected = true
                if deliverable.confidential { confidentialPaths.insert(file.path) } else if anyConfidential { openPaths.insert(file.path) }
            }
            // A file that a deliverable's own exclude leaves out, and no other takes, is not
            // collected: it was not ignored as a whole, and the provider should see it.
            if !selected && !ignoredEverywhere { notCollected.append(file) }
        }
        var foldersOf = [[String]](repeating: [], count: count)
        var shownFolders: [String] = []
        for folder in emptyFolders {
            let components = folder.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
            // A folder inside __MACOSX/, or one whose files the manifest would exclude, is no finding.
            let inside = components + ["x"]
            guard !SystemJunk.contains(inside), !manifest.exclude.contains(where: { $0.matches(inside) }) else { continue }
            let shown = VisibleText.name(bytes: folder)
            shownFolders.append(shown)
            for (index, deliverable) in manifest.deliverables.enumerated()
            where deliverable.paths.contains(where: { $0.mayMatchBelow(components) }) {
                foldersOf[index].append(shown)
            }
        }
        self.files = perDeliverable
        self.notCollected = notCollected
        self.ignored = ignored
        self.ignoredBy = ignoredBy
        self.emptyFoldersOf = foldersOf
        self.emptyFolders = shownFolders
    }

    /// Every file of `lists` once, sorted by path. Each list is sorted already: one alone is the
    /// answer, and several are merged by sorting, then dropping the neighbours that repeat (no
    /// set of every path, which a million files make large).
    package static func once(_ lists: [[SourceFile]]) -> [SourceFile] {
        let lists = lists.filter { !$0.isEmpty }
        if lists.count == 1, let only = lists.first,
           zip(only, only.dropFirst()).allSatisfy({ $0.path.lexicographicallyPrecedes($1.path) }) {
            return only
        }
        var files = lists.flatMap { $0 }
        files.sort { $0.path.lexicographicallyPrecedes($1.path) }
        var kept = 0
        for index in files.indices where kept == 0 || files[index].path != files[kept - 1].path {
            files[kept] = files[index]
            kept += 1
        }
        files.removeLast(files.count - kept)
        return files
    }

    /// Whether any confidential deliverable selects the file: it is then stored encrypted.
    package func isConfidential(_ file: SourceFile) -> Bool { confidentialPaths.contains(file.path) }

    /// Whether the file is selected only by confidential deliverables (its content is encrypted,
    /// so it is not scanned for secrets).
    package func isOnlyConfidential(_ file: SourceFile) -> Bool {
        confidentialPaths.contains(file.path) && !openPaths.contains(file.path)
    }
}
