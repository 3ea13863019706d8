import Foundation
@testable import HandoverKit
import Testing

/// The first page's picture: for each category, how many deliverables are delivered, missing
/// and invalid, as inline SVG that prints in black and white and reads aloud.
@Suite("A bar per category on the first page: delivered, missing, invalid")
struct ReportChartTests {
    /// delivered, missing and invalid per category, counted from the report's deliverables.
    static func expected(_ report: HandoverReport) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for entry in report.deliverables {
            let index = ["ok": 0, "missing": 1, "invalid": 2][entry.status.rawValue]
            var counts = out[entry.category ?? "", default: [0, 0, 0]]
            if let index { counts[index] += 1 }
            out[entry.category ?? ""] = counts
        }
        return out.filter { $0.value.reduce(0, +) > 0 }
    }

    @Test("the bars' numbers are the deliverables' statuses, with patterns and words, not colour alone")
    func barsMatchTheDeliverables() throws {
        var report = try ReportFixture().report()
        // An invalid deliverable too, so that all three kinds are drawn.
        report.deliverables[0].status = .invalid
        let html = ReportHTML.render(report)
        let parsed = try ParsedHTML.parse(html)
        #expect(parsed.balanced, "\(parsed.errors)")
        var drawn: [String: [Int]] = [:]
        let attributes = parsed.attributes.filter { $0[0] == "g" }
        var current: String?
        for attribute in attributes {
            switch attribute[1] {
            case "data-category": current = attribute[2]; drawn[attribute[2]] = []
            case "data-delivered", "data-missing", "data-invalid":
                if let current { drawn[current, default: []].append(Int(attribute[2]) ?? -1) }
            default: break
            }
        }
        let expected = Self.expected(report)
        #expect(drawn == expected, "drawn \(drawn), expected \(expected)")
        #expect(expected == ["access": [0, 0, 1], "documentation": [1, 0, 0], "backup": [0, 1, 0]])

        // Black and white: each kind has its own fill (solid, crossed, striped), and the numbers are written.
        #expect(html.contains("<pattern id=\"p-missing\"") && html.contains("<pattern id=\"p-invalid\""))
        #expect(html.contains("fill=\"url(#p-missing)\"") && html.contains("fill=\"url(#p-invalid)\""))
        #expect(html.contains("0 ✓ · 1 ✗ · 0 ⚠"))
        // Screen readers: the SVG is an image named and described in words.
        #expect(parsed.attributes.contains(["svg", "role", "img"]))
        #expect(parsed.attributes.contains(["svg", "aria-labelledby", "chart-title chart-desc"]))
        #expect(parsed.text.contains("Deliverables by category"))
        #expect(parsed.text.contains("backup: 0 delivered, 1 missing, 0 invalid."))
        #expect(parsed.text.contains("access: 0 delivered, 0 missing, 1 invalid."))
        // On the first page: before the deliverables table.
        let chart = try #require(html.range(of: "<figure class=\"chart\">"))
        let table = try #require(html.range(of: "<table class=\"deliverables\">"))
        #expect(chart.lowerBound < table.lowerBound)
    }

    @Test("in French the words agree with the counts, and Markdown gives the same counts as a list")
    func frenchAndMarkdown() throws {
        let report = try ReportFixture().report()
        let french = try ParsedHTML.parse(ReportHTML.render(report, language: .fr))
        #expect(french.text.contains("Livrables par catégorie"))
        #expect(french.text.contains("backup : 0 livré, 1 manquant, 0 non conforme."))
        #expect(french.text.contains("access : 1 livré, 0 manquant, 0 non conforme."))
        let markdown = ReportMarkdown.render(report)
        #expect(markdown.contains("**Deliverables by category**\n\n- access: 1 delivered, 0 missing, 0 invalid.\n"))
        #expect(markdown.contains("- backup: 0 delivered, 1 missing, 0 invalid.\n"))
    }
}
