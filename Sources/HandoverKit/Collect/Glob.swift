/// A path pattern relative to SOURCE, as written in a deliverable's `paths`.
///
/// `*` matches any run of characters within one path segment, `?` one character, `**` (a whole
/// segment) any number of folders, `{a,b}` either alternative (nested braces are fine). Nothing
/// else is special. Names compare as Swift strings, so a name written with a precomposed "é" in the
/// manifest matches a file whose name on disk uses "e" and a combining accent.
public struct Glob: Sendable, CustomStringConvertible {
    /// The pattern as written in the manifest.
    public let pattern: String
    /// The brace-expanded alternatives, each split into segments.
    private let alternatives: [[Segment]]

    /// Brace expansion can multiply patterns quickly; beyond this it is surely a mistake.
    static let maxAlternatives = 1024

    private enum Segment: Sendable {
        case anyFolders                 // **
        case literal(String)
        case wildcard([Character])      // contains * or ?
    }

    /// Why a pattern was refused, in words for the manifest's author.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case absolute
        case climbsOut
        case unbalancedBraces
        case tooManyAlternatives

        public var description: String {
            switch self {
            case .empty: "the pattern is empty"
            case .absolute: "the pattern is absolute; write it relative to SOURCE (no leading '/')"
            case .climbsOut: "the pattern climbs out of SOURCE with '..'; deliverables must be inside SOURCE"
            case .unbalancedBraces: "the pattern has an unbalanced '{' or '}'"
            case .tooManyAlternatives: "the pattern's {a,b} alternatives expand to more than \(Glob.maxAlternatives) patterns"
            }
        }
    }

    public init(_ pattern: String) throws(Problem) {
        guard !pattern.isEmpty else { throw .empty }
        guard !pattern.hasPrefix("/") && !pattern.hasPrefix("~") else { throw .absolute }
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
                    segments.append(.wildcard(Array(text)))
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

    public var description: String { pattern }

    /// Whether the file at `components` (the path relative to SOURCE, split at `/`) matches.
    public func matches(_ components: [String]) -> Bool {
        alternatives.contains { Glob.match($0[...], components[...]) }
    }

    /// Whether any file below the folder at `components` could match; lets a walk skip folders.
    public func mayMatchBelow(_ components: [String]) -> Bool {
        alternatives.contains { Glob.prefixMatch($0[...], components[...]) }
    }

    // MARK: Matching

    private static func match(_ pattern: ArraySlice<Segment>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if case .anyFolders = first {
            // `**` takes zero or more leading components; a trailing `**` matches everything below.
            var rest = path
            while true {
                if match(pattern.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let name = path.first, segmentMatches(first, name) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
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
        case .wildcard(let pattern): return wildcardMatches(pattern, Array(name))
        }
    }

    /// `*` and `?` matching in linear time: remember the last star and retry from there.
    private static func wildcardMatches(_ pattern: [Character], _ name: [Character]) -> Bool {
        var p = 0, n = 0
        var starP = -1, starN = 0
        while n < name.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == name[n]) {
                p += 1
                n += 1
            } else if p < pattern.count, pattern[p] == "*" {
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
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    // MARK: Brace expansion

    /// Expands `{a,b}` alternatives, innermost braces included, into plain patterns.
    static func expandBraces(_ text: [Character]) throws(Problem) -> [String] {
        var results: [String] = []
        try expand(text[...], prefix: "", into: &results)
        return results
    }

    private static func expand(_ text: ArraySlice<Character>, prefix: String, into results: inout [String]) throws(Problem) {
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
            try expand(text[start..<end] + tail, prefix: head, into: &results)
        }
    }
}
