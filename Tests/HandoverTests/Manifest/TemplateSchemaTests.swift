import Foundation
@testable import HandoverKit
import Testing

/// Validates a manifest file against Manifests/handover-manifest.schema.json with the
/// `jsonschema` Python package (the reference implementation of JSON Schema in Python).
func validateAgainstSchema(_ manifest: String, schema: String) throws -> ProcessResult {
    let python = try requireTool("python3", install: "apt-get install python3")
    let script = """
        import json, sys
        try:
            import jsonschema, yaml
        except ImportError as error:
            sys.exit(f"missing Python package ({error}); install python3-jsonschema and python3-yaml (.ci/setup does)")
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        document = yaml.safe_load(open(sys.argv[2], encoding="utf-8"))
        errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(document), key=lambda e: list(e.path))
        for error in errors:
            print("/".join(str(p) for p in error.path) + ": " + error.message)
        sys.exit(1 if errors else 0)
        """
    let result = try runProcess(python, ["-c", script, schema, manifest])
    if result.stderr.contains("missing Python package") { throw FixtureError(result.stderr) }
    return result
}

@Suite("the shipped templates validate against the manifest's JSON Schema and read as manifests, in English and in French")
struct TemplateSchemaTests {
    static let templates = (ManifestTemplates.all + ManifestTemplates.translations).map { ($0.name, $0.language) }

    @Test("each template is valid for the schema and for handover's own parser", arguments: templates)
    func validates(_ name: String, _ language: String) throws {
        let template = try #require(ManifestTemplates.named(name, language: language))
        let temp = try TempDirectory()
        let schema = try temp.write("schema.json", Data(ManifestTemplates.schema.bytes))
        let path = try temp.write("\(name).\(language).yaml", Data(template.bytes))
        let result = try validateAgainstSchema(path, schema: schema)
        #expect(result.status == 0, "\(name) (\(language)): \(result.stdout)\(result.stderr)")
        let manifest = try ManifestParser.load(path: path)
        #expect(!manifest.deliverables.isEmpty)
    }

    @Test("the schema check can fail: an attestation with paths and an unknown key are refused")
    func schemaCanFail() throws {
        let temp = try TempDirectory()
        let schema = try temp.write("schema.json", Data(ManifestTemplates.schema.bytes))
        let path = try temp.write("bad.yaml", manifestText(deliverables: """
              - id: handed-over
                title: Accounts handed over
                kind: attestation
                evidence: statement
                paths: ["x/*"]
              - id: docs
                title: Docs
                paths: ["docs/*"]
                colour: blue
            """))
        let result = try validateAgainstSchema(path, schema: schema)
        #expect(result.status == 1)
        #expect(result.stdout.contains("deliverables/0"), "\(result.stdout)")
        #expect(result.stdout.contains("deliverables/1: Additional properties are not allowed ('colour'"), "\(result.stdout)")
    }

    @Test("the French infogérance template has the English one's deliverables and rules, its columns keeping the English names")
    func frenchMatchesEnglish() throws {
        let temp = try TempDirectory()
        func load(_ language: String) throws -> Manifest {
            let template = try #require(ManifestTemplates.named("infogerance", language: language))
            return try ManifestParser.load(path: try temp.write("infogerance.\(language).yaml", Data(template.bytes)))
        }
        let english = try load("en"), french = try load("fr")
        #expect(english.deliverables.map(\.id) == french.deliverables.map(\.id))
        for (en, fr) in zip(english.deliverables, french.deliverables) {
            #expect(en.paths.map(\.pattern) == fr.paths.map(\.pattern), "\(en.id)")
            #expect(en.formats == fr.formats, "\(en.id)")
            #expect(en.required == fr.required && en.minFiles == fr.minFiles && en.maxAgeDays == fr.maxAgeDays, "\(en.id)")
            #expect(en.attestation == fr.attestation, "\(en.id)")
            #expect(fr.titles["fr"] != nil && fr.titles["en"] == en.title, "\(fr.id) has a French title and the English one")
            #expect(en.csv.columns.count == fr.csv.columns.count, "\(en.id)")
            for (enColumn, frColumn) in zip(en.csv.columns, fr.csv.columns) {
                let frNames = Set(([frColumn.name] + frColumn.aliases).map(ColumnName.normalised))
                let enNames = Set(([enColumn.name] + enColumn.aliases).map(ColumnName.normalised))
                #expect(frNames == enNames, "\(en.id): \(enColumn.name) and \(frColumn.name) accept the same names")
            }
        }
        let formats = Set(english.deliverables.flatMap { $0.formats ?? [] })
        #expect(formats.isSuperset(of: ["xlsx", "docx", "vsdx", "drawio", "pdf", "png", "jpg", "msg", "eml", "pst", "sql"]))
        #expect(english.deliverables.contains { $0.attestation == .statement })
        #expect(english.deliverables.contains { if case .signedDocument = $0.attestation { true } else { false } })
    }
}
