import Foundation
import HandoverKit
import Testing

/// Acme's export, as the outgoing provider prepares it: every required deliverable present.
func acmeSource() throws -> SourceFixture {
    try SourceFixture(manifest: manifestText(date: "2026-12-31", deliverables: """
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
            formats: [pdf, md]
            min-files: 2
          - id: inventories
            title: Hardware and software inventories
            paths: ["inventory/*"]
            formats: [csv, xlsx]
          - id: backup-plan
            title: Backup and recovery plan
            required: false
            paths: ["backups/**"]
          - id: server-keys
            title: Server keys
            paths: ["keys/*"]
            confidential: true
        """), files: [
            "access/accounts.csv": "account;system;role;mfa;owner\nalice;erp;admin;oui;DSI\n",
            "docs/architecture.md": "# Architecture\n",
            "docs/runbooks/Procédure de sauvegarde.pdf": "%PDF-1.7\n",
            "inventory/servers.csv": "name,os\nweb1,debian\n",
            "inventory/licences.xlsx": "PK\u{3}\u{4}",
            "keys/host.key": SampleSecrets.pemHeader + "\nMIIE\n",
            "scratch/notes.txt": "not part of the handover\n",
        ])
}

@Suite("handover missing tells the provider what is not ready")
struct MissingCommandTests {
    @Test("a complete export exits 0 and lists every deliverable as ok")
    func complete() throws {
        let fixture = try acmeSource()
        let result = try fixture.missing()
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("Contract CTR-2023-042: Acme SA, from Infogerance Ouest SAS to Nouveau Prestataire SAS"))
        for id in ["access-list", "documentation", "inventories", "server-keys"] {
            let line = try #require(result.stdout.split(separator: "\n").first { $0.contains(" \(id) ") })
            #expect(line.hasPrefix("ok "), "\(line)")
        }
        let optional = try #require(result.stdout.split(separator: "\n").first { $0.contains("backup-plan") })
        #expect(optional.hasPrefix("optional-absent"))
        #expect(optional.hasSuffix("(optional)"))
        #expect(result.stdout.contains("Not collected: 1 file"))
        #expect(result.stdout.contains("  scratch/notes.txt\n"))
        #expect(result.stdout.hasSuffix("Result: all 4 required deliverables are ready.\n"))
    }

    /// One way an export can fall short, the deliverable it breaks and what the report says.
    enum Breakage: String, CaseIterable, Sendable {
        case requiredRemoved, csvHeaderBroken, tooFewFiles, wrongFormat, symlinkToPasswd, secretLeft

        var deliverable: String {
            switch self {
            case .requiredRemoved, .csvHeaderBroken: "access-list"
            case .tooFewFiles, .symlinkToPasswd, .secretLeft: "documentation"
            case .wrongFormat: "inventories"
            }
        }

        var status: String { self == .requiredRemoved ? "MISSING" : "INVALID" }

        var explanation: String {
            switch self {
            case .requiredRemoved: "no file matches access/*.csv"
            case .csvHeaderBroken: "access/accounts.csv: the header lacks columns mfa, owner (found in row 1: account, system, role)"
            case .tooFewFiles: "found 1 file; at least 2 required"
            case .wrongFormat: "inventory/switches.ods: format .ods is not allowed here (expected .csv, .xlsx)"
            case .symlinkToPasswd: "docs/users.md: is a symbolic link to /etc/passwd, which is never followed"
            case .secretLeft: "docs/architecture.md: holds an AWS access key id at line 2"
            }
        }

        func apply(to fixture: SourceFixture) throws {
            switch self {
            case .requiredRemoved: try fixture.remove("access/accounts.csv")
            case .csvHeaderBroken: try fixture.write("access/accounts.csv", "account;system;role\nalice;erp;admin\n")
            case .tooFewFiles: try fixture.remove("docs/architecture.md")
            case .wrongFormat: try fixture.write("inventory/switches.ods", "PK")
            case .symlinkToPasswd: try fixture.symlink("docs/users.md", to: "/etc/passwd")
            case .secretLeft: try fixture.write("docs/architecture.md", "# Architecture\nkey \(SampleSecrets.awsKeyID)\n")
            }
        }
    }

    @Test("an export that falls short exits 1 and names the deliverable", arguments: Breakage.allCases)
    func fallsShort(_ breakage: Breakage) throws {
        let fixture = try acmeSource()
        try breakage.apply(to: fixture)
        let result = try fixture.missing()
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "a failed check is a report on stdout, not an error")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains(" \(breakage.deliverable) ") })
        #expect(line.hasPrefix(breakage.status), "\(line)")
        #expect(result.stdout.contains(breakage.explanation), "\(result.stdout)")
        #expect(result.stdout.contains("Result: 1 of 4 required deliverables are not ready"))
    }

    @Test("--allow-secrets lets a check with secrets pass, listing them as notes")
    func allowSecrets() throws {
        let fixture = try acmeSource()
        try Breakage.secretLeft.apply(to: fixture)
        let result = try fixture.missing(["--allow-secrets"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("note: docs/architecture.md: holds an AWS access key id at line 2 (allowed by --allow-secrets)"))
        #expect(!result.stdout.contains(SampleSecrets.awsKeyID))
    }

    @Test("--verbose lists every file that is not collected")
    func verboseNotCollected() throws {
        let fixture = try acmeSource()
        for index in 0..<12 { try fixture.write("scratch/tmp\(index).txt", "x") }
        let summary = try fixture.missing()
        #expect(summary.stdout.contains("Not collected: 13 files"))
        #expect(summary.stdout.contains("  scratch/ (13 files)\n"))
        #expect(!summary.stdout.contains("scratch/tmp11.txt"))
        let verbose = try fixture.missing(["--verbose"])
        #expect(verbose.stdout.contains("  scratch/tmp11.txt\n"))
    }

    @Test("a SOURCE that does not exist exits 2 and says so on stderr")
    func sourceMissing() throws {
        let fixture = try acmeSource()
        let nowhere = fixture.temp.path("no-such-export")
        let result = try handover(["missing", "--manifest", fixture.manifestPath, nowhere])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("handover: error: cannot read \(nowhere): No such file or directory"))
    }

    @Test("a SOURCE that is a file exits 2")
    func sourceIsAFile() throws {
        let fixture = try acmeSource()
        let result = try handover(["missing", "--manifest", fixture.manifestPath, fixture.path("scratch/notes.txt")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("is not a folder"))
    }

    @Test("missing without --manifest is a usage error: exit 2")
    func noManifest() throws {
        let fixture = try acmeSource()
        let result = try handover(["missing", fixture.source])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--manifest"))
    }
}
