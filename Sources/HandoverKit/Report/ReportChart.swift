import Foundation

extension ReportHTML {
    /// A bar per category of deliverables on the first page: delivered, missing and invalid,
    /// drawn as inline SVG (nothing fetched). Each kind has its own fill pattern and each bar its
    /// numbers written beside it, so that it reads printed in black and white; the same counts
    /// are said in words in the SVG's title and description, for screen readers.
    static func categoryChart(_ view: ReportView) -> String {
        let bars = view.categoryBars.filter { $0.delivered + $0.missing + $0.invalid > 0 }
        guard !bars.isEmpty else { return "" }
        let h = HTMLMarkup()
        let strings = view.strings
        let (labelWidth, barWidth, rowHeight, top) = (170.0, 330.0, 22.0, 24.0)
        let largest = Double(bars.map { $0.delivered + $0.missing + $0.invalid }.max() ?? 1)
        let height = top + rowHeight * Double(bars.count) + 4
        let description = bars.map { view.barSentence($0) }.joined(separator: " ")
        var out = """
            <figure class="chart">
            <svg role="img" viewBox="0 0 640 \(format(height))" width="100%" \
            aria-labelledby="chart-title chart-desc">
            <title id="chart-title">\(h.text(strings[.chartTitle]))</title>
            <desc id="chart-desc">\(description)</desc>
            <defs>
            <pattern id="p-missing" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#fff"/>\
            <path d="M0 0L6 6M6 0L0 6" stroke="#000" stroke-width="1"/></pattern>
            <pattern id="p-invalid" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
            <rect width="6" height="6" fill="#fff"/><rect width="2.5" height="6" fill="#000"/></pattern>
            </defs>

            """
        // The legend: one swatch per kind, in the fill it has in the bars.
        let kinds: [(Phrase, String)] = [(.chartDelivered, "#2b2b2b"), (.chartMissing, "url(#p-missing)"), (.chartInvalid, "url(#p-invalid)")]
        var x = labelWidth
        for (phrase, fill) in kinds {
            out += "<rect x=\"\(format(x))\" y=\"4\" width=\"12\" height=\"12\" fill=\"\(fill)\" stroke=\"#000\"/>"
            out += "<text x=\"\(format(x + 16))\" y=\"14\" font-size=\"11\">\(h.text(strings[phrase]))</text>\n"
            x += 110
        }
        for (index, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(index)
            out += "<g class=\"bar\" data-category=\"\(h.text(bar.category))\" data-delivered=\"\(bar.delivered)\" "
            out += "data-missing=\"\(bar.missing)\" data-invalid=\"\(bar.invalid)\">"
            out += "<text x=\"\(format(labelWidth - 8))\" y=\"\(format(y + 14))\" font-size=\"11\" text-anchor=\"end\">\(h.text(clipped(bar.category)))</text>"
            var left = labelWidth
            for (count, fill) in [(bar.delivered, kinds[0].1), (bar.missing, kinds[1].1), (bar.invalid, kinds[2].1)] where count > 0 {
                let width = barWidth * Double(count) / largest
                out += "<rect x=\"\(format(left))\" y=\"\(format(y + 3))\" width=\"\(format(width))\" height=\"14\" fill=\"\(fill)\" stroke=\"#000\"/>"
                left += width
            }
            let numbers = "\(strings.number(bar.delivered)) ✓ · \(strings.number(bar.missing)) ✗ · \(strings.number(bar.invalid)) ⚠"
            out += "<text x=\"\(format(labelWidth + barWidth + 8))\" y=\"\(format(y + 14))\" font-size=\"11\">\(h.text(numbers))</text></g>\n"
        }
        return out + "</svg>\n</figure>\n"
    }

    /// A category name short enough for the label column; the full name is in the description.
    private static func clipped(_ name: String) -> String {
        name.count > 26 ? String(name.prefix(25)) + "…" : name
    }

    private static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
