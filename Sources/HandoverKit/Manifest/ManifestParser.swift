import Foundation
import Yams

/// Reads a manifest strictly: every key must be known, every value of the right kind.
///
/// Yams gives the YAML tree with line and column marks; the tree is then walked key by key,
/// so that each error names the file, the line and the key, and suggests the key that was meant.
public enum ManifestParser {
    /// A manifest file larger than this is surely not a manifest.
    public static let maxBytes = 4 << 20
    static let maxDeliverables = 10_000
    static let maxListItems = 1_000

    static let topKeys = ["version", "handover", "deliverables", "exclude"]
    static let handoverKeys = ["contract", "client", "provider", "recipient", "date", "language"]
    static let deliverableKeys = [
        "id", "title", "category", "required", "paths", "min-files", "formats", "csv", "xlsx",
        "max-age-days", "confidential", "notes", "allow-secrets", "kind", "evidence", "exclude",
    ]
    static let csvKeys = ["required-columns", "header-row", "encoding"]
    static let columnKeys = ["name", "aliases"]
    static let xlsxKeys = ["sheet", "required-columns"]

    /// Reads and checks the manifest at `path`.
    package static func load(path: String) throws(ManifestError) -> Manifest {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: maxBytes)
        } catch {
            throw ManifestError(file: path, "cannot read the manifest: \(error.reason)")
        }
        return try parse(bytes, fileName: path)
    }

    /// Checks manifest bytes; `fileName` is used in messages.
    package static func parse(_ bytes: [UInt8], fileName: String) throws(ManifestError) -> Manifest {
        // Windows editors (Notepad) start UTF-8 with a byte-order mark, which YAML readers skip;
        // the bundle's copy keeps the file as it was.
        let hasMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        guard let text = String(validating: hasMark ? bytes.dropFirst(3) : bytes[...], as: UTF8.self) else {
            throw ManifestError(file: fileName, "the manifest is not valid UTF-8 text; save it as UTF-8")
        }
        guard !text.contains("\u{0}") else {
            throw ManifestError(file: fileName, "the manifest holds a NUL byte; it is not a text file")
        }
        try checkExpandedSize(text, fileName: fileName)
        var root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, fileName: fileName)
        } catch {
            throw ManifestError(file: fileName, "cannot parse the manifest: \(error)")
        }
        // A document with only `---` (or `~`) is a null, and as empty as a file with only comments.
        if case .scalar(let scalar)? = root, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            root = nil
        }
        guard let root else { throw ManifestError.empty(fileName) }
        let reader = NodeReader(fileName: fileName)
        return try reader.manifest(root, bytes: bytes)
    }

    /// Turns a libyaml error into file:line:column and its problem, without Yams' snippet dump.
    static func yamlError(_ error: YamlError, fileName: String) -> ManifestError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "malformed YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return ManifestError(file: fileName, line: mark.line, column: mark.column, message)
        case .reader(let problem, _, _, _):
            return ManifestError(file: fileName, "malformed YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return ManifestError(file: fileName, line: context.mark.line, column: context.mark.column,
                                 "the key \(keys) appears twice in the same mapping; keep one")
        default:
            return ManifestError(file: fileName, "malformed YAML: \(error)")
        }
    }
}
