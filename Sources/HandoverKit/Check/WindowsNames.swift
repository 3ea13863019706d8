/// Names a Windows receiver cannot hold. Many clients open the bundle on Windows: a name with
/// `:` or `?`, a folder called `CON`, a name ending in a dot, a path too long, or two names that
/// differ only by case lose files there, silently or with an error the client cannot act on.
/// They are warnings, or problems with `--windows-safe`.
public enum WindowsNames {
    /// The longest path Windows opens without the long-path opt-in (MAX_PATH, in UTF-16 units).
    public static let maxPath = 260
    /// Kept free for the folder the bundle is extracted into (`C:\Users\…\Downloads\`).
    public static let extractionRoom = 40
    /// The rule, in words, for --help and the README.
    public static let summary = "names with < > : \" | ? * or control characters, reserved names (CON, PRN, AUX, NUL, COM1-COM9, LPT1-LPT9, also with an extension), names ending in a dot or a space, paths longer than \(maxPath) characters once extracted (the bag's folder, data/ and the path, plus \(extractionRoom) for the folder it is extracted into), and names that differ only by case"

    /// Windows reads a backslash as a folder separator: `..\..\x` would climb out when extracted.
    static let forbidden: Set<Character> = ["<", ">", ":", "\"", "|", "?", "*", "\\"]
    static let reserved: Set<String> = Set(["CON", "PRN", "AUX", "NUL"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })

    /// The problems of one file's path (relative to SOURCE), under a bag named `bagName`.
    ///
    /// Build, verify and `missing` ask this of every file, twice for build: the bytes are looked
    /// at first, and a name is decoded and judged character by character only when its bytes
    /// show it might fail (a forbidden or control byte, a stem that could be a reserved name, a
    /// last byte that is a dot or a space). The verdict is the same; a million plain names cost
    /// no String each.
    static func problems(of file: SourceFile, bagName: String) -> [Problem] {
        var characters: [String] = []
        var reservedNames: [String] = []
        var trailing = false
        var start = 0
        let path = file.path
        while start <= path.count {
            let end = path[start...].firstIndex(of: UInt8(ascii: "/")) ?? path.count
            let bytes = path[start..<end]
            start = end + 1
            if bytes.contains(where: mayBeForbidden) {
                let name = String(decoding: bytes, as: UTF8.self)
                for character in name where forbidden.contains(character) || character.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                    let word = character.unicodeScalars.first.map { $0.value < 0x20 ? "U+" + hex($0.value) : String(character) } ?? ""
                    if !characters.contains(word) { characters.append(word) }
                }
            }
            if let name = reservedName(bytes) { reservedNames.append(name) }
            if let last = bytes.last, last == UInt8(ascii: ".") || last == UInt8(ascii: " ") {
                let name = String(decoding: bytes, as: UTF8.self)
                if name.hasSuffix(".") || name.hasSuffix(" ") { trailing = true }
            }
        }
        let length = extractedLength(of: file, bagName: bagName)
        guard !characters.isEmpty || !reservedNames.isEmpty || trailing || length > maxPath else { return [] }
        var problems: [Problem] = []
        let shown = file.displayPath
        if !characters.isEmpty {
            problems.append(Problem(file: shown, .windowsCharacters, ["characters": characters.joined(separator: " "), "count": String(characters.count)]))
        }
        for name in reservedNames { problems.append(Problem(file: shown, .windowsReservedName, ["name": name])) }
        if trailing { problems.append(Problem(file: shown, .windowsTrailing)) }
        if length > maxPath { problems.append(Problem(file: shown, .windowsPathTooLong, ["length": String(length), "maximum": String(maxPath)])) }
        return problems
    }

    /// A byte that is, or may begin, a character Windows refuses in a name.
    private static func mayBeForbidden(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "|") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "*")
            || byte == UInt8(ascii: "\\")
    }

    /// The name, when its stem (before the first dot, without the spaces around it) is a
    /// reserved name in any case. A stem of plain ASCII is judged on its bytes; any other is
    /// decoded, as uppercasing and spaces beyond ASCII need.
    private static func reservedName(_ bytes: ArraySlice<UInt8>) -> String? {
        let dot = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.endIndex
        let stem = bytes[..<dot]
        // A dot followed by a combining mark is not a dot to the character rule: decoded then.
        if stem.isAllASCII && (dot + 1 >= bytes.endIndex || bytes[dot + 1] < 0x80) {
            let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
            guard let first = stem.firstIndex(where: { !isBlank($0) }), let last = stem.lastIndex(where: { !isBlank($0) }),
                  (3...4).contains(last - first + 1) else { return nil }
            // Three or four ASCII characters: uppercasing them as text costs next to nothing.
            return reserved.contains(String(decoding: stem[first...last], as: UTF8.self).uppercased()) ? String(decoding: bytes, as: UTF8.self) : nil
        }
        let name = String(decoding: bytes, as: UTF8.self)
        let text = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
        return reserved.contains(text.trimmingCharacters(in: .whitespaces).uppercased()) ? name : nil
    }

    /// The path's length on Windows once extracted: room for the folder it goes into, the
    /// bag's folder, `data\` and the path, in UTF-16 units as Windows counts them.
    static func extractedLength(of file: SourceFile, bagName: String) -> Int {
        // Plain ASCII is one unit a byte; anything else is counted as decoded (a byte that is
        // not UTF-8 is shown as U+FFFD).
        let path = file.path.isAllASCII ? file.path.count : String(decoding: file.path, as: UTF8.self).utf16.count
        return extractionRoom + bagName.utf16.count + "/data/".utf16.count + path
    }

    /// For each path that another differs from only by case (Windows would keep one of the
    /// two), the other path, for the message. Files are compared whole path against whole path.
    static func caseClashes(_ lists: [[SourceFile]]) -> [[UInt8]: String] {
        // Sixteen bytes a file (a hash of the lowercased path, and where the file is), sorted so
        // that equal names sit together; names are compared only within a run of equal hashes.
        // A dictionary of every lowercased path cost ten times that for a million files.
        var keys: [(hash: Int, list: Int32, item: Int32)] = []
        keys.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for (list, files) in lists.enumerated() {
            for (item, file) in files.enumerated() { keys.append((lowered(file).hashValue, Int32(list), Int32(item))) }
        }
        keys.sort { ($0.hash, $0.list, $0.item) < ($1.hash, $1.list, $1.item) }
        var clashes: [[UInt8]: String] = [:]
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count && keys[end].hash == keys[start].hash { end += 1 }
            if end - start > 1 {
                // In the order of the lists, as one pass over them would meet the files.
                var first: [String: SourceFile] = [:]
                for key in keys[start..<end] {
                    let file = lists[Int(key.list)][Int(key.item)]
                    let name = lowered(file)
                    if let other = first[name] {
                        if other.path != file.path {
                            clashes[file.path] = other.displayPath
                            clashes[other.path] = clashes[other.path] ?? file.displayPath
                        }
                    } else {
                        first[name] = file
                    }
                }
            }
            start = end
        }
        return clashes
    }

    private static func lowered(_ file: SourceFile) -> String { String(decoding: file.path, as: UTF8.self).lowercased() }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

import Foundation

/// What the Windows rules find in a selection's names: the same for every check of it, so build
/// makes it once for its two checks (before and after reading the files).
package struct NameFindings: Sendable {
    /// For each path another differs from only by case, the other one.
    let clashes: [[UInt8]: String]
    /// The problems of each path that has some.
    let problems: [[UInt8]: [Problem]]
    /// For each path whose name in the bag is another's (`a.txt` of a confidential deliverable,
    /// stored as `a.txt.age`, and a file `a.txt.age` selected too): the other, and that name.
    /// Not a Windows matter: no bag holds two entries of one name, on any system.
    let storedClashes: [[UInt8]: (other: String, stored: String)]

    init(manifest: Manifest, selection: Selection) {
        // Judged on the path each file will have in the bag: its folder's name has the same
        // length whatever the time, so any time gives it.
        let bagName = BagLayout.bagName(client: manifest.parties.client, created: 0)
        clashes = WindowsNames.caseClashes(selection.files)
        var problems: [[UInt8]: [Problem]] = [:]
        for files in selection.files {
            for file in files where problems[file.path] == nil {
                let found = WindowsNames.problems(of: file, bagName: bagName)
                if !found.isEmpty { problems[file.path] = found }
            }
        }
        self.problems = problems
        storedClashes = Self.storedClashes(manifest: manifest, selection: selection)
    }

    /// Only the confidential files' stored names are kept (few), and only the selected names
    /// ending in `.age` are looked up in them.
    private static func storedClashes(manifest: Manifest, selection: Selection) -> [[UInt8]: (other: String, stored: String)] {
        let suffix = Array(".age".utf8)
        var encrypted: [[UInt8]: SourceFile] = [:]
        for (index, deliverable) in manifest.deliverables.enumerated() where deliverable.confidential {
            for file in selection.files[index] { encrypted[file.path + suffix] = file }
        }
        guard !encrypted.isEmpty else { return [:] }
        var clashes: [[UInt8]: (other: String, stored: String)] = [:]
        for (index, deliverable) in manifest.deliverables.enumerated() where !deliverable.confidential {
            for file in selection.files[index] where file.path.count > suffix.count && file.path.suffix(suffix.count).elementsEqual(suffix) {
                guard let secret = encrypted[file.path] else { continue }
                let stored = "data/" + file.displayPath
                clashes[file.path] = (secret.displayPath, stored)
                clashes[secret.path] = (file.displayPath, stored)
            }
        }
        return clashes
    }
}
