/// The "Changes since delivery N-1" section of a chained delivery's report, from the
/// `handover/changes.json` it carries: worded here once, placed by the HTML and Markdown renderers.
extension ReportView {
    /// Files listed per deliverable before the rest is counted.
    static let changesPerDeliverable = 50

    /// The section's title, or nil when the report is not about a chained delivery.
    var changesTitle: String? {
        guard let changes = report.changes else { return nil }
        let previous = changes.old.delivery ?? (changes.new.delivery.map { $0 - 1 } ?? 1)
        return strings.format(.changesSince, strings.number(previous))
    }

    /// One sentence: which delivery this is, what it follows, and the totals.
    var changesIntroduction: String {
        guard let changes = report.changes else { return "" }
        let totals = changes.totals
        return strings.format(.changesIntro, markup.text(changes.new.delivery.map { strings.number($0) } ?? "?"),
                              markup.code(changes.old.path), markup.code(changes.old.archiveSHA256 ?? "?"),
                              strings.number(totals.added), strings.number(totals.removed), strings.number(totals.changed),
                              strings.number(totals.moved), strings.number(totals.unchanged))
    }

    /// The deliverables that changed, each with its changes as (word, path) lines, capped.
    var changedDeliverables: [(title: String, lines: [String], more: Int)] {
        guard let changes = report.changes else { return [] }
        return changes.deliverables.filter { !$0.isSame }.map { group -> (title: String, lines: [String], more: Int) in
            let title = group.id.map { "\(markup.strong(group.title)) (\(markup.code($0)))" } ?? markup.strong(group.title)
            let lines = group.added.map { "\(markup.text(strings[.changeAdded])) \(markup.code($0))" }
                + group.removed.map { "\(markup.text(strings[.changeRemoved])) \(markup.code($0))" }
                + group.changed.map { "\(markup.text(strings[.changeChanged])) \(markup.code($0))" }
                + group.moved.map { "\(markup.text(strings[.changeMoved])) \(markup.code($0.from)) → \(markup.code($0.to))" }
            let shown = Array(lines.prefix(Self.changesPerDeliverable))
            return (title, shown, lines.count - shown.count)
        }
    }

    func changesMore(_ count: Int) -> String { markup.text(strings.format(.changesMore, strings.number(count))) }
}

extension ReportHTML {
    /// The changes since the previous delivery; empty for a report on a delivery with none.
    static func changes(_ view: ReportView, _ strings: ReportStrings) -> String {
        guard let title = view.changesTitle else { return "" }
        let h = HTMLMarkup()
        var out = "<section class=\"changes\">\n<h2>\(h.text(title))</h2>\n<p>\(view.changesIntroduction)</p>\n"
        let groups = view.changedDeliverables
        if groups.isEmpty { out += "<p>\(h.text(strings[.changesNone]))</p>\n" }
        for group in groups {
            out += "<h3>\(group.title)</h3>\n<ul>" + group.lines.map { "<li>\($0)</li>" }.joined()
            if group.more > 0 { out += "<li>\(view.changesMore(group.more))</li>" }
            out += "</ul>\n"
        }
        return out + "</section>\n"
    }
}

extension ReportMarkdown {
    /// The changes since the previous delivery; empty for a report on a delivery with none.
    static func changes(_ view: ReportView, _ strings: ReportStrings) -> String {
        guard let title = view.changesTitle else { return "" }
        let m = MarkdownMarkup()
        var out = "## \(m.text(title))\n\n\(view.changesIntroduction)\n\n"
        let groups = view.changedDeliverables
        if groups.isEmpty { out += "\(m.text(strings[.changesNone]))\n\n" }
        for group in groups {
            out += "### \(group.title)\n\n" + group.lines.map { "- \($0)\n" }.joined()
            if group.more > 0 { out += "- \(view.changesMore(group.more))\n" }
            out += "\n"
        }
        return out
    }
}
