/// A path pattern relative to SOURCE, as written in a deliverable's `paths`.
///
/// `*` matches any run of characters within one path segment, `?` one character, `**` (a whole
/// segment) any number of folders, `{a,b}` either alternative (nested braces are fine). Nothing
/// else is special. Names compare as Swift strings, so a name written with a precomposed "é" in the
/// manifest matches a file whose name on disk uses "e" and a combining accent.
package struct Glob: Sendable, CustomStringConvertible {
    /// The pattern as written in the manifest.
    package let pattern: String
    /// The brace-expanded alternatives, each split into segments.
    private let alternatives: [[Segment]]

    /// Brace expansion can multiply patterns quickly; beyond this it is surely a mistake.
    static let maxAlternatives = 1024
    /// No path on Linux is longer (PATH_MAX); a longer pattern can only be a mistake or an attack.
    static let maxLength = 4096
    /// Braces nest this deep at most, which bounds the expansion's recursion.
    static let maxBraceDepth = 16

    private enum Segment: Sendable {
        case anyFolders                 // **
        case literal(String)
        case wildcard([Character], ascii: [UInt8]?)     // contains * or ?; its bytes when plain ASCII
    }

    /// Why a pattern was refused, in words for the manifest's author.
    package enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case absolute
        case climbsOut
        case unbalancedBraces
        case tooManyAlternatives
        case tooLong
        case bracesTooDeep

        package var description: String {
            switch self {
            case .empty: "the pattern is empty"
            case .absolute: "the pattern is absolute; write it relative to SOURCE (no leading '/')"
            case .climbsOut: "the pattern climbs out of SOURCE with '..'; deliverables must be inside SOURCE"
            case .unbalancedBraces: "the pattern has an unbalanced '{' or '}'"
            case .tooManyAlternatives: "the pattern's {a,b} alternatives expand to more than \(Glob.maxAlternatives) patterns"
            case .tooLong: "the pattern is longer than \(Glob.maxLength) bytes"
            case .bracesTooDeep: "the pattern nests {a,b} alternatives more than \(Glob.maxBraceDepth) deep"
            }
        }
    }

    package init(_ pattern: String) throws(Problem) {
        guard !pattern.isEmpty else { throw .empty }
        guard !pattern.hasPrefix("/") && !pattern.hasPrefix("~") else { throw .absolute }
        guard pattern.utf8.count <= Glob.maxLength else { throw .tooLong }
        var depth = 0
        for character in pattern.utf8 where character == UInt8(ascii: "{") || character == UInt8(ascii: "}") {
            depth += character == UInt8(ascii: "{") ? 1 : -1
            if depth > Glob.maxBraceDepth { throw .bracesTooDeep }
        }
        let expanded = try Glob.expandBraces(Array(pattern))
        var alternatives: [[Segment]] = []
        for alternative in expanded {
            var segments: [Segment] = []
            for part in alternative.split(separator: "/", omittingEmptySubsequences: true) {
                let text = String(part)
                if text == ".." { throw .climbsOut }
                if text == "." { continue }
                if text == "**" {
                    if case .anyFolders = segments.last { continue }
                    segments.append(.anyFolders)
                } else if text.contains("*") || text.contains("?") {
                    segments.append(.wildcard(Array(text), ascii: Glob.plainASCII(text) ? Array(text.utf8) : nil))
                } else {
                    segments.append(.literal(text))
                }
            }
            if segments.isEmpty { throw .empty }
            alternatives.append(segments)
        }
        self.pattern = pattern
        self.alternatives = alternatives
    }

    package var description: String { pattern }

    /// Whether the file at `components` (the path relative to SOURCE, split at `/`) matches.
    package func matches(_ components: [String]) -> Bool {
        alternatives.contains { Glob.match($0, components) }
    }

    /// Whether any file below the folder at `components` could match; lets a walk skip folders.
    package func mayMatchBelow(_ components: [String]) -> Bool {
        alternatives.contains { Glob.prefixMatch($0[...], components[...]) }
    }

    // MARK: Matching

    /// Walks the path with the set of pattern positions it can have reached (a small NFA), so the
    /// cost is pattern × path: backtracking over several `**` would be exponential in their number.
    private static func match(_ pattern: [Segment], _ path: [String]) -> Bool {
        if pattern.count < 64 { return matchInWord(pattern, path) }
        var states = [Bool](repeating: false, count: pattern.count + 1)
        states[0] = true
        skipGlobstars(&states, pattern)
        for name in path {
            var next = [Bool](repeating: false, count: pattern.count + 1)
            var alive = false
            for index in pattern.indices where states[index] {
                if case .anyFolders = pattern[index] {
                    next[index] = true          // `**` takes this component and may take more
                    alive = true
                } else if segmentMatches(pattern[index], name) {
                    next[index + 1] = true
                    alive = true
                }
            }
            guard alive else { return false }
            skipGlobstars(&next, pattern)
            states = next
        }
        return states[pattern.count]
    }

    /// `match` with the set of positions in the bits of one word: patterns have far fewer than
    /// 64 segments, and a million paths then cost no allocation each.
    private static func matchInWord(_ pattern: [Segment], _ path: [String]) -> Bool {
        var globstars: UInt64 = 0
        for (index, segment) in pattern.enumerated() { if case .anyFolders = segment { globstars |= 1 << UInt64(index) } }
        // A position before `**` also stands after it; a run of them is at most one (merged).
        func skip(_ states: UInt64) -> UInt64 { states | ((states & globstars) << 1) }
        var states = skip(1)
        for name in path {
            // `**` takes this component and may take more.
            var next = states & globstars
            var rest = states & ~globstars
            while rest != 0 {
                let index = rest.trailingZeroBitCount
                rest &= rest - 1
                if index < pattern.count, segmentMatches(pattern[index], name) { next |= 1 << UInt64(index + 1) }
            }
            guard next != 0 else { return false }
            states = skip(next)
        }
        return states & (1 << UInt64(pattern.count)) != 0
    }

    /// Text whose characters are its bytes: ASCII without CR (CR LF is one character).
    private static func plainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
    }

    /// A position before `**` also stands after it, since `**` may take no folder at all.
    private static func skipGlobstars(_ states: inout [Bool], _ pattern: [Segment]) {
        for index in pattern.indices where states[index] {
            if case .anyFolders = pattern[index] { states[index + 1] = true }
        }
    }

    private static func prefixMatch(_ pattern: ArraySlice<Segment>, _ folder: ArraySlice<String>) -> Bool {
        guard let name = folder.first else { return !pattern.isEmpty }
        guard let first = pattern.first else { return false }
        if case .anyFolders = first { return true }
        guard segmentMatches(first, name) else { return false }
        return prefixMatch(pattern.dropFirst(), folder.dropFirst())
    }

    private static func segmentMatches(_ segment: Segment, _ name: String) -> Bool {
        switch segment {
        case .anyFolders: return true
        case .literal(let text): return text == name
        case .wildcard(let pattern, let ascii):
            if let ascii, plainASCII(name) { return wildcardMatches(ascii, Array(name.utf8), any: UInt8(ascii: "?"), star: UInt8(ascii: "*")) }
            return wildcardMatches(pattern, Array(name), any: "?", star: "*")
        }
    }

    /// `*` and `?` matching in linear time: remember the last star and retry from there.
    /// On characters, or on bytes when both are plain ASCII (the same answer, far quicker).
    private static func wildcardMatches<Unit: Equatable>(_ pattern: [Unit], _ name: [Unit], any: Unit, star: Unit) -> Bool {
        var p = 0, n = 0
        var starP = -1, starN = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == any || (pattern[p] != star && pattern[p] == name[n]) {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == star {
                starP = p
                starN = n
                p += 1
            } else if starP >= 0 {
                p = starP + 1
                starN += 1
                n = starN
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    // MARK: Brace expansion

    /// Expands `{a,b}` alternatives, innermost braces included, into plain patterns.
    static func expandBraces(_ text: [Character]) throws(Problem) -> [String] {
        var results: [String] = []
        // Each step copies the rest of the pattern; bounding the steps bounds the work, even for
        // long chains of single-choice braces under many alternatives.
        var steps = 8 * maxAlternatives
        try expand(text[...], prefix: "", into: &results, steps: &steps)
        return results
    }

    private static func expand(_ text: ArraySlice<Character>, prefix: String, into results: inout [String], steps: inout Int) throws(Problem) {
        steps -= 1
        if steps < 0 { throw .tooManyAlternatives }
        guard let open = text.firstIndex(of: "{") else {
            if text.contains("}") { throw .unbalancedBraces }
            results.append(prefix + String(text))
            if results.count > maxAlternatives { throw .tooManyAlternatives }
            return
        }
        if text[text.startIndex..<open].contains("}") { throw .unbalancedBraces }
        // Find the matching close brace and the top-level commas between.
        var depth = 0
        var commas: [Int] = []
        var close: Int?
        var index = open
        while index < text.endIndex {
            switch text[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { close = index }
            case "," where depth == 1: commas.append(index)
            default: break
            }
            if close != nil { break }
            index += 1
        }
        guard let close else { throw .unbalancedBraces }
        let head = prefix + String(text[text.startIndex..<open])
        let tail = text[(close + 1)...]
        var starts = [open + 1]
        starts += commas.map { $0 + 1 }
        var ends = commas
        ends.append(close)
        for (start, end) in zip(starts, ends) {
            // Expand the choice together with what follows, so later braces multiply out.
            try expand(text[start..<end] + tail, prefix: head, into: &results, steps: &steps)
        }
    }
}
