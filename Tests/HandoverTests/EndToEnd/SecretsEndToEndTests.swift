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

@Suite("A reviewed finding is allowed in the manifest, file by file, and the report says so")
struct SecretAllowanceEndToEndTests {
    /// An export whose network deliverable holds a switch configuration with a Cisco hash, and
    /// whose documentation holds a session token.
    func leakySource(allowNetwork: String?) throws -> SourceFixture {
        let allowance = allowNetwork.map { "\n    allow-secrets: \($0)" } ?? ""
        let fixture = try SourceFixture(manifest: manifestText(deliverables: """
              - id: network
                title: Network device configurations
                paths: ["network/**"]\(allowance)
              - id: documentation
                title: Technical documentation
                paths: ["docs/**"]
            """), files: [
                "network/core-sw01.cfg": "hostname core-sw01\nenable secret 9 $9$\(Fake.string(14))$\(Fake.string(43))\n",
                "network/access-sw02.cfg": "hostname access-sw02\nsnmp-server community \(Fake.string(12)) RO\n",
                "docs/architecture.md": "# Architecture\n",
            ])
        return fixture
    }

    @Test("a Cisco hash in a configuration: exit 1, file, line and kind named")
    func refused() throws {
        let fixture = try leakySource(allowNetwork: nil)
        let output = fixture.temp.path("acme.tar")
        let result = try fixture.build(output: output)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("network/core-sw01.cfg: holds a Cisco password hash (secret 4/5/8/9) at line 2"), "\(result.stdout)")
        #expect(result.stdout.contains("network/access-sw02.cfg: holds an SNMP community string at line 2"), "\(result.stdout)")
        #expect(result.stdout.contains("allow-secrets"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("allow-secrets: [that file] builds only when every finding is covered, and the report records by what")
    func allowedByManifest() throws {
        let partial = try leakySource(allowNetwork: "[network/core-sw01.cfg]")
        let refused = try partial.build(output: partial.temp.path("acme.tar"))
        #expect(refused.status == 1, "the other file's finding is still refused: \(refused.stdout)")
        #expect(!refused.stdout.contains("core-sw01.cfg: holds a Cisco password hash (secret 4/5/8/9) at line 2;"))
        #expect(refused.stdout.contains("network/access-sw02.cfg: holds an SNMP community string at line 2;"), "\(refused.stdout)")

        let fixture = try leakySource(allowNetwork: "[network/core-sw01.cfg, \"network/access-*.cfg\"]")
        let output = fixture.temp.path("acme.tar")
        let result = try fixture.build(output: output)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: try bundleFile(output, "handover/report.json")) as? [String: Any])
        #expect(report["secretsAllowed"] as? Bool == false, "--allow-secrets was not given")
        let deliverables = try #require(report["deliverables"] as? [[String: Any]])
        let network = try #require(deliverables.first { $0["id"] as? String == "network" })
        let allowed = try #require(network["allowedSecrets"] as? [[String: String]])
        #expect(allowed.contains {
            $0["file"] == "network/core-sw01.cfg" && $0["finding"] == "a Cisco password hash (secret 4/5/8/9) at line 2"
                && $0["allowedBy"] == "allow-secrets: network/core-sw01.cfg"
        }, "\(allowed)")
        #expect(allowed.contains { $0["file"] == "network/access-sw02.cfg" && $0["allowedBy"] == "allow-secrets: network/access-*.cfg" }, "\(allowed)")
        let docs = try #require(deliverables.first { $0["id"] as? String == "documentation" })
        #expect((docs["allowedSecrets"] as? [Any])?.isEmpty == true)
        let verified = try handover(["verify", output])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
    }

    @Test("allow-secrets: true allows the deliverable's findings; --allow-secrets is recorded as such")
    func allowedWhole() throws {
        let fixture = try leakySource(allowNetwork: "true")
        let output = fixture.temp.path("acme.tar")
        let result = try fixture.build(output: output)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = String(decoding: try bundleFile(output, "handover/report.json"), as: UTF8.self)
        #expect(text.contains("\"allowedBy\" : \"allow-secrets: true\""), "\(text)")

        let flagged = try leakySource(allowNetwork: nil)
        let flaggedOutput = flagged.temp.path("acme.tar")
        #expect(try flagged.build(output: flaggedOutput, ["--allow-secrets"]).status == 0)
        let flaggedText = String(decoding: try bundleFile(flaggedOutput, "handover/report.json"), as: UTF8.self)
        #expect(flaggedText.contains("\"allowedBy\" : \"--allow-secrets\""), "\(flaggedText)")
    }
}
