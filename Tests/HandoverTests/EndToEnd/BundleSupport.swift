import Foundation
import HandoverKit
import Testing

/// 2026-12-31T12:00:00Z, the handover of the stories; builds pin SOURCE_DATE_EPOCH to it so that
/// the bag's name and dates are known in advance.
let handoverEpoch: Int64 = 1_798_718_400
let handoverBagName = "acme-sa-handover-20261231T120000Z"

/// An export ready to be packed: every required deliverable present, nothing confidential (so no
/// age recipient is needed), one file that no deliverable selects.
func bundleSource(extraFiles: [String: String] = [:]) throws -> SourceFixture {
    var files = [
        "access/accounts.csv": "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\n",
        "docs/architecture.md": "# Architecture\n\nTwo sites, one cluster.\n",
        "docs/runbooks/Procédure de sauvegarde.pdf": "%PDF-1.7\nsauvegarde\n",
        "inventory/servers.csv": "name,os\nweb1,debian\ndb1,debian\n",
        "scratch/notes.txt": "not part of the handover\n",
    ]
    files.merge(extraFiles) { $1 }
    return try SourceFixture(manifest: manifestText(date: "2026-12-31", deliverables: """
          - id: access-list
            title: Accounts and access rights
            category: access
            paths: ["access/*.csv"]
            formats: [csv]
            csv:
              required-columns: [account, system, role, mfa, owner]
          - id: documentation
            title: Technical documentation
            paths: ["docs/**/*"]
            min-files: 2
          - id: inventories
            title: Hardware and software inventories
            paths: ["inventory/*"]
            formats: [csv, xlsx]
          - id: backup-plan
            title: Backup and recovery plan
            required: false
            paths: ["backups/**"]
        """), files: files)
}

/// The payload the bag of `bundleSource()` holds, relative to `data/`.
let bundlePayload = ["access/accounts.csv", "docs/architecture.md", "docs/runbooks/Procédure de sauvegarde.pdf", "inventory/servers.csv"]

/// The output extensions `handover build` knows, each a format.
let bundleExtensions = ["tar", "tar.gz", "tgz", "tar.zst", "tar.xz", "zip"]

extension SourceFixture {
    /// Runs `handover build --manifest … SOURCE --output OUTPUT`, with SOURCE_DATE_EPOCH set
    /// unless `epoch` is nil.
    func build(to output: String, _ extra: [String] = [], epoch: Int64? = handoverEpoch, environment: [String: String] = [:]) throws -> ProcessResult {
        let epochVariable = ["SOURCE_DATE_EPOCH": epoch.map { String($0) } ?? ""]
        return try handover(["build", "--manifest", manifestPath, source, "--output", output] + extra,
                            environment: environment.merging(epochVariable) { $1 })
    }

    /// Builds into `temp/out/<name>` and requires success; returns the archive's path.
    func buildBundle(_ name: String, _ extra: [String] = [], epoch: Int64? = handoverEpoch, environment: [String: String] = [:],
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let folder = temp.path("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let output = folder + "/" + name
        let result = try build(to: output, extra, epoch: epoch, environment: environment)
        try #require(result.status == 0, "build \(name): \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        return output
    }
}

/// The tools of the standard world, as an auditor would use them.
enum StandardTools {
    static func bsdtar() throws -> String { try requireTool("bsdtar", install: "apt-get install libarchive-tools") }
    static func bagitPython() throws -> String { try requireTool("bagit.py", install: "pip install bagit") }

    /// Extracts `archive` with bsdtar into a new folder `into`; returns the path of the single
    /// folder it holds (the bag).
    @discardableResult
    static func extract(_ archive: String, into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try runProcess(try bsdtar(), ["-xf", archive, "-C", folder])
        guard result.status == 0 else { throw FixtureError("bsdtar -xf \(archive): \(result.stderr)") }
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        guard entries.count == 1, let only = entries.first else { throw FixtureError("\(archive) holds \(entries), not one folder") }
        return folder + "/" + only
    }

    /// Extracts a tar bundle with GNU tar, which writes names as stored (bsdtar, in a UTF-8
    /// locale, writes NFD names as NFC); returns the path of the bag folder.
    static func extractKeepingNames(_ archive: String, into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tar = try requireTool("tar", install: "apt-get install tar")
        let result = try runProcess(tar, ["-xf", archive, "-C", folder])
        guard result.status == 0 else { throw FixtureError("tar -xf \(archive): \(result.stderr)") }
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        guard entries.count == 1, let only = entries.first else { throw FixtureError("\(archive) holds \(entries), not one folder") }
        return folder + "/" + only
    }

    /// Serializes the folder `bag` (its name becomes the archive's top-level folder) with bsdtar,
    /// the format chosen by `archive`'s suffix (`-a`).
    static func pack(_ bag: String, to archive: String) throws {
        let url = URL(fileURLWithPath: bag)
        let result = try runProcess(try bsdtar(), ["-caf", archive, "-C", url.deletingLastPathComponent().path, url.lastPathComponent])
        guard result.status == 0 else { throw FixtureError("bsdtar -caf \(archive): \(result.stderr)") }
    }

    /// `bagit.py --validate --quiet FOLDER`.
    static func bagitValidate(_ folder: String) throws -> ProcessResult {
        try runProcess(try bagitPython(), ["--validate", "--quiet", folder])
    }
}

/// A text file's lines, for fields and manifests.
func lines(of path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
}

/// The JSON object printed on stdout.
func jsonObject(_ result: ProcessResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any],
                 "not a JSON object: \(result.stdout)", sourceLocation: sourceLocation)
}

/// The files of a folder, recursively, relative to it (hidden ones included).
func pathsUnder(_ folder: String) -> [String] {
    (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
}
