/// Byte spellings of a bag's paths, and the rules that depend on a tag file's name alone: which
/// tag files a reader keeps whole, and how bag-info.txt is read before bagit.txt says its encoding.
enum BagPaths {
    static let dataPrefix = Array("data/".utf8)
    static let data = Array("data".utf8)
    static let declaration = Array(BagDeclaration.fileName.utf8)
    static let bagInfo = Array(BagInfo.fileName.utf8)
    /// bag-info.txt's name in the drafts up to 0.95.
    static let packageInfo = Array("package-info.txt".utf8)
    static let fetch = Array(FetchFile.fileName.utf8)
    static let handoverPrefix = Array("handover/".utf8)

    /// A path for messages, with control and bidirectional characters written out (`VisibleText`).
    static func display(_ path: [UInt8]) -> String { VisibleText.name(bytes: path) }

    /// Whether a tag file is kept whole, for parsing or for the later stages (signature,
    /// time-stamp, report): it is then held to `BagLimits.keptTagFileBytes`, others to
    /// `otherTagFileBytes`.
    static func isKept(_ path: [UInt8]) -> Bool {
        path == declaration || path == bagInfo || path == packageInfo || path == fetch
            || path.starts(with: handoverPrefix) || BagManifestName(fileName: path)?.kind == .tag
    }
}

extension TagFileEncoding {
    /// The encoding to guess for bag-info.txt read before bagit.txt (for Payload-Oxum only):
    /// UTF-16 when it starts with a UTF-16 byte-order mark, UTF-8 otherwise.
    static func sniff(_ head: [UInt8]) -> TagFileEncoding {
        head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) ? .utf16 : .utf8
    }
}

extension Array where Element == UInt8 {
    /// Whether the path is under `data/`.
    var isPayloadPath: Bool { starts(with: BagPaths.dataPrefix) }
}
