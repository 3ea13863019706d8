import Foundation
@testable import HandoverKit
import Testing

/// A handover of a million ticket files once made a `handover/report.json` of 97 MB, which its
/// own verify refused as a tag file too large. The report keeps per-deliverable facts, counts
/// and the first entries of each list; the manifests list every file.
@Suite("report.json keeps the same size however many files a bundle holds")
struct ReportBoundTests {
    /// One deliverable of `count` tickets, a thousand per folder; each name holds a `:`, which
    /// Windows cannot hold, so that every file also brings a warning to the report.
    static func tickets(_ count: Int) throws -> SourceFixture {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: tickets
                title: Ticket history
                paths: ["tickets/**"]
            """))
        for index in 0..<count {
            try fixture.write(String(format: "tickets/%03d/ticket:%07d.txt", index / 1000, index), "t")
        }
        return fixture
    }

    /// The report.json inside `bundle`, read by bsdtar.
    static func reportJSON(_ bundle: String) throws -> String {
        let read = try runProcess(try StandardTools.bsdtar(), ["-xOf", bundle, "\(handoverBagName)/\(BagLayout.reportJSON)"])
        try #require(read.status == 0, "\(read.stderr)")
        return read.stdout
    }

    @Test("1,000 and 6,000 files: report.json of the same size within a few bytes, lists cut at 1,000 and counted; verify and inspect accept both")
    func sameSize() throws {
        var sizes: [Int] = []
        for count in [1_000, 6_000] {
            let fixture = try Self.tickets(count)
            let bundle = try fixture.buildBundle("tickets.tar")
            let text = try Self.reportJSON(bundle)
            sizes.append(text.utf8.count)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let tickets = try #require((json["deliverables"] as? [[String: Any]])?.first)
            #expect(tickets["files"] as? Int == count)
            #expect((tickets["fileList"] as? [Any])?.count == 1_000)
            #expect((tickets["warnings"] as? [Any])?.count == 1_000)
            let omitted = tickets["omitted"] as? [String: Int]
            #expect(omitted?["fileList"] == (count > 1_000 ? count - 1_000 : nil), "\(String(describing: omitted))")
            #expect(omitted?["warnings"] == (count > 1_000 ? count - 1_000 : nil), "\(String(describing: omitted))")

            let verify = try handover(["verify", bundle])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            let inspect = try handover(["inspect", bundle])
            #expect(inspect.status == 0, "\(inspect.stderr)")
            #expect(inspect.stdout.contains("\(count) files"), "\(inspect.stdout)")
            #expect(!inspect.stdout.contains("in no deliverable"), "\(inspect.stdout)")
            // The manifest still lists every file.
            let manifest = try runProcess(try StandardTools.bsdtar(), ["-xOf", bundle, "\(handoverBagName)/manifest-sha256.txt"])
            #expect(manifest.stdout.split(separator: "\n").count == count)
        }
        // Six times the files; the report differs by the counts and the `omitted` object alone.
        #expect(abs(sizes[1] - sizes[0]) < 200, "report.json: \(sizes[0]) bytes for 1,000 files, \(sizes[1]) for 6,000")
    }

    @Test("a report that would pass the limit verify keeps keeps fewer entries per list, and refuses only when even counts alone do not fit")
    func fallsBack() throws {
        let fixture = try Self.tickets(300)
        let report = try fixture.check(now: Timestamp(seconds: handoverEpoch))
        let build = CheckJSON.BuildInfo(bagName: handoverBagName, created: "2026-12-31T12:00:00Z", tool: "handover test", algorithms: ["sha256"],
                                        allowIncomplete: false, payloadFiles: 300, payloadBytes: 300, recipients: [], encryptedFiles: 0)
        let whole = try BuildReportJSON.encoded(report, build: build)
        var limits = BagLimits()
        limits.keptTagFileBytes = whole.count - 1
        let smaller = try BuildReportJSON.encoded(report, build: build, limits: limits)
        let json = try JSONDecoder().decode(CheckJSON.self, from: Data(smaller))
        #expect(smaller.count <= limits.keptTagFileBytes)
        #expect(json.deliverables.first?.fileList?.count == 100)
        #expect(json.deliverables.first?.omitted?.fileList == 200)
        #expect(json.deliverables.first?.files == 300)

        limits.keptTagFileBytes = 200
        #expect(throws: BagLimitError.self) { try BuildReportJSON.encoded(report, build: build, limits: limits) }
    }
}
