import Foundation
@testable import HandoverKit
import Testing

/// The report model holds states as types (`DeliverableStatus`, `CheckJSON.Kind`, the
/// time-stamp's `Outcome`, `ArchiveChecksum.Sidecar`); the JSON keeps the same words.
@Suite("the report model's states are types, written as the same JSON words")
struct ReportModelTypesTests {
    static func entry(status: String, kind: String?) -> String {
        """
        {"id": "access-list", "title": "Accounts", "required": true, "confidential": false, "status": "\(status)",
         "files": 1, "bytes": 10, "paths": ["access/*.csv"], "problems": [], "warnings": []\(kind.map { ", \"kind\": \"\($0)\"" } ?? "")}
        """
    }

    @Test("each status and kind is written as its word, and read back as the same value")
    func roundTrip() throws {
        for status in [DeliverableStatus.ok, .missing, .invalid, .optionalAbsent] {
            let read = try JSONDecoder().decode(CheckJSON.DeliverableEntry.self, from: Data(Self.entry(status: status.rawValue, kind: "attestation").utf8))
            #expect(read.status == status)
            #expect(read.kind == .attestation)
            let written = String(decoding: try JSONEncoder().encode(read), as: UTF8.self)
            #expect(written.contains("\"status\":\"\(status.rawValue)\""), "\(written)")
            #expect(written.contains("\"kind\":\"attestation\""), "\(written)")
        }
        let outcome = String(decoding: try JSONEncoder().encode(VerifyJSON.Timestamp.Outcome.notVerified), as: UTF8.self)
        #expect(outcome == "\"not-verified\"")
        #expect(String(decoding: try JSONEncoder().encode(ArchiveChecksum.Sidecar.mismatch), as: UTF8.self) == "\"mismatch\"")
    }

    @Test("a report.json from another version: an unknown status reads as invalid, never ok; an unknown kind is kept")
    func unknownWords() throws {
        let read = try JSONDecoder().decode(CheckJSON.DeliverableEntry.self, from: Data(Self.entry(status: "accepted-later", kind: "interview").utf8))
        #expect(read.status == .invalid)
        #expect(read.kind?.rawValue == "interview")
        #expect(read.kind != .attestation)
    }
}
