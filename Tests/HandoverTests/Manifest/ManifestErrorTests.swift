import Foundation
import HandoverKit
import Testing

/// The error a manifest text raises, or nil when it parses.
func manifestError(_ text: String, fileName: String = "handover.yaml") -> ManifestError? {
    manifestError(bytes: Array(text.utf8), fileName: fileName)
}

func manifestError(bytes: [UInt8], fileName: String = "handover.yaml") -> ManifestError? {
    do {
        _ = try ManifestParser.parse(bytes, fileName: fileName)
        return nil
    } catch {
        return error
    }
}

/// One deliverable that is valid on its own, for tests that break something else.
let accessList = """
      - id: access-list
        title: Accounts and access rights
        paths: ["access/*.csv"]

    """

/// Ten anchors, each a list of ten aliases of the one before: 10^10 values once expanded.
func aliasBomb(asKey: Bool) -> String {
    var text = "version: 1\nbomb0: &b0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 {
        text += "bomb\(level): &b\(level) [" + Array(repeating: "*b\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
    }
    text += asKey ? "? *b9\n: boom\n" : "handover: *b9\n"
    return text
}

@Suite("A manifest with a mistake is refused, naming the line and the key")
struct ManifestErrorTests {
    /// A typo, where it was made, and the key the message should suggest.
    struct Typo: Sendable, CustomTestStringConvertible {
        let place: String
        let text: String
        let typo: String
        let suggestion: String?
        var testDescription: String { "\(typo) in \(place)" }
    }

    static let typos: [Typo] = [
        Typo(place: "a deliverable", text: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                requierd: false
                paths: ["access/*.csv"]
            """), typo: "requierd", suggestion: "required"),
        Typo(place: "the top level", text: manifestText(deliverables: accessList) + "deliverabels: []\n",
             typo: "deliverabels", suggestion: "deliverables"),
        Typo(place: "the top level, far from any key", text: "owner: Bob\n" + manifestText(deliverables: accessList),
             typo: "owner", suggestion: nil),
        Typo(place: "the handover section", text: manifestText(deliverables: accessList)
                .replacingOccurrences(of: "  recipient:", with: "  recipeint:"),
             typo: "recipeint", suggestion: "recipient"),
        Typo(place: "the csv section", text: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
                csv:
                  required-column: [account, role]
            """), typo: "required-column", suggestion: "required-columns"),
        Typo(place: "a deliverable, in capitals", text: manifestText(deliverables: """
              - id: access-list
                Title: Accounts
                paths: ["access/*.csv"]
            """), typo: "Title", suggestion: "title"),
    ]

    @Test("an unknown key is reported at its line, with the key that was meant", arguments: typos)
    func unknownKey(_ typo: Typo) throws {
        let error = try #require(manifestError(typo.text))
        #expect(error.file == "handover.yaml")
        #expect(error.line == lineNumber(of: typo.typo + ":", in: typo.text))
        #expect(error.column != nil)
        #expect(error.message.contains("unknown key '\(typo.typo)'"))
        if let suggestion = typo.suggestion {
            #expect(error.message.contains("did you mean '\(suggestion)'"))
        } else {
            // Nothing close: the message lists what may be written instead.
            #expect(error.message.contains("known keys are version, handover, deliverables"))
        }
        let description = try #require(error.errorDescription)
        #expect(description.hasPrefix("handover.yaml:\(error.line ?? 0):\(error.column ?? 0): "))
    }

    @Test("two deliverables with the same id: both lines are named")
    func duplicateIDs() throws {
        let text = manifestText(deliverables: accessList + """
              - id: documentation
                title: Documentation
                paths: ["docs/**"]
              - id: access-list
                title: Accounts again
                paths: ["more-access/*.csv"]
            """)
        let error = try #require(manifestError(text))
        let first = try #require(lineNumber(of: "id: access-list", in: text))
        let second = try #require(lineNumber(of: "id: access-list", in: text, occurrence: 2))
        #expect(error.line == second)
        #expect(error.message.contains("duplicate deliverable id 'access-list'"))
        #expect(error.message.contains("line \(first)"))
    }

    @Test("an empty deliverable list is refused")
    func emptyDeliverables() throws {
        let text = manifestText(deliverables: "") .replacingOccurrences(of: "deliverables:\n", with: "deliverables: []\n")
        let error = try #require(manifestError(text))
        #expect(error.line == lineNumber(of: "deliverables:", in: text))
        #expect(error.message.contains("'deliverables' is empty"))
    }

    @Test("a manifest without deliverables, or with a mapping instead of a list, is refused")
    func deliverablesNotAList() throws {
        let none = manifestText(deliverables: "").replacingOccurrences(of: "deliverables:\n", with: "")
        #expect(try #require(manifestError(none)).message.contains("no 'deliverables' list"))
        let mapping = manifestText(deliverables: "  access-list: {title: Accounts}\n")
        let error = try #require(manifestError(mapping))
        #expect(error.message.contains("must be a list"))
        #expect(error.line == lineNumber(of: "access-list:", in: mapping))
    }

    @Test("a glob that leaves SOURCE is refused at its line",
          arguments: ["/etc/passwd", "../x", "a/../../b", "docs/..", "~/secrets/*", "{docs,../up}/*.pdf"])
    func globLeavingSource(_ pattern: String) throws {
        let text = manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths:
                  - "docs/*.pdf"
                  - "\(pattern)"
            """)
        let error = try #require(manifestError(text))
        #expect(error.line == lineNumber(of: "- \"\(pattern)\"", in: text))
        #expect(error.message.contains("deliverable 'documentation'"))
        #expect(error.message.contains("'\(pattern)'"))
        #expect(error.message.contains("absolute") || error.message.contains("climbs out of SOURCE"))
    }

    @Test("a version other than 1 is refused", arguments: [("version: 2", "'2'"), ("version: one", "'one'"), ("version: 1.0", "'1.0'"), ("version: [1]", "'a list or mapping'")])
    func badVersion(_ line: String, _ shown: String) throws {
        let text = manifestText(deliverables: accessList).replacingOccurrences(of: "version: 1", with: line)
        let error = try #require(manifestError(text))
        #expect(error.line == 1)
        #expect(error.message.contains("unsupported manifest version \(shown)"))
        #expect(error.message.contains("version 1"))
    }

    @Test("a manifest without a version says to add one")
    func missingVersion() throws {
        let text = manifestText(deliverables: accessList).replacingOccurrences(of: "version: 1\n", with: "")
        let error = try #require(manifestError(text))
        #expect(error.message.contains("no 'version'"))
        #expect(error.message.contains("version: 1"))
        #expect(error.line != nil)
    }

    @Test("malformed YAML is reported as file:line:column")
    func malformedYAML() throws {
        let unclosed = manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"
                formats: [csv]
            """)
        let error = try #require(manifestError(unclosed, fileName: "contract/handover.yaml"))
        let line = try #require(error.line)
        let column = try #require(error.column)
        // libyaml notices the missing ']' at or after the line that opened the list.
        let opened = try #require(lineNumber(of: "paths: [", in: unclosed))
        let next = try #require(lineNumber(of: "formats:", in: unclosed))
        #expect(line >= opened)
        #expect(line <= next)
        #expect(column >= 1)
        #expect(error.message.hasPrefix("malformed YAML: "))
        #expect(error.errorDescription == "contract/handover.yaml:\(line):\(column): \(error.message)")

        let badIndent = "version: 1\nhandover:\n  contract: C\n client: Acme\n"
        let indentError = try #require(manifestError(badIndent))
        #expect(indentError.line == 4)
        #expect(indentError.message.hasPrefix("malformed YAML: "))
    }

    @Test("a value of the wrong kind is refused at its line", arguments: [
        ("    required: maybe\n", "'required' must be true or false (found 'maybe')"),
        ("    confidential: 3\n", "'confidential' must be true or false"),
        ("    min-files: -1\n", "'min-files' must be a whole number of at least 0 (found '-1')"),
        ("    min-files: many\n", "'min-files' must be a whole number"),
        ("    max-age-days: 0\n", "'max-age-days' must be a whole number of at least 1"),
        ("    title: [a, b]\n", "'title' must be a single value"),
        ("    formats: {csv: yes}\n", "'formats' must be a list"),
        ("    paths: []\n", "empty 'paths' list"),
        ("    csv: [account]\n", "'csv' must be a mapping"),
    ])
    func wrongValueKind(_ line: String, _ expected: String) throws {
        // The line replaces the deliverable's paths when it sets them, else is added.
        var item = accessList
        if line.contains("paths:") { item = item.replacingOccurrences(of: "    paths: [\"access/*.csv\"]\n", with: "") }
        if line.contains("title:") { item = item.replacingOccurrences(of: "    title: Accounts and access rights\n", with: "") }
        let text = manifestText(deliverables: item + line)
        let error = try #require(manifestError(text))
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.line == lineNumber(of: line.trimmingCharacters(in: .whitespacesAndNewlines), in: text))
    }

    @Test("an impossible handover date is refused", arguments: ["2026-02-30", "2026-13-01", "31/12/2026", "2026-1-1", "tomorrow"])
    func impossibleDate(_ date: String) throws {
        let text = manifestText(date: date, deliverables: accessList)
        let error = try #require(manifestError(text))
        #expect(error.line == lineNumber(of: "date:", in: text))
        #expect(error.message.contains("YYYY-MM-DD"))
        #expect(error.message.contains(date))
    }

    @Test("29 February is a date in leap years only")
    func leapDay() {
        #expect(CalendarDate("2028-02-29") != nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2100-02-29") == nil)
        #expect(CalendarDate("2026-02-29") == nil)
    }

    @Test("a deliverable without id, title or paths says which is missing", arguments: [
        ("  - title: Accounts\n    paths: [\"access/*.csv\"]\n", "a deliverable has no 'id'"),
        ("  - id: access-list\n    paths: [\"access/*.csv\"]\n", "deliverable 'access-list' has no 'title'"),
        ("  - id: access-list\n    title: Accounts\n", "deliverable 'access-list' has no 'paths'"),
    ])
    func missingField(_ item: String, _ expected: String) throws {
        let text = manifestText(deliverables: item)
        let error = try #require(manifestError(text))
        #expect(error.message.contains(expected), "\(error.message)")
        #expect(error.line == lineNumber(of: "  - ", in: text))
    }

    @Test("a handover section without its parties is refused", arguments: ["contract", "client", "provider", "recipient"])
    func missingParty(_ key: String) throws {
        let text = manifestText(deliverables: accessList).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  \(key):") }.joined(separator: "\n")
        let error = try #require(manifestError(text))
        #expect(error.message.contains("'handover' has no '\(key)'"))
        #expect(error.line == lineNumber(of: "  contract:", in: text) ?? lineNumber(of: "  client:", in: text))
    }

    @Test("an id must be lowercase letters, digits and dashes", arguments: ["Access_List", "access list", "1-access", "accès", "-access"])
    func invalidID(_ id: String) throws {
        let text = manifestText(deliverables: accessList.replacingOccurrences(of: "access-list", with: "\"\(id)\""))
        let error = try #require(manifestError(text))
        #expect(error.line == lineNumber(of: "- id:", in: text))
        #expect(error.message.contains("deliverable id '\(id)' must be lowercase letters, digits and dashes"))
    }

    @Test("a key written twice in one mapping is refused")
    func duplicateKey() throws {
        let text = manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
                title: Accounts and access rights
            """)
        let error = try #require(manifestError(text))
        #expect(error.message.contains("'title' appears twice"))
        #expect(error.line == lineNumber(of: "title:", in: text))
    }

    @Test("aliases are fine in moderation, but a bomb of aliases is refused at once")
    func aliases() throws {
        let text = manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/**"]
                formats: &documents [pdf, md, odt]
              - id: procedures
                title: Procedures
                paths: ["procedures/**"]
                formats: *documents
            """)
        let manifest = try ManifestParser.parse(Array(text.utf8), fileName: "handover.yaml")
        #expect(manifest.deliverables.map(\.formats) == [["pdf", "md", "odt"], ["pdf", "md", "odt"]])

        let bomb = aliasBomb(asKey: true)
        let error = try #require(try finishes { manifestError(bomb) })
        #expect(error.message.contains("aliases (*name) expand to more than"))
        #expect(error.line == lineNumber(of: "bomb5:", in: bomb))
    }

    @Test("bytes that are not UTF-8 are refused as such")
    func notUTF8() throws {
        var bytes = Array(manifestText(deliverables: accessList).utf8)
        bytes += [0x23, 0x20, 0xE9, 0x74, 0xE9, 0x0A] // "# été" in Latin-1
        let error = try #require(manifestError(bytes: bytes))
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.file == "handover.yaml")
    }

    @Test("a NUL byte is refused")
    func nulByte() throws {
        let error = try #require(manifestError(manifestText(deliverables: accessList) + "\u{0}"))
        #expect(error.message.contains("NUL"))
    }

    @Test("an empty file, or one with only comments, says to start from a template", arguments: ["", "\n\n", "# to do\n", "---\n"])
    func emptyFile(_ text: String) throws {
        let error = try #require(manifestError(text))
        #expect(error.message == "the manifest is empty")
        #expect(error.remedy == .startFromTemplate, "the command layer says: start from a template (handover init)")
    }

    @Test("a manifest that is a list or a word, not a mapping, is refused", arguments: ["- a\n- b\n", "hello\n", "42\n"])
    func notAMapping(_ text: String) throws {
        let error = try #require(manifestError(text))
        #expect(error.message.contains("must be a mapping"))
    }

    @Test("a manifest file that cannot be read is named in the error")
    func unreadableFile() throws {
        let temp = try TempDirectory()
        let missing = temp.path("nowhere.yaml")
        do {
            _ = try ManifestParser.load(path: missing)
            Issue.record("a missing manifest was read")
        } catch {
            #expect(error.file == missing)
            #expect(error.message.contains("cannot read the manifest"))
        }
        do {
            _ = try ManifestParser.load(path: temp.path)
            Issue.record("a folder was read as a manifest")
        } catch {
            #expect(error.message.contains("not a regular file"))
        }
        let big = temp.path("big.yaml")
        try Data(count: ManifestParser.maxBytes + 1).write(to: URL(fileURLWithPath: big))
        do {
            _ = try ManifestParser.load(path: big)
            Issue.record("a 4 MiB manifest was read")
        } catch {
            #expect(error.message.contains("too large"))
        }
    }
}
