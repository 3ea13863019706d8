/// The handover report as one self-contained HTML file: inline CSS, no script, nothing fetched
/// from anywhere, readable on screen and printable to PDF (A4, page breaks between sections,
/// never inside a deliverable; the acceptance block on a page of its own). A status is always
/// written in words with a symbol, colour only repeats it.
public enum ReportHTML {
    public static func render(_ report: HandoverReport, language: ReportLanguage = .en) -> String {
        let strings = ReportStrings(language)
        let view = ReportView(report, strings, HTMLMarkup())
        let h = HTMLMarkup()
        var out = documentStart(language: language, generator: report.tool,
                                title: "\(h.text(strings[.title])) — \(view.party(report.handover.contract))", pageMark: view.pageMark)
        out += header(view, strings)
        out += verdict(view, strings)
        out += deliverables(view, strings)
        out += changes(view, strings)
        out += bundle(view, strings)
        out += receipts(view, strings)
        out += acceptance(view, strings)
        out += annex(view, strings)
        out += technicalAnnex(strings)
        out += "<footer><p>\(view.footer)</p>"
        if let hint = view.verifyHint { out += "<p>\(hint)</p>" }
        out += "</footer>\n</main>\n</body>\n</html>\n"
        return out
    }

    /// The document up to the opening of its page: the head with the stylesheet and the page
    /// footer that prints `pageMark`; `title` is already escaped. Statements share it.
    static func documentStart(language: ReportLanguage, generator: String, title: String, pageMark: String) -> String {
        let h = HTMLMarkup()
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="\(h.text(generator))">
            <title>\(title)</title>
            <style>\(ReportStyle.css)\(ReportStyle.pageFooter(pageMark))</style>
            </head>
            <body>
            <main class="page">

            """
    }

    static func header(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        var out = """
            <header class="masthead">
            <div><p class="kicker">\(h.text(view.subtitle))</p><h1>\(h.text(strings[.title]))</h1></div>
            <div class="reference"><span>\(h.text(strings[.contract]))</span><strong>\(view.party(view.report.handover.contract))</strong></div>
            </header>
            <p class="introduction">\(view.introduction)</p>
            <section class="columns">

            """
        out += factsBlock(strings[.parties], view.partyRows)
        out += factsBlock(strings[.dates], view.dateRows)
        return out + "</section>\n"
    }

    static func factsBlock(_ title: String, _ rows: [(String, String)]) -> String {
        let h = HTMLMarkup()
        var out = "<div><h2>\(h.text(title))</h2>\n<dl class=\"facts\">\n"
        for (label, value) in rows { out += "<dt>\(h.text(label))</dt><dd>\(value)</dd>\n" }
        return out + "</dl></div>\n"
    }

    static func verdict(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        var out = """
            <section class="verdict v-\(view.report.verdict.rawValue)">
            <span class="mark" aria-hidden="true">\(view.verdictSymbol)</span>
            <div><p class="headline">\(h.text(view.verdictHeadline))</p><p>\(view.verdictExplanation)</p>\(state(view))</div>
            </section>

            """
        guard view.report.summary != nil || view.report.kind != .bundle else { return out }
        out += "<ul class=\"counts\">\n"
        for (status, count) in view.counts {
            out += "<li class=\"c-\(status.rawValue)\(count == 0 ? " zero" : "")\"><b>\(strings.number(count))</b><span>\(view.symbol(status)) \(h.text(view.label(status)))</span></li>\n"
        }
        return out + "</ul>\n" + categoryChart(view)
    }

    /// The three words of the bundle's state, machine-readable too (`data-state`).
    static func state(_ view: ReportView) -> String {
        guard let lines = view.stateLines, let state = view.report.state else { return "" }
        let h = HTMLMarkup()
        return "<p class=\"state\" data-state=\"\(state.rawValue)\"><b>\(h.text(lines.state))</b>"
            + lines.details.map { " " + $0 }.joined() + "</p>"
    }

    static func deliverables(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        var out = "<h2>\(h.text(strings[.deliverables]))</h2>\n"
        guard !view.report.deliverables.isEmpty else {
            return out + "<p class=\"empty\">\(h.text(strings[.noDeliverables]))</p>\n"
        }
        out += """
            <table class="deliverables">
            <thead><tr><th class="st">\(h.text(strings[.columnStatus]))</th><th>\(h.text(strings[.columnDeliverable]))</th>\
            <th class="num">\(h.text(strings[.columnFiles]))</th><th class="num">\(h.text(strings[.columnSize]))</th></tr></thead>
            <tbody>

            """
        for entry in view.report.deliverables {
            let (problems, notes) = view.findings(entry)
            out += "<tr class=\"row-\(h.text(entry.status.rawValue))\" id=\"d-\(h.text(entry.id))\">"
            out += "<td class=\"st\">\(statusBadge(view, entry))</td>"
            out += "<td><span class=\"title\">\(view.title(entry))</span>"
            out += "<span class=\"tags\">\(h.code(entry.id)) · \(view.tags(entry).joined(separator: " · "))</span>"
            if !problems.isEmpty { out += "<ul class=\"problems\">" + problems.map { "<li>\($0)</li>" }.joined() + "</ul>" }
            if !notes.isEmpty {
                out += "<ul class=\"notes\">" + notes.map { "<li>\(h.text(strings[.note])): \($0)</li>" }.joined() + "</ul>"
            }
            out += "</td><td class=\"num\">\(strings.number(entry.files))</td>"
            out += "<td class=\"num\">\(entry.files == 0 ? "—" : h.text(strings.bytes(entry.bytes)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if let notCollected = view.report.notCollected, notCollected.count > 0 {
            out += "<p class=\"aside\"><b>\(h.text(strings[.notCollected])).</b> "
            out += strings.format(.notCollectedExplained, h.text(strings.files(notCollected.count)), h.text(strings.bytes(notCollected.bytes)),
                                  counts: notCollected.count)
            let shown = notCollected.files.prefix(12).map { h.code($0) }.joined(separator: ", ")
            out += " " + shown + (notCollected.count > 12 ? ", …" : "") + "</p>\n"
        }
        if let ignored = view.report.ignored, ignored.count > 0 {
            out += "<p class=\"aside\"><b>\(h.text(strings[.ignored])).</b> "
            out += strings.format(.ignoredExplained, h.text(strings.files(ignored.count)), h.text(strings.bytes(ignored.bytes)), counts: ignored.count)
            out += " " + ignored.files.prefix(12).map { h.code($0) }.joined(separator: ", ") + (ignored.count > 12 ? ", …" : "") + "</p>\n"
        }
        return out
    }

    static func statusBadge(_ view: ReportView, _ entry: CheckJSON.DeliverableEntry) -> String {
        let h = HTMLMarkup()
        let status = entry.status
        return "<span class=\"status s-\(h.text(status.rawValue))\">\(view.symbol(status))&nbsp;\(h.text(view.label(entry)))</span>"
    }

    static func bundle(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        let rows = view.bundleRows
        let problems = view.bundleProblems
        guard !rows.isEmpty || !problems.isEmpty else { return "" }
        var out = "<section class=\"bundle\">\n<h2>\(h.text(strings[.bundle]))</h2>\n<dl class=\"facts wide\">\n"
        for (label, value) in rows { out += "<dt>\(h.text(label))</dt><dd>\(value)</dd>\n" }
        out += "</dl>\n"
        if !problems.isEmpty {
            out += "<div class=\"alert\"><h3>✗ \(h.text(strings[.bundleProblems]))</h3><ul class=\"problems\">"
            out += problems.prefix(200).map { "<li>\($0)</li>" }.joined()
            if problems.count > 200 { out += "<li>… \(strings.number(problems.count - 200))</li>" }
            out += "</ul></div>\n"
        }
        return out + "</section>\n"
    }

    static func acceptance(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        let parties = view.report.handover
        var blocks = ""
        for party in view.signingParties {
            blocks += """
                <div class="party"><h3>\(h.text(strings[party.act]))</h3><p class="who">\(view.party(party.name))</p>\
                <p class="role">\(h.text(strings[party.role]))</p>
                <p class="field">\(h.text(strings[.name]))</p><p class="field">\(h.text(strings[.position]))</p>\
                <p class="field">\(h.text(strings[.date]))</p><p class="field sign">\(h.text(strings[.signatureBox]))</p></div>

                """
        }
        let reservations = view.reservations
        let box = reservations.isEmpty
            ? "<div class=\"reservations\"></div>"
            : "<div class=\"reservations filled\">" + reservations.map { "<p>\(h.text($0))</p>" }.joined() + "</div>"
        return """
            <section class="acceptance">
            <h2>\(h.text(strings[.acceptance]))</h2>
            <p>\(strings.format(.acceptanceIntro, view.party(parties.contract)))</p>
            <ul class="choices"><li>☐ \(h.text(strings[.acceptedWithout]))</li><li>☐ \(h.text(strings[.acceptedWith]))</li>\
            <li>☐ \(h.text(strings[.refused]))</li></ul>
            <p class="label">\(h.text(strings[.reservations]))</p>
            \(box)
            <div class="signatures parties-\(view.signingParties.count)">
            \(blocks)</div>
            <p class="place">\(h.text(strings[.signedAt]))</p>
            <p class="copies">\(h.text(view.copies))</p>
            </section>

            """
    }

    /// The one place the bundle's format is named, for whoever checks it with other tools.
    static func technicalAnnex(_ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        return "<section class=\"technical\">\n<h2>\(h.text(strings[.technicalAnnex]))</h2>\n<p>\(h.text(strings[.technicalNote]))</p>\n</section>\n"
    }

    static func annex(_ view: ReportView, _ strings: ReportStrings) -> String {
        let h = HTMLMarkup()
        guard !view.report.deliverables.isEmpty else { return "" }
        var out = "<section class=\"annex\">\n<h2>\(h.text(strings[.annex]))</h2>\n"
        for (entry, files, more) in view.annex {
            out += "<div class=\"annex-item\"><h3>\(statusBadge(view, entry)) \(view.title(entry)) "
            out += "<span class=\"tags\">\(h.code(entry.id)) · \(h.text(strings.files(entry.files))), \(h.text(strings.bytes(entry.bytes)))</span></h3>\n"
            guard !files.isEmpty || more > 0 else {
                out += "<p class=\"empty\">\(h.text(strings[.noFiles]))</p></div>\n"
                continue
            }
            out += "<ul class=\"files\">\n"
            for file in files {
                out += "<li>\(h.code(file.path))<span class=\"num\">\(h.text(strings.bytes(file.bytes)))</span></li>\n"
            }
            out += "</ul>\n"
            if more > 0 { out += "<p class=\"more\">\(strings.format(.moreFiles, h.text(strings.files(more))))</p>\n" }
            out += "</div>\n"
        }
        return out + "</section>\n"
    }
}

/// HTML escaping of everything that came from input: names, paths, messages.
struct HTMLMarkup: ReportMarkup {
    func text(_ plain: String) -> String {
        // Control and bidirectional characters are written out first, as on the terminal.
        let plain = VisibleText.lines(plain)
        var out = ""
        out.reserveCapacity(plain.utf8.count)
        for scalar in plain.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters have no place in a document; show them as the replacement mark.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    func code(_ plain: String) -> String { "<code>\(text(plain))</code>" }
    func strong(_ plain: String) -> String { "<strong>\(text(plain))</strong>" }
    func untranslated(_ plain: String) -> String {
        "<span class=\"untranslated\" lang=\"en\"><abbr class=\"lang\">EN</abbr> \(text(plain))</span>"
    }
}
