import Foundation
import HandoverKit
import Testing

@Suite("A valid manifest is read into deliverables and their rules")
struct ManifestParsingTests {
    @Test("every key of a deliverable is read, and omitted keys take their defaults")
    func fullAndDefaults() throws {
        let text = manifestText(deliverables: """
              - id: access-list
                title: Accounts and access rights
                category: access
                required: true
                paths: ["access/*.csv", "access/legacy/**/*.CSV"]
                min-files: 2
                formats: [CSV, .xlsx]
                csv:
                  required-columns: [account, system, role]
                max-age-days: 30
                confidential: true
                notes: Every account on every system.
              - id: backups
                title: Backup and recovery plan
                paths: docs/backup-plan.pdf
            """)
        let manifest = try ManifestParser.parse(Array(text.utf8), fileName: "handover.yaml")
        #expect(manifest.version == 1)
        #expect(manifest.fileName == "handover.yaml")
        #expect(manifest.originalBytes == Array(text.utf8))
        #expect(manifest.parties == HandoverParties(
            contract: "CTR-2023-042", client: "Acme SA", provider: "Infogerance Ouest SAS",
            recipient: "Nouveau Prestataire SAS", date: CalendarDate("2026-12-31")))

        let access = manifest.deliverables[0]
        #expect(access.id == "access-list")
        #expect(access.title == "Accounts and access rights")
        #expect(access.category == "access")
        #expect(access.required)
        #expect(access.paths.map(\.pattern) == ["access/*.csv", "access/legacy/**/*.CSV"])
        #expect(access.minFiles == 2)
        #expect(access.formats == ["csv", "xlsx"], "formats are lowercased, without the dot")
        #expect(access.requiredColumns == ["account", "system", "role"])
        #expect(access.maxAgeDays == 30)
        #expect(access.confidential)
        #expect(access.notes == "Every account on every system.")
        #expect(access.line == lineNumber(of: "id: access-list", in: text))

        let backups = manifest.deliverables[1]
        #expect(backups.required, "required defaults to true")
        #expect(backups.minFiles == 1)
        #expect(backups.formats == nil)
        #expect(backups.requiredColumns.isEmpty)
        #expect(backups.maxAgeDays == nil)
        #expect(!backups.confidential)
        #expect(backups.category == nil)
        #expect(backups.paths.map(\.pattern) == ["docs/backup-plan.pdf"], "a single path may be written without a list")
    }

    @Test("a manifest without a handover date checks ages against today")
    func noDate() throws {
        let manifest = try ManifestParser.parse(Array(manifestText(date: nil, deliverables: accessList).utf8), fileName: "m.yaml")
        #expect(manifest.parties.date == nil)
    }

    @Test("a JSON manifest is accepted")
    func json() throws {
        let text = """
            {
              "version": 1,
              "handover": {"contract": "CTR-2023-042", "client": "Acme SA", "provider": "Infogerance Ouest SAS",
                           "recipient": "Nouveau Prestataire SAS", "date": "2026-12-31"},
              "deliverables": [
                {"id": "access-list", "title": "Accounts", "paths": ["access/*.csv"], "required": false,
                 "min-files": 3, "csv": {"required-columns": ["account", "role"]}}
              ]
            }
            """
        let manifest = try ManifestParser.parse(Array(text.utf8), fileName: "handover.json")
        #expect(manifest.parties.client == "Acme SA")
        #expect(manifest.parties.date == CalendarDate("2026-12-31"))
        let access = try #require(manifest.deliverables.first)
        #expect(access.id == "access-list")
        #expect(!access.required)
        #expect(access.minFiles == 3)
        #expect(access.requiredColumns == ["account", "role"])
    }

    @Test("a JSON manifest with an unknown key is refused like a YAML one")
    func jsonUnknownKey() throws {
        let text = """
            {"version": 1,
             "handover": {"contract": "C", "client": "A", "provider": "P", "recipient": "R"},
             "deliverables": [{"id": "a", "title": "A", "paths": ["a/*"], "optinal": true}]}
            """
        let error = try #require(manifestError(text, fileName: "handover.json"))
        #expect(error.line == 3)
        #expect(error.message.contains("unknown key 'optinal'"))
    }

    @Test("every template shipped in the binary parses", arguments: ManifestTemplates.all.map(\.name))
    func templateParses(_ name: String) throws {
        let template = try #require(ManifestTemplates.named(name))
        let manifest = try ManifestParser.parse(template.bytes, fileName: "\(name).yaml")
        #expect(!manifest.deliverables.isEmpty)
        #expect(manifest.originalBytes == template.bytes)
        #expect(Set(manifest.deliverables.map(\.id)).count == manifest.deliverables.count)
    }

    @Test("the three templates are shipped, and the schema is JSON")
    func templateList() throws {
        #expect(ManifestTemplates.all.map(\.name) == ["infogerance", "eu-data-act", "minimal"])
        #expect(ManifestTemplates.named("MINIMAL")?.name == "minimal")
        #expect(ManifestTemplates.named("nope") == nil)
        let schema = try JSONSerialization.jsonObject(with: Data(ManifestTemplates.schema.bytes))
        #expect(schema is [String: Any])
    }

    @Test("a calendar date counts days from 1970 in UTC")
    func calendarDate() throws {
        #expect(try #require(CalendarDate("1970-01-01")).startOfDayEpoch == 0)
        #expect(try #require(CalendarDate("2026-12-31")).startOfDayEpoch == 1_798_675_200)
        #expect(try #require(CalendarDate("2000-03-01")).startOfDayEpoch == 951_868_800)
        #expect(CalendarDate("2026-12-31")?.description == "2026-12-31")
        #expect(CalendarDate("0999-01-01")?.description == "0999-01-01")
    }
}

@Suite("A manifest saved by a Windows editor")
struct ManifestByteOrderMarkTests {
    @Test("a UTF-8 byte-order mark at the start is skipped, and kept in the manifest's bytes")
    func byteOrderMark() throws {
        let text = manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/**/*"]
            """)
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let manifest = try ManifestParser.parse(bytes, fileName: "remise.yaml")
        #expect(manifest.deliverables.map(\.id) == ["documentation"])
        #expect(manifest.originalBytes == bytes)
    }
}
