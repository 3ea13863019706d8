import Foundation
@testable import HandoverKit
import Testing

/// The zip writer once set TZ around each libarchive call, on the writer thread, while the
/// reader and hasher threads ran (and read TZ through localtime). The process is now set to UTC
/// once at start (ProcessSetup) and the writer leaves the environment alone.
@Suite("the zip writer leaves the process's time zone alone")
struct ArchiveWriterTimeZoneTests {
    @Test("TZ is never changed while a zip is written, not even inside the writer's calls")
    func environmentUntouched() throws {
        let before = getenv("TZ").map { String(cString: $0) }
        var seen: [String?] = []
        let writer = try ArchiveWriter(format: .zip, name: "memory.zip") { _ in
            // Called from inside archive_write_header / archive_write_close.
            seen.append(getenv("TZ").map { String(cString: $0) })
        }
        try writer.addDirectory(Array("bag".utf8), modified: handoverEpoch)
        for index in 0..<40 {
            // Enough bytes that libarchive hands blocks to the sink during the entries too.
            try writer.addFile(Array("bag/file-\(index).txt".utf8), contents: Array(repeating: UInt8(index), count: 4_096), modified: handoverEpoch)
        }
        try writer.finish()
        #expect(!seen.isEmpty)
        #expect(seen.allSatisfy { $0 == before }, "TZ was \(before ?? "unset") before, seen \(Set(seen.map { $0 ?? "unset" })) inside")
        #expect(getenv("TZ").map { String(cString: $0) } == before)
    }

    @Test("a zip built with TZ=Pacific/Auckland is byte-identical to one built with TZ=UTC")
    func aucklandEqualsUTC() throws {
        let fixture = try bundleSource()
        let utc = try fixture.buildBundle("utc.zip", environment: ["TZ": "UTC"])
        // The POSIX form as well, which needs no tzdata: New Zealand, +12, summer time in December.
        let auckland = try fixture.buildBundle("auckland.zip", environment: ["TZ": "Pacific/Auckland"])
        let posix = try fixture.buildBundle("posix.zip", environment: ["TZ": "NZST-12NZDT,M9.5.0,M4.1.0/3"])
        let bytes = { (path: String) in try Data(contentsOf: URL(fileURLWithPath: path)) }
        #expect(try bytes(utc) == bytes(auckland))
        #expect(try bytes(utc) == bytes(posix))
    }
}
