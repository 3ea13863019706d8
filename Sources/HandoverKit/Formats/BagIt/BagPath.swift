/// File paths as manifests and fetch.txt write them (RFC 8493 §2.1.3), and the rules that keep a
/// bag's paths inside the bag (§6.1).
///
/// Paths are bytes: a file name need not be valid UTF-8, and nothing here assumes it is.
package enum BagPath {
    private static let dataPrefix = Array("data/".utf8)

    /// Where a path was found, which decides where it may point.
    package enum Place: Sendable {
        /// A payload manifest or fetch.txt: the path must be under `data/`.
        case payload
        /// A tag manifest: the path must not be under `data/`.
        case tag
    }

    /// Undoes the writer's percent-encoding: `%25`, `%0A` and `%0D` (either case of hex digit)
    /// become `%`, LF and CR. Any other `%` is kept as it is, because RFC 8493 encodes only these
    /// three and bagit-python writes a bare `%` unencoded: a literal `%41` in a name stays `%41`.
    package static func decode(_ encoded: [UInt8]) -> [UInt8] {
        guard encoded.contains(UInt8(ascii: "%")) else { return encoded }
        var out: [UInt8] = []
        out.reserveCapacity(encoded.count)
        var i = 0
        while i < encoded.count {
            if encoded[i] == UInt8(ascii: "%"), i + 2 < encoded.count,
               let byte = escapedByte(encoded[i + 1], encoded[i + 2]) {
                out.append(byte)
                i += 3
            } else {
                out.append(encoded[i])
                i += 1
            }
        }
        return out
    }

    /// Encodes a path for a manifest or fetch.txt line: `%` as `%25`, LF as `%0A`, CR as `%0D`,
    /// and nothing else, as RFC 8493 §2.1.3 asks.
    /// The bytes `encode` gives, without making them.
    static func encodedCount(_ path: [UInt8]) -> Int {
        path.reduce(path.count) { count, byte in
            byte == UInt8(ascii: "%") || byte == 0x0A || byte == 0x0D ? count + 2 : count
        }
    }

    package static func encode(_ path: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(path.count)
        for byte in path {
            switch byte {
            case UInt8(ascii: "%"): out += Array("%25".utf8)
            case 0x0A: out += Array("%0A".utf8)
            case 0x0D: out += Array("%0D".utf8)
            default: out.append(byte)
            }
        }
        return out
    }

    private static func escapedByte(_ a: UInt8, _ b: UInt8) -> UInt8? {
        switch (a, b) {
        case (UInt8(ascii: "2"), UInt8(ascii: "5")): return UInt8(ascii: "%")
        case (UInt8(ascii: "0"), UInt8(ascii: "A")), (UInt8(ascii: "0"), UInt8(ascii: "a")): return 0x0A
        case (UInt8(ascii: "0"), UInt8(ascii: "D")), (UInt8(ascii: "0"), UInt8(ascii: "d")): return 0x0D
        default: return nil
        }
    }

    /// Checks a path named inside a tag file (a manifest or fetch.txt), reporting each rule it
    /// breaks. Returns the path in canonical form (no `./`, no empty or `.` segments), or nil when
    /// the path must not be used at all: absolute, climbing out with `..`, starting with `~`, or
    /// in the wrong part of the bag.
    ///
    /// A backslash is kept as an ordinary byte with a warning: on POSIX it is part of a name, and
    /// RFC 8493 allows only `/` as a separator, so reading it as one would name another file.
    package static func check(_ path: [UInt8], place: Place, file: String, line: Int?, diagnostics: inout BagDiagnostics) -> [UInt8]? {
        var shown: String { String(decoding: path, as: UTF8.self) }
        guard let canonical = safeCanonical(path, file: file, line: line, diagnostics: &diagnostics) else { return nil }
        if canonical != path {
            diagnostics.warning(.dotSegment, file, line: line, "the path \"\(shown)\" has \"./\", \".\" or empty segments; RFC 8493 paths are plain relative paths.")
        }
        if path.contains(UInt8(ascii: "\\")) {
            diagnostics.warning(.backslash, file, line: line, "the path \"\(shown)\" has a backslash, which is read as part of a name: RFC 8493 separates folders with \"/\" only.")
        }
        let underData = canonical.starts(with: dataPrefix)
        switch place {
        case .payload where !underData:
            diagnostics.problem(.notUnderPayload, file, line: line, "the path \"\(shown)\" is not under data/; this file may list payload files only.")
            return nil
        case .tag where underData:
            diagnostics.problem(.payloadInTagManifest, file, line: line, "the tag manifest lists the payload file \"\(shown)\"; tag manifests must list tag files only.")
            return nil
        default:
            return canonical
        }
    }

    /// The part of `check` that applies to every path, also to the entries of a bundle: no
    /// absolute path, no `..`, no `~`, no NUL, not empty. Returns the canonical form.
    /// `file` is made only when a finding is reported.
    static func safeCanonical(_ path: [UInt8], file fileName: @autoclosure () -> String, line: Int?, diagnostics: inout BagDiagnostics,
                              allowHome: Bool = false) -> [UInt8]? {
        var shown: String { String(decoding: path, as: UTF8.self) }
        var file: String { fileName() }
        if path.first == UInt8(ascii: "/") || path.first == UInt8(ascii: "\\") || hasDriveLetter(path) {
            diagnostics.problem(.absolutePath, file, line: line, "the path \"\(shown)\" is absolute; paths in a bag are relative to the bag's folder.")
            return nil
        }
        if !allowHome && path.first == UInt8(ascii: "~") {
            diagnostics.problem(.homePath, file, line: line, "the path \"\(shown)\" starts with \"~\", which some tools read as a home folder outside the bag.")
            return nil
        }
        if path.contains(0) {
            diagnostics.problem(.invalidPath, file, line: line, "the path \"\(shown)\" contains a NUL byte.")
            return nil
        }
        // Most paths are already canonical: check the segments without allocating.
        var canonical = true
        var start = 0
        for end in 0...path.count where end == path.count || path[end] == UInt8(ascii: "/") {
            let length = end - start
            if length == 2 && path[start] == UInt8(ascii: ".") && path[start + 1] == UInt8(ascii: ".") {
                diagnostics.problem(.parentPath, file, line: line, "the path \"\(shown)\" has a \"..\" segment, which could climb out of the bag.")
                return nil
            }
            if length == 0 || (length == 1 && path[start] == UInt8(ascii: ".")) { canonical = false }
            start = end + 1
        }
        if canonical { return path }
        let kept = path.split(separator: UInt8(ascii: "/")).filter { !$0.elementsEqual([UInt8(ascii: ".")]) }
        guard !kept.isEmpty else {
            diagnostics.problem(.invalidPath, file, line: line, "the path \"\(shown)\" names no file.")
            return nil
        }
        return Array(kept.joined(separator: [UInt8(ascii: "/")]))
    }

    /// `C:` and the like: absolute on Windows, where the bag may be extracted.
    private static func hasDriveLetter(_ path: [UInt8]) -> Bool {
        guard path.count >= 2, path[1] == UInt8(ascii: ":") else { return false }
        let letter = path[0] | 0x20
        return letter >= UInt8(ascii: "a") && letter <= UInt8(ascii: "z")
    }
}
