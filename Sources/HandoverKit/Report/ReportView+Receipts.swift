/// One receipt given to the bundle a report is about, as `report --receipt` checked it.
public struct ReceiptEntry: Codable, Sendable, Equatable {
    /// How the receipt's check went.
    public enum Check: String, Codable, Sendable {
        /// The signature holds, by a key in the signer list, and the receipt names this bundle.
        case valid
        /// The same, but no signer list was given to recognise the key.
        case unchecked = "signer-not-checked"
        /// Altered, about another bundle, by an unlisted key, or a bad signature.
        case invalid
    }

    /// The receipt's file, as given.
    public var file: String
    public var decision: ReceiptBody.Decision?
    /// Who signed: the principals of the signer list, else the name stated and the fingerprint.
    public var signedBy: String
    /// When the receipt says it was made (RFC 3339).
    public var time: String?
    public var check: Check
    /// Why the receipt does not hold, when it does not (the English sentences).
    public var problems: [String]

    /// The entry for a receipt just checked.
    public init(file: String, result: StatementCheck.Result) {
        self.file = file
        decision = result.statement?.receipt?.decision
        signedBy = result.signedBy
        time = result.statement?.time
        check = !result.passed ? .invalid : result.signerChecked ? .valid : .unchecked
        problems = result.problems.map(\.message)
    }
}

/// The "Receipts" section: worded here once, placed by the HTML and Markdown renderers.
extension ReportView {
    /// The section's rows (decision, who, when, signature), or empty without receipts.
    var receiptRows: [[String]] {
        (report.receipts ?? []).map { entry in
            // A receipt that does not hold says nothing anyone signed: neither its decision nor
            // its signer is shown as if it did.
            guard entry.check != .invalid else {
                return ["—", "—", "—", strings[.receiptInvalid]].map(markup.text)
            }
            let decision: String = switch entry.decision {
            case .accepted: strings[.receiptAccepted]
            case .acceptedWithReservations: strings[.receiptWithReservations]
            case .refused: strings[.receiptRefused]
            case nil: "—"
            }
            let check: Phrase = switch entry.check {
            case .valid: .receiptValid
            case .unchecked: .receiptUnchecked
            case .invalid: .receiptInvalid
            }
            return [markup.text(decision), markup.text(entry.signedBy), markup.text(entry.time.map { strings.time($0) } ?? "—"),
                    markup.text(strings[check])]
        }
    }

    var receiptHeaders: [String] {
        [strings[.receiptDecision], strings[.receiptBy], strings[.receiptTime], strings[.receiptSignature]].map(markup.text)
    }

    var receiptsIntroduction: String {
        let count = report.receipts?.count ?? 0
        return markup.text(strings.format(.receiptsIntro, strings.number(count), counts: count))
    }
}

extension ReportHTML {
    /// The receipts given to the bundle; empty when none were given.
    static func receipts(_ view: ReportView, _ strings: ReportStrings) -> String {
        let rows = view.receiptRows
        guard !rows.isEmpty else { return "" }
        let h = HTMLMarkup()
        var out = "<section class=\"receipts\">\n<h2>\(h.text(strings[.receipts]))</h2>\n<p>\(view.receiptsIntroduction)</p>\n<table>\n<thead><tr>"
        out += view.receiptHeaders.map { "<th>\($0)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
        return out + "</tbody>\n</table>\n</section>\n"
    }
}

extension ReportMarkdown {
    /// The receipts given to the bundle; empty when none were given.
    static func receipts(_ view: ReportView, _ strings: ReportStrings) -> String {
        let rows = view.receiptRows
        guard !rows.isEmpty else { return "" }
        let m = MarkdownMarkup()
        var out = "## \(m.text(strings[.receipts]))\n\n\(view.receiptsIntroduction)\n\n"
        out += "| " + view.receiptHeaders.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: 4) + "\n"
        for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }
}
