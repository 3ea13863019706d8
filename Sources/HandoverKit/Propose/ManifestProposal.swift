import Glibc

/// A manifest proposed from an export as it is (`handover init --from SOURCE`): one deliverable
/// per top-level folder, with the formats and the number of files seen there and, for CSV
/// files, the columns their header rows share. Every deliverable carries a `# review` comment:
/// it describes what the export holds, not what the contract requires.
public struct ManifestProposal: Sendable {
    /// One deliverable proposed from one top-level folder.
    package struct Deliverable: Sendable, Equatable {
        package var id: String
        package var title: String
        /// The folder's name, as written in the glob (characters that globs treat as special
        /// replaced by `?`).
        package var folderGlob: String
        package var fileCount: Int
        /// Extension → number of files, lowercase, without the dot ("" for files without one).
        package var formats: [String: Int]
        /// The columns every CSV file of the folder names, in the first file's order.
        package var csvColumns: [String]
        /// The header row of the CSV files, when a title line sits above it in every one.
        package var csvHeaderRow: Int
        package var csvFiles: Int
        /// System files met in the folder (Thumbs.db, Office lock files), left out of the counts.
        package var systemFiles: [String]
    }

    package var deliverables: [Deliverable]
    /// Files directly in SOURCE, not in any folder: not proposed, named in a comment.
    public var looseFiles: [String]
    /// Top-level folders whose names cannot be written in a manifest (not UTF-8).
    public var unnamedFolders: Int
    /// Top-level folders whose glob would select another folder too (a name with `*`, `?`,
    /// braces, a comma or a backslash, written as `?`), with that other folder.
    public var ambiguousFolders: [(folder: String, other: String)] = []

    /// System files (thumbnail caches, folder settings, Office lock files): ignored by every
    /// command (`SystemJunk`), so the proposal leaves them out of counts and formats too.
    static func isSystemJunk(_ file: SourceFile) -> Bool {
        SystemJunk.contains(file.displayPath.split(separator: "/").map(String.init))
    }

    /// Bytes of a CSV file read for its header rows.
    static let csvHeadBytes = 256 << 10

    /// Walks `source` (never following links) and reads the head of each CSV file.
    package static func make(source: String) throws(CollectError) -> ManifestProposal {
        let tree = try SourceTree.walk(source)
        var groups: [[UInt8]: [SourceFile]] = [:]
        var order: [[UInt8]] = []
        var loose: [String] = []
        for file in tree.files where file.kind == .regular {
            guard let slash = file.path.firstIndex(of: UInt8(ascii: "/")) else {
                if !isSystemJunk(file) { loose.append(file.displayPath) }
                continue
            }
            let folder = Array(file.path[..<slash])
            if groups[folder] == nil { order.append(folder) }
            groups[folder, default: []].append(file)
        }
        let opener: SourceOpener
        do {
            opener = try SourceOpener(tree: tree)
        } catch {
            throw CollectError.sourceUnreadable(source, "it changed while it was read; try again once it is stable")
        }
        var ids = Set<String>()
        var deliverables: [Deliverable] = []
        var unnamed = 0
        var ambiguous: [(folder: String, other: String)] = []
        let names = order.compactMap { String(validating: $0, as: UTF8.self) }
        for folder in order {
            guard let name = String(validating: folder, as: UTF8.self) else {
                unnamed += 1
                continue
            }
            // A glob cannot write `*` or `,` as themselves: `?` stands for them, and may stand
            // for another folder's character too. Such a folder is left for the reviewer.
            let folderGlob = ProposalNames.globLiteral(name)
            if folderGlob != name, let glob = try? Glob(folderGlob + "/**/*"),
               let other = names.first(where: { $0 != name && glob.matches([$0, "x"]) }) {
                ambiguous.append((name, other))
                continue
            }
            let all = groups[folder] ?? []
            let files = all.filter { !isSystemJunk($0) }
            let junk = all.filter { isSystemJunk($0) }.map(\.displayPath)
            guard !files.isEmpty else { continue }
            var formats: [String: Int] = [:]
            for file in files { formats[file.fileExtension, default: 0] += 1 }
            let heads = files.filter { $0.fileExtension == "csv" }.compactMap { csvHead($0, opener: opener) }
            let header = sharedHeader(heads)
            let id = uniqueID(ProposalNames.slug(name), taken: &ids)
            deliverables.append(Deliverable(
                id: id, title: ProposalNames.title(name), folderGlob: folderGlob,
                fileCount: files.count, formats: formats, csvColumns: header.columns,
                csvHeaderRow: header.row, csvFiles: heads.count, systemFiles: junk))
        }
        var proposal = ManifestProposal(deliverables: deliverables, looseFiles: loose, unnamedFolders: unnamed)
        proposal.ambiguousFolders = ambiguous
        return proposal
    }

    /// The first rows of a CSV file, decoded as the CSV check decodes them; nil when unreadable.
    static func csvHead(_ file: SourceFile, opener: SourceOpener) -> CSVHead? {
        guard let fd = try? opener.open(file, unchanged: false) else { return nil }
        defer { close(fd) }
        var inspector = FileInspector(fileName: file.name, readCSV: true, scanSecrets: false)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while total < csvHeadBytes {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
            inspector.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return inspector.finish().csv
    }

    /// The header row (the first of the widest rows among the first five, so that a title line
    /// above the header is passed over) and the columns every file has there.
    static func sharedHeader(_ heads: [CSVHead]) -> (columns: [String], row: Int) {
        var rows: [Int] = []
        for head in heads {
            let widths = (1...min(5, max(head.rows.count, 1))).map { head.columns(row: $0)?.filter { !$0.isEmpty }.count ?? 0 }
            let widest = widths.max() ?? 0
            rows.append((widths.firstIndex(of: widest) ?? 0) + 1)
        }
        guard let row = rows.first, rows.allSatisfy({ $0 == row }) else { return ([], 1) }
        var columns: [String]?
        for head in heads {
            let names = (head.columns(row: row) ?? []).filter { !$0.isEmpty }
            if let kept = columns {
                let keys = Set(names.map(ColumnName.normalised))
                columns = kept.filter { keys.contains(ColumnName.normalised($0)) }
            } else {
                columns = names
            }
        }
        return (columns ?? [], row)
    }

    static func uniqueID(_ base: String, taken: inout Set<String>) -> String {
        var id = base
        var number = 2
        while taken.contains(id) {
            id = "\(base)-\(number)"
            number += 1
        }
        taken.insert(id)
        return id
    }
}
