import Foundation
@testable import HandoverKit
import Testing

/// An export made on Linux that a client will open on Windows.
func windowsHostileSource() throws -> SourceFixture {
    let long = String(repeating: "l", count: 60)
    return try bundleSource(extraFiles: [
        "docs/réunion: bilan?.md": "colon and question mark\n",
        "docs/aux.md": "reserved device name\n",
        "docs/version finale./plan.md": "folder ending in a dot\n",
        "docs/Plan.md": "upper case\n",
        "docs/plan.md": "lower case\n",
        "docs/tab\there.md": "a control character\n",
        "docs/\(long)/\(long)/\(long)/file.md": "too long once extracted\n",
    ])
}

@Suite("Names a Windows receiver cannot hold")
struct WindowsNamesTests {
    @Test("each kind of name is found, on the path it has in the bag",
          arguments: [
            ("a/b<c>.txt", [ProblemCode.windowsCharacters]), ("a/x|y*.txt", [.windowsCharacters]),
            ("CON", [.windowsReservedName]), ("docs/nul.txt", [.windowsReservedName]), ("COM1/a.txt", [.windowsReservedName]),
            ("lpt9.log", [.windowsReservedName]), ("docs/console.txt", []), ("COM0.txt", []), ("auxiliary.md", []),
            ("a./b.txt", [.windowsTrailing]), ("a/b.txt ", [.windowsTrailing]), ("a b/c d.txt", []),
          ])
    func kinds(_ path: String, _ codes: [ProblemCode]) {
        let file = SourceFile(path: Array(path.utf8), kind: .regular, size: 1, modified: Timestamp(seconds: 0))
        #expect(WindowsNames.problems(of: file, bagName: handoverBagName).compactMap(\.code) == codes)
    }

    @Test("the path is measured as extracted: room for the folder, the bag's name, data/ and the path")
    func length() {
        let room = WindowsNames.maxPath - WindowsNames.extractionRoom - handoverBagName.count - "/data/".count
        let fits = SourceFile(path: Array(String(repeating: "a", count: room).utf8), kind: .regular, size: 1, modified: Timestamp(seconds: 0))
        let over = SourceFile(path: Array(String(repeating: "a", count: room + 1).utf8), kind: .regular, size: 1, modified: Timestamp(seconds: 0))
        #expect(WindowsNames.problems(of: fits, bagName: handoverBagName).isEmpty)
        let problem = WindowsNames.problems(of: over, bagName: handoverBagName).first
        #expect(problem?.code == .windowsPathTooLong)
        #expect(problem?.parameters?["length"] == "261")
    }

    @Test("missing warns and stays ready; with --windows-safe the deliverable is invalid")
    func missing() throws {
        let fixture = try windowsHostileSource()
        let report = try fixture.check()
        #expect(report.passed)
        let documentation = try report.result("documentation")
        #expect(documentation.status == .ok)
        let codes = Dictionary(grouping: documentation.warnings.compactMap(\.code), by: { $0 }).mapValues(\.count)
        #expect(codes == [.windowsCharacters: 2, .windowsReservedName: 1, .windowsTrailing: 1, .windowsPathTooLong: 1, .windowsCaseClash: 2])
        let clash = try #require(documentation.warnings.first { $0.file == "docs/plan.md" && $0.code == .windowsCaseClash })
        #expect(clash.message == "differs from docs/Plan.md only by case; Windows keeps one of the two")
        let tab = try #require(documentation.warnings.first { $0.file?.hasPrefix("docs/tab") == true })
        #expect(tab.parameters?["characters"] == "U+0009")

        let text = try fixture.missing()
        #expect(text.status == 0, "\(text.stdout)")
        #expect(text.stdout.contains("note: docs/aux.md: uses the name aux.md, which Windows reserves for a device; rename it"))
        let safe = try fixture.missing(["--windows-safe"])
        #expect(safe.status == 1)
        #expect(safe.stdout.split(separator: "\n").contains { $0.hasPrefix("INVALID") && $0.contains(" documentation ") })
        #expect(safe.stdout.contains("docs/réunion: bilan?.md: holds characters Windows does not allow in a name: : ?"))
        let json = try jsonObject(try fixture.missing(["--windows-safe", "--format", "json"]))
        #expect(json["windowsSafe"] as? Bool == true)
        #expect(json["passed"] as? Bool == false)
    }

    @Test("build warns on stderr and writes; with --windows-safe it refuses and writes nothing")
    func build() throws {
        let fixture = try windowsHostileSource()
        let output = fixture.temp.path("acme.tar")
        let warned = try fixture.build(to: output)
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: documentation: 7 names a Windows receiver cannot hold (--windows-safe refuses them):"), "\(warned.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))

        let refusedOutput = fixture.temp.path("safe.tar")
        let refused = try fixture.build(to: refusedOutput, ["--windows-safe"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("docs/aux.md: uses the name aux.md, which Windows reserves for a device"))
        #expect(refused.stderr.contains("nothing was written"))
        #expect(!FileManager.default.fileExists(atPath: refusedOutput))
    }

    @Test("judging the bytes first gives what the character rule gives, on names made to trip it")
    func bytesAgreeWithCharacters() {
        // Pieces that decide a verdict: reserved stems in any case, dots and spaces, forbidden
        // and control characters, a combining mark after a dot, a no-break space, letters that
        // uppercase to ASCII, a byte that is not UTF-8, CR LF, and folders.
        let pieces: [[UInt8]] = ["con", "CoM1", "LPT9", "aux", "nul", "prn", ".", " ", "\t", ":", "?", "a", "txt", "/",
                                 "\u{301}", "\u{A0}", "\u{131}", "\u{212A}", "\r\n", "é"].map { Array($0.utf8) } + [[0xFF], [0xC3]]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let path = (0..<Int.random(in: 1...6, using: &generator)).flatMap { _ in pieces.randomElement(using: &generator)! }
            let file = SourceFile(path: path, kind: .regular, size: 1, modified: Timestamp(seconds: 0))
            let found = WindowsNames.problems(of: file, bagName: handoverBagName)
            #expect(found.map(\.description) == Self.characterRule(file).map(\.description), "\(path)")
        }
    }

    /// The rule as it was written on characters alone, the reference for the byte shortcuts.
    static func characterRule(_ file: SourceFile) -> [Problem] {
        var problems: [Problem] = []
        var characters: [String] = []
        var reservedNames: [String] = []
        var trailing = false
        for name in file.components {
            for character in name where WindowsNames.forbidden.contains(character) || character.unicodeScalars.contains(where: { $0.value < 0x20 }) {
                let word = character.unicodeScalars.first.map { $0.value < 0x20 ? "U+" + WindowsNames.hex($0.value) : String(character) } ?? ""
                if !characters.contains(word) { characters.append(word) }
            }
            let stem = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
            if WindowsNames.reserved.contains(stem.trimmingCharacters(in: .whitespaces).uppercased()) { reservedNames.append(name) }
            if name.hasSuffix(".") || name.hasSuffix(" ") { trailing = true }
        }
        if !characters.isEmpty {
            problems.append(Problem(file: file.displayPath, .windowsCharacters, ["characters": characters.joined(separator: " "), "count": String(characters.count)]))
        }
        for name in reservedNames { problems.append(Problem(file: file.displayPath, .windowsReservedName, ["name": name])) }
        if trailing { problems.append(Problem(file: file.displayPath, .windowsTrailing)) }
        let length = WindowsNames.extractionRoom + handoverBagName.utf16.count + "/data/".utf16.count + String(decoding: file.path, as: UTF8.self).utf16.count
        if length > WindowsNames.maxPath {
            problems.append(Problem(file: file.displayPath, .windowsPathTooLong, ["length": String(length), "maximum": String(WindowsNames.maxPath)]))
        }
        return problems
    }
}
