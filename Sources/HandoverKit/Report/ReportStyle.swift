/// The report's stylesheet, inlined into every HTML report: fonts already on the reader's
/// machine (nothing fetched), an A4 page on screen, and print rules that keep a deliverable,
/// a party's signature block and the acceptance section whole.
enum ReportStyle {
    /// The print rule that puts `mark` and "page X / Y" at the foot of every page, in the
    /// page's margin boxes, which Chromium's print-to-PDF renders (since Chromium 131; Debian
    /// ships 156). Other engines print no footer, but the report stays whole.
    static func pageFooter(_ mark: String) -> String {
        """
        @page {
          @bottom-left { content: "\(cssString(mark))"; font: 7.5pt "Liberation Sans", Arial, sans-serif; color: #5c6573; }
          @bottom-right { content: "page " counter(page) " / " counter(pages); font: 7.5pt "Liberation Sans", Arial, sans-serif; color: #5c6573; }
        }

        """
    }

    /// Text for the inside of a CSS string: quotes, backslashes, angle brackets (a `</style>`
    /// must never appear) and control characters as CSS escapes; the rest as it is.
    static func cssString(_ text: String) -> String {
        var out = ""
        for scalar in VisibleText.lines(text).unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || "\\\"'<>&/".unicodeScalars.contains(scalar) {
                out += "\\" + String(scalar.value, radix: 16) + " "
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }


    static let css = """

        :root { --ink: #1c2330; --muted: #5c6573; --line: #d3d8df; --accent: #1f3a5f;
          --ok: #17663a; --ok-bg: #e5f3ea; --bad: #a8231b; --bad-bg: #fbe8e6;
          --warn: #7a4d00; --warn-bg: #fdf1d3; --na: #4f5968; --na-bg: #eceff3; }
        * { box-sizing: border-box; }
        html { background: #e9ecf0; }
        body { margin: 0; color: var(--ink);
          font: 10.5pt/1.45 "Liberation Sans", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
        .page { max-width: 210mm; margin: 24px auto; padding: 16mm 16mm 12mm; background: #fff;
          box-shadow: 0 1px 6px rgba(0, 0, 0, .18); }
        h1, h2, h3 { color: var(--accent); break-after: avoid; page-break-after: avoid; }
        h1 { font-size: 21pt; margin: 2px 0 0; letter-spacing: -.01em; }
        h2 { font-size: 12.5pt; margin: 20px 0 8px; padding-bottom: 3px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 10.5pt; margin: 0 0 6px; }
        p { margin: 0 0 6px; }
        code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8.6pt; overflow-wrap: anywhere; }
        .masthead { display: flex; justify-content: space-between; align-items: flex-end; gap: 16px;
          padding-bottom: 10px; border-bottom: 3px solid var(--accent); }
        .kicker { margin: 0; font-size: 8.5pt; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
        .reference { text-align: right; white-space: nowrap; }
        .reference span { display: block; font-size: 8.5pt; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
        .reference strong { font-size: 14pt; }
        .introduction { margin: 12px 0 0; font-size: 11pt; }
        .columns { display: grid; grid-template-columns: 1fr 1.2fr; gap: 0 28px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; font-weight: 600; overflow-wrap: anywhere; }
        dl.facts.wide dd { font-weight: normal; }
        .verdict { display: flex; align-items: center; gap: 14px; margin: 18px 0 10px; padding: 10px 14px;
          border: 2px solid; border-radius: 6px; break-inside: avoid; }
        .verdict .mark { flex: none; width: 38px; height: 38px; border-radius: 50%; color: #fff;
          font-size: 20pt; font-weight: 700; line-height: 38px; text-align: center; }
        .verdict .headline { margin: 0 0 2px; font-size: 13.5pt; font-weight: 700; }
        .verdict p { margin: 0; }
        .v-complete, .v-intact { border-color: var(--ok); background: var(--ok-bg); }
        .v-complete .mark, .v-intact .mark { background: var(--ok); }
        .v-complete .headline, .v-intact .headline { color: var(--ok); }
        .v-incomplete, .v-unauthenticated { border-color: #b07500; background: var(--warn-bg); }
        .v-incomplete .mark, .v-unauthenticated .mark { background: #b07500; }
        .v-incomplete .headline, .v-unauthenticated .headline { color: var(--warn); }
        .v-invalid { border-color: var(--bad); background: var(--bad-bg); }
        .v-invalid .mark { background: var(--bad); }
        .v-invalid .headline { color: var(--bad); }
        .verdict .state { margin-top: 4px; }
        .chart { margin: 8px 0 4px; }
        .chart svg { display: block; max-width: 100%; height: auto; }
        .counts { display: flex; gap: 8px; margin: 0 0 4px; padding: 0; list-style: none; }
        .counts li { flex: 1; padding: 5px 10px; border: 1px solid var(--line); border-left-width: 4px; border-radius: 4px; }
        .counts b { display: block; font-size: 15pt; line-height: 1.2; }
        .counts span { font-size: 9pt; color: var(--muted); }
        .counts .c-ok { border-left-color: var(--ok); }
        .counts .c-ok b { color: var(--ok); }
        .counts .c-missing { border-left-color: var(--bad); background: var(--bad-bg); }
        .counts .c-missing b { color: var(--bad); }
        .counts .c-invalid { border-left-color: #b07500; background: var(--warn-bg); }
        .counts .c-invalid b { color: var(--warn); }
        .counts .c-optional-absent { border-left-color: #8a94a3; }
        .counts .zero { border-left-color: var(--line); background: none; }
        .counts .zero b { color: var(--muted); }
        table { width: 100%; border-collapse: collapse; }
        thead { display: table-header-group; }
        th { padding: 4px 6px; border-bottom: 2px solid var(--line); text-align: left; font-size: 8.5pt;
          letter-spacing: .04em; text-transform: uppercase; color: var(--muted); }
        td { padding: 6px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
        table.deliverables { table-layout: fixed; }
        table.deliverables th.st { width: 34mm; }
        table.deliverables th.num { width: 20mm; }
        table.deliverables td.st .status { white-space: normal; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        th.st, td.st { width: 1%; white-space: nowrap; }
        .title { display: block; font-weight: 700; }
        .tags { display: block; font-size: 8.8pt; color: var(--muted); font-weight: normal; }
        .status { display: inline-block; padding: 1px 8px; border: 1px solid; border-radius: 10px;
          font-size: 8.8pt; font-weight: 700; white-space: nowrap; }
        .s-ok { color: var(--ok); background: var(--ok-bg); border-color: #9fcfb0; }
        .s-missing { color: var(--bad); background: var(--bad-bg); border-color: #e7aaa4; }
        .s-invalid { color: var(--warn); background: var(--warn-bg); border-color: #e5c06d; }
        .s-optional-absent { color: var(--na); background: var(--na-bg); border-color: #c3c9d2; }
        .row-missing td, .row-invalid td { background: #fffafa; }
        ul.problems, ul.notes { margin: 4px 0 0; padding-left: 16px; font-size: 9pt; }
        ul.problems { color: var(--bad); }
        ul.notes { color: var(--muted); }
        .aside { margin-top: 8px; font-size: 9pt; color: var(--muted); }
        .empty { color: var(--muted); font-style: italic; }
        .bundle { break-inside: avoid; }
        .alert { margin-top: 10px; padding: 8px 12px; border: 1px solid #e7aaa4; border-left: 4px solid var(--bad);
          background: var(--bad-bg); }
        .alert h3 { color: var(--bad); }
        .acceptance { break-before: page; page-break-before: always; break-inside: avoid; }
        .choices { margin: 10px 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px 22px; }
        .choices li { font-size: 10.5pt; }
        .label { margin: 10px 0 4px; font-weight: 700; }
        .reservations { height: 48mm; border: 1px solid var(--ink); border-radius: 3px;
          background: repeating-linear-gradient(to bottom, transparent 0, transparent 8mm, var(--line) 8mm, var(--line) 8.3mm); }
        .signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 16px; }
        .signatures.parties-3 { grid-template-columns: 1fr 1fr 1fr; gap: 10px; }
        .party .role { margin: 0; font-size: 9pt; color: var(--muted); }
        .reservations.filled { height: auto; min-height: 24mm; padding: 4px 8px; background: none; white-space: pre-wrap; overflow-wrap: anywhere; }
        .reservations.filled p { margin: 0 0 6px; }
        .untranslated { font-style: italic; }
        .untranslated abbr.lang { font-style: normal; font-size: 7.5pt; padding: 0 3px; border: 1px solid currentColor; border-radius: 2px; text-decoration: none; }
        .technical { margin-top: 16px; font-size: 9pt; color: var(--muted); }
        .party { padding: 10px 12px; border: 1px solid var(--ink); border-radius: 3px; break-inside: avoid; }
        .party .who { font-weight: 700; }
        .field { margin: 0; padding: 12px 0 2px; border-bottom: 1px dotted var(--muted); font-size: 9pt; color: var(--muted); }
        .field.sign { height: 34mm; border: 1px dashed var(--muted); border-radius: 3px; margin-top: 10px; padding: 4px 6px; }
        .place { margin-top: 14px; }
        .copies { font-size: 9pt; color: var(--muted); }
        .annex { break-before: page; page-break-before: always; }
        .annex-item { margin: 12px 0; break-inside: avoid; }
        .annex-item h3 .status { font-size: 8pt; vertical-align: 1px; }
        .annex-item .tags { display: inline; margin-left: 4px; }
        ul.files { margin: 0; padding: 0; list-style: none; columns: 2; column-gap: 24px; column-rule: 1px solid var(--line); }
        ul.files li { display: flex; justify-content: space-between; gap: 8px; padding: 1px 0;
          border-bottom: 1px dotted var(--line); font-size: 8.6pt; break-inside: avoid; }
        ul.files .num { color: var(--muted); }
        .more { font-size: 9pt; color: var(--muted); }
        footer { margin-top: 22px; padding-top: 6px; border-top: 1px solid var(--line); font-size: 8.5pt; color: var(--muted); }
        footer p { margin: 0 0 2px; }
        @page { size: A4; margin: 14mm 14mm 16mm; }
        @media print {
          html { background: none; }
          .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
          * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          .annex-item { break-inside: auto; }
        }
        @media (max-width: 720px) {
          .page { margin: 0; padding: 16px; }
          .columns, .signatures { grid-template-columns: 1fr; }
          .counts { flex-wrap: wrap; }
        }

        """
}
