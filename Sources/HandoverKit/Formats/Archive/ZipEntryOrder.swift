import Foundation

/// Follows libarchive through a zip whose central directory was checked, and requires it to
/// yield exactly the directory's entries, by name, in file order: an entry libarchive skips
/// (a name it cannot decode) or renames (a local header, a Unicode path extra field) would
/// otherwise go unnoticed, and the verifier would vouch for what other readers never see.
struct ZipEntryOrder {
    let path: String
    private let expected: [[UInt8]]
    private var position = 0

    init(path: String, directory: ZipDirectory) {
        self.path = path
        expected = directory.namesInFileOrder
    }

    /// libarchive gave `read` as its next entry's name; `warning` is what it said with it, if anything.
    mutating func saw(_ read: [UInt8], warning: String?) throws {
        guard position < expected.count else {
            throw ZipStructureError(path: path, .readerExtra(listed: expected.count, read: read))
        }
        let listed = expected[position]
        position += 1
        guard read == listed || Self.sameAfterNFC(listed, read) else {
            throw ZipStructureError(path: path, .readerDisagrees(position: position, expected: listed, read: read, reason: warning))
        }
    }

    /// libarchive said it is at the end.
    func ended() throws {
        guard position == expected.count else {
            throw ZipStructureError(path: path, .readerSkipped(read: position, listed: expected.count, missing: expected[position]))
        }
    }

    /// In a UTF-8 locale libarchive hands over zip names in NFC; a name stored decomposed (as
    /// macOS writes them) is the same name to it, and the verifier matches it with a warning.
    private static func sameAfterNFC(_ listed: [UInt8], _ read: [UInt8]) -> Bool {
        guard let text = String(validating: listed, as: UTF8.self) else { return false }
        return Array(text.precomposedStringWithCanonicalMapping.utf8) == read
    }
}
