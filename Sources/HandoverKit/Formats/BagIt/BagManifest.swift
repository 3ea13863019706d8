/// The name of a payload or tag manifest at the bag's root: `manifest-<algorithm>.txt` or
/// `tagmanifest-<algorithm>.txt` (RFC 8493 §2.1.3, §2.2.1).
package struct BagManifestName: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case payload, tag
    }

    package var kind: Kind
    /// The algorithm as written in the name: letters, digits, `-` and `_` ("sha256", "sha3_256").
    package var algorithmName: String
    /// The algorithm, when handover can compute it.
    package var algorithm: ChecksumAlgorithm? { ChecksumAlgorithm(rawValue: algorithmName) }

    package init(kind: Kind, algorithm: ChecksumAlgorithm) {
        self.kind = kind
        self.algorithmName = algorithm.rawValue
    }

    /// Reads a root-level file name; nil for any other file.
    package init?(fileName: [UInt8]) {
        guard let name = String(validating: fileName, as: UTF8.self), name.hasSuffix(".txt") else { return nil }
        let stem = name.dropLast(4)
        let rest: Substring
        if stem.hasPrefix("tagmanifest-") {
            kind = .tag
            rest = stem.dropFirst("tagmanifest-".count)
        } else if stem.hasPrefix("manifest-") {
            kind = .payload
            rest = stem.dropFirst("manifest-".count)
        } else {
            return nil
        }
        // Dashes and underscores too: bagit-python names its manifests after hashlib
        // (sha3_256, blake2b), other tools write sha3-256. Read as manifests, such files are
        // reported as unchecked instead of passing for ordinary tag files.
        guard !rest.isEmpty, rest.count <= 32,
              rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        algorithmName = String(rest)
    }

    package var fileName: String { kind == .tag ? "tagmanifest-\(algorithmName).txt" : "manifest-\(algorithmName).txt" }
    package var description: String { fileName }

    package static func < (a: BagManifestName, b: BagManifestName) -> Bool { a.fileName < b.fileName }
}

/// One line of a manifest: a checksum and the path it is for.
package struct BagManifestEntry: Sendable, Equatable {
    /// Lowercase hexadecimal.
    package var checksum: String
    /// The path relative to the bag's root, percent-decoded and in canonical form.
    package var path: [UInt8]
    /// The path exactly as the line wrote it (before percent-decoding), kept only when it
    /// differs, so a bag from a tool that does not encode `%` can still be matched.
    package var literalPath: [UInt8]?
    package var line: Int
}

/// Reads a manifest fed in chunks, line by line, calling back for each well-formed entry and
/// reporting each malformed line. Nothing but the current line is held.
package struct BagManifestParser: Sendable {
    package let name: BagManifestName
    package let file: String
    private var reader: TagLineReader

    package init(name: BagManifestName, encoding: TagFileEncoding, maxLineBytes: Int = 64 * 1024) {
        self.name = name
        self.file = name.fileName
        self.reader = TagLineReader(encoding: encoding, maxLineBytes: maxLineBytes)
    }

    /// Whether the text seen so far had any byte outside ASCII (where encodings differ).
    package var sawNonASCII: Bool { reader.sawNonASCII }

    package mutating func feed(_ chunk: UnsafeRawBufferPointer, diagnostics: inout BagDiagnostics, _ onEntry: (BagManifestEntry) throws -> Void) rethrows {
        let name = name, file = file
        try reader.feed(chunk) { line in
            if let entry = Self.entry(line, name: name, file: file, diagnostics: &diagnostics) { try onEntry(entry) }
        }
    }

    package mutating func finish(diagnostics: inout BagDiagnostics, _ onEntry: (BagManifestEntry) throws -> Void) rethrows {
        let name = name, file = file
        try reader.finish { line in
            if let entry = Self.entry(line, name: name, file: file, diagnostics: &diagnostics) { try onEntry(entry) }
        }
        BagInfo.reportEncoding(reader, file: file, diagnostics: &diagnostics)
    }

    /// Parses a whole manifest held in memory.
    package static func entries(of bytes: [UInt8], name: BagManifestName, encoding: TagFileEncoding, diagnostics: inout BagDiagnostics) -> [BagManifestEntry] {
        var parser = BagManifestParser(name: name, encoding: encoding)
        var entries: [BagManifestEntry] = []
        bytes.withUnsafeBytes { parser.feed($0, diagnostics: &diagnostics) { entries.append($0) } }
        parser.finish(diagnostics: &diagnostics) { entries.append($0) }
        return entries
    }

    /// `checksum<whitespace>path`. Blank lines are skipped; a line starting with `#` is skipped
    /// with a warning (bagit-python does the same). A `*` before the path is md5sum's "binary
    /// mode" marker: accepted with a warning, as RFC 8493 §7.4 allows.
    static func entry(_ line: TagLine, name: BagManifestName, file: String, diagnostics: inout BagDiagnostics) -> BagManifestEntry? {
        let bytes = line.bytes
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        if line.isTooLong {
            diagnostics.problem(.lineTooLong, file, line: line.number, "this line is too long to be a manifest line and was not read.")
            return nil
        }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return nil }
        if bytes[start] == UInt8(ascii: "#") {
            diagnostics.warning(.malformedManifestLine, file, line: line.number, "this comment line was ignored; RFC 8493 manifests have no comments.")
            return nil
        }
        if line.hasInvalidText && name.kind == .tag {
            diagnostics.warning(.invalidText, file, line: line.number, "this line has bytes that are not valid text in the declared encoding.")
        }
        guard let gap = bytes[start...].firstIndex(where: isSpace),
              let pathStart = bytes[gap...].firstIndex(where: { !isSpace($0) }) else {
            diagnostics.problem(.malformedManifestLine, file, line: line.number, "this line is not of the form \"checksum path\".")
            return nil
        }
        let digits = bytes[start..<gap]
        let checksum = String(decoding: digits, as: UTF8.self)
        let hexDigits = digits.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }
        if !hexDigits || checksum.isEmpty {
            diagnostics.problem(.malformedChecksum, file, line: line.number, "\"\(checksum.prefix(160))\" is not a hexadecimal checksum.")
            return nil
        }
        if let algorithm = name.algorithm, checksum.utf8.count != algorithm.hexLength {
            diagnostics.problem(.malformedChecksum, file, line: line.number, "the checksum has \(checksum.utf8.count) hexadecimal digits; \(algorithm.rawValue) has \(algorithm.hexLength).")
            return nil
        }
        var written = Array(bytes[pathStart...])
        if written.first == UInt8(ascii: "*") {
            diagnostics.warning(.md5sumBinaryMarker, file, line: line.number, "the \"*\" before the path is md5sum's binary-mode marker; it was ignored, but the bag fails strict validation.")
            written.removeFirst()
        }
        let decoded = BagPath.decode(written)
        let place: BagPath.Place = name.kind == .payload ? .payload : .tag
        guard let path = BagPath.check(decoded, place: place, file: file, line: line.number, diagnostics: &diagnostics) else { return nil }
        // Findings about the undecoded form are not reported: only the decoded path counts.
        var ignored = BagDiagnostics(limit: 0)
        let literal = decoded == written ? nil : BagPath.safeCanonical(written, file: file, line: line.number, diagnostics: &ignored)
        let lowercase = !digits.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F") }
        return BagManifestEntry(checksum: lowercase ? checksum : checksum.lowercased(), path: path, literalPath: literal, line: line.number)
    }
}

/// Writes manifest lines the way RFC 8493 asks: lowercase checksum, two spaces, encoded path.
package enum BagManifestWriter {
    /// One line, LF-terminated, for `path` relative to the bag's root.
    package static func line(checksum: String, path: [UInt8]) -> [UInt8] {
        Array(checksum.lowercased().utf8) + [0x20, 0x20] + BagPath.encode(path) + [0x0A]
    }
}
