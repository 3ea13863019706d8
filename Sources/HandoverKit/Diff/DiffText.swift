/// The text `handover diff` prints: who is compared and how, each deliverable with its changes
/// (the first files of each, unless verbose), bag-info.txt and the manifests, then a verdict.
public enum DiffText {
    /// Files listed per deliverable before the rest is counted, as `missing` does.
    public static let shown = 10

    public static func render(_ diff: BundleDiff, verbose: Bool = false) -> String {
        // Paths, titles and bag-info values come from the bundles: shown escaped (VisibleText),
        // so that a name cannot add a line that looks like a change.
        let visible: (String) -> String = VisibleText.name
        var out = "Old: \(visible(describe(diff.old)))\nNew: \(visible(describe(diff.new)))\n"
        out += method(diff) + "\n\n"
        let width = min(32, diff.deliverables.map { ($0.id ?? "-").count }.max() ?? 10)
        for group in diff.deliverables {
            let id = visible(group.id ?? "-").padding(toLength: max(width, (group.id ?? "-").count), withPad: " ", startingAt: 0)
            out += "\(id)  \(visible(group.title)): \(summary(group))\n"
            var lines: [String] = group.added.map { "added      \(visible($0))" } + group.removed.map { "removed    \(visible($0))" }
                + group.changed.map { "changed    \(visible($0))" } + group.moved.map { "moved      \(visible($0.from)) -> \(visible($0.to))" }
            if !verbose && lines.count > shown {
                let rest = lines.count - shown
                lines = Array(lines.prefix(shown)) + ["… and \(rest) more; --verbose lists every file"]
            }
            for line in lines { out += "    \(line)\n" }
        }
        out += "\n" + metadata(diff)
        for note in diff.notes { out += "Note: \(note)\n" }
        return out + verdict(diff) + "\n"
    }

    static func describe(_ side: BundleDiff.Side) -> String {
        var parts: [String] = []
        if let bag = side.bagName { parts.append("bag \(bag)") }
        if let delivery = side.delivery { parts.append("delivery \(delivery)") }
        return side.path + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }

    /// Says what the comparison rests on: a diff from the tag files proves nothing by itself.
    public static func method(_ diff: BundleDiff) -> String {
        if diff.verified {
            return "Both bundles were verified first; their \(diff.algorithm.rawValue) digests were then compared."
        }
        return "Compared from the tag files alone: the \(diff.algorithm.rawValue) digests the payload manifests claim; no payload file was read or hashed (--verify checks both bundles first)."
    }

    static func summary(_ group: BundleDiff.DeliverableChanges) -> String {
        var parts: [String] = []
        if !group.added.isEmpty { parts.append("\(group.added.count) added") }
        if !group.removed.isEmpty { parts.append("\(group.removed.count) removed") }
        if !group.changed.isEmpty { parts.append("\(group.changed.count) changed") }
        if !group.moved.isEmpty { parts.append("\(group.moved.count) moved") }
        let unchanged = "\(group.unchanged) unchanged"
        return parts.isEmpty ? "no change (\(unchanged))" : (parts + [unchanged]).joined(separator: ", ")
    }

    static func metadata(_ diff: BundleDiff) -> String {
        let visible: (String) -> String = VisibleText.name
        var out = ""
        if diff.bagInfo.isEmpty {
            out += "bag-info.txt: no change\n"
        } else {
            out += "bag-info.txt: \(diff.bagInfo.count) field\(diff.bagInfo.count == 1 ? "" : "s") changed\n"
            for field in diff.bagInfo {
                out += "    \(visible(field.label)): \(field.old.map(visible) ?? "(absent)") -> \(field.new.map(visible) ?? "(absent)")\n"
            }
        }
        out += "\(BagLayout.manifestCopy): \(manifestSummary(diff.manifest))\n"
        if let tags = diff.tagFiles, !tags.isSame {
            let parts = tags.added.map { "\(visible($0)) added" } + tags.removed.map { "\(visible($0)) removed" } + tags.changed.map { "\(visible($0)) changed" }
            out += "Other tag files: \(parts.joined(separator: ", "))\n"
        }
        return out
    }

    static func manifestSummary(_ changes: BundleDiff.ManifestChanges) -> String {
        guard changes.changed else { return "no change" }
        var parts: [String] = []
        if !changes.deliverablesAdded.isEmpty { parts.append("deliverables added: \(changes.deliverablesAdded.joined(separator: ", "))") }
        if !changes.deliverablesRemoved.isEmpty { parts.append("removed: \(changes.deliverablesRemoved.joined(separator: ", "))") }
        if !changes.deliverablesChanged.isEmpty { parts.append("redefined: \(changes.deliverablesChanged.joined(separator: ", "))") }
        return "changed" + (parts.isEmpty ? "" : "; " + parts.joined(separator: "; "))
    }

    static func verdict(_ diff: BundleDiff) -> String {
        let totals = DiffJSON.totals(diff)
        if diff.isSame { return "Result: no difference (\(totals.unchanged) payload files, all unchanged)." }
        var parts = ["\(totals.added) added", "\(totals.removed) removed", "\(totals.changed) changed", "\(totals.moved) moved", "\(totals.unchanged) unchanged"]
        if !diff.bagInfo.isEmpty { parts.append("\(diff.bagInfo.count) bag-info field\(diff.bagInfo.count == 1 ? "" : "s")") }
        if diff.manifest.changed { parts.append("manifest changed") }
        if let tags = diff.tagFiles, !tags.isSame { parts.append("\(tags.added.count + tags.removed.count + tags.changed.count) other tag files") }
        return "Result: the deliveries differ: \(parts.joined(separator: ", "))."
    }
}

/// The same comparison in Markdown, for minutes and tickets (`handover diff --format md`).
public enum DiffMarkdown {
    public static func render(_ diff: BundleDiff, verbose: Bool = false) -> String {
        var out = "# Changes between two deliveries\n\n"
        out += "- Old: \(code(DiffText.describe(diff.old)))\n- New: \(code(DiffText.describe(diff.new)))\n\n"
        out += DiffText.method(diff) + "\n\n"
        out += "| Deliverable | Added | Removed | Changed | Moved | Unchanged |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
        for group in diff.deliverables {
            let name = group.id.map { "\(code($0)) \(text(group.title))" } ?? text(group.title)
            out += "| \(name) | \(group.added.count) | \(group.removed.count) | \(group.changed.count) | \(group.moved.count) | \(group.unchanged) |\n"
        }
        for group in diff.deliverables where !group.isSame {
            out += "\n## \(group.id.map { "\($0): " } ?? "")\(text(group.title))\n\n"
            var lines = group.added.map { "- added \(code($0))" } + group.removed.map { "- removed \(code($0))" }
                + group.changed.map { "- changed \(code($0))" } + group.moved.map { "- moved \(code($0.from)) → \(code($0.to))" }
            if !verbose && lines.count > DiffText.shown {
                let rest = lines.count - DiffText.shown
                lines = Array(lines.prefix(DiffText.shown)) + ["- … and \(rest) more (`--verbose` lists every file)"]
            }
            out += lines.joined(separator: "\n") + "\n"
        }
        out += "\n## Metadata\n\n"
        if diff.bagInfo.isEmpty { out += "- bag-info.txt: no change\n" }
        for field in diff.bagInfo {
            out += "- bag-info.txt \(code(field.label)): \(field.old.map(code) ?? "(absent)") → \(field.new.map(code) ?? "(absent)")\n"
        }
        out += "- \(code(BagLayout.manifestCopy)): \(text(DiffText.manifestSummary(diff.manifest)))\n"
        for note in diff.notes { out += "\n> \(text(note))\n" }
        return out + "\n**" + text(DiffText.verdict(diff)) + "**\n"
    }

    /// A code span that holds any text, escaped (VisibleText): the fence is longer than any run
    /// of backticks inside.
    static func code(_ value: String) -> String {
        let clean = VisibleText.name(value).replacingOccurrences(of: "|", with: "\\|")
        var longest = 0, run = 0
        for character in clean { run = character == "`" ? run + 1 : 0; longest = max(longest, run) }
        let fence = String(repeating: "`", count: longest + 1)
        return longest == 0 ? "\(fence)\(clean)\(fence)" : "\(fence) \(clean) \(fence)"
    }

    /// Plain text, escaped (VisibleText), with Markdown's active characters escaped.
    static func text(_ value: String) -> String {
        var out = ""
        for character in VisibleText.name(value) {
            if "\\`*_[]<>|#&".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
