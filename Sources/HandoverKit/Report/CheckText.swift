/// The text `handover missing` prints: one line per deliverable, then the problems under it,
/// then the files no deliverable selects, then a one-line verdict.
public enum CheckText {
    /// `verdict` replaces the last line when the caller knows better (a bundle that fails
    /// verification: its list cannot be called ready, whatever the deliverables say).
    public static func render(_ report: CheckReport, verbose: Bool = false, verdict replacement: String? = nil) -> String {
        var out = ""
        let parties = report.manifest.parties
        let (contract, client, provider, recipient) = (VisibleText.name(parties.contract), VisibleText.name(parties.client),
                                                      VisibleText.name(parties.provider), VisibleText.name(parties.recipient))
        out += "Contract \(contract): \(client), from \(provider) to \(recipient)\n"
        let idWidth = min(32, report.results.map(\.deliverable.id.count).max() ?? 10)
        for result in report.results {
            let status = label(result).padding(toLength: 16, withPad: " ", startingAt: 0)
            let id = result.deliverable.id.padding(toLength: max(idWidth, result.deliverable.id.count), withPad: " ", startingAt: 0)
            let count = result.files.count
            var line = "\(status)\(id)  \(count) file\(count == 1 ? "" : "s")"
            if count > 0 { line += ", \(ByteCount.format(result.bytes))" }
            line += "  \(VisibleText.name(result.deliverable.title))"
            if !result.deliverable.required { line += " (optional)" }
            out += line + "\n"
            for problem in result.problems { out += "                  \(problem.description)\n" }
            for warning in result.warnings where result.status != .optionalAbsent {
                out += "                  note: \(warning.description)\n"
            }
        }
        out += "\n" + notCollected(report, verbose: verbose)
        out += (replacement ?? verdict(report)) + "\n"
        return out
    }

    public static func label(_ status: DeliverableStatus) -> String {
        switch status {
        case .ok: "ok"
        case .missing: "MISSING"
        case .invalid: "INVALID"
        case .optionalAbsent: "optional-absent"
        }
    }

    /// The status of a deliverable, in the words of an attestation when it is one: attested
    /// when its evidence is there, NOT ATTESTED when it is not.
    public static func label(_ result: DeliverableResult) -> String {
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

    /// "Not collected" summarised by top folder, unless `verbose` asks for every file.
    static func notCollected(_ report: CheckReport, verbose: Bool) -> String {
        let files = report.notCollected
        guard !files.isEmpty else { return "Not collected: none (every file of SOURCE is selected by a deliverable).\n" }
        let bytes = files.reduce(Int64(0)) { $0 + $1.size }
        var out = "Not collected: \(files.count) file\(files.count == 1 ? "" : "s") (\(ByteCount.format(bytes))) that no deliverable selects; they will not be packaged:\n"
        if verbose || files.count <= 10 {
            for file in files { out += "  \(file.displayPath)\n" }
            return out
        }
        var groups: [(String, Int)] = []
        for file in files {
            let components = file.components
            let key = components.count > 1 ? components[0] + "/" : components[0]
            if let last = groups.last, last.0 == key { groups[groups.count - 1].1 += 1 } else { groups.append((key, 1)) }
        }
        for (key, count) in groups.prefix(20) { out += "  \(key)\(count > 1 || key.hasSuffix("/") ? " (\(count) file\(count == 1 ? "" : "s"))" : "")\n" }
        if groups.count > 20 { out += "  … and \(groups.count - 20) more; --verbose lists every file\n" }
        return out
    }

    static func verdict(_ report: CheckReport) -> String {
        let required = report.results.filter(\.deliverable.required)
        let missing = required.filter { $0.status == .missing }.count
        let invalid = required.filter { $0.status == .invalid }.count
        if missing + invalid == 0 {
            return "Result: all \(required.count) required deliverables are ready."
        }
        var parts: [String] = []
        if missing > 0 { parts.append("\(missing) missing") }
        if invalid > 0 { parts.append("\(invalid) invalid") }
        return "Result: \(missing + invalid) of \(required.count) required deliverables are not ready (\(parts.joined(separator: ", ")))."
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
