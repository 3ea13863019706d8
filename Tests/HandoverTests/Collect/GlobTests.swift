import Foundation
import HandoverKit
import Testing

/// Whether `pattern` selects the file at `path` (relative to SOURCE, `/`-separated).
func glob(_ pattern: String, matches path: String) throws -> Bool {
    try Glob(pattern).matches(path.split(separator: "/").map(String.init))
}

@Suite("The globs of a deliverable's paths select files")
struct GlobTests {
    @Test("* matches any run of characters within one name, never across /")
    func star() throws {
        #expect(try glob("access/*.csv", matches: "access/accounts.csv"))
        #expect(try glob("access/*.csv", matches: "access/.csv"))
        #expect(try glob("access/*", matches: "access/anything at all"))
        #expect(try glob("*", matches: "readme.txt"))
        #expect(try glob("access/acc*ts*.csv", matches: "access/accounts-2026.csv"))
        #expect(try !glob("access/*.csv", matches: "access/sub/accounts.csv"))
        #expect(try !glob("access/*.csv", matches: "access/accounts.csv.bak"))
        #expect(try !glob("access/*.csv", matches: "other/accounts.csv"))
        #expect(try !glob("*", matches: "docs/readme.txt"))
        #expect(try !glob("access/*.csv", matches: "access"))
    }

    @Test("? matches exactly one character, an accented one too")
    func questionMark() throws {
        #expect(try glob("logs/day?.log", matches: "logs/day1.log"))
        #expect(try !glob("logs/day?.log", matches: "logs/day.log"))
        #expect(try !glob("logs/day?.log", matches: "logs/day12.log"))
        #expect(try glob("caf?.txt", matches: "café.txt"))
        #expect(try glob("caf?.txt", matches: "cafe\u{301}.txt"), "e and a combining accent are one character")
        #expect(try !glob("a?b", matches: "a/b"))
    }

    @Test("** matches zero folders, several folders, and everything below when trailing")
    func globstar() throws {
        #expect(try glob("docs/**/runbook.md", matches: "docs/runbook.md"))
        #expect(try glob("docs/**/runbook.md", matches: "docs/ops/runbook.md"))
        #expect(try glob("docs/**/runbook.md", matches: "docs/ops/linux/2026/runbook.md"))
        #expect(try !glob("docs/**/runbook.md", matches: "other/ops/runbook.md"))
        #expect(try glob("docs/**", matches: "docs/a.pdf"))
        #expect(try glob("docs/**", matches: "docs/a/b/c/d.pdf"))
        #expect(try !glob("docs/**", matches: "documents/a.pdf"))
        #expect(try glob("**/*.csv", matches: "accounts.csv"))
        #expect(try glob("**/*.csv", matches: "a/b/c/accounts.csv"))
        #expect(try !glob("**/*.csv", matches: "a/b/c/accounts.xlsx"))
        #expect(try glob("a/**/b/**/c.txt", matches: "a/b/c.txt"))
        #expect(try glob("a/**/b/**/c.txt", matches: "a/x/b/y/z/c.txt"))
        #expect(try !glob("a/**/b/**/c.txt", matches: "a/x/y/z/c.txt"))
        #expect(try glob("a/**/**/c.txt", matches: "a/c.txt"))
    }

    @Test("{a,b} picks alternatives, nested and in several groups")
    func braces() throws {
        #expect(try glob("docs/*.{pdf,md}", matches: "docs/plan.pdf"))
        #expect(try glob("docs/*.{pdf,md}", matches: "docs/plan.md"))
        #expect(try !glob("docs/*.{pdf,md}", matches: "docs/plan.txt"))
        #expect(try glob("{docs,documentation}/**/*.pdf", matches: "documentation/x/plan.pdf"))
        #expect(try glob("exports/{csv/{accounts,roles},json}/*", matches: "exports/csv/roles/2026.csv"))
        #expect(try glob("exports/{csv/{accounts,roles},json}/*", matches: "exports/json/all.json"))
        #expect(try !glob("exports/{csv/{accounts,roles},json}/*", matches: "exports/csv/other/x.csv"))
        #expect(try glob("{a,b}/{c,d}/{e,f}.txt", matches: "b/c/f.txt"))
        #expect(try glob("{a,b}/{c,d}/{e,f}.txt", matches: "a/d/e.txt"))
        #expect(try !glob("{a,b}/{c,d}/{e,f}.txt", matches: "a/e/e.txt"))
        #expect(try glob("report{,-final}.pdf", matches: "report.pdf"))
        #expect(try glob("report{,-final}.pdf", matches: "report-final.pdf"))
    }

    @Test("names with spaces and accents match, whether written precomposed or decomposed")
    func unicodeNames() throws {
        let nfc = "Procédures d'exploitation/Sauvegarde et restauration.pdf"
        let nfd = nfc.decomposedStringWithCanonicalMapping
        #expect(Array(nfc.utf8) != Array(nfd.utf8), "the test needs two different byte spellings")
        #expect(try glob("Procédures d'exploitation/*.pdf", matches: nfd))
        #expect(try glob("Procédures d'exploitation/*.pdf".decomposedStringWithCanonicalMapping, matches: nfc))
        #expect(try glob("Procédures d'exploitation/Sauvegarde et restauration.pdf", matches: nfd))
        #expect(try glob("**/Sauvegarde*.pdf", matches: nfd))
        #expect(try !glob("Procedures d'exploitation/*.pdf", matches: nfc), "an accent is not ignored")
    }

    @Test("brace alternatives are limited, so a pattern cannot expand without bound")
    func braceLimit() throws {
        let ten = String(repeating: "{a,b}", count: 10)   // 1024 alternatives: the limit
        #expect(try glob(ten, matches: "abababaaaa"))
        #expect(throws: Glob.Problem.tooManyAlternatives) { try Glob(ten + "{a,b}") }
        #expect(throws: Glob.Problem.tooManyAlternatives) { try Glob(String(repeating: "{a,b,c,d}", count: 40)) }
    }

    @Test("a pattern that is empty, absolute, climbs out or has unbalanced braces is refused")
    func refused() {
        #expect(throws: Glob.Problem.empty) { try Glob("") }
        #expect(throws: Glob.Problem.empty) { try Glob("./") }
        #expect(throws: Glob.Problem.absolute) { try Glob("/etc/passwd") }
        #expect(throws: Glob.Problem.absolute) { try Glob("~/x") }
        #expect(throws: Glob.Problem.climbsOut) { try Glob("../x") }
        #expect(throws: Glob.Problem.climbsOut) { try Glob("a/../../b") }
        #expect(throws: Glob.Problem.climbsOut) { try Glob("a/{b,..}/c") }
        #expect(throws: Glob.Problem.unbalancedBraces) { try Glob("docs/{a,b") }
        #expect(throws: Glob.Problem.unbalancedBraces) { try Glob("docs/a,b}") }
        #expect(throws: Glob.Problem.unbalancedBraces) { try Glob("docs/{a,{b}") }
    }

    @Test("./ and repeated slashes are harmless")
    func dotSegments() throws {
        #expect(try glob("./docs//*.pdf", matches: "docs/a.pdf"))
    }

    @Test("mayMatchBelow says which folders a walk may skip")
    func mayMatchBelow() throws {
        let csv = try Glob("access/*.csv")
        #expect(csv.mayMatchBelow([]))
        #expect(csv.mayMatchBelow(["access"]))
        #expect(!csv.mayMatchBelow(["docs"]))
        #expect(!csv.mayMatchBelow(["access", "sub"]))
        #expect(!csv.mayMatchBelow(["access", "accounts.csv"]))

        let deep = try Glob("docs/**/*.pdf")
        #expect(deep.mayMatchBelow(["docs"]))
        #expect(deep.mayMatchBelow(["docs", "a", "b", "c"]))
        #expect(!deep.mayMatchBelow(["data"]))

        let braces = try Glob("{docs,access}/x/*.csv")
        #expect(braces.mayMatchBelow(["access", "x"]))
        #expect(braces.mayMatchBelow(["docs"]))
        #expect(!braces.mayMatchBelow(["other"]))
        #expect(!braces.mayMatchBelow(["docs", "y"]))

        #expect(try Glob("**/*.csv").mayMatchBelow(["any", "where"]))
        #expect(try Glob("d?cs/*").mayMatchBelow(["docs"]))
        #expect(try Glob("Procédures/*").mayMatchBelow(["Procédures".decomposedStringWithCanonicalMapping]))
    }
}

@Suite("A hostile glob costs bounded time")
struct HostileGlobTests {
    @Test("many ** segments against a deep path answer at once")
    func manyGlobstars() throws {
        let pattern = String(repeating: "**/a/", count: 12) + "b"
        let path = [String](repeating: "a", count: 200) + ["c"]
        let clock = ContinuousClock()
        let start = clock.now
        let answers = try finishes { [try Glob(pattern).matches(path), try Glob(pattern).matches([String](repeating: "a", count: 200) + ["b"])] }
        #expect(answers == [false, true])
        #expect(clock.now - start < .seconds(2))
    }

    @Test("many stars in one name answer at once")
    func manyStars() throws {
        let pattern = String(repeating: "*a", count: 200) + "b"
        let name = String(repeating: "a", count: 5000)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try finishes { try Glob(pattern).matches([name]) } == false)
        #expect(clock.now - start < .seconds(2))
    }

    @Test("deeply nested or very long patterns are refused, not a crash")
    func nestedBraces() throws {
        let nested = String(repeating: "{", count: 2_000) + "a" + String(repeating: "}", count: 2_000)
        let errors = try finishes { [caught { try Glob(nested) }, caught { try Glob(String(repeating: "a/", count: 100_000) + "b") }] }
        #expect(errors[0] as? Glob.Problem == .bracesTooDeep)
        #expect(errors[1] as? Glob.Problem == .tooLong)
        // Sixteen levels are still fine.
        let sixteen = String(repeating: "x{y,", count: 16) + "a" + String(repeating: "}", count: 16)
        #expect(try glob(sixteen + "/f", matches: "xxy/f"))
        #expect(try glob(sixteen + "/f", matches: String(repeating: "x", count: 16) + "a/f"))
    }

    @Test("long chains of braces under many alternatives stop early")
    func braceChains() throws {
        let pattern = String(repeating: "{a,b}", count: 10) + String(repeating: "{a}", count: 1000)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try finishes { caught { try Glob(pattern) } } as? Glob.Problem == .tooManyAlternatives)
        #expect(clock.now - start < .seconds(2))
    }

    @Test("random patterns and paths: the matcher agrees with a plain backtracking one, on ASCII and beyond")
    func agreesWithBacktracking() throws {
        let names = ["a", "b", "ab", "a.b", "ba", "é", "e\u{301}", "a\r\nb", "aa", ".", "x?"]
        let pieces = ["a", "b", "*", "?", "é", "e", ".b", "*a", "a*", "?b", "**"]
        // CR LF is one character: `?` takes it whole, as the reference does.
        #expect(try Glob("a?b").matches(["a\r\nb"]) && Self.wildcard(Array("a?b")[...], Array("a\r\nb")[...]))
        #expect(try Glob("*?.txt").matches(["\r\n.txt"]) && !(try Glob("??.txt").matches(["\r\n.txt"])))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3_000 {
            let pattern = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                (0..<Int.random(in: 1...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let path = (0..<Int.random(in: 1...4, using: &generator)).map { _ in names.randomElement(using: &generator)! }
            // A segment with ** beside other characters is a plain wildcard, as the reference has it.
            let segments = pattern.map { $0.contains("**") && $0 != "**" ? $0.replacingOccurrences(of: "**", with: "*") : $0 }
            let written = segments.joined(separator: "/")
            let expected = Self.reference(segments[...], path[...])
            #expect(try Glob(written).matches(path) == expected, "\(written) against \(path)")
        }
    }

    /// Segment by segment, `**` taking any number of them; within a segment `*` and `?` on
    /// characters, by backtracking.
    static func reference(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            return (path.startIndex...path.endIndex).contains { reference(pattern.dropFirst(), path[$0...]) }
        }
        guard let name = path.first, wildcard(Array(first)[...], Array(name)[...]) else { return false }
        return reference(pattern.dropFirst(), path.dropFirst())
    }

    static func wildcard(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        if first == "*" { return (name.startIndex...name.endIndex).contains { wildcard(pattern.dropFirst(), name[$0...]) } }
        guard let character = name.first, first == "?" || first == character else { return false }
        return wildcard(pattern.dropFirst(), name.dropFirst())
    }
}
