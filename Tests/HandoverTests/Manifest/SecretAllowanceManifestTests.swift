import Foundation
import HandoverKit
import Testing

@Suite("allow-secrets in a deliverable is read strictly")
struct SecretAllowanceManifestTests {
    func deliverable(_ allowance: String) -> String {
        manifestText(deliverables: """
              - id: network
                title: Network configurations
                paths: ["network/**"]
                allow-secrets: \(allowance)
            """)
    }

    @Test("true, false, one path or a list of globs", arguments: [
        ("true", "network/a.cfg", "allow-secrets: true"), ("false", "network/a.cfg", nil),
        ("network/a.cfg", "network/a.cfg", "allow-secrets: network/a.cfg"), ("network/a.cfg", "network/b.cfg", nil),
        ("[\"network/*.cfg\", docs/x.md]", "network/b.cfg", "allow-secrets: network/*.cfg"),
    ] as [(String, String, String?)])
    func allowances(_ value: String, _ file: String, _ expected: String?) throws {
        let manifest = try ManifestParser.parse(Array(deliverable(value).utf8), fileName: "handover.yaml")
        let allowance = try #require(manifest.deliverables.first).allowSecrets
        let source = SourceFile(path: Array(file.utf8), kind: .regular, size: 1, modified: Timestamp(seconds: 0))
        #expect(allowance.allowance(for: source) == expected)
    }

    @Test("a mapping, an empty list or a glob leaving SOURCE is refused at its line", arguments: [
        ("{file: a}", "must be true, false, or a list of files"), ("[]", "empty 'allow-secrets' list"), ("[\"../up/*\"]", "climbs out of SOURCE"),
    ])
    func refused(_ value: String, _ message: String) throws {
        let text = deliverable(value)
        let error = try #require(manifestError(text))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.line == lineNumber(of: "allow-secrets:", in: text))
    }

    @Test("the JSON Schema knows allow-secrets")
    func schema() throws {
        let schema = try JSONSerialization.jsonObject(with: Data(ManifestTemplates.schema.bytes)) as? [String: Any]
        let text = String(decoding: ManifestTemplates.schema.bytes, as: UTF8.self)
        #expect(schema != nil, "the schema is valid JSON")
        #expect(text.contains("\"allow-secrets\": {"))
    }
}
