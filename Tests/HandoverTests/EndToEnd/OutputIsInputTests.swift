import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An output that is one of the command's inputs is refused, even with --force: the files are
/// compared by device and inode, so another spelling of the path or a hard link is caught.
@Suite("An output that is one of the inputs is refused, even with --force")
struct OutputIsInputTests {
    @Test("report BUNDLE --output BUNDLE --force: refused, the bundle is untouched",
          arguments: ["same", "spelled", "hardlink"])
    func reportOverBundle(_ how: String) throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bundle = stage.path("bundle.tar")
        let before = try Data(contentsOf: URL(fileURLWithPath: bundle))
        var output = bundle
        switch how {
        case "spelled": output = stage.path("sub/../bundle.tar")
            try FileManager.default.createDirectory(atPath: stage.path("sub"), withIntermediateDirectories: true)
        case "hardlink": output = stage.path("report.html")
            try #require(link(bundle, output) == 0)
        default: break
        }
        let result = try handover(["report", bundle, "--output", output, "--force"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("--output is the same file as BUNDLE \(bundle)"), "\(result.stderr)")
        #expect(result.stderr.contains(output), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: bundle)) == before)
    }

    @Test("report --output over the bundle's .sha256 or the --manifest is refused")
    func reportOverOtherInputs() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let sidecar = stage.path("bundle.tar.sha256")
        let sidecarBefore = try Data(contentsOf: URL(fileURLWithPath: sidecar))
        let overSidecar = try handover(["report", stage.path("bundle.tar"), "--output", sidecar, "--force"])
        #expect(overSidecar.status == 2, "\(overSidecar.stdout)\(overSidecar.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: sidecar)) == sidecarBefore)

        let manifest = stage.source.manifestPath
        let manifestBefore = try Data(contentsOf: URL(fileURLWithPath: manifest))
        let overManifest = try handover(["report", "--manifest", manifest, stage.source.source, "--output", manifest, "--force"])
        #expect(overManifest.status == 2, "\(overManifest.stdout)\(overManifest.stderr)")
        #expect(overManifest.stderr.contains("--output is the same file as --manifest \(manifest)"), "\(overManifest.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: manifest)) == manifestBefore)
    }

    @Test("build --output equal to the manifest, or whose .sha256 is the manifest, is refused with --force")
    func buildOverManifest() throws {
        let stage = try EvidenceFixture()
        // A manifest is read by content, whatever its name: one named like a bundle.
        for name in ["manifest.tar", "bundle.tar.sha256"] {
            let manifest = stage.path(name)
            try FileManager.default.copyItem(atPath: stage.source.manifestPath, toPath: manifest)
            let before = try Data(contentsOf: URL(fileURLWithPath: manifest))
            let output = name == "manifest.tar" ? manifest : stage.path("bundle.tar")
            let result = try handover(["build", "--manifest", manifest, stage.source.source, "--output", output, "--force"])
            #expect(result.status == 2, "\(name): \(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("is the same file as --manifest \(manifest)"), "\(result.stderr)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: manifest)) == before)
        }
        #expect(!FileManager.default.fileExists(atPath: stage.path("bundle.tar")))
    }

    @Test("build --output over the --sign key is refused with --force")
    func buildOverKey() throws {
        let stage = try EvidenceFixture()
        let key = try stage.makeKey("id_ed25519")
        let renamed = stage.path("key.tar")
        try #require(link(key, renamed) == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: key))
        let result = try stage.build("key.tar", ["--sign", key, "--force"])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("is the same file as --sign \(key)"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == before)
    }

    @Test("extract a bag folder into itself, or into a folder inside it, is refused with --force")
    func extractIntoItself() throws {
        let stage = try EvidenceFixture()
        try stage.buildOK("bundle.tar")
        let bag = try stage.unpack("bundle.tar")
        let into = try handover(["extract", bag, "--to", bag, "--force"])
        #expect(into.status == 2, "\(into.stdout)\(into.stderr)")
        #expect(into.stderr.contains("--to is the same file as BUNDLE \(bag)"), "\(into.stderr)")
        let inside = try handover(["extract", bag, "--to", bag + "/data", "--force"])
        #expect(inside.status == 2, "\(inside.stdout)\(inside.stderr)")
        #expect(inside.stderr.contains("--to is inside BUNDLE \(bag)"), "\(inside.stderr)")
        #expect(try EvidenceFixture.bagitValidate(bag).status == 0)
    }
}
