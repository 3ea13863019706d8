import Foundation

/// Checks a SOURCE folder against a manifest: walk, select, read what the rules need, judge.
/// This is the whole of `handover missing --manifest FILE SOURCE`, and the first step of a build.
public enum SourceCheck {
    /// Runs every rule. Throws only when the check cannot run (SOURCE unreadable).
    package static func run(manifest: Manifest, source: String, options: CheckOptions, excluding: Set<String> = []) throws -> CheckReport {
        let tree = try SourceTree.walk(source, excluding: excluding)
        let selection = Selection(manifest: manifest, files: tree.files, emptyFolders: tree.emptyFolders)
        let facts = try readFacts(tree: tree, selection: selection, manifest: manifest)
        return DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts, options: options)
    }

    /// Makes the inspector a file needs: CSV reading for .csv files, a secret scan unless only
    /// confidential deliverables select it.
    package static func inspector(for file: SourceFile, selection: Selection, manifest: Manifest) -> FileInspector {
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
    /// only, after the single pass that every file gets. The document is opened as the first
    /// pass opened it (through `opener`), and libarchive reads that very file through
    /// /proc/self/fd: its path below SOURCE is never resolved again.
    static func addDocumentSecrets(_ facts: inout FileFacts, file: SourceFile, opener: SourceOpener) {
        guard OfficeSecretScan.applies(toFileNamed: file.name) else { return }
        // A document that cannot be opened again now was read a moment ago; what was found stands.
        guard let fd = try? opener.open(file, unchanged: false) else { return }
        defer { close(fd) }
        let found = OfficeSecretScan.scan(path: "/proc/self/fd/\(fd)",
                                          workbook: WorkbookSecretCells.workbookExtensions.contains(file.fileExtension))
        facts.secrets += found.findings
        facts.moreSecrets += found.more
    }

    /// Adds the first rows of a workbook's sheets when a deliverable selecting it has an `xlsx:`
    /// rule: a second, bounded read of those files only, like the document secret scan.
    static func addWorkbookHeaders(_ facts: inout FileFacts, file: SourceFile, opener: SourceOpener, manifest: Manifest) {
        guard DeliverableChecker.workbookExtensions.contains(file.fileExtension) else { return }
        let components = file.components
        let wanted = manifest.deliverables.contains { deliverable in
            deliverable.xlsx != nil && deliverable.paths.contains { $0.matches(components) }
        }
        guard wanted, let fd = try? opener.open(file, unchanged: false) else { return }
        defer { close(fd) }
        facts.workbook = WorkbookHeaderReader.read(path: "/proc/self/fd/\(fd)")
    }

    /// Reads every selected regular file once and gathers its facts.
    static func readFacts(tree: SourceTree, selection: Selection, manifest: Manifest) throws -> [[UInt8]: FileFacts] {
        var facts: [[UInt8]: FileFacts] = [:]
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        let opener: SourceOpener
        do {
            opener = try SourceOpener(tree: tree)
        } catch {
            throw readError(error, SourceOpener.rootName(tree))
        }
        for file in Selection.once(selection.files) where file.kind == .regular {
            var inspector = inspector(for: file, selection: selection, manifest: manifest)
            var found = FileFacts()
            if inspector.needsContent {
                // Only the type is checked: `missing` reports on what SOURCE holds as it reads
                // it; a file that grows meanwhile (a log) is no reason to stop.
                let fd: Int32
                do {
                    fd = try opener.open(file, unchanged: false)
                } catch {
                    throw readError(error, file.displayPath)
                }
                defer { close(fd) }
                try SourceFileReader.read(fd: fd, display: file.displayPath, buffer: buffer) { chunk in
                    inspector.consume(chunk)
                }
                found = inspector.finish()
                if inspector.scansSecrets { addDocumentSecrets(&found, file: file, opener: opener) }
            }
            addWorkbookHeaders(&found, file: file, opener: opener, manifest: manifest)
            if found.matter(for: file) { facts[file.path] = found }
        }
        return facts
    }

    private static func readError(_ failure: SourceOpener.Failure, _ display: String) -> FileError {
        switch failure {
        case .changed(let what): FileError(path: display, reason: "\(what) while SOURCE was being read; check again once SOURCE is stable")
        case .unreadable(let action, let code): FileError.fromErrno(display, action, errno: code)
        }
    }
}

/// Reads a file in large chunks without following a symbolic link put in its place.
package enum SourceFileReader {
    /// Opens `path` (bytes), checks it is still a regular file, and hands each chunk to `body`.
    /// For a file named on the command line; the files of SOURCE go through `SourceOpener`.
    package static func read(path: [UInt8], display: String, buffer: UnsafeMutableRawBufferPointer,
                            _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let fd = BytePath.call(path) { Glibc.open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard fd >= 0 else { throw FileError.fromErrno(display, "cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileError(path: display, reason: "is no longer a regular file")
        }
        try read(fd: fd, display: display, buffer: buffer, body)
    }

    /// Hands each chunk of the file open at `fd` to `body`, to its end.
    static func read(fd: Int32, display: String, buffer: UnsafeMutableRawBufferPointer,
                     _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
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
}
