import Foundation

/// Checks a SOURCE folder against a manifest: walk, select, read what the rules need, judge.
/// This is the whole of `handover missing --manifest FILE SOURCE`, and the first step of a build.
public enum SourceCheck {
    /// Runs every rule. Throws only when the check cannot run (SOURCE unreadable).
    public static func run(manifest: Manifest, source: String, options: CheckOptions, excluding: Set<String> = []) throws -> CheckReport {
        let tree = try SourceTree.walk(source, excluding: excluding)
        let selection = Selection(manifest: manifest, files: tree.files)
        let facts = try readFacts(tree: tree, selection: selection, manifest: manifest)
        return DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts, options: options)
    }

    /// Makes the inspector a file needs: CSV reading for .csv files, a secret scan unless only
    /// confidential deliverables select it.
    public static func inspector(for file: SourceFile, selection: Selection, manifest: Manifest) -> FileInspector {
        let isCSV = file.fileExtension == "csv"
        return FileInspector(fileName: file.name,
                             readCSV: isCSV,
                             scanSecrets: !selection.isOnlyConfidential(file),
                             csvHeaderRow: isCSV ? csvHeaderRow(of: file, in: manifest) : 1)
    }

    /// The header row the first open deliverable selecting the file names (secret columns are
    /// only looked for in files that are not encrypted).
    static func csvHeaderRow(of file: SourceFile, in manifest: Manifest) -> Int {
        let components = file.components
        let deliverable = manifest.deliverables.first { deliverable in
            !deliverable.confidential && deliverable.paths.contains { $0.matches(components) }
        }
        return deliverable?.csv.headerRow ?? 1
    }

    /// Adds what an office document's XML parts hold: a second, bounded read of those files
    /// only, after the single pass that every file gets.
    public static func addDocumentSecrets(_ facts: inout FileFacts, file: SourceFile, tree: SourceTree) {
        guard OfficeSecretScan.applies(toFileNamed: file.name) else { return }
        let found = OfficeSecretScan.scan(path: String(decoding: tree.absolutePath(of: file), as: UTF8.self))
        facts.secrets += found.findings
        facts.moreSecrets += found.more
    }

    /// Adds the first rows of a workbook's sheets when a deliverable selecting it has an `xlsx:`
    /// rule: a second, bounded read of those files only, like the document secret scan.
    public static func addWorkbookHeaders(_ facts: inout FileFacts, file: SourceFile, tree: SourceTree, manifest: Manifest) {
        guard DeliverableChecker.workbookExtensions.contains(file.fileExtension) else { return }
        let components = file.components
        let wanted = manifest.deliverables.contains { deliverable in
            deliverable.xlsx != nil && deliverable.paths.contains { $0.matches(components) }
        }
        guard wanted else { return }
        facts.workbook = WorkbookHeaderReader.read(path: String(decoding: tree.absolutePath(of: file), as: UTF8.self))
    }

    /// Reads every selected regular file once and gathers its facts.
    static func readFacts(tree: SourceTree, selection: Selection, manifest: Manifest) throws -> [[UInt8]: FileFacts] {
        var facts: [[UInt8]: FileFacts] = [:]
        var seen = Set<[UInt8]>()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        for files in selection.files {
            for file in files where file.kind == .regular && seen.insert(file.path).inserted {
                var inspector = inspector(for: file, selection: selection, manifest: manifest)
                var found = FileFacts()
                if inspector.needsContent {
                    let path = tree.absolutePath(of: file)
                    try SourceFileReader.read(path: path, display: file.displayPath, buffer: buffer) { chunk in
                        inspector.consume(chunk)
                    }
                    found = inspector.finish()
                    if inspector.scansSecrets { addDocumentSecrets(&found, file: file, tree: tree) }
                }
                addWorkbookHeaders(&found, file: file, tree: tree, manifest: manifest)
                if inspector.needsContent || found.workbook != nil { facts[file.path] = found }
            }
        }
        return facts
    }
}

/// Reads a file of SOURCE in large chunks without following a symbolic link put in its place.
public enum SourceFileReader {
    /// Opens `path` (bytes), checks it is still a regular file, and hands each chunk to `body`.
    public static func read(path: [UInt8], display: String, buffer: UnsafeMutableRawBufferPointer,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = open(cPath: path, flags: O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.fromErrno(display, "cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: display, reason: "is no longer a regular file")
        }
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileError.fromErrno(display, "cannot read")
            }
            if count == 0 { return }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// `open(2)` with a path given as bytes.
    public static func open(cPath: [UInt8], flags: Int32, mode: mode_t = 0) -> Int32 {
        (cPath + [0]).withUnsafeBufferPointer {
            Glibc.open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), flags, mode)
        }
    }
}
