import Foundation
import HandoverKit
import Testing

/// The end of Acme's handover day, 2026-12-31, when ages are measured.
let endOfHandoverDay = Timestamp(seconds: CalendarDate("2027-01-01")!.startOfDayEpoch)

@Suite("Each deliverable is judged by its rules")
struct RuleTests {
    @Test("a required deliverable with no file is missing and fails; an optional one is only noted")
    func requiredAndOptional() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
              - id: network-diagrams
                title: Network diagrams
                required: false
                paths: ["network/*.{pdf,svg}"]
            """), files: ["docs/readme.md": "# hello"])
        let report = try fixture.check()
        let access = try report.result("access-list")
        #expect(access.status == .missing)
        #expect(access.failsCheck)
        #expect(access.problemText == "no file matches access/*.csv")
        let network = try report.result("network-diagrams")
        #expect(network.status == .optionalAbsent)
        #expect(!network.failsCheck)
        #expect(network.problems.isEmpty)
        #expect(network.warningText.contains("optional, and no file matches network/*.{pdf,svg}"))
        #expect(!report.passed)

        try fixture.write("access/accounts.csv", "account\nalice\n")
        let fixed = try fixture.check()
        #expect(try fixed.result("access-list").status == .ok)
        #expect(fixed.passed, "an absent optional deliverable does not fail the check")
    }

    @Test("an optional deliverable that is there but invalid is reported, and does not fail the check")
    func optionalInvalid() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: network-diagrams
                title: Network diagrams
                required: false
                paths: ["network/*"]
                formats: [pdf]
            """), files: ["network/plan.vsdx": "binary"])
        let report = try fixture.check()
        let network = try report.result("network-diagrams")
        #expect(network.status == .invalid)
        #expect(network.problemText.contains("network/plan.vsdx: format .vsdx is not allowed here (expected .pdf)"))
        #expect(report.passed)
    }

    @Test("min-files counts the regular files")
    func minFiles() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: tickets
                title: Ticket history
                paths: ["tickets/**/*.json"]
                min-files: 3
            """), files: ["tickets/2025/a.json": "{}", "tickets/2026/b.json": "{}"])
        let short = try fixture.check().result("tickets")
        #expect(short.status == .invalid)
        #expect(short.problemText == "found 2 files; at least 3 required")
        try fixture.write("tickets/c.json", "{}")
        #expect(try fixture.check().result("tickets").status == .ok)
    }

    @Test("min-files: 0 lets a deliverable be empty without being missing")
    func minFilesZero() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: incidents
                title: Security incidents
                paths: ["security/incidents/*"]
                min-files: 0
            """))
        let result = try fixture.check().result("incidents")
        #expect(result.status == .ok)
    }

    @Test("formats allow listed extensions, whatever their case, and name the others")
    func formats() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: inventory
                title: Hardware inventory
                paths: ["inventory/*"]
                formats: [csv, .XLSX]
            """), files: ["inventory/servers.CSV": "name\nweb1\n", "inventory/desks.xlsx": "PK"])
        #expect(try fixture.check().result("inventory").status == .ok)

        try fixture.write("inventory/switches.ods", "PK")
        try fixture.write("inventory/README", "see csv")
        let result = try fixture.check().result("inventory")
        #expect(result.status == .invalid)
        #expect(result.problems.count == 2)
        #expect(result.problemText.contains("inventory/switches.ods: format .ods is not allowed here (expected .csv, .xlsx)"))
        #expect(result.problemText.contains("inventory/README: a file without extension is not allowed here"))
    }

    @Test("an empty file is a problem")
    func emptyFile() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/**"]
            """), files: ["docs/plan.md": "# Plan", "docs/empty.md": ""])
        let result = try fixture.check().result("documentation")
        #expect(result.status == .invalid)
        #expect(result.problemText == "docs/empty.md: the file is empty")
    }

    @Test("files that no deliverable selects are listed as not collected")
    func notCollected() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/**/*.pdf"]
            """), files: ["docs/plan.pdf": "%PDF", "docs/draft.odt": "PK", "tmp/cache.bin": "1234", ".DS_Store": "x"])
        let report = try fixture.check()
        // .DS_Store is system junk: ignored, so not listed as a file the provider forgot.
        #expect(report.notCollected.map(\.displayPath) == ["docs/draft.odt", "tmp/cache.bin"])
        #expect(report.ignored.map(\.displayPath) == [".DS_Store"])
        #expect(report.collectedFiles.map(\.displayPath) == ["docs/plan.pdf"])
        #expect(report.passed)
    }

    @Test("a symbolic link to /etc/passwd is reported with its target and never read")
    func symlinkOutside() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
                csv:
                  required-columns: [account, role]
            """), files: ["access/accounts.csv": "account,role\nalice,admin\n"])
        try fixture.symlink("access/passwd.csv", to: "/etc/passwd")
        let result = try fixture.check().result("access-list")
        #expect(result.status == .invalid)
        #expect(result.failsCheck)
        #expect(result.problems.map(\.description) == [
            "access/passwd.csv: is a symbolic link to /etc/passwd, which is never followed; put the file itself in SOURCE"])
        #expect(result.problems.first?.code == .symbolicLink && result.problems.first?.parameters == ["target": "/etc/passwd"])
        // Had /etc/passwd been read as a CSV, its header ("root:x:0:0…") would be a problem too.
        #expect(!result.problemText.contains("root"))
    }

    @Test("a symbolic link to a file inside SOURCE is reported too, naming its target")
    func symlinkInside() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/*.pdf"]
            """), files: ["docs/plan-v2.pdf": "%PDF v2"])
        try fixture.symlink("docs/plan-current.pdf", to: "plan-v2.pdf")
        let result = try fixture.check().result("documentation")
        #expect(result.status == .invalid)
        #expect(result.problemText == "docs/plan-current.pdf: is a symbolic link to plan-v2.pdf, which is never followed; put the file itself in SOURCE")
        #expect(result.files.count == 2)
    }

    @Test("a deliverable's folder that is a symbolic link is the deliverable's, named as a link, not a stray file")
    func symlinkedFolder() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/**/*"]
            """))
        let elsewhere = fixture.temp.path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: elsewhere + "/a.txt"))
        try fixture.symlink("docs", to: elsewhere)
        let report = try fixture.check()
        let result = try report.result("documentation")
        #expect(result.status != .ok)
        #expect(result.problemText.contains("docs: is a symbolic link to \(elsewhere), which is never followed"), "\(result.problemText)")
        #expect(report.notCollected.isEmpty, "\(report.notCollected.map(\.displayPath))")
    }

    @Test("a deliverable made only of links counts no file")
    func onlyLinks() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
            """))
        // The link points at a FIFO: reading through it would block the check for ever.
        let pipe = fixture.temp.path("pipe")
        #expect(mkfifo(pipe, 0o644) == 0)
        try fixture.symlink("access/accounts.csv", to: pipe)
        let result = try finishes { try fixture.check().result("access-list") }
        #expect(result.status == .invalid)
        #expect(result.problemText.contains("found 0 files; at least 1 required"))
        #expect(result.problemText.contains("access/accounts.csv: is a symbolic link to \(pipe)"))
    }

    @Test("a FIFO is reported as not a regular file, without blocking")
    func fifo() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: data-exports
                title: Data exports
                paths: ["exports/**"]
            """), files: ["exports/customers.csv": "id,name\n1,Acme\n"])
        try fixture.fifo("exports/stream.csv")
        let result = try finishes { try fixture.check().result("data-exports") }
        #expect(result.status == .invalid)
        #expect(result.problemText == "exports/stream.csv: is a FIFO, not a regular file; a bundle holds regular files only")
    }
}

@Suite("max-age-days: the newest file must be recent enough")
struct AgeRuleTests {
    static let deliverable = """
          - id: backups
            title: Backup reports
            paths: ["backups/*.log"]
            max-age-days: 30
        """

    @Test("against the handover date in the manifest")
    func againstHandoverDate() throws {
        let fixture = try SourceFixture(manifest: manifestText(date: "2026-12-31", deliverables: Self.deliverable),
                                        files: ["backups/old.log": "ok", "backups/new.log": "ok"])
        try fixture.setModified("backups/old.log", daysBefore: endOfHandoverDay, days: 90)
        try fixture.setModified("backups/new.log", daysBefore: endOfHandoverDay, days: 29.5)
        // "now" is years later: the manifest's date is what counts, not the clock.
        let later = Timestamp(seconds: endOfHandoverDay.seconds + 3 * 365 * 86_400)
        #expect(try fixture.check(now: later).result("backups").status == .ok, "the newest file decides")

        try fixture.setModified("backups/new.log", daysBefore: endOfHandoverDay, days: 31.5)
        let result = try fixture.check(now: later).result("backups")
        #expect(result.status == .invalid)
        #expect(result.problemText == "backups/new.log: the newest file is 31 days old at the handover date; at most 30 days allowed")
    }

    @Test("against now when the manifest gives no date")
    func againstNow() throws {
        let fixture = try SourceFixture(manifest: manifestText(date: nil, deliverables: Self.deliverable),
                                        files: ["backups/weekly.log": "ok"])
        let now = Timestamp(seconds: 1_900_000_000)
        try fixture.setModified("backups/weekly.log", daysBefore: now, days: 10)
        #expect(try fixture.check(now: now).result("backups").status == .ok)
        let muchLater = Timestamp(seconds: now.seconds + 40 * 86_400)
        let result = try fixture.check(now: muchLater).result("backups")
        #expect(result.status == .invalid)
        #expect(result.problemText == "backups/weekly.log: the newest file is 50 days old today; at most 30 days allowed")
    }

    @Test("the reference time is the end of the handover day, in UTC")
    func referenceTime() {
        let now = Timestamp(seconds: 42)
        #expect(DeliverableChecker.referenceTime(nil, now: now) == now)
        #expect(DeliverableChecker.referenceTime(CalendarDate("2026-12-31"), now: now) == endOfHandoverDay)
    }
}
