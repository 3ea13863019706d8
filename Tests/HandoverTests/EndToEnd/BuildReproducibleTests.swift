import Foundation
import HandoverKit
import Testing

/// Anyone who holds SOURCE and the manifest can rebuild the bundle and compare bytes.
@Suite("With SOURCE_DATE_EPOCH, builds are byte-for-byte reproducible")
struct BuildReproducibleTests {
    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test("two builds of the same SOURCE with the same epoch are identical; another epoch differs", arguments: bundleExtensions)
    func identical(_ ext: String) throws {
        let fixture = try bundleSource()
        let first = try fixture.buildBundle("first.\(ext)")
        // Between the builds, touch the files' access times and wait a second: nothing of it may show.
        Thread.sleep(forTimeInterval: 1.1)
        for path in bundlePayload { _ = try Data(contentsOf: URL(fileURLWithPath: fixture.path(path))) }
        let second = try fixture.buildBundle("second.\(ext)")
        #expect(try bytes(first) == bytes(second), "\(ext) is not reproducible")
        // The .sha256 files differ only by the archive's name.
        let digest = { (path: String) in try String(contentsOfFile: path + ".sha256", encoding: .utf8).prefix(64) }
        #expect(try digest(first) == digest(second))

        let later = try fixture.buildBundle("later.\(ext)", epoch: handoverEpoch + 86_400)
        #expect(try bytes(first) != bytes(later), "the epoch must show in the bundle")
    }

    @Test("the machine's time zone does not show (zip records local times)", arguments: bundleExtensions)
    func timeZone(_ ext: String) throws {
        let fixture = try bundleSource()
        let utc = try fixture.buildBundle("utc.\(ext)", environment: ["TZ": "UTC"])
        let auckland = try fixture.buildBundle("auckland.\(ext)", environment: ["TZ": "Pacific/Auckland"])
        let havana = try fixture.buildBundle("havana.\(ext)", environment: ["TZ": "America/Havana"])
        #expect(try bytes(utc) == bytes(auckland))
        #expect(try bytes(utc) == bytes(havana))
    }

    @Test("a copy of SOURCE with other modes, and times later than the epoch, gives the same bytes")
    func otherCopy() throws {
        let fixture = try bundleSource()
        for path in bundlePayload {
            try fixture.setModified(path, to: Timestamp(seconds: handoverEpoch + 3_600))
        }
        let first = try fixture.buildBundle("first.tar")
        // A second copy, with other modes and other times, all later than the epoch: modes are
        // normalised and times clamped to SOURCE_DATE_EPOCH.
        let copy = try bundleSource()
        for (index, path) in bundlePayload.enumerated() {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: copy.path(path))
            try copy.setModified(path, to: Timestamp(seconds: handoverEpoch + 86_400 * Int64(index + 2), nanoseconds: 500))
        }
        try copy.setManifest(try String(contentsOfFile: fixture.manifestPath, encoding: .utf8))
        let second = try copy.buildBundle("second.tar")
        #expect(try bytes(first) == bytes(second))
    }

    @Test("entries are sorted, owned by 0:0 without names, 0644 and 0755, with times clamped to the epoch")
    func normalisedEntries() throws {
        let fixture = try bundleSource()
        for path in bundlePayload {
            try fixture.setModified(path, to: Timestamp(seconds: handoverEpoch + 7_200))
        }
        let output = try fixture.buildBundle("acme.tar")
        let listing = try runProcess(try StandardTools.bsdtar(), ["-tvf", output], environment: ["TZ": "UTC"])
        try #require(listing.status == 0)
        let rows = listing.stdout.split(separator: "\n")
        #expect(rows.count > 10)
        for row in rows {
            let columns = row.split(separator: " ", omittingEmptySubsequences: true)
            try #require(columns.count >= 9, "\(row)")
            #expect(columns[0] == "-rw-r--r--" || columns[0] == "drwxr-xr-x", "\(row)")
            #expect(columns[2] == "0" && columns[3] == "0", "owner 0:0, no names: \(row)")
            #expect(columns[5...7].joined(separator: " ") == "Dec 31 2026" || columns[5...7].joined(separator: " ") == "Dec 31 12:00", "\(row)")
        }
        let paths = rows.map { String($0.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: true).last ?? "") }
        let payload = paths.filter { $0.hasPrefix("\(handoverBagName)/data/") && !$0.hasSuffix("/") }
        #expect(payload == payload.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
