import Foundation
@testable import HandoverKit
import Testing

/// One vocabulary for the verdict: the client reads the same three words whichever command or
/// report they look at, for the shipped samples built as render.sh builds them (complete and
/// signed, built incomplete, tampered after the build).
@Suite("Three verdict words everywhere: intact and complete, intact but incomplete, not intact")
struct VerdictWordsTests {
    /// Each sample, the words its outputs must say, its JSON state, and the exit status of verify.
    static func cases(_ samples: SampleBundles) -> [(name: String, path: String, words: String, state: String, status: Int32)] {
        [("complete", samples.complete, "intact and complete", "intact-and-complete", 0),
         ("incomplete", samples.incomplete, "intact but incomplete", "intact-but-incomplete", 1),
         ("tampered", samples.tampered, "not intact", "not-intact", 1)]
    }

    static let allWords = ["intact and complete", "intact but incomplete", "not intact"]

    /// The output says `words`, and neither of the two other verdicts.
    static func expectOnly(_ words: String, in text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text.contains(words), "\(what) does not say \(words): \(text.suffix(600))", sourceLocation: sourceLocation)
        for other in allWords where other != words {
            #expect(!text.contains(other), "\(what) says \(other) as well as \(words)", sourceLocation: sourceLocation)
        }
    }

    @Test("verify says the words in text and in JSON (a new state field; integrity.state and passed stay), with the documented exit status")
    func verify() throws {
        let samples = try SampleBundles()
        for sample in Self.cases(samples) {
            let text = try handover(["verify", sample.path])
            #expect(text.status == sample.status, "\(sample.name): \(text.stdout)\(text.stderr)")
            let result = try #require(text.stdout.split(separator: "\n").last { $0.hasPrefix("Result: ") }.map(String.init))
            Self.expectOnly(sample.words, in: result, "verify's result line for the \(sample.name) bundle")

            let json = try handover(["verify", sample.path, "--format", "json"])
            #expect(json.status == sample.status)
            let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
            #expect(object["state"] as? String == sample.state, "\(sample.name): \(object["state"] ?? "no state")")
            #expect(object["passed"] as? Bool == (sample.status == 0))
            let integrity = try #require(object["integrity"] as? [String: Any])
            // The BagIt check alone: only the tampered bag fails it.
            #expect(integrity["state"] as? String == (sample.name == "tampered" ? "not-intact" : "intact-and-complete"))
        }
        // What is missing, and how to accept it anyway (the flag is named by the command).
        let incomplete = try handover(["verify", samples.incomplete])
        #expect(incomplete.stdout.contains("Result: INCOMPLETE, the bundle is intact but incomplete: "), "\(incomplete.stdout)")
        #expect(incomplete.stdout.contains("not delivered: "))
        #expect(incomplete.stderr.contains("to accept it anyway, give --allow-incomplete"), "\(incomplete.stderr)")
        let accepted = try handover(["verify", samples.incomplete, "--allow-incomplete"])
        #expect(accepted.status == 0)
        #expect(accepted.stdout.contains("intact but incomplete ("), "\(accepted.stdout)")
        let tampered = try handover(["verify", samples.tampered])
        #expect(!tampered.stderr.contains("--allow-incomplete"), "a tampered bundle is never advised to be accepted")
    }

    @Test("the HTML and Markdown reports say the words, in English and in French, with a machine-readable data-state")
    func reports() throws {
        let samples = try SampleBundles()
        let french = ["intact-and-complete": "Archive intacte et complète.", "intact-but-incomplete": "Archive intacte mais incomplète.",
                      "not-intact": "Archive non intacte"]
        for sample in Self.cases(samples) {
            let english = try String(contentsOfFile: try samples.report(sample.path, "en"), encoding: .utf8)
            #expect(english.contains("<p class=\"state\" data-state=\"\(sample.state)\"><b>The bundle is \(sample.words)"), "\(sample.name)")
            let frenchHTML = try String(contentsOfFile: try samples.report(sample.path, "fr"), encoding: .utf8)
            let frenchWords = try #require(french[sample.state])
            #expect(frenchHTML.contains("data-state=\"\(sample.state)\"><b>\(frenchWords)"), "\(sample.name)")
            let markdown = try handover(["report", sample.path, "--format", "md", "--output", "-"])
            #expect(markdown.status == sample.status)
            #expect(markdown.stdout.contains("**The bundle is \(sample.words)"), "\(sample.name)")
            Self.expectOnly(sample.words, in: markdown.stdout, "the Markdown report of the \(sample.name) bundle")
            let json = try handover(["report", sample.path, "--format", "json", "--output", "-"])
            let report = try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData)
            #expect(report.state?.rawValue == sample.state)
        }
        // The incomplete report names what is missing and how to accept it anyway.
        let markdown = try handover(["report", samples.incomplete, "--format", "md", "--output", "-"])
        #expect(markdown.stdout.contains("Not delivered: `"), "\(markdown.stdout.prefix(3000))")
        #expect(markdown.stdout.contains("`handover verify --allow-incomplete`"))
    }

    @Test("extract refuses an incomplete bundle saying what is missing and that --allow-incomplete accepts it; a tampered one is not intact")
    func extract() throws {
        let samples = try SampleBundles()
        let complete = try handover(["extract", samples.complete, "--to", samples.work.path("out-complete")])
        #expect(complete.status == 0, "\(complete.stderr)")
        #expect(complete.stdout.contains(": intact and complete, "), "\(complete.stdout)")

        let incomplete = try handover(["extract", samples.incomplete, "--to", samples.work.path("out-incomplete")])
        #expect(incomplete.status == 1)
        #expect(incomplete.stderr.contains("the bundle is intact but incomplete ("), "\(incomplete.stderr)")
        #expect(incomplete.stderr.contains("not delivered: "))
        #expect(incomplete.stderr.contains("to extract it anyway, run again with --allow-incomplete"))
        #expect(!FileManager.default.fileExists(atPath: samples.work.path("out-incomplete/bagit.txt")))
        let anyway = try handover(["extract", samples.incomplete, "--to", samples.work.path("out-incomplete"), "--allow-incomplete"])
        #expect(anyway.status == 0, "\(anyway.stderr)")
        #expect(anyway.stdout.contains(": intact but incomplete ("), "\(anyway.stdout)")

        let tampered = try handover(["extract", samples.tampered, "--to", samples.work.path("out-tampered")])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("the bundle is not intact (altered, forged or unreadable)"), "\(tampered.stderr)")
        #expect(!tampered.stderr.contains("--allow-incomplete"))
    }

    @Test("missing BUNDLE says the words in text and JSON, and never calls a tampered bundle's deliverables ready")
    func missing() throws {
        let samples = try SampleBundles()
        for sample in Self.cases(samples) {
            let text = try handover(["missing", sample.path])
            #expect(text.status == sample.status, "\(sample.name): \(text.stdout)\(text.stderr)")
            let result = try #require(text.stdout.split(separator: "\n").last { $0.hasPrefix("Result: ") }.map(String.init))
            Self.expectOnly(sample.words, in: result, "missing's result line for the \(sample.name) bundle")
            let json = try handover(["missing", sample.path, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
            #expect(object["state"] as? String == sample.state)
            #expect(object["passed"] as? Bool == (sample.status == 0))
        }
        let tampered = try handover(["missing", samples.tampered])
        for said in [tampered.stdout, tampered.stderr] {
            #expect(!said.contains("are ready"), "\(said)")
            #expect(!said.contains("are delivered"), "\(said)")
        }
        #expect(tampered.stdout.contains("Result: NOT INTACT"))
        #expect(tampered.stderr.contains("fails verification"))
    }
}
