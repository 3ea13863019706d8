import Foundation
@testable import HandoverKit
import Testing

/// Files that satisfy `deliverable`: for each glob, names made from it (first brace alternative,
/// `**/` dropped, `*` made a name), an extension from `formats` when the glob gives none, CSV
/// files with the columns of its rule (first names, as a French export would write them).
func exportFiles(for deliverable: Deliverable) -> [String: String] {
    guard let glob = deliverable.paths.first?.pattern else { return [:] }
    var pattern = glob
    while let open = pattern.firstIndex(of: "{"), let close = pattern[open...].firstIndex(of: "}") {
        let first = pattern[pattern.index(after: open)..<close].split(separator: ",").first.map(String.init) ?? ""
        pattern.replaceSubrange(open...close, with: first)
    }
    pattern = pattern.replacingOccurrences(of: "**/", with: "")
    var files: [String: String] = [:]
    for index in 1...max(1, deliverable.minFiles) {
        var path = pattern.replacingOccurrences(of: "*", with: "piece-\(index)")
        if let format = deliverable.formats?.first, !(path.split(separator: "/").last ?? "").contains(".") { path += "." + format }
        let header = deliverable.csv.columns.map(\.name).joined(separator: ";")
        files[path] = path.hasSuffix(".csv") && !header.isEmpty ? header + "\n" + deliverable.csv.columns.map { _ in "x" }.joined(separator: ";") + "\n"
            : "contenu de \(path)\n"
        if !glob.contains("*") { break }
    }
    return files
}

@Suite("init --lang fr: the French template, filled in, is one that missing accepts")
struct InitLanguageTests {
    @Test("init --template infogerance --lang fr writes the French template and the schema")
    func writesFrench() throws {
        let temp = try TempDirectory()
        let result = try handover(["init", "--template", "infogerance", "--lang", "fr", "--output", temp.path("remise.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        let french = try #require(ManifestTemplates.named("infogerance", language: "fr"))
        #expect([UInt8](try temp.read("remise.yaml")) == french.bytes)
        #expect(temp.exists("handover-manifest.schema.json"))
        let text = String(decoding: french.bytes, as: UTF8.self)
        #expect(text.contains("title: {fr: Comptes et habilitations, en: Accounts and access rights}"))
        #expect(text.contains("{name: nom d'hôte, aliases: [hostname, serveur]}"))
    }

    @Test("a language no template has, or one a template lacks, exits 2 naming what exists", arguments: [
        (["--template", "infogerance", "--lang", "de"], "The value 'de' is invalid for '--lang <lang>'. Please provide one of 'en' and 'fr'."),
        (["--template", "minimal", "--lang", "fr"], "the minimal template exists in en only, not in 'fr'"),
        (["--template", "minimal", "--from", "."], "give either --template NAME or --from SOURCE, not both"),
    ])
    func refused(_ arguments: [String], _ message: String) throws {
        let temp = try TempDirectory()
        let result = try handover(["init"] + arguments + ["--output", temp.path("x.yaml")], currentDirectory: temp.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!temp.exists("x.yaml"))
    }

    @Test("the French template, its parties filled in, accepts an export laid out as it suggests")
    func frenchThenMissing() throws {
        let temp = try TempDirectory()
        let output = temp.path("remise.yaml")
        #expect(try handover(["init", "--template", "infogerance", "--lang", "fr", "--output", output]).status == 0)
        // The edits a provider makes first: the parties of the contract.
        var text = String(decoding: try temp.read("remise.yaml"), as: UTF8.self)
        for (placeholder, value) in [("CTR-0000-000", "CTR-2023-042"), ("Nom du client", "Acme SA"),
                                     ("Nom du prestataire sortant", "Infogérance Ouest SAS"),
                                     ("Nom du destinataire (le client ou son nouveau prestataire)", "Nouveau Prestataire SAS")] {
            #expect(text.contains(placeholder))
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        try temp.write("remise.yaml", text)
        let manifest = try ManifestParser.load(path: output)
        for deliverable in manifest.deliverables where deliverable.required {
            for (path, contents) in exportFiles(for: deliverable) { try temp.write("export/" + path, contents) }
        }
        let result = try handover(["missing", "--manifest", output, temp.path("export")])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("attested        knowledge-transfer"))
        #expect(result.stdout.contains("Comptes et habilitations") || result.stdout.contains("Accounts and access rights"))
    }
}
