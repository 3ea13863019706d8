/// The text `handover missing` prints: whether the manifest is filled in, one line per
/// deliverable with its problems under it (grouped, see `ProblemGroups`), then the files that
/// are ignored, the empty folders, the files no deliverable selects, and a one-line verdict.
public enum CheckText {
    /// How much the text says.
    public struct Detail: Sendable {
        /// Every file of every problem, every ignored and uncollected file (`--all`).
        public var all = false
        /// Only what is not ready and the verdict (`--quiet`).
        public var quiet = false

        public init(all: Bool = false, quiet: Bool = false) {
            self.all = all
            self.quiet = quiet
        }
    }

    /// `verdict` replaces the last line when the caller knows better (a bundle that fails
    /// verification: its list cannot be called ready, whatever the deliverables say).
    public static func render(_ report: CheckReport, detail: Detail = Detail(), verdict replacement: String? = nil) -> String {
        var out = ""
        var summarised = false
        let parties = report.manifest.parties
        let (contract, client, provider, recipient) = (VisibleText.name(parties.contract), VisibleText.name(parties.client),
                                                      VisibleText.name(parties.provider), VisibleText.name(parties.recipient))
        if !detail.quiet { out += "Contract \(contract): \(client), from \(provider) to \(recipient)\n" }
        if !report.unfilled.isEmpty {
            out += "NOT FILLED IN   the manifest's handover: section still holds the template's placeholders\n"
            for field in report.unfilled {
                let sentence = ProblemSentences.english(.notFilledIn, ["key": field.key, "value": VisibleText.name(field.value)])
                out += "                  \(sentence ?? field.key)\n"
            }
        }
        let idWidth = min(32, report.results.map(\.deliverable.id.count).max() ?? 10)
        for result in report.results where !detail.quiet || result.failsCheck {
            let status = label(result).padding(toLength: 16, withPad: " ", startingAt: 0)
            let id = result.deliverable.id.padding(toLength: max(idWidth, result.deliverable.id.count), withPad: " ", startingAt: 0)
            var line = "\(status)\(id)  \(files(result.files.count))"
            if !result.files.isEmpty { line += ", \(ByteCount.format(result.bytes))" }
            if !result.ignored.isEmpty { line += ", ignored (\(files(result.ignored.count)))" }
            line += "  \(VisibleText.name(result.deliverable.title))"
            if !result.deliverable.required { line += " (optional)" }
            out += line + "\n"
            for problemLine in ProblemGroups.lines(result.problems, all: detail.all, indent: "                  ", summarised: &summarised) {
                out += problemLine + "\n"
            }
            guard !detail.quiet, result.status != .optionalAbsent else { continue }
            for note in ProblemGroups.lines(result.warnings, all: detail.all, indent: "                  note: ", summarised: &summarised) {
                out += note + "\n"
            }
        }
        if !detail.quiet {
            out += "\n" + ignored(report, all: detail.all, summarised: &summarised)
            out += emptyFolders(report, all: detail.all, summarised: &summarised)
            out += notCollected(report, all: detail.all)
            if summarised { out += "(Problems of many files are summarised with a few examples; --all lists every file.)\n" }
        }
        out += (replacement ?? verdict(report)) + "\n"
        return out
    }

    /// `problems` grouped as `missing` shows them, a few examples per group.
    package static func groupedLines(_ problems: [Problem]) -> [String] {
        var summarised = false
        return ProblemGroups.lines(problems, all: false, indent: "", summarised: &summarised)
    }

    package static func label(_ status: DeliverableStatus) -> String {
        switch status {
        case .ok: "ok"
        case .missing: "MISSING"
        case .invalid: "INVALID"
        case .optionalAbsent: "optional-absent"
        }
    }

    /// The status of a deliverable, in the words of an attestation when it is one: attested
    /// when its evidence is there, NOT ATTESTED when it is not.
    package static func label(_ result: DeliverableResult) -> String {
        guard result.deliverable.attestation != nil else { return label(result.status) }
        return attestationLabel(result.status)
    }

    static func attestationLabel(_ status: DeliverableStatus) -> String {
        switch status {
        case .ok: "attested"
        case .missing: "NOT ATTESTED"
        case .invalid: "INVALID"
        case .optionalAbsent: "not attested"
        }
    }

    /// "1 file", "2 files", with the digits of large counts grouped.
    static func files(_ count: Int) -> String { "\(ProblemGroups.grouped(count)) file\(count == 1 ? "" : "s")" }

    /// The files ignored as a whole: junk and the manifest's `exclude:`.
    static func ignored(_ report: CheckReport, all: Bool, summarised: inout Bool) -> String {
        let files = report.ignored
        guard !files.isEmpty else { return "" }
        var out = "Ignored: \(self.files(files.count)) (system junk such as Thumbs.db and ~$ lock files, or the manifest's exclude:); they will not be packaged"
        out += all || files.count <= ProblemGroups.examples ? ":\n" : ", e.g.:\n"
        let shown = all ? files[...] : files.prefix(ProblemGroups.examples)
        if shown.count < files.count { summarised = true }
        for file in shown { out += "  \(file.displayPath)\n" }
        return out
    }

    /// Empty folders of SOURCE: the deliverables that reach into one say so too.
    static func emptyFolders(_ report: CheckReport, all: Bool, summarised: inout Bool) -> String {
        let folders = report.emptyFolders
        guard !folders.isEmpty else { return "" }
        var out = "Empty folders: \(ProblemGroups.grouped(folders.count)); a bundle holds files, so they will not be in it:\n"
        let shown = all ? folders[...] : folders.prefix(ProblemGroups.examples)
        if shown.count < folders.count { summarised = true }
        for folder in shown { out += "  \(folder)/\n" }
        if shown.count < folders.count { out += "  … and \(ProblemGroups.grouped(folders.count - shown.count)) more\n" }
        return out
    }

    /// "Not collected" summarised by top folder, unless `all` asks for every file.
    static func notCollected(_ report: CheckReport, all: Bool) -> String {
        let files = report.notCollected
        guard !files.isEmpty else { return "Not collected: none (every file of SOURCE is selected by a deliverable).\n" }
        let bytes = files.reduce(Int64(0)) { $0 + $1.size }
        var out = "Not collected: \(self.files(files.count)) (\(ByteCount.format(bytes))) that no deliverable selects; they will not be packaged:\n"
        if all || files.count <= 10 {
            for file in files { out += "  \(file.displayPath)\n" }
            return out
        }
        var groups: [(String, Int)] = []
        for file in files {
            let components = file.components
            let key = components.count > 1 ? components[0] + "/" : components[0]
            if let last = groups.last, last.0 == key { groups[groups.count - 1].1 += 1 } else { groups.append((key, 1)) }
        }
        for (key, count) in groups.prefix(20) { out += "  \(key)\(count > 1 || key.hasSuffix("/") ? " (\(self.files(count)))" : "")\n" }
        if groups.count > 20 { out += "  … and \(groups.count - 20) more; --all lists every file\n" }
        return out
    }

    static func verdict(_ report: CheckReport) -> String {
        let required = report.results.filter(\.deliverable.required)
        let missing = required.filter { $0.status == .missing }.count
        let invalid = required.filter { $0.status == .invalid }.count
        let unfilled = report.unfilled.isEmpty ? ""
            : "; the manifest is not filled in (\(report.unfilled.map { "handover." + $0.key }.joined(separator: ", ")))"
        if missing + invalid == 0 {
            if !unfilled.isEmpty { return "Result: all \(required.count) required deliverables are ready, but the manifest is not: fill in \(report.unfilled.map { "handover." + $0.key }.joined(separator: ", "))." }
            return "Result: all \(required.count) required deliverables are ready."
        }
        var parts: [String] = []
        if missing > 0 { parts.append("\(missing) missing") }
        if invalid > 0 { parts.append("\(invalid) invalid") }
        return "Result: \(missing + invalid) of \(required.count) required deliverables are not ready (\(parts.joined(separator: ", ")))\(unfilled)."
    }
}

/// Byte counts for people: 1.2 MB, 640 KB (decimal units, as file managers show them).
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        return String(format: value < 10 ? "%.1f" : "%.0f", value) + " " + units[unit]
    }
}

import Foundation
