import Foundation

/// How a renderer marks up text that came from input: escaped, in code, in bold. The HTML and
/// the Markdown report share `ReportView` and differ only here and in their layout.
protocol ReportMarkup {
    /// Text from anywhere, escaped so that it can only ever be text.
    func text(_ plain: String) -> String
    /// A path, an identifier or a checksum, escaped, set in a fixed-width font.
    func code(_ plain: String) -> String
    /// Escaped text in bold.
    func strong(_ plain: String) -> String
    /// English text shown in a report of another language because it has no translation yet,
    /// marked as such so that nobody takes the gap for an oversight of the reader's.
    func untranslated(_ plain: String) -> String
}

/// What the report says, worded in one language, before any layout: the renderers only place it.
struct ReportView {
    let report: HandoverReport
    let strings: ReportStrings
    let markup: ReportMarkup

    /// At most this many files per deliverable in the annex, and in all: a report stays readable
    /// (and small enough to sit in the bundle) however large the handover.
    static let filesPerDeliverable = 250
    static let filesInAll = 5000

    init(_ report: HandoverReport, _ strings: ReportStrings, _ markup: ReportMarkup) {
        self.report = report
        self.strings = strings
        self.markup = markup
    }

    // MARK: Header

    var subtitle: String {
        switch report.kind {
        case .bundle: strings[.subtitleBundle]
        case .source: strings[.subtitleSource]
        case .build: strings[.subtitleBuild]
        }
    }

    var introduction: String {
        let parties = report.handover
        return strings.format(.introduction, party(parties.client), party(parties.recipient), party(parties.contract))
    }

    func party(_ value: String) -> String {
        value.isEmpty ? markup.text(strings[.unknown]) : markup.text(value)
    }

    var partyRows: [(String, String)] {
        let parties = report.handover
        return [(strings[.contract], party(parties.contract)), (strings[.client], party(parties.client)),
                (strings[.provider], party(parties.provider)), (strings[.recipient], party(parties.recipient))]
    }

    var dateRows: [(String, String)] {
        let dates = report.dates
        var rows = [(strings[.handoverDate], dates.handover.map { markup.text(strings.day($0)) } ?? markup.text(strings[.handoverDateUnset]))]
        if let created = dates.bundleCreated { rows.append((strings[.bundleCreated], markup.text(strings.time(created)))) }
        if let stamped = dates.timestamped { rows.append((strings[.timestamped], markup.text(strings.time(stamped)))) }
        if report.kind != .build { rows.append((strings[.reportMade], markup.text(strings.time(dates.generated)))) }
        return rows
    }

    // MARK: Verdict

    var verdictHeadline: String {
        switch report.verdict {
        case .complete: strings[.verdictComplete]
        case .incomplete: strings[.verdictIncomplete]
        case .invalid: strings[.verdictInvalid]
        case .intact: strings[.verdictIntact]
        case .unauthenticated: strings[.verdictUnauthenticated]
        }
    }

    var verdictSymbol: String {
        switch report.verdict {
        case .complete, .intact: "✓"
        case .incomplete, .unauthenticated: "!"
        case .invalid: "✗"
        }
    }

    var verdictExplanation: String {
        let required = report.deliverables.filter(\.required)
        let notReady = required.filter { $0.status == .missing || $0.status == .invalid }
        let (bad, all) = (strings.number(notReady.count), strings.number(required.count))
        let (badCount, allCount) = (notReady.count, required.count)
        switch (report.kind, report.verdict) {
        case (_, .invalid): return strings[.explainBundleInvalid]
        case (_, .intact): return strings[.explainBundleIntact]
        case (_, .unauthenticated): return strings[report.summary == nil ? .explainBagUnauthenticated : .explainBundleUnauthenticated]
        case (.bundle, .complete): return strings.format(.explainBundleComplete, all, counts: allCount)
        case (.bundle, .incomplete): return strings.format(.explainBundleIncomplete, bad, all, counts: badCount, allCount)
        case (.source, .complete): return strings.format(.explainSourceComplete, all, counts: allCount)
        case (.source, .incomplete): return strings.format(.explainSourceIncomplete, bad, all, counts: badCount, allCount)
        case (.build, .complete): return strings.format(.explainBuildComplete, all, counts: allCount)
        case (.build, .incomplete): return strings.format(.explainBuildIncomplete, bad, all, counts: badCount, allCount)
        }
    }

    /// The count of deliverables in each status, in the order people read them.
    var counts: [(DeliverableStatus, Int)] {
        [DeliverableStatus.ok, .missing, .invalid, .optionalAbsent].map { status in
            (status, report.deliverables.filter { $0.status == status }.count)
        }
    }

    // MARK: Deliverables

    /// The status word: "Delivered" for a bundle, "Present" for a folder not yet packed.
    func label(_ status: DeliverableStatus) -> String {
        switch status {
        case .ok: strings[report.kind == .source ? .statusPresent : .statusDelivered]
        case .missing: strings[.statusMissing]
        case .invalid: strings[.statusInvalid]
        case .optionalAbsent: strings[.statusOptionalAbsent]
        }
    }

    /// The status word of one deliverable: an attestation is Attested or Not attested.
    func label(_ entry: CheckJSON.DeliverableEntry) -> String {
        guard entry.kind == .attestation else { return label(entry.status) }
        switch entry.status {
        case .ok: return strings[.statusAttested]
        case .missing, .optionalAbsent: return strings[.statusNotAttested]
        case .invalid: return label(entry.status)
        }
    }

    /// A symbol that says the status without colour.
    func symbol(_ status: DeliverableStatus) -> String {
        switch status {
        case .ok: "✓"
        case .missing: "✗"
        case .invalid: "⚠"
        case .optionalAbsent: "○"
        }
    }

    /// required or optional, confidential, the category.
    func tags(_ entry: CheckJSON.DeliverableEntry) -> [String] {
        var tags = [markup.text(strings[entry.required ? .required : .optional])]
        if entry.confidential { tags.append(markup.text(strings[.confidential])) }
        if entry.kind == .attestation { tags.append(markup.text(strings[.attestation])) }
        if let category = entry.category, !category.isEmpty { tags.append(markup.text(category)) }
        return tags
    }

    /// The problems, then the notes (notes of an absent optional deliverable say nothing new).
    func findings(_ entry: CheckJSON.DeliverableEntry) -> (problems: [String], notes: [String]) {
        let problems = entry.problems.map(problem)
        let notes = entry.status == .optionalAbsent ? [] : entry.warnings.map(problem)
        return (problems, notes)
    }

    func problem(_ problem: Problem) -> String {
        let sentence = self.sentence(problem.code, problem.parameters ?? [:], english: problem.message)
        guard let file = problem.file else { return sentence }
        return markup.code(file) + markup.text(": ") + sentence
    }

    /// The sentence of a problem in the report's language, or its English message marked as
    /// untranslated when the language has no sentence for its code.
    func sentence(_ code: ProblemCode?, _ parameters: [String: String], english: String) -> String {
        if let code, let sentence = ProblemSentences.sentence(code, parameters, in: strings.language, escape: markup.text) {
            return sentence
        }
        return strings.language == .en ? markup.text(english) : markup.untranslated(english)
    }

    /// The deliverable's title in the report's language; another language's title, marked as
    /// untranslated, when the manifest gives titles per language but not this one.
    func title(_ entry: CheckJSON.DeliverableEntry) -> String {
        guard let titles = entry.titles, !titles.isEmpty else { return markup.text(entry.title) }
        if let title = titles[strings.language.rawValue] { return markup.text(title) }
        return markup.untranslated(entry.title)
    }

    /// The files the annex lists for each deliverable, within the caps, and how many are left out.
    var annex: [(entry: CheckJSON.DeliverableEntry, files: [CheckJSON.FileEntry], more: Int)] {
        var budget = Self.filesInAll
        return report.deliverables.map { entry in
            let files = entry.fileList ?? []
            let shown = Array(files.prefix(min(Self.filesPerDeliverable, max(0, budget))))
            budget -= shown.count
            // `files` counts them all; a report made at build keeps only the first in `fileList`.
            return (entry, shown, max(entry.files, files.count) - shown.count)
        }
    }

    // MARK: Bundle and evidence

    /// The rows of the bundle section: the file, its checksum, the payload, the checks.
    var bundleRows: [(String, String)] {
        guard let bundle = report.bundle else { return [] }
        var rows: [(String, String)] = []
        if let path = bundle.path { rows.append((strings[.bundleFile], markup.code(URL(fileURLWithPath: path).lastPathComponent))) }
        if let name = bundle.bagName { rows.append((strings[.bagName], markup.code(name))) }
        if report.kind == .bundle {
            if let bytes = bundle.bytes { rows.append((strings[.archiveSize], markup.text(strings.bytes(bytes)))) }
            if let sha256 = bundle.sha256 {
                let sidecar = URL(fileURLWithPath: (bundle.path ?? "") + ".sha256").lastPathComponent
                let comparison: String
                switch bundle.sidecar {
                case .match: comparison = strings.format(.sidecarMatch, markup.code(sidecar))
                case .mismatch: comparison = markup.strong(strings.format(.sidecarMismatch, sidecar))
                case .absent, nil: comparison = markup.text(strings[.sidecarAbsent])
                }
                rows.append((strings[.sha256], markup.code(sha256) + " — " + comparison))
            } else if !bundle.isArchive {
                rows.append((strings[.sha256], markup.text(strings[.folderNoChecksum])))
            }
        }
        var payload = "\(strings.files(bundle.payloadFiles)), \(strings.bytes(bundle.payloadBytes))"
        if bundle.encryptedFiles > 0 {
            payload += "; " + strings.format(.encrypted, strings.files(bundle.encryptedFiles), strings.number(bundle.recipients.count),
                                       counts: bundle.encryptedFiles, bundle.recipients.count)
        }
        if bundle.remotePayload == true { payload += "; " + strings[.remotePayload] }
        if let objects = bundle.remoteObjects, let checked = bundle.remoteChecked {
            payload += "; " + strings.format(.remoteChecked, strings.number(checked), strings.number(objects), counts: checked, objects)
        }
        rows.append((strings[.payload], markup.text(payload)))
        if bundle.builtIncomplete { rows.append((strings[.howBuilt], markup.text(strings[.builtIncomplete]))) }
        if let integrity = report.integrity {
            let value = integrity.valid
                ? markup.text(strings.format(.integrityOK, integrity.algorithms.joined(separator: ", ")))
                : markup.strong(strings.format(.integrityFailed, strings.number(integrity.problems.count), counts: integrity.problems.count))
            rows.append((strings[.integrity], value))
        }
        rows.append((strings[.signature], signatureText))
        rows.append((strings[.timestamp], timestampText))
        if let tool = bundle.builtBy, report.kind == .bundle { rows.append((strings[.builtBy], markup.text(tool))) }
        return rows
    }

    var signatureText: String {
        if report.kind == .build {
            guard report.bundle?.signatureRequested == true else { return markup.text(strings[.notRequested]) }
            return strings.format(.signatureFollows, markup.code(BagLayout.signature))
        }
        guard let signature = report.signature, signature.present else { return markup.text(strings[.signatureAbsent]) }
        let key = signature.fingerprint ?? ""
        // Why is said in the bundle's problems, in the report's language.
        if !signature.valid { return markup.strong(strings[.signatureFailed]) }
        guard report.authenticity == .authenticated else { return strings.format(.signatureUnchecked, markup.code(key)) }
        let signer = signature.principals.isEmpty ? key : signature.principals.joined(separator: ", ")
        return strings.format(.signatureValid, markup.text(signer), markup.code(key))
    }

    var timestampText: String {
        if report.kind == .build {
            guard report.bundle?.timestampRequested == true else { return markup.text(strings[.notRequested]) }
            return strings.format(.timestampFollows, markup.code(BagLayout.timestamp))
        }
        guard let timestamp = report.timestamp, timestamp.present else { return markup.text(strings[.timestampAbsent]) }
        let time = markup.text(timestamp.time.map(strings.time) ?? strings[.unknown])
        switch timestamp.outcome {
        case .verified: return strings.format(.timestampVerified, time)
        case .notVerified: return strings.format(.timestampNotVerified, time)
        case .failed, nil: return markup.strong(strings[.timestampFailed])
        }
    }

    /// Problems of the bundle as a whole: BagIt findings not already shown on a deliverable,
    /// then the manifest and evidence problems.
    var bundleProblems: [String] {
        let shownOnDeliverables = Set(report.deliverables.flatMap { $0.problems.compactMap(\.file) })
        var out: [String] = []
        for issue in report.integrity?.problems ?? [] {
            let stored = issue.file.hasPrefix("data/") ? String(issue.file.dropFirst(5)) : ""
            let plain = stored.hasSuffix(".age") ? String(stored.dropLast(4)) : stored
            if !stored.isEmpty && shownOnDeliverables.contains(plain) { continue }
            let place = issue.line.map { "\(issue.file):\($0)" } ?? issue.file
            out.append(markup.code(place) + markup.text(": ") + sentence(ProblemCode(issue.code), [:], english: issue.message))
        }
        if let details = report.problemDetails, details.count == report.problems.count {
            return out + details.map { sentence($0.code, $0.parameters ?? [:], english: $0.message) }
        }
        return out + report.problems.map { strings.language == .en ? markup.text($0) : markup.untranslated($0) }
    }

    // MARK: Acceptance

    /// The parties who sign, each with what they do and their role: the outgoing provider
    /// hands over, the client receives, and the recipient (the incoming provider) receives too
    /// when the manifest names one other than the client.
    var signingParties: [(act: Phrase, name: String, role: Phrase)] {
        let parties = report.handover
        var out: [(act: Phrase, name: String, role: Phrase)] = [(.handedOverBy, parties.provider, .provider), (.receivedBy, parties.client, .client)]
        let recipient = parties.recipient.trimmingCharacters(in: .whitespaces)
        if !recipient.isEmpty && recipient.lowercased() != parties.client.trimmingCharacters(in: .whitespaces).lowercased() {
            out.append((.receivedBy, parties.recipient, .newProvider))
        }
        return out
    }

    /// "Made in 3 copies": one per party who signs.
    var copies: String {
        strings.format(.copies, strings.number(signingParties.count), counts: signingParties.count)
    }

    /// The reservations given with `report --reservations`, one paragraph per block of lines.
    var reservations: [String] {
        guard let text = report.reservations else { return [] }
        return text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    // MARK: Footer

    /// What every printed page repeats, so that a page cannot be swapped in from another
    /// report or dropped unnoticed: the contract, and the archive's SHA-256 prefix (the bag's
    /// name for the report built inside the bundle, whose archive has no checksum yet).
    var pageMark: String {
        var parts = [report.handover.contract.isEmpty ? strings[.unknown] : report.handover.contract]
        if let sha256 = report.bundle?.sha256 {
            parts.append("SHA-256 " + sha256.prefix(16) + "…")
        } else if let name = report.bundle?.bagName {
            parts.append(name)
        }
        return parts.joined(separator: " · ")
    }

    var footer: String {
        strings.format(.footer, markup.text(report.tool), markup.text(strings.time(report.dates.generated)))
    }

    /// The command that checks the bundle again, when the report is about one.
    var verifyHint: String? {
        switch report.kind {
        case .source: return nil
        case .build: return strings.format(.verifyHint, markup.code("handover verify BUNDLE"))
        case .bundle:
            let name = URL(fileURLWithPath: report.bundle?.path ?? report.subject).lastPathComponent
            return strings.format(.verifyHint, markup.code("handover verify \(name)"))
        }
    }
}
