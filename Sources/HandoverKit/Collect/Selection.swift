/// Which files each deliverable's globs select, and which files no deliverable selects.
public struct Selection: Sendable {
    /// For each deliverable of the manifest, in order, its files sorted by path.
    public var files: [[SourceFile]]
    /// Files of SOURCE that no deliverable selects: they are not packaged.
    public var notCollected: [SourceFile]
    /// Paths selected by at least one confidential deliverable, and by at least one other.
    private var confidentialPaths = Set<[UInt8]>()
    private var openPaths = Set<[UInt8]>()

    /// Matches every file of `files` against every deliverable of `manifest`.
    public init(manifest: Manifest, files: [SourceFile]) {
        var perDeliverable = [[SourceFile]](repeating: [], count: manifest.deliverables.count)
        var notCollected: [SourceFile] = []
        for file in files {
            var selected = false
            let components = file.components
            for (index, deliverable) in manifest.deliverables.enumerated()
            where deliverable.paths.contains(where: { $0.matches(components) }) {
                perDeliverable[index].append(file)
                selected = true
                if deliverable.confidential { confidentialPaths.insert(file.path) } else { openPaths.insert(file.path) }
            }
            if !selected { notCollected.append(file) }
        }
        self.files = perDeliverable
        self.notCollected = notCollected
    }

    /// Whether any confidential deliverable selects the file: it is then stored encrypted.
    public func isConfidential(_ file: SourceFile) -> Bool { confidentialPaths.contains(file.path) }

    /// Whether the file is selected only by confidential deliverables (its content is encrypted,
    /// so it is not scanned for secrets).
    public func isOnlyConfidential(_ file: SourceFile) -> Bool {
        confidentialPaths.contains(file.path) && !openPaths.contains(file.path)
    }
}
