/// A BagIt version, `M.N`.
package struct BagItVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var major: Int
    package var minor: Int

    package init(_ major: Int, _ minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The versions handover reads: RFC 8493's 1.0, the last draft's 0.97, still common, and the
    /// older drafts 0.93 to 0.96 that archives still hold (read with a warning).
    package static let supported: [BagItVersion] = [
        BagItVersion(0, 93), BagItVersion(0, 94), BagItVersion(0, 95), BagItVersion(0, 96), BagItVersion(0, 97), BagItVersion(1, 0),
    ]
    package static let current = BagItVersion(1, 0)

    /// Whether this is a draft older than 0.97, the last one before RFC 8493.
    package var isOldDraft: Bool { self < BagItVersion(0, 97) }

    /// The name of the metadata tag file: the drafts up to 0.95 called bag-info.txt
    /// package-info.txt (0.96 renamed it); bagit-python and bagit-java read it so too.
    package var metadataFileName: String {
        BagItVersion(0, 93) <= self && self <= BagItVersion(0, 95) ? "package-info.txt" : BagInfo.fileName
    }

    /// Reads `M.N`: digits, a dot, digits, nothing else.
    package init?(parsing text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCIIDecimalDigit) }),
              let major = Int(parts[0]), let minor = Int(parts[1]) else { return nil }
        self.init(major, minor)
    }

    package var description: String { "\(major).\(minor)" }

    package static func < (a: BagItVersion, b: BagItVersion) -> Bool {
        (a.major, a.minor) < (b.major, b.minor)
    }
}

/// The bag declaration, bagit.txt (RFC 8493 §2.1.1): the version and the tag files' encoding.
public struct BagDeclaration: Sendable, Equatable {
    package var version: BagItVersion
    /// The encoding as declared, for messages.
    public var encodingName: String
    /// The encoding, or nil when handover does not know the declared one.
    package var encoding: TagFileEncoding?

    package init(version: BagItVersion, encodingName: String) {
        self.version = version
        self.encodingName = encodingName
        self.encoding = TagFileEncoding(declared: encodingName)
    }

    /// What handover writes: BagIt 1.0, UTF-8.
    public static let current = BagDeclaration(version: .current, encodingName: "UTF-8")

    /// The file's bytes: two LF-terminated lines.
    public func serialized() -> [UInt8] {
        Array("BagIt-Version: \(version)\nTag-File-Character-Encoding: \(encodingName)\n".utf8)
    }

    public static let fileName = "bagit.txt"

    /// Reads bagit.txt, reporting every rule it breaks. Returns nil when the version or the
    /// encoding cannot be read at all; an unsupported version or an unknown encoding is a problem
    /// but still returns the declaration, so the rest of the bag can be checked.
    package static func parse(_ bytes: [UInt8], diagnostics: inout BagDiagnostics) -> BagDeclaration? {
        let file = fileName
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            diagnostics.problem(.declarationByteOrderMark, file, "bagit.txt starts with a byte-order mark, which RFC 8493 forbids.")
        }
        let (all, _) = TagLineReader.lines(of: bytes, encoding: .utf8, maxLineBytes: 1024)
        if all.contains(where: \.hasInvalidText) {
            diagnostics.problem(.malformedDeclaration, file, "bagit.txt is not valid UTF-8.")
        }
        // Trailing blank lines are tolerated; anything else beyond two lines is not.
        var lines = all
        while let last = lines.last, last.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { lines.removeLast() }
        if lines.count != 2 {
            diagnostics.problem(.malformedDeclaration, file, "bagit.txt must have exactly two lines, BagIt-Version and Tag-File-Character-Encoding; it has \(lines.count).")
        }
        var version: BagItVersion?
        var encodingName: String?
        for (index, line) in lines.enumerated() {
            guard let colon = line.text.firstIndex(of: ":") else {
                diagnostics.problem(.malformedDeclaration, file, line: line.number, "this line is not of the form \"Label: value\".")
                continue
            }
            let label = String(line.text[..<colon])
            let value = String(line.text[line.text.index(after: colon)...]).trimmingLinearWhitespace()
            switch label.lowercased() {
            case "bagit-version":
                if index != 0 { diagnostics.problem(.malformedDeclaration, file, line: line.number, "BagIt-Version must be the first line.") }
                version = BagItVersion(parsing: value)
                if version == nil {
                    diagnostics.problem(.malformedDeclaration, file, line: line.number, "\"\(value)\" is not a version of the form M.N.")
                }
            case "tag-file-character-encoding":
                if index != 1 { diagnostics.problem(.malformedDeclaration, file, line: line.number, "Tag-File-Character-Encoding must be the second line.") }
                encodingName = value
            default:
                diagnostics.problem(.malformedDeclaration, file, line: line.number, "bagit.txt has the unexpected label \"\(label)\".")
            }
        }
        guard let version, let encodingName else {
            if version == nil { diagnostics.problem(.malformedDeclaration, file, "bagit.txt does not declare a BagIt-Version.") }
            if encodingName == nil { diagnostics.problem(.malformedDeclaration, file, "bagit.txt does not declare a Tag-File-Character-Encoding.") }
            return nil
        }
        let declaration = BagDeclaration(version: version, encodingName: encodingName)
        if !BagItVersion.supported.contains(version) {
            diagnostics.problem(.unsupportedVersion, file, "BagIt version \(version) is not supported; handover reads versions 0.93 to 0.97 and 1.0.")
        } else if version.isOldDraft {
            diagnostics.warning(.oldVersion, file, "the bag declares BagIt \(version), a draft older than RFC 8493 (BagIt 1.0); it was checked by that draft's rules (metadata in \(version.metadataFileName)). Bags that handover writes are 1.0.")
        }
        if declaration.encoding == nil {
            diagnostics.problem(.unknownEncoding, file, "the tag file encoding \"\(encodingName)\" is not one handover reads (UTF-8, ISO-8859-1, UTF-16).")
        }
        return declaration
    }
}

extension Character {
    var isASCIIDecimalDigit: Bool { isASCII && isNumber }
}
