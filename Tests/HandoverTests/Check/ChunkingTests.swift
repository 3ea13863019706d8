import Foundation
import HandoverKit
import Testing

@Suite("What a file holds is found whatever the size of the chunks it is read in")
struct ChunkingTests {
    /// A text with secrets at many offsets, look-alikes that must stay unfound, and several lines.
    static let text: String = {
        var text = "intro line\n"
        for round in 0..<4 {
            text += String(repeating: "filler ", count: round * 11) + "\n"
            text += "key=\(SampleSecrets.awsKeyID) and X\(SampleSecrets.awsKeyID)\n"
            text += String(repeating: "z", count: 61 + round) + " " + SampleSecrets.githubToken + "\n"
            text += "-" + SampleSecrets.pemHeader + "\n" + SampleSecrets.keyBody + "\n"
            text += String(repeating: "-", count: round) + SampleSecrets.pgpHeader + "\n\n" + SampleSecrets.keyBody + "\n"
            text += "mot " + String(repeating: ".", count: 3 * round) + SampleSecrets.fineGrainedToken + "\n"
        }
        return text
    }()

    static let csv: String = {
        var csv = "\u{FEFF}\"account\";\"Mot de passe\";role\r\n"
        for row in 0..<40 {
            let password = row % 3 == 0 ? "\"pa;ss\(row)\"" : (row % 3 == 1 ? "" : "\"\"")
            csv += "user\(row);\(password);\(row % 2 == 0 ? "admin" : "\"multi\nline\"")\r\n"
        }
        return csv
    }()

    @Test("secrets in text, in 1-byte, 7-byte and other chunks, as in one chunk",
          arguments: [1, 2, 7, 13, 63, 64, 65, 127, 128, 129, 200, 4096])
    func textChunks(_ chunk: Int) {
        let whole = inspect(Self.text, fileName: "notes.txt")
        #expect(whole.secrets.count == 4 * 5, "each round has one key id, two GitHub tokens, one PEM and one PGP header")
        #expect(whole.moreSecrets == 0)
        #expect(whole.secrets.filter { $0.kind == "an AWS access key id" }.count == 4, "the key id inside a word is not a finding")
        #expect(inspect(Self.text, fileName: "notes.txt", chunk: chunk) == whole)
    }

    @Test("CSV header and secret columns, in 1-byte, 7-byte and other chunks, as in one chunk",
          arguments: [1, 2, 3, 7, 64, 129, 1000])
    func csvChunks(_ chunk: Int) {
        let whole = inspect(Self.csv, fileName: "comptes.csv")
        #expect(whole.csvColumns == ["account", "Mot de passe", "role"])
        #expect(whole.secrets.count == 14)
        #expect(whole.secrets.first?.line == 2)
        #expect(inspect(Self.csv, fileName: "comptes.csv", chunk: chunk) == whole)
    }

    @Test("lines are counted across chunks")
    func lineNumbers() throws {
        let text = String(repeating: "\n", count: 300) + SampleSecrets.awsKeyID + "\n"
        for chunk in [1, 7, 100, 1000] {
            let facts = inspect(text, fileName: "notes.txt", chunk: chunk)
            #expect(facts.secrets.map(\.line) == [301], "chunk \(chunk)")
        }
    }

    @Test("a key and the line breaks before it are found at every offset of the scanner's 8-byte steps")
    func everyOffset() {
        for offset in 0..<24 {
            for tail in [0, 1, 7, 8, 9, 2100] {
                // `offset` bytes before the key, some of them line breaks; `tail` after it.
                let before = (0..<offset).map { $0 % 5 == 4 ? "\n" : "q" }.joined()
                let text = before + " " + SampleSecrets.awsKeyID + (tail == 0 ? "" : " " + String(repeating: "q", count: tail - 1))
                let lines = 1 + before.filter { $0 == "\n" }.count
                for chunk in [1, 3, 8, 4096] {
                    let facts = inspect(text, fileName: "notes.txt", chunk: chunk)
                    #expect(facts.secrets.map(\.line) == [lines], "offset \(offset), tail \(tail), chunk \(chunk)")
                }
            }
        }
    }

    @Test("a key split across the checker's 1 MiB read chunks is found in a real file")
    func acrossReadChunks() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/*"]
            """))
        // The header starts 10 bytes before the end of the first 1 MiB read.
        let filler = String(repeating: "a", count: (1 << 20) - 10 - 1) + "\n"
        try fixture.write("docs/big.txt", filler + SampleSecrets.pemHeader + "\n" + SampleSecrets.keyBody + "\n")
        let result = try fixture.check().result("documentation")
        #expect(result.problemText.contains("docs/big.txt: holds a private key (PEM) at line 2"))
    }
}

@Suite("Random texts made of the rules' pieces are judged the same whatever the chunks")
struct RandomChunkingTests {
    /// Pieces of every rule's shape, whole and cut, with the separators and line ends around them.
    static let pieces: [String] = [
        "-----BEGIN ", "PRIVATE KEY-----", "OPENSSH PRIVATE KEY-----", "\n", "\r\n", "\\n", " ", "  ", ":", "=", ">", "<", "</",
        SampleSecrets.keyBody, "eyJ", Fake.base64url(#"{"alg":"none"}"#), ".", "sk_live_", "rk_", "_live_", Fake.string(24),
        "https://", "hooks.slack.com/services/", "T0AB12CD34/", "B0AB12CD34/", "discord.com/api/webhooks/", "1234567890123456789/",
        "password", "DB_PASSWORD", "secret", "token", "\"", "'", "enable secret 5 ", "password 7 ", "snmp-server community ",
        "set psksecret ENC ", "username x secret 9 ", "PuTTY-User-Key-File-3: ssh-rsa", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t",
        "AKIA", "IOSFODNN7EXAMPLE", "AIza", "ghp_", "github_pat_", "xoxb-", "x", "$9$", "<hash>", "${X}", "-",
    ]

    @Test("200 random texts, each fed whole and in random chunks")
    func randomTexts() {
        var generator = SystemRandomNumberGenerator()
        var kinds = Set<String>()
        defer { #expect(kinds.count >= 5, "the texts hold findings of several kinds: \(kinds)") }
        for round in 0..<200 {
            var text = ""
            let length = Int.random(in: 1...400, using: &generator)
            for _ in 0..<length { text += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &generator)] }
            let bytes = Array(text.utf8)
            let whole = inspect(bytes, fileName: "notes.txt")
            kinds.formUnion(whole.secrets.map(\.kind))
            let chunk = Int.random(in: 1...1500, using: &generator)
            let pieces = inspect(bytes, fileName: "notes.txt", chunk: chunk)
            #expect(pieces == whole, "round \(round), chunk \(chunk): \(text.debugDescription)")
            if pieces != whole { break }
        }
    }
}
