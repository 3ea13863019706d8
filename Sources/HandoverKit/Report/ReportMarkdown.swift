/// The handover report in Markdown (CommonMark with GitHub tables): the same content as the
/// HTML, for a wiki, a ticket or an e-mail.
public enum ReportMarkdown {
    public static func render(_ report: HandoverReport, language: ReportLanguage = .en) -> String {
        let strings = ReportStrings(language)
        let m = MarkdownMarkup()
        let view = ReportView(report, strings, m)
        var out = "# \(m.text(strings[.title])) — \(view.party(report.handover.contract))\n\n"
        out += "*\(m.text(view.subtitle))*\n\n\(view.introduction)\n\n"
        out += "## \(m.text(strings[.parties]))\n\n" + table(view.partyRows) + "\n"
        out += "## \(m.text(strings[.dates]))\n\n" + table(view.dateRows) + "\n"
        out += "## \(view.verdictSymbol) \(m.text(view.verdictHeadline))\n\n\(view.verdictExplanation)\n\n"
        if let lines = view.stateLines {
            out += "**\(m.text(lines.state))**" + lines.details.map { " " + $0 }.joined() + "\n\n"
        }
        if report.summary != nil || report.kind != .bundle {
            out += "| " + view.counts.map { "\(view.symbol($0.0)) \(m.text(view.label($0.0)))" }.joined(separator: " | ") + " |\n"
            out += "|" + String(repeating: " ---: |", count: view.counts.count) + "\n"
            out += "| " + view.counts.map { strings.number($0.1) }.joined(separator: " | ") + " |\n\n"
            let bars = view.categoryBars.filter { $0.delivered + $0.missing + $0.invalid > 0 }
            if !bars.isEmpty {
                out += "**\(m.text(strings[.chartTitle]))**\n\n" + bars.map { "- \(view.barSentence($0))\n" }.joined() + "\n"
            }
        }
        out += deliverables(view, strings)
        out += changes(view, strings)
        let rows = view.bundleRows
        if !rows.isEmpty { out += "## \(m.text(strings[.bundle]))\n\n" + table(rows) + "\n" }
        let problems = view.bundleProblems
        if !problems.isEmpty {
            out += "### ✗ \(m.text(strings[.bundleProblems]))\n\n" + problems.prefix(200).map { "- \($0)\n" }.joined() + "\n"
        }
        out += receipts(view, strings)
        out += acceptance(view, strings)
        out += annex(view, strings)
        out += "## \(m.text(strings[.technicalAnnex]))\n\n\(m.text(strings[.technicalNote]))\n\n"
        out += "---\n\n\(view.footer)"
        if let hint = view.verifyHint { out += "  \n\(hint)" }
        return out + "\n"
    }

    /// A two-column table of label and value, without a header row's words.
    static func table(_ rows: [(String, String)]) -> String {
        let m = MarkdownMarkup()
        var out = "| | |\n| --- | --- |\n"
        for (label, value) in rows { out += "| \(m.text(label)) | \(value) |\n" }
        return out
    }

    static func deliverables(_ view: ReportView, _ strings: ReportStrings) -> String {
        let m = MarkdownMarkup()
        var out = "## \(m.text(strings[.deliverables]))\n\n"
        guard !view.report.deliverables.isEmpty else { return out + "*\(m.text(strings[.noDeliverables]))*\n\n" }
        out += "| \(m.text(strings[.columnStatus])) | \(m.text(strings[.columnDeliverable])) | \(m.text(strings[.columnFiles])) | \(m.text(strings[.columnSize])) |\n"
        out += "| --- | --- | ---: | ---: |\n"
        for entry in view.report.deliverables {
            let size = entry.files == 0 ? "—" : m.text(strings.bytes(entry.bytes))
            out += "| \(view.symbol(entry.status)) \(m.text(view.label(entry))) | **\(view.title(entry))** (\(m.code(entry.id)) · "
            out += view.tags(entry).joined(separator: " · ") + ") | \(strings.number(entry.files)) | \(size) |\n"
        }
        out += "\n"
        let withFindings = view.report.deliverables.filter { !view.findings($0).problems.isEmpty || !view.findings($0).notes.isEmpty }
        if !withFindings.isEmpty {
            out += "### \(m.text(strings[.problems]))\n\n"
            for entry in withFindings {
                let (problems, notes) = view.findings(entry)
                out += "- \(view.symbol(entry.status)) **\(view.title(entry))** (\(m.code(entry.id))):\n"
                for problem in problems { out += "  - \(problem)\n" }
                for note in notes { out += "  - \(m.text(strings[.note])): \(note)\n" }
            }
            out += "\n"
        }
        if let notCollected = view.report.notCollected, notCollected.count > 0 {
            out += "**\(m.text(strings[.notCollected])).** "
            out += strings.format(.notCollectedExplained, m.text(strings.files(notCollected.count)), m.text(strings.bytes(notCollected.bytes)),
                                  counts: notCollected.count)
            out += " " + notCollected.files.prefix(12).map { m.code($0) }.joined(separator: ", ") + (notCollected.count > 12 ? ", …" : "") + "\n\n"
        }
        if let ignored = view.report.ignored, ignored.count > 0 {
            out += "**\(m.text(strings[.ignored])).** "
            out += strings.format(.ignoredExplained, m.text(strings.files(ignored.count)), m.text(strings.bytes(ignored.bytes)), counts: ignored.count)
            out += " " + ignored.files.prefix(12).map { m.code($0) }.joined(separator: ", ") + (ignored.count > 12 ? ", …" : "") + "\n\n"
        }
        return out
    }

    static func acceptance(_ view: ReportView, _ strings: ReportStrings) -> String {
        let m = MarkdownMarkup()
        let parties = view.report.handover
        var out = "## \(m.text(strings[.acceptance]))\n\n"
        out += strings.format(.acceptanceIntro, view.party(parties.contract)) + "\n\n"
        for choice in [Phrase.acceptedWithout, .acceptedWith, .refused] { out += "- [ ] \(m.text(strings[choice]))\n" }
        out += "\n**\(m.text(strings[.reservations]))**\n\n"
        let reservations = view.reservations
        out += reservations.isEmpty ? String(repeating: ">\n", count: 4) : reservations.map { "> \(m.text($0))\n" }.joined(separator: ">\n")
        let signing = view.signingParties
        out += "\n| | " + signing.map { m.text(strings[$0.act]) }.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: signing.count + 1) + "\n"
        out += "| | " + signing.map { "\(view.party($0.name)) (\(m.text(strings[$0.role])))" }.joined(separator: " | ") + " |\n"
        for field in [Phrase.name, .position, .date, .signatureBox] { out += "| \(m.text(strings[field])) |" + String(repeating: " |", count: signing.count) + "\n" }
        out += "\n\(m.text(strings[.signedAt]))\n\n*\(m.text(view.copies))*\n\n"
        return out
    }

    static func annex(_ view: ReportView, _ strings: ReportStrings) -> String {
        let m = MarkdownMarkup()
        guard !view.report.deliverables.isEmpty else { return "" }
        var out = "## \(m.text(strings[.annex]))\n\n"
        for (entry, files, more) in view.annex {
            out += "### \(view.symbol(entry.status)) \(view.title(entry)) (\(m.code(entry.id)))\n\n"
            guard !files.isEmpty || more > 0 else {
                out += "*\(m.text(strings[.noFiles]))*\n\n"
                continue
            }
            out += "| \(m.text(strings[.columnPath])) | \(m.text(strings[.columnSize])) |\n| --- | ---: |\n"
            for file in files { out += "| \(m.code(file.path)) | \(m.text(strings.bytes(file.bytes))) |\n" }
            if more > 0 { out += "\n" + strings.format(.moreFiles, m.text(strings.files(more))) + "\n" }
            out += "\n"
        }
        return out
    }
}

/// Markdown escaping: every character that could make markup is backslash-escaped (those that
/// only count at the start of a line, when they start the value), line breaks become spaces (a
/// value must stay on its table row), and raw HTML or entities cannot get through.
struct MarkdownMarkup: ReportMarkup {
    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "<", ">", "~", "&"]
    static let specialFirst: Set<Character> = ["#", "+", "-", "=", ".", "!", ":"]

    func text(_ plain: String) -> String {
        // Control and bidirectional characters are written out first, as on the terminal.
        let plain = VisibleText.lines(plain)
        var out = ""
        for character in plain {
            if character.isNewline || character == "\t" {
                out += " "
            } else if Self.special.contains(character) || (out.isEmpty && Self.specialFirst.contains(character)) {
                out += "\\" + String(character)
            } else if character.unicodeScalars.allSatisfy({ $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
                out += "\u{FFFD}"
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// A code span; text with a backtick, a pipe (which ends a table cell even in code), or
    /// anything that looks like HTML (which some renderers let through) is escaped text instead.
    func code(_ plain: String) -> String {
        let plain = VisibleText.lines(plain)
        if plain.contains(where: { "`|<>&".contains($0) || $0.isNewline }) { return text(plain) }
        return "`\(plain)`"
    }

    func strong(_ plain: String) -> String { "**\(text(plain))**" }
    func untranslated(_ plain: String) -> String { "\\[EN\\] \(text(plain))" }
}
