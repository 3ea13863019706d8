/// The first page's picture of the handover: the bundle's state in three words, and a bar of
/// delivered, missing and invalid deliverables per category.
extension ReportView {
    /// The bundle's state in the three words every output uses, then what an intact but
    /// incomplete bundle lacks and how to accept it anyway; nil for a SOURCE folder.
    var stateLines: (state: String, details: [String])? {
        guard let state = report.state else { return nil }
        switch state {
        case .intactAndComplete: return (strings[.stateIntactAndComplete], [])
        case .notIntact: return (strings[.stateNotIntact], [])
        case .intactButIncomplete:
            let notReady = report.deliverables.filter {
                $0.required && ($0.status == .missing || $0.status == .invalid)
            }
            var details: [String] = []
            if !notReady.isEmpty {
                let names = notReady.map { markup.code($0.id) + markup.text(" (") + title($0) + markup.text(")") }.joined(separator: markup.text(", "))
                details.append(strings.format(.stateMissing, strings.number(notReady.count), names, counts: notReady.count))
            }
            if report.kind == .bundle { details.append(strings.format(.stateHowToAccept, markup.code("handover verify --allow-incomplete"))) }
            return (strings[.stateIntactButIncomplete], details)
        }
    }

    /// Delivered, missing and invalid deliverables per category, in the order categories first
    /// appear in the manifest (optional deliverables left absent are not counted).
    var categoryBars: [(category: String, delivered: Int, missing: Int, invalid: Int)] {
        var order: [String] = []
        var tally: [String: (Int, Int, Int)] = [:]
        for entry in report.deliverables {
            let category = (entry.category ?? "").isEmpty ? strings[.chartNoCategory] : entry.category ?? ""
            if tally[category] == nil { order.append(category); tally[category] = (0, 0, 0) }
            switch entry.status {
            case .ok: tally[category]?.0 += 1
            case .missing: tally[category]?.1 += 1
            case .invalid: tally[category]?.2 += 1
            case .optionalAbsent: break
            }
        }
        return order.map { name in
            let counts = tally[name] ?? (0, 0, 0)
            return (name, counts.0, counts.1, counts.2)
        }
    }

    /// One category's bar said in words, for screen readers and the Markdown report.
    func barSentence(_ bar: (category: String, delivered: Int, missing: Int, invalid: Int)) -> String {
        strings.format(.chartCategory, markup.text(bar.category), strings.number(bar.delivered), strings.number(bar.missing),
                       strings.number(bar.invalid), counts: 0, bar.delivered, bar.missing, bar.invalid)
    }
}
