import Foundation
import HandoverKit
import Testing

@Suite("A generated corpus of leaked credentials and look-alikes is judged right, file by file")
struct SecretCorpusTests {
    @Test("at least 30 credentials found, named by file and line, 15 look-alikes left alone, no secret shown")
    func corpus() throws {
        let tools = try CorpusTools()
        let positives = try tools.positives()
        let negatives = try tools.negatives()
        #expect(positives.count >= 30)
        #expect(negatives.count >= 15)
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: export
                title: The provider's export
                paths: ["**"]
            """))
        for item in positives + negatives { try fixture.write(item.path, item.contents) }
        let result = try fixture.check().result("export")
        var byFile: [String: [String]] = [:]
        for problem in result.problems { byFile[problem.file ?? "", default: []].append(problem.message) }

        for item in positives {
            let messages = byFile[item.path] ?? []
            let expected = item.kind ?? ""
            let location = item.location.map { " " + $0 } ?? ""
            #expect(messages.contains { $0.contains(expected) && ($0.contains(expected + location) || $0.contains(location + ";")) },
                    "\(item.path): expected \(expected)\(location), got \(messages)")
        }
        for item in negatives {
            #expect(byFile[item.path] == nil, "\(item.path): \(byFile[item.path] ?? [])")
        }
        let everything = result.problemText + CheckText.render(try fixture.check()) + CheckJSON(try fixture.check()).encoded()
        for item in positives {
            guard let secret = item.secret, !secret.isEmpty else { continue }
            #expect(!everything.contains(secret), "\(item.path): the secret is shown")
        }
    }

    @Test("the corpus' findings do not depend on the size of the read chunks", arguments: [1, 7, 500, 1025, 4096])
    func chunked(_ chunk: Int) throws {
        let tools = try CorpusTools()
        for item in try tools.positives() + tools.negatives() where !item.path.hasSuffix(".docx") && !item.path.hasSuffix(".xlsx") {
            let name = URL(fileURLWithPath: item.path).lastPathComponent
            let whole = inspect([UInt8](item.contents), fileName: name)
            #expect(inspect([UInt8](item.contents), fileName: name, chunk: chunk) == whole, "\(item.path)")
            #expect(whole.secrets.isEmpty == (item.kind == nil), "\(item.path): \(whole.secrets.map(\.description))")
        }
    }
}
