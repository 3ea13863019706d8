import Foundation
import HandoverKit
import Testing

/// A provider's export folder (SOURCE) and the manifest that describes it, made in a temp folder.
///
/// Tests write the manifest and the files the story needs, then check the folder either in
/// process (`check()`) or by running the built binary (`missing()`).
final class SourceFixture: @unchecked Sendable {
    let temp: TempDirectory
    /// The folder holding the deliverables.
    let source: String
    /// The manifest file, beside SOURCE (not inside it, so it is never "not collected").
    let manifestPath: String

    init(manifest: String, files: [String: String] = [:]) throws {
        temp = try TempDirectory("handover-source")
        source = temp.path("source")
        manifestPath = temp.path("handover.yaml")
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        try setManifest(manifest)
        for (path, contents) in files { try write(path, contents) }
    }

    /// The absolute path of `relative` inside SOURCE.
    func path(_ relative: String) -> String { source + "/" + relative }

    func setManifest(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifestPath))
    }

    @discardableResult
    func write(_ relative: String, _ contents: String) throws -> String {
        try write(relative, Data(contents.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ bytes: Data) throws -> String {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: url)
        return url.path
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path(relative))
    }

    /// A symbolic link at `relative` pointing at `target`, written as given.
    func symlink(_ relative: String, to target: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// A named pipe at `relative`: opening it for reading would block forever.
    func fifo(_ relative: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard mkfifo(url.path, 0o644) == 0 else { throw FixtureError("mkfifo \(relative): \(String(cString: strerror(errno)))") }
    }

    /// Sets the modification time of `relative` with utimensat, without following a link.
    func setModified(_ relative: String, to time: Timestamp) throws {
        var times = [timespec(tv_sec: Int(time.seconds), tv_nsec: Int(time.nanoseconds)),
                     timespec(tv_sec: Int(time.seconds), tv_nsec: Int(time.nanoseconds))]
        guard utimensat(AT_FDCWD, path(relative), &times, AT_SYMLINK_NOFOLLOW) == 0 else {
            throw FixtureError("utimensat \(relative): \(String(cString: strerror(errno)))")
        }
    }

    func setModified(_ relative: String, daysBefore reference: Timestamp, days: Double) throws {
        try setModified(relative, to: Timestamp(seconds: reference.seconds - Int64(days * 86_400)))
    }

    func manifest() throws -> Manifest {
        try ManifestParser.load(path: manifestPath)
    }

    /// Runs every rule in process, as `handover missing` does.
    func check(now: Timestamp = .now, allowSecrets: Bool = false) throws -> CheckReport {
        try SourceCheck.run(manifest: try manifest(), source: source, options: CheckOptions(now: now, allowSecrets: allowSecrets))
    }

    /// Runs `handover missing --manifest … SOURCE` with extra arguments.
    func missing(_ extra: [String] = []) throws -> ProcessResult {
        try handover(["missing", "--manifest", manifestPath, source] + extra)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension CheckReport {
    /// The result of the deliverable `id`; a test that names an unknown id fails.
    func result(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> DeliverableResult {
        try #require(results.first { $0.deliverable.id == id }, "no deliverable \(id)", sourceLocation: sourceLocation)
    }
}

extension DeliverableResult {
    /// Every problem as one line of text, for `contains` checks.
    var problemText: String { problems.map(\.description).joined(separator: "\n") }
    var warningText: String { warnings.map(\.description).joined(separator: "\n") }
}

/// Manifest text for tests: the parties of Acme's contract, an optional handover date, and the
/// deliverables given as YAML list items (indented by two spaces, starting with `- id:`).
func manifestText(date: String? = "2026-12-31", deliverables: String) -> String {
    var text = """
        version: 1
        handover:
          contract: CTR-2023-042
          client: Acme SA
          provider: Infogerance Ouest SAS
          recipient: Nouveau Prestataire SAS

        """
    if let date { text += "  date: \(date)\n" }
    text += "deliverables:\n" + deliverables
    if !text.hasSuffix("\n") { text += "\n" }
    return text
}

/// The 1-based number of the first line of `text` that contains `marker`.
func lineNumber(of marker: String, in text: String, occurrence: Int = 1) -> Int? {
    var seen = 0
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(marker) {
        seen += 1
        if seen == occurrence { return index + 1 }
    }
    return nil
}
