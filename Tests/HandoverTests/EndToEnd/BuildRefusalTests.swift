import Foundation
import HandoverKit
import Testing

/// The provider cannot hand over an incomplete bundle by accident: build refuses and leaves no
/// trace, unless told `--allow-incomplete`, and then the bundle says so to whoever verifies it.
@Suite("handover build refuses an incomplete export, unless --allow-incomplete")
struct BuildRefusalTests {
    enum Shortfall: String, CaseIterable, Sendable {
        /// Seen by the structural check, before anything is written.
        case requiredMissing
        /// Seen only while packing (the CSV header rides on the pack pass).
        case csvHeaderBroken

        func apply(to fixture: SourceFixture) throws {
            switch self {
            case .requiredMissing: try fixture.remove("inventory/servers.csv")
            case .csvHeaderBroken: try fixture.write("access/accounts.csv", "account;system;role\nalice;erp;admin\n")
            }
        }

        var line: String {
            switch self {
            case .requiredMissing: "MISSING         inventories"
            case .csvHeaderBroken: "INVALID         access-list"
            }
        }

        var explanation: String {
            switch self {
            case .requiredMissing: "no file matches inventory/*"
            case .csvHeaderBroken: "access/accounts.csv: the header lacks columns mfa, owner (found in row 1: account, system, role)"
            }
        }

        var id: String { self == .requiredMissing ? "inventories" : "access-list" }
        var status: String { self == .requiredMissing ? "missing" : "invalid" }
    }

    @Test("exit 1, the report on stdout, and nothing written: no archive, no .sha256, no temporary file",
          arguments: Shortfall.allCases, ["tar.zst", "zip"])
    func refuses(_ shortfall: Shortfall, ext: String) throws {
        let fixture = try bundleSource()
        try shortfall.apply(to: fixture)
        let folder = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let build = try fixture.build(to: folder + "/acme.\(ext)")
        #expect(build.status == 1, "\(build.stdout)\(build.stderr)")
        #expect(build.stdout.contains(shortfall.line), "\(build.stdout)")
        #expect(build.stdout.contains(shortfall.explanation), "\(build.stdout)")
        #expect(build.stderr.contains("nothing was written"), "\(build.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [], "left behind in the output folder")
    }

    @Test("the same into a folder given as --output: it stays empty")
    func refusesIntoFolder() throws {
        let fixture = try bundleSource()
        try Shortfall.csvHeaderBroken.apply(to: fixture)
        let folder = fixture.temp.path("bundles")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let build = try fixture.build(to: folder)
        #expect(build.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }

    @Test("--allow-incomplete writes the bundle and records the shortfall; verify exits 1, verify --allow-incomplete 0",
          arguments: Shortfall.allCases)
    func allowIncomplete(_ shortfall: Shortfall) throws {
        let fixture = try bundleSource()
        try shortfall.apply(to: fixture)
        let output = fixture.temp.path("acme.tar.gz")
        let build = try fixture.build(to: output, ["--allow-incomplete"])
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        #expect(build.stdout.contains(shortfall.line))
        #expect(build.stderr.contains("warning: the bundle was written incomplete"), "\(build.stderr)")
        #expect(FileManager.default.fileExists(atPath: output + ".sha256"))

        let bag = try StandardTools.extract(output, into: fixture.temp.path("x"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: bag + "/handover/report.json"))) as? [String: Any])
        #expect(report["passed"] as? Bool == false)
        #expect((report["build"] as? [String: Any])?["allowIncomplete"] as? Bool == true)
        let entry = try #require((report["deliverables"] as? [[String: Any]])?.first { $0["id"] as? String == shortfall.id })
        #expect(entry["status"] as? String == shortfall.status)
        let problems = (entry["problems"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(problems.contains { shortfall.explanation.hasSuffix($0) }, "\(problems)")
        #expect(try StandardTools.bagitValidate(bag).status == 0, "an incomplete bundle is still a valid bag")

        let verify = try handover(["verify", output])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("Integrity: intact and complete"))
        #expect(verify.stdout.contains("Completeness: FAILED, 1 of 3 required deliverables not delivered"), "\(verify.stdout)")
        let accepted = try handover(["verify", "--allow-incomplete", output])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stdout.contains("Completeness: accepted incomplete (--allow-incomplete)"))
    }
}
