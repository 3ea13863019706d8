import Foundation
@testable import HandoverKit
import Testing

/// An export as a French provider makes it: numbered folders, CSVs saved by Excel in a French
/// locale (Windows-1252 with `;` and CRLF under a title line, UTF-8 with a byte-order mark and
/// `,`, tab-separated), Office files, scans, system junk, a loose file and a hostile folder name.
func frenchExport(in temp: TempDirectory) throws -> String {
    let cp1252 = try #require("Export des comptes au 30/11/2026;;;;\r\nCompte;Système;Rôle;MFA;Propriétaire\r\nalice;ERP;admin;oui;DSI\r\n"
        .data(using: .windowsCP1252))
    let files: [String: Data] = [
        "01 - Documentation/Architecture/DAT v3.docx": Data("PK\u{3}\u{4} docx".utf8),
        "01 - Documentation/Procédures/Sauvegarde.pdf": Data("%PDF-1.7\n".utf8),
        "01 - Documentation/Schémas/Réseau.vsdx": Data("PK\u{3}\u{4} vsdx".utf8),
        "01 - Documentation/Thumbs.db": Data([0, 1, 2]),
        "02 - Comptes et habilitations/comptes.csv": cp1252,
        "02 - Comptes et habilitations/~$comptes.xlsx": Data("lock".utf8),
        "03 - Inventaires/serveurs.csv": Data([0xEF, 0xBB, 0xBF] + Array("Nom d’hôte,Type,Fabricant\nweb1,VM,Dell\n".utf8)),
        "03 - Inventaires/postes.csv": Data("Nom d'hôte\tType\tUtilisateur\npc1\tportable\talice\n".utf8),
        "03 - Inventaires/Scans/bon de livraison.png": Data([0x89, 0x50, 0x4E, 0x47]),
        "05 - Réseau {a,b}*/fw.conf": Data("config firewall\n".utf8),
        "LISEZMOI.txt": Data("Export de fin de contrat\n".utf8),
    ]
    for (path, bytes) in files { try temp.write("export/" + path, bytes) }
    try FileManager.default.createSymbolicLink(atPath: temp.path("export/99 - lien"), withDestinationPath: "/etc")
    return temp.path("export")
}

@Suite("init --from SOURCE proposes a manifest from a real export, which missing accepts once reviewed")
struct InitFromTests {
    @Test("one deliverable per top-level folder, titles without numbering, formats, counts, shared CSV columns, # review")
    func proposal() throws {
        let temp = try TempDirectory()
        let export = try frenchExport(in: temp)
        let output = temp.path("remise.yaml")
        let result = try handover(["init", "--from", export, "--lang", "fr", "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("4 deliverables proposed"), "\(result.stdout)")
        let text = String(decoding: try temp.read("remise.yaml"), as: UTF8.self)
        #expect(text.contains("""
              - id: documentation
                title: "Documentation"
                paths: ["01 - Documentation/**/*"]
                min-files: 3
                formats: [docx, pdf, vsdx]
            """), "\(text)")
        #expect(text.contains("""
              - id: comptes-et-habilitations
                title: "Comptes et habilitations"
                paths: ["02 - Comptes et habilitations/**/*"]
                min-files: 1
                formats: [csv]
            """))
        #expect(text.contains("""
                  required-columns: ["Compte", "Système", "Rôle", "MFA", "Propriétaire"]
                  header-row: 2
            """), "Windows-1252 decoded, the title line passed over")
        #expect(text.contains(#"required-columns: ["Nom d'hôte", "Type"]"#), "the columns both inventories share, BOM and tab alike")
        #expect(text.contains(#"paths: ["05 - Réseau ?a?b??/**/*"]"#), "glob characters of a folder name made '?'")
        #expect(text.contains("- id: reseau-a-b"))
        #expect(text.components(separatedBy: "\n  # review : ").count - 1 == 4 + 2, "one per deliverable, and the system files of two folders")
        #expect(text.contains("# review : 1 fichier système ici (01 - Documentation/Thumbs.db) est ignoré : jamais empaqueté, il ne compte ni dans min-files ni dans formats"))
        #expect(text.contains("# Non proposé : 1 fichier à la racine de l'export, hors de tout dossier (LISEZMOI.txt)."))
        #expect(!text.contains("99 - lien"), "a link is not followed, nor proposed")
        #expect(!text.contains("formats: [db"))

        let schema = try temp.write("schema.json", Data(ManifestTemplates.schema.bytes))
        let valid = try validateAgainstSchema(output, schema: schema)
        #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")

        let again = try handover(["init", "--from", export, "--output", output])
        #expect(again.status == 2, "never overwritten without --force")
        #expect(again.stderr.contains("already exists"))
    }

    @Test("after the review edits, missing accepts the export")
    func reviewedThenMissing() throws {
        let temp = try TempDirectory()
        let export = try frenchExport(in: temp)
        let output = temp.path("remise.yaml")
        #expect(try handover(["init", "--from", export, "--lang", "fr", "--output", output]).status == 0)
        var text = String(decoding: try temp.read("remise.yaml"), as: UTF8.self)
        // The review: the parties, the title as the contract words it, the `# review` lines
        // deleted. The system files stay: every command ignores them, as the proposal did.
        for (placeholder, value) in [("CTR-0000-000", "CTR-2023-042"), ("Nom du client", "Acme SA"),
                                     ("Nom du prestataire sortant", "Infogérance Ouest SAS"), ("Nom du destinataire", "Nouveau Prestataire SAS"),
                                     ("title: \"Comptes et habilitations\"", "title: {fr: Comptes et habilitations, en: Accounts and access rights}")] {
            text = text.replacingOccurrences(of: placeholder, with: value)
        }
        text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("# review") }.joined(separator: "\n")
        try temp.write("remise.yaml", text)
        let result = try handover(["missing", "--manifest", output, export])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("ok              comptes-et-habilitations  1 file"), "\(result.stdout)")
        #expect(result.stdout.contains("ok              reseau-a-b"))
        #expect(result.stdout.contains("LISEZMOI.txt"), "the loose file is listed as not collected")
        #expect(result.stdout.contains("ignored (1 file)"), "Thumbs.db and the Office lock file are ignored, not judged: \(result.stdout)")
    }

    @Test("in English by default; a SOURCE that is not a folder exits 2 and writes nothing")
    func englishAndErrors() throws {
        let temp = try TempDirectory()
        let export = try frenchExport(in: temp)
        let result = try handover(["init", "--from", export, "--output", temp.path("en.yaml")])
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: try temp.read("en.yaml"), as: UTF8.self)
        #expect(text.contains("# review: 3 files in this folder (.docx × 1, .pdf × 1, .vsdx × 1)"), "\(text)")
        #expect(text.contains("client: Client name"))
        let notFolder = try handover(["init", "--from", export + "/LISEZMOI.txt", "--output", temp.path("x.yaml")])
        #expect(notFolder.status == 2)
        #expect(notFolder.stderr.contains("is not a folder"), "\(notFolder.stderr)")
        #expect(!temp.exists("x.yaml"))
    }

    @Test("a folder whose glob would select another folder too is left out, named in a comment; the others are proposed")
    func ambiguousGlobs() throws {
        let temp = try TempDirectory()
        let export = temp.path("export")
        // `,` and `*` are written `?` in a glob: "01 - Comptes, droits" would select "01 - Comptes_ droits".
        for (folder, file) in [("01 - Comptes, droits", "a.csv"), ("01 - Comptes_ droits", "b.csv"), ("*alias", "c.txt"), ("Plans, réseau", "d.pdf")] {
            try FileManager.default.createDirectory(atPath: export + "/" + folder, withIntermediateDirectories: true)
            try Data("x\n".utf8).write(to: URL(fileURLWithPath: export + "/" + folder + "/" + file))
        }
        let output = temp.path("proposed.yaml")
        let result = try handover(["init", "--from", export, "--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: try temp.read("proposed.yaml"), as: UTF8.self)
        #expect(text.contains("# Not proposed: the folder \"01 - Comptes, droits\": a glob writes its * ? { } , or \\ as ?, and would select \"01 - Comptes_ droits\" too"), "\(text)")
        #expect(!text.contains("01 - Comptes? droits/**/*"), "\(text)")
        #expect(text.contains("\"?alias/**/*\""), "a name no other folder meets is proposed: \(text)")
        #expect(text.contains("\"Plans? réseau/**/*\""), "\(text)")
        // Every file the proposal selects is selected once: missing accepts the folders proposed.
        let missing = try handover(["missing", "--manifest", output, export, "--format", "json"])
        #expect(missing.stdout.contains("01 - Comptes, droits/a.csv"), "the folder left out is not collected: \(missing.stdout)")
    }

    @Test("names: numbering removed from titles, ids slugged", arguments: [
        ("01 - Documentation", "Documentation", "documentation"),
        ("10 – Contrats et conformité", "Contrats et conformité", "contrats-et-conformite"),
        ("2026 Budget", "2026 Budget", "deliverable-2026-budget"),
        ("3. Œuvres", "Œuvres", "oeuvres"),
        ("Sauvegardes_PRA", "Sauvegardes_PRA", "sauvegardes-pra"),
    ])
    func names(_ folder: String, _ title: String, _ id: String) {
        #expect(ProposalNames.title(folder) == title)
        #expect(ProposalNames.slug(folder) == id)
    }
}
