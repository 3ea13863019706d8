import Foundation
import Testing
@testable import HandoverKit

/// A failure between putting the bundle in place and its .sha256.
struct InjectedFailure: Error {}

/// The bundle and its .sha256 appear together or not at all: a failure between the two steps
/// (a full disk, a signal) once left a bundle without its checksum, or with --force a new
/// bundle beside the old checksum.
@Suite("build writes the bundle and its .sha256 together, or neither")
struct BundlePairTests {
    func options(output: String, force: Bool, failBetween: Bool) -> BuildOptions {
        var options = BuildOptions(output: output)
        options.force = force
        options.sourceDateEpoch = handoverEpoch
        if failBetween { options.betweenBundleAndChecksum = { throw InjectedFailure() } }
        return options
    }

    @Test("a failure between the two steps leaves neither file, nor any temporary one")
    func failureLeavesNeither() throws {
        let fixture = try bundleSource()
        let out = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let output = out + "/acme.tar"
        #expect(throws: InjectedFailure.self) {
            try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source,
                                    options: options(output: output, force: false, failBetween: true))
        }
        #expect(folderListing(out).isEmpty, "\(folderListing(out))")
        // The rerun is not told "already exists".
        let built = try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source,
                                            options: options(output: output, force: false, failBetween: false))
        #expect(folderListing(out) == ["acme.tar", "acme.tar.sha256"])
        #expect(try sha256sum(output) == built.archiveSHA256)
    }

    @Test("with --force, a failure between the two steps leaves the old pair untouched")
    func failureKeepsOldPair() throws {
        let fixture = try bundleSource()
        let out = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let output = out + "/acme.tar"
        try Data("an earlier bundle\n".utf8).write(to: URL(fileURLWithPath: output))
        try Data("0000  acme.tar\n".utf8).write(to: URL(fileURLWithPath: output + ".sha256"))
        #expect(throws: InjectedFailure.self) {
            try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source,
                                    options: options(output: output, force: true, failBetween: true))
        }
        #expect(folderListing(out) == ["acme.tar", "acme.tar.sha256"], "\(folderListing(out))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data("an earlier bundle\n".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: output + ".sha256")) == Data("0000  acme.tar\n".utf8))

        // Without the failure, --force replaces both, and they match.
        let built = try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source,
                                            options: options(output: output, force: true, failBetween: false))
        #expect(folderListing(out) == ["acme.tar", "acme.tar.sha256"], "\(folderListing(out))")
        #expect(try sha256sum(output) == built.archiveSHA256)
        #expect(try String(contentsOfFile: output + ".sha256", encoding: .utf8) == "\(built.archiveSHA256)  acme.tar\n")
    }

    @Test("with --force and only an old .sha256, a failure leaves that .sha256 alone and no bundle")
    func failureKeepsLoneSidecar() throws {
        let fixture = try bundleSource()
        let out = fixture.temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let output = out + "/acme.tar"
        try Data("0000  acme.tar\n".utf8).write(to: URL(fileURLWithPath: output + ".sha256"))
        #expect(throws: InjectedFailure.self) {
            try BundleBuilder.build(manifest: try fixture.manifest(), source: fixture.source,
                                    options: options(output: output, force: true, failBetween: true))
        }
        #expect(folderListing(out) == ["acme.tar.sha256"], "\(folderListing(out))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: output + ".sha256")) == Data("0000  acme.tar\n".utf8))
    }
}
