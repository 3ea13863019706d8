import Foundation
import HandoverKit
import Testing

/// The facts FileInspector gathers from `bytes`, fed in chunks of `chunk` bytes (all at once when nil).
func inspect(_ bytes: [UInt8], fileName: String, chunk: Int? = nil, scanSecrets: Bool = true) -> FileFacts {
    var inspector = FileInspector(fileName: fileName, readCSV: fileName.lowercased().hasSuffix(".csv"), scanSecrets: scanSecrets)
    let size = max(1, chunk ?? bytes.count)
    var start = 0
    while start < bytes.count {
        let end = min(bytes.count, start + size)
        bytes[start..<end].withUnsafeBytes { inspector.consume($0) }
        start = end
    }
    return inspector.finish()
}

func inspect(_ text: String, fileName: String, chunk: Int? = nil) -> FileFacts {
    inspect(Array(text.utf8), fileName: fileName, chunk: chunk)
}

/// Secrets in the shapes the scanner knows, each with the kind it should report.
/// The values are built here, at test time: none is a real credential.
enum SampleSecrets {
    static let awsKeyID = "AKIA" + "IOSFODNN7EXAMPLE"
    static let githubToken = "ghp_" + String(repeating: "aB3", count: 12)
    static let fineGrainedToken = "github_pat_" + String(repeating: "x1Y_", count: 8)
    static let pemHeader = "-----BEGIN " + "RSA PRIVATE KEY-----"
    static let pgpHeader = "-----BEGIN " + "PGP PRIVATE KEY BLOCK-----"
    /// A line of key body: a header alone (quoted in a runbook) is no key.
    static let keyBody = "MIIEowIBAAKCAQEAxq7nZ" + "q4Vb9kWm2Lr0PqX"
}

@Suite("Credentials handed over by mistake are found, never shown")
struct SecretTests {
    static let beginPrivate = "-----BEGIN "
    static let textCases: [(String, String)] = {
        var cases: [(String, String)] = []
        let body = SampleSecrets.keyBody
        cases.append(("a private key (PEM)", SampleSecrets.pemHeader + "\n\(body)\n-----END RSA PRIVATE KEY-----\n"))
        cases.append(("a private key (PEM)", beginPrivate + "PRIVATE KEY-----\n\(body)\n"))
        cases.append(("a private key (PEM)", beginPrivate + "EC PRIVATE KEY-----\r\n\(body)\r\n"))
        cases.append(("a private key (PEM)", beginPrivate + "RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0A1B\n\n\(body)\n"))
        cases.append(("a private key (PEM)", beginPrivate + "ENCRYPTED PRIVATE KEY-----\n\(body)\n"))
        cases.append(("an OpenSSH private key", beginPrivate + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE\n"))
        cases.append(("a PGP private key", SampleSecrets.pgpHeader + "\n\n\(body)\n"))
        cases.append(("an AWS access key id", "aws_access_key_id = " + SampleSecrets.awsKeyID + "\n"))
        cases.append(("an AWS access key id", "\"ASIA" + "ABCDEFGHIJKLMNOP\"\n"))
        cases.append(("a GitHub token", "GITHUB_TOKEN=" + SampleSecrets.githubToken + "\n"))
        cases.append(("a GitHub token", "token: " + SampleSecrets.fineGrainedToken + "\n"))
        cases.append(("a Slack token", "SLACK=xoxb-" + "1234567890-abcdef\n"))
        let googleKey: String = "AIza" + String(repeating: "Sy_9-", count: 7)
        cases.append(("a Google API key", "key=" + googleKey + "\n"))
        return cases
    }()

    static let lookAlikeCases: [String] = {
        var cases: [String] = []
        cases.append(beginPrivate + "PUBLIC KEY-----\nMCowBQ\n")
        cases.append(beginPrivate + "CERTIFICATE-----\nMIIB\n")
        cases.append(beginPrivate + "OPENSSH PUBLIC KEY-----\n")
        cases.append(beginPrivate + "PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n") // a runbook's example
        cases.append("Paste the " + beginPrivate + "PRIVATE KEY----- block here.\n")
        cases.append("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx example\n")
        cases.append("X" + SampleSecrets.awsKeyID + "\n")       // inside a longer word
        cases.append(SampleSecrets.awsKeyID + "X\n")            // too long to be a key id
        cases.append("AKIA" + "short\n")
        cases.append("ghp_" + "tooShort\n")
        let inWord: String = "mygh" + "p_" + String(repeating: "a", count: 36)
        cases.append(inWord + "\n")
        return cases
    }()

    @Test("private keys and tokens are found, with their line", arguments: textCases)
    func textSecrets(_ kind: String, _ secretLine: String) throws {
        let text = "# deployment notes\n\nsee below\n" + secretLine
        let facts = inspect(text, fileName: "notes.txt")
        let finding = try #require(facts.secrets.first)
        #expect(facts.secrets.count == 1)
        #expect(finding.kind == kind)
        #expect(finding.line == 4)
    }

    @Test("things that only look like secrets are not findings", arguments: lookAlikeCases)
    func lookAlikes(_ text: String) {
        #expect(inspect(text, fileName: "notes.txt").secrets.isEmpty)
    }

    @Test("real keys made by ssh-keygen and openssl are found")
    func realKeys() throws {
        _ = try requireTool("ssh-keygen", install: "apt-get install openssh-client")
        _ = try requireTool("openssl", install: "apt-get install openssl")
        let temp = try TempDirectory()
        let ssh = try runProcess("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", temp.path("id_ed25519")])
        #expect(ssh.status == 0, "\(ssh.stderr)")
        let pem = try runProcess("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", temp.path("key.pem")])
        #expect(pem.status == 0, "\(pem.stderr)")
        let sshFacts = inspect([UInt8](try temp.read("id_ed25519")), fileName: "id_ed25519")
        #expect(sshFacts.secrets.map(\.kind) == ["an OpenSSH private key"])
        let pemFacts = inspect([UInt8](try temp.read("key.pem")), fileName: "key.pem")
        #expect(pemFacts.secrets.map(\.kind) == ["a private key (PEM)"])
        // The public half is not a secret.
        #expect(inspect([UInt8](try temp.read("id_ed25519.pub")), fileName: "id_ed25519.pub").secrets.isEmpty)
    }

    @Test("a real PGP secret key export made by gpg is found")
    func realPGPKey() throws {
        _ = try requireTool("gpg", install: "apt-get install gnupg")
        let temp = try TempDirectory("gpg")
        let home = temp.path("home")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { _ = try? runProcess("gpgconf", ["--homedir", home, "--kill", "all"]) }
        let made = try runProcess("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                                          "--quick-gen-key", "Test <test@example.invalid>", "ed25519", "sign", "never"])
        #expect(made.status == 0, "\(made.stderr)")
        let exported = try runProcess("gpg", ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                                              "--armor", "--export-secret-keys"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let facts = inspect([UInt8](exported.stdoutData), fileName: "backup-key.asc")
        #expect(facts.secrets.map(\.kind) == ["a PGP private key"])
    }

    @Test("key stores are found by their name, whatever their content", arguments: [
        ("vpn.pfx", "PKCS#12"), ("client.P12", "PKCS#12"), ("passwords.kdbx", "KeePass"), ("tomcat.jks", "Java key store"),
        ("putty.ppk", "PuTTY"),
    ])
    func keyStores(_ name: String, _ kind: String) throws {
        let facts = inspect([0x30, 0x82, 0x00, 0x00, 0x02, 0x01, 0x03], fileName: name)
        let finding = try #require(facts.secrets.first)
        #expect(finding.kind.contains(kind))
        #expect(finding.line == nil)
    }

    @Test("a binary file is not scanned for text patterns")
    func binaryNotScanned() {
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0] + Array((SampleSecrets.pemHeader + "\n").utf8)
        #expect(inspect(bytes, fileName: "tool.bin").secrets.isEmpty)
    }

    @Test("values in password, token or 'mot de passe' columns are found, with line and column")
    func csvColumns() throws {
        let csv = """
            compte;Mot de passe;système
            alice;;erp
            bob;Sup3r-S3cret!;erp
            carol;  ;erp
            "dave";"ch\u{E8}vre;42";crm

            """
        let facts = inspect(csv, fileName: "comptes.csv")
        #expect(facts.csvColumns == ["compte", "Mot de passe", "système"])
        #expect(facts.secrets == [
            SecretFinding(kind: "a value in a password or secret column", line: 3, column: "Mot de passe"),
            SecretFinding(kind: "a value in a password or secret column", line: 5, column: "Mot de passe"),
        ])
        let english = inspect("account,password,API_Token,role\nalice,,,admin\nbob,hunter2,,user\ncarol,,tok_1,user\n", fileName: "a.csv")
        #expect(english.secrets.map { "\($0.column ?? "")@\($0.line ?? 0)" } == ["password@3", "API_Token@4"])
    }

    @Test("a password column that is empty everywhere is no finding")
    func emptyPasswordColumn() {
        let facts = inspect("account,password,token\r\nalice,,\r\nbob,\"\",  \r\n", fileName: "accounts.csv")
        #expect(facts.csvColumns == ["account", "password", "token"])
        #expect(facts.secrets.isEmpty)
    }

    @Test("the finding names the file and line, and the message never holds the secret")
    func messageWithoutSecret() throws {
        let password = "Tr0ub4dor&3-horse"
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts
                paths: ["access/*"]
            """), files: [
                "access/accounts.csv": "account,password\nalice,\(password)\n",
                "access/deploy.env": "# deploy\nAWS_ACCESS_KEY_ID=\(SampleSecrets.awsKeyID)\nTOKEN=\(SampleSecrets.githubToken)\n",
            ])
        let result = try fixture.check().result("access-list")
        #expect(result.status == .invalid)
        #expect(result.problems.map(\.description) == [
            "access/accounts.csv: holds a value in a password or secret column in column 'password' at line 2; remove it, mark the deliverable confidential, list the file under allow-secrets in the manifest once reviewed, or pass --allow-secrets",
            "access/deploy.env: holds an AWS access key id at line 2; remove it, mark the deliverable confidential, list the file under allow-secrets in the manifest once reviewed, or pass --allow-secrets",
            "access/deploy.env: holds a GitHub token at line 3; remove it, mark the deliverable confidential, list the file under allow-secrets in the manifest once reviewed, or pass --allow-secrets",
        ])
        let everything = result.problemText + CheckText.render(try fixture.check()) + CheckJSON(try fixture.check()).encoded()
        for secret in [password, SampleSecrets.awsKeyID, SampleSecrets.githubToken, "IOSFODNN7"] {
            #expect(!everything.contains(secret))
        }
    }

    @Test("--allow-secrets turns secret problems into warnings")
    func allowSecrets() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: server-keys
                title: Server keys
                paths: ["keys/*"]
            """), files: ["keys/host.key": SampleSecrets.pemHeader + "\n\(SampleSecrets.keyBody)\n", "keys/vault.kdbx": "KDBX"])
        let strict = try fixture.check()
        #expect(try strict.result("server-keys").problems.count == 2)
        #expect(!strict.passed)
        let allowed = try fixture.check(allowSecrets: true)
        let result = try allowed.result("server-keys")
        #expect(result.status == .ok)
        #expect(result.problems.isEmpty)
        #expect(result.warnings.count == 2)
        #expect(result.warningText.contains("keys/host.key: holds a private key (PEM) at line 1 (allowed by --allow-secrets)"))
        #expect(result.warningText.contains("keys/vault.kdbx: holds a KeePass password database (.kdbx)"))
        #expect(allowed.passed)
        #expect(allowed.secretsAllowed)
    }

    @Test("a confidential deliverable is not scanned: it will be encrypted")
    func confidentialNotScanned() throws {
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: server-keys
                title: Server keys
                paths: ["keys/*"]
                confidential: true
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
                confidential: true
            """), files: ["keys/host.key": SampleSecrets.pemHeader + "\nMIIE\n", "keys/vault.kdbx": "KDBX",
                          "access/accounts.csv": "account,password\nalice,s3cret\n"])
        let report = try fixture.check()
        for id in ["server-keys", "access-list"] {
            let result = try report.result(id)
            #expect(result.status == .ok)
            #expect(result.problems.isEmpty)
            #expect(result.warnings.isEmpty)
        }
    }

    @Test("allow-secrets in the manifest allows the findings of the files it names, and only those")
    func manifestAllowance() throws {
        let many = (1...25).map { "key\($0)=\(SampleSecrets.awsKeyID)" }.joined(separator: "\n")
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: documentation
                title: Documentation
                paths: ["docs/*"]
                allow-secrets: ["docs/keys-*.txt"]
            """), files: ["docs/keys-old.txt": many, "docs/deploy.md": "id: \(SampleSecrets.awsKeyID)\n"])
        let result = try fixture.check().result("documentation")
        #expect(result.status == .invalid)
        #expect(result.problemText.hasPrefix("docs/deploy.md: holds an AWS access key id at line 1; remove it"), "\(result.problemText)")
        #expect(result.problems.count == 1)
        #expect(result.allowedSecrets.count == 21, "twenty listed, and the count of the rest")
        #expect(result.allowedSecrets.first == AllowedSecret(file: "docs/keys-old.txt", finding: "an AWS access key id at line 1",
                                                             allowedBy: "allow-secrets: docs/keys-*.txt"))
        #expect(result.allowedSecrets.last?.finding == "5 more secrets not listed")
        #expect(result.warningText.contains("docs/keys-old.txt: holds an AWS access key id at line 20 (allowed by allow-secrets: docs/keys-*.txt)"))
    }

    @Test("after twenty findings the rest are counted, not listed")
    func manyFindings() throws {
        let text = (1...25).map { "key\($0)=\(SampleSecrets.awsKeyID)" }.joined(separator: "\n")
        let facts = inspect(text, fileName: "keys.txt")
        #expect(facts.secrets.count == 20)
        #expect(facts.moreSecrets == 5)
        #expect(facts.secrets.last?.line == 20)
    }
}
