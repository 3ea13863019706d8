import Foundation
import HandoverKit
import Testing

@Suite("handover init writes a manifest to start from")
struct InitCommandTests {
    @Test("init --list lists the three templates with what each is for")
    func list() throws {
        let result = try handover(["init", "--list"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for (line, template) in zip(lines, ManifestTemplates.all) {
            #expect(line.hasPrefix(template.name + " "))
            #expect(line.hasSuffix(template.summary))
            let languages = template.name == "infogerance" ? " en, fr " : " en "
            #expect(line.contains(languages), "\(line)")
        }
        #expect(ManifestTemplates.all.map(\.name) == ["infogerance", "eu-data-act", "minimal"])
    }

    @Test("init --template writes exactly the template, and the schema beside it",
          arguments: ManifestTemplates.all.map(\.name))
    func writesTemplate(_ name: String) throws {
        let temp = try TempDirectory()
        let output = temp.path("contract/handover.yaml")
        try FileManager.default.createDirectory(atPath: temp.path("contract"), withIntermediateDirectories: true)
        let result = try handover(["init", "--template", name, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("handover missing --manifest \(output) SOURCE"))
        let template = try #require(ManifestTemplates.named(name))
        #expect([UInt8](try temp.read("contract/handover.yaml")) == template.bytes)
        #expect([UInt8](try temp.read("contract/handover-manifest.schema.json")) == ManifestTemplates.schema.bytes)
    }

    @Test("a manifest written by init is one that missing can check")
    func initThenMissing() throws {
        let temp = try TempDirectory()
        let output = temp.path("handover.yaml")
        try FileManager.default.createDirectory(atPath: temp.path("export"), withIntermediateDirectories: true)
        #expect(try handover(["init", "--template", "minimal", "--output", output]).status == 0)
        let result = try handover(["missing", "--manifest", output, temp.path("export")])
        #expect(result.status == 1, "an empty export misses the required deliverables: \(result.stderr)")
        #expect(result.stdout.contains("MISSING"))
    }

    @Test("init refuses to overwrite a file unless --force is given")
    func refusesOverwrite() throws {
        let temp = try TempDirectory()
        let output = try temp.write("handover.yaml", "version: 1 # my own work\n")
        let refused = try handover(["init", "--template", "minimal", "--output", output])
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("\(output): already exists"))
        #expect(refused.stderr.contains("--force"))
        #expect(String(decoding: try temp.read("handover.yaml"), as: UTF8.self) == "version: 1 # my own work\n")
        #expect(!temp.exists("handover-manifest.schema.json"), "nothing is written when the manifest is refused")

        let forced = try handover(["init", "--template", "minimal", "--output", output, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let minimal = try #require(ManifestTemplates.named("minimal"))
        #expect([UInt8](try temp.read("handover.yaml")) == minimal.bytes)
    }

    @Test("an existing schema file is left as it is")
    func keepsExistingSchema() throws {
        let temp = try TempDirectory()
        try temp.write("handover-manifest.schema.json", "{\"mine\": true}")
        let result = try handover(["init", "--template", "minimal", "--output", temp.path("handover.yaml")])
        #expect(result.status == 0)
        #expect(String(decoding: try temp.read("handover-manifest.schema.json"), as: UTF8.self) == "{\"mine\": true}")
    }

    @Test("an unknown template exits 2 and lists the templates")
    func unknownTemplate() throws {
        let temp = try TempDirectory()
        let result = try handover(["init", "--template", "sap-migration", "--output", temp.path("handover.yaml")])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no template named 'sap-migration'"))
        #expect(result.stderr.contains("infogerance, eu-data-act, minimal"))
        #expect(!temp.exists("handover.yaml"))
    }

    @Test("init without --template or --output is a usage error: exit 2", arguments: [
        ["init"], ["init", "--output", "x.yaml"], ["init", "--template", "minimal"],
    ])
    func usage(_ arguments: [String]) throws {
        let temp = try TempDirectory()
        let result = try handover(arguments, currentDirectory: temp.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--template") || result.stderr.contains("--output"))
        #expect(!temp.exists("x.yaml"))
    }

    @Test("init into a folder that does not exist exits 2")
    func outputFolderMissing() throws {
        let temp = try TempDirectory()
        let result = try handover(["init", "--template", "minimal", "--output", temp.path("nowhere/handover.yaml")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nowhere"))
    }
}
