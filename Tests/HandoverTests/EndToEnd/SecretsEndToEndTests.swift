import Foundation
import HandoverKit
import Testing

/// A credential left in a deliverable by mistake, as `handover build` meets it.
enum LeakedSecret: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case privateKey, awsKeyID, keyStore, csvPasswordColumn

    var testDescription: String { rawValue }

    /// Text that is part of the secret: it must never be printed nor recorded in the report.
    var secretText: String {
        switch self {
        case .privateKey: "MIIEowIBAAKCAQEAxq7n"
        case .awsKeyID: SampleSecrets.awsKeyID
        case .keyStore: "KEYSTORE-BODY-7f3a"
        case .csvPasswordColumn: "Tr0ub4dor&3"
        }
    }

    var file: String {
        switch self {
        case .privateKey: "docs/deploy.md"
        case .awsKeyID: "docs/aws.md"
        case .keyStore: "docs/certs/server.pfx"
        case .csvPasswordColumn: "access/accounts.csv"
        }
    }

    var contents: Data {
        switch self {
        case .privateKey:
            Data("# Deploying\n\nThe root key:\n\(SampleSecrets.pemHeader)\n\(secretText)\n-----END RSA PRIVATE KEY-----\n".utf8)
        case .awsKeyID:
            Data("# AWS\naws_access_key_id = \(secretText)\n".utf8)
        case .keyStore:
            Data([0x30, 0x82, 0x0A, 0x01, 0x02, 0x01, 0x03, 0x00]) + Data(secretText.utf8)
        case .csvPasswordColumn:
            Data("account,system,role,mfa,owner,password\nalice,erp,admin,yes,DSI,\(secretText)\n".utf8)
        }
    }

    /// What the report says, naming the file and the line or column.
    var finding: String {
        switch self {
        case .privateKey: "docs/deploy.md: holds a private key (PEM) at line 4"
        case .awsKeyID: "docs/aws.md: holds an AWS access key id at line 2"
        case .keyStore: "docs/certs/server.pfx: holds a PKCS#12 key store (.pfx)"
        case .csvPasswordColumn: "access/accounts.csv: holds a value in a password or secret column in column 'password' at line 2"
        }
    }

    var deliverable: String { self == .csvPasswordColumn ? "access-list" : "documentation" }
}

/// An export whose deliverables are clean until a test leaves a secret in one.
func secretSource(_ secret: LeakedSecret, confidentialDocs: Bool = false) throws -> SourceFixture {
    let fixture = try SourceFixture(manifest: manifestText(deliverables: """
          - id: access-list
            title: Accounts and access rights
            paths: ["access/*.csv"]
          - id: documentation
            title: Technical documentation
            paths: ["docs/**"]
            confidential: \(confidentialDocs)
        """), files: [
            "access/accounts.csv": "account,system,role,mfa,owner\nalice,erp,admin,yes,DSI\n",
            "docs/architecture.md": "# Architecture\n",
        ])
    try fixture.write(secret.file, secret.contents)
    return fixture
}

@Suite("handover build refuses to hand over credentials by mistake")
struct SecretsEndToEndTests {
    @Test("a secret in a deliverable: exit 1, the file and line named, the secret never printed, nothing written",
          arguments: LeakedSecret.allCases)
    func refused(_ secret: LeakedSecret) throws {
        let fixture = try secretSource(secret)
        let output = fixture.temp.path("out/acme.tar.gz")
        try FileManager.default.createDirectory(atPath: fixture.temp.path("out"), withIntermediateDirectories: true)
        let result = try fixture.build(output: output)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(secret.finding), "\(result.stdout)")
        #expect(result.stdout.contains("--allow-secrets"))
        #expect(result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains(secret.secretText))
        #expect(folderListing(fixture.temp.path("out")).isEmpty)
    }

    @Test("--allow-secrets builds, and the bundle's report records the findings, not the secrets",
          arguments: LeakedSecret.allCases)
    func allowed(_ secret: LeakedSecret) throws {
        let fixture = try secretSource(secret)
        let output = fixture.temp.path("acme.tar.gz")
        let result = try fixture.build(output: output, ["--allow-secrets"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains(secret.secretText))
        let reportData = try bundleFile(output, "handover/report.json")
        #expect(!String(decoding: reportData, as: UTF8.self).contains(secret.secretText))
        let report = try #require(try JSONSerialization.jsonObject(with: reportData) as? [String: Any])
        #expect(report["secretsAllowed"] as? Bool == true)
        let deliverables = try #require(report["deliverables"] as? [[String: Any]])
        let entry = try #require(deliverables.first { $0["id"] as? String == secret.deliverable })
        let warnings = (entry["warnings"] as? [[String: Any]]) ?? []
        let described = warnings.map { "\($0["file"] as? String ?? ""): \($0["message"] as? String ?? "")" }
        #expect(described.contains { $0.hasPrefix(secret.finding) && $0.hasSuffix("(allowed by --allow-secrets)") }, "\(described)")
        #expect(entry["status"] as? String == "ok")
        let other = try #require(deliverables.first { $0["id"] as? String != secret.deliverable })
        #expect((other["warnings"] as? [Any])?.isEmpty == true)
        let verified = try handover(["verify", output])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("without --allow-secrets the report says secrets were not allowed")
    func notAllowedRecorded() throws {
        let fixture = try secretSource(.awsKeyID)
        try fixture.remove(LeakedSecret.awsKeyID.file)
        let output = fixture.temp.path("acme.tar")
        let result = try fixture.build(output: output)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try JSONSerialization.jsonObject(with: try bundleFile(output, "handover/report.json")) as? [String: Any]
        #expect(report?["secretsAllowed"] as? Bool == false)
    }

    @Test("a secret in a confidential deliverable is no finding: it is encrypted for the recipient",
          arguments: [LeakedSecret.privateKey, .awsKeyID, .keyStore])
    func confidential(_ secret: LeakedSecret) throws {
        let ageKeygen = try requireTool("age-keygen", install: "apt-get install age")
        let age = try requireTool("age", install: "apt-get install age")
        let fixture = try secretSource(secret, confidentialDocs: true)
        let keyFile = fixture.temp.path("recipient.key")
        let keygen = try runProcess(ageKeygen, ["-o", keyFile])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        let keyText = try String(contentsOfFile: keyFile, encoding: .utf8)
        let recipient = try #require(keyText.split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst(14))

        let output = fixture.temp.path("acme.tar.zst")
        let result = try fixture.build(output: output, ["--recipient", String(recipient)])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!(result.stdout + result.stderr).contains("holds"), "\(result.stdout)\(result.stderr)")
        let reportData = try bundleFile(output, "handover/report.json")
        let reportText = String(decoding: reportData, as: UTF8.self)
        #expect(!reportText.contains("holds"), "\(reportText)")
        #expect(!reportText.contains(secret.secretText))
        let report = try #require(try JSONSerialization.jsonObject(with: reportData) as? [String: Any])
        #expect(report["secretsAllowed"] as? Bool == false)

        let entries = try bundleEntries(output)
        #expect(entries.contains { $0.hasSuffix("/data/\(secret.file).age") }, "\(entries)")
        #expect(!entries.contains { $0.hasSuffix("/data/\(secret.file)") })
        let sealed = fixture.temp.path("sealed.age")
        try bundleFile(output, "data/\(secret.file).age").write(to: URL(fileURLWithPath: sealed))
        #expect(!(try Data(contentsOf: URL(fileURLWithPath: sealed))).contains(Data(secret.secretText.utf8)))
        let opened = try runProcess(age, ["-d", "-i", keyFile, sealed])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdoutData == secret.contents)
    }
}

extension Data {
    /// Whether `other` occurs in these bytes.
    func contains(_ other: Data) -> Bool { range(of: other) != nil }
}
