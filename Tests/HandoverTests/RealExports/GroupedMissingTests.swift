import Foundation
@testable import HandoverKit
import Testing

/// A scan export as it arrives: 3,000 files, of which 1,800 are PNG scans where the contract
/// asks for PDF, and 1,200 are fine.
func scanSource() throws -> SourceFixture {
    let fixture = try SourceFixture(manifest: manifestText(deliverables: """
          - id: scanned-contracts
            title: Scanned contracts
            paths: ["scans/**/*"]
            formats: [pdf]
        """))
    for index in 0..<3000 {
        let folder = "scans/\(index % 10)"
        let name = index < 1800 ? "scan-\(index).png" : "scan-\(index).pdf"
        try fixture.write("\(folder)/\(name)", "%PDF-1.7 or a PNG, \(index)\n")
    }
    return fixture
}

@Suite("missing stays readable on a real export")
struct GroupedMissingTests {
    @Test("3,000 files with 1,800 bad ones: fewer than 60 lines by default, every file with --all and in JSON")
    func largeExport() throws {
        let fixture = try scanSource()
        let result = try fixture.missing()
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count < 60, "\(lines.count) lines:\n\(result.stdout)")
        let grouped = try #require(lines.first { $0.contains("1,800 files: format .png is not allowed here (expected .pdf); e.g. ") }, "\(result.stdout)")
        #expect(grouped.components(separatedBy: ".png").count - 1 == 4, "the format and three examples: \(grouped)")
        #expect(result.stdout.contains("--all lists every file"))
        #expect(result.stdout.hasSuffix("Result: 1 of 1 required deliverables are not ready (1 invalid).\n"))

        for flag in ["--all", "--verbose", "-v"] {
            let all = try fixture.missing([flag])
            #expect(all.status == 1)
            let perFile = all.stdout.split(separator: "\n").filter { $0.hasSuffix(".png: format .png is not allowed here (expected .pdf)") }
            #expect(perFile.count == 1800, "\(flag)")
        }

        let json = try jsonObject(try fixture.missing(["--format", "json"]))
        let deliverables = try #require(json["deliverables"] as? [[String: Any]])
        let problems = try #require(deliverables.first?["problems"] as? [[String: Any]])
        #expect(problems.count == 1800)
        #expect(Set(problems.compactMap { $0["file"] as? String }).count == 1800)
        #expect(deliverables.first?["files"] as? Int == 3000)
    }

    @Test("--quiet prints only what is not ready and the verdict")
    func quiet() throws {
        let fixture = try acmeSource()
        try fixture.write("inventory/servers.ods", "not allowed\n")
        let result = try fixture.missing(["-q"])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stdout)")
        #expect(lines.first?.hasPrefix("INVALID ") == true && lines.first?.contains(" inventories ") == true, "\(result.stdout)")
        #expect(lines.dropFirst().first?.trimmingCharacters(in: .whitespaces) == "inventory/servers.ods: format .ods is not allowed here (expected .csv, .xlsx)")
        #expect(lines.last == "Result: 1 of 4 required deliverables are not ready (1 invalid).")
        #expect(try fixture.missing(["-q", "--all"]).status == 2)
    }

    @Test("a group of three files or fewer is listed file by file; different problems stay apart")
    func smallGroups() {
        var summarised = false
        let three = (1...3).map { Problem(file: "f\($0).png", .formatNotAllowed, ["format": "png", "expected": ".pdf"]) }
        let lines = ProblemGroups.lines(three + [Problem(file: "g.odt", .formatNotAllowed, ["format": "odt", "expected": ".pdf"])],
                                        all: false, indent: "", summarised: &summarised)
        #expect(lines == three.map(\.description) + ["g.odt: format .odt is not allowed here (expected .pdf)"])
        #expect(!summarised)
        let many = (1...1759).map { Problem(file: "a\($0).png", .formatNotAllowed, ["format": "png", "expected": ".pdf"]) }
        #expect(ProblemGroups.lines(many, all: false, indent: "", summarised: &summarised)
            == ["1,759 files: format .png is not allowed here (expected .pdf); e.g. a1.png, a2.png, a3.png"])
        #expect(summarised)
    }

    @Test("the grouped sentence agrees in French too")
    func french() {
        let sentence = ProblemSentences.sentence(.grouped, ["count": "1", "problem": "le fichier est vide", "examples": "a.csv"], in: .fr, escape: { $0 })
        #expect(sentence == "1 fichier : le fichier est vide ; par exemple a.csv")
        let plural = ProblemSentences.sentence(.grouped, ["count": "12", "problem": "le fichier est vide", "examples": "a.csv"], in: .fr, escape: { $0 })
        #expect(plural == "12 fichiers : le fichier est vide ; par exemple a.csv")
    }
}
