import Foundation
import Testing

/// The provider ends the contract with a signed certificate of deletion (or return), bound to
/// the last bundle; the client checks it, with handover or ssh-keygen alone.
@Suite("Deletion and return certificates: certify, certify --check")
struct CertificateTests {
    @Test("a deletion certificate states scope, method, date, retention and who; it checks (exit 0), and ssh-keygen accepts it")
    func signedAndChecked() throws {
        let stage = try StatementStage()
        let made = try stage.deletion("c.json")
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        #expect(try stage.envelope("c.json")["namespace"] as? String == "handover-certificate")
        let statement = try stage.statement("c.json")
        #expect(statement["kind"] as? String == "deletion")
        #expect((statement["subject"] as? [String: Any])?["archiveSHA256"] as? String == (try sha256sum(stage.bundle)))
        let certificate = try #require(statement["certificate"] as? [String: Any])
        #expect(certificate["method"] as? String == "crypto-erasure")
        #expect(certificate["date"] as? String == "2027-03-31")
        #expect(certificate["certifiedBy"] as? String == "Jeanne Martin, DSI, Infogérance Ouest SAS")
        let scope = try #require(certificate["scope"] as? [[String: Any]])
        #expect(scope.map { $0["category"] as? String } == ["production-data", "backups", "technical-data"])
        #expect(scope.first?["description"] as? String == "ERP database and file shares")
        let retention = try #require(certificate["retention"] as? [[String: Any]])
        #expect(retention.first?["until"] as? String == "2037-12-31")
        #expect(retention.first?["what"] as? String == "Invoices (Code de commerce, L123-22)")

        let check = try handover(["certify", "--check", stage.work.path("c.json"), "--bundle", stage.bundle, "--allowed-signers", stage.providerSigners])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Deletion certificate, certified by Jeanne Martin"), "\(check.stdout)")
        #expect(check.stdout.contains("deleted on 2027-03-31 by crypto-erasure"), "\(check.stdout)")
        #expect(check.stdout.contains("kept under a legal duty until 2037-12-31: Invoices"), "\(check.stdout)")
        #expect(check.stdout.contains("Result: VALID\n"), "\(check.stdout)")
        // A certificate given where a receipt is expected: the way on is the other command.
        let checkedAsReceipt = try handover(["receipt", "--check", stage.work.path("c.json"), "--bundle", stage.bundle, "--allowed-signers", stage.providerSigners])
        #expect(checkedAsReceipt.status == 2)
        #expect(checkedAsReceipt.stderr.contains("is a deletion statement, not a receipt; check it with 'handover certify --check'."), "\(checkedAsReceipt.stderr)")

        let keygen = try stage.sshKeygenVerify("c.json", signers: stage.providerSigners, principal: StatementStage.provider, namespace: "handover-certificate")
        #expect(keygen.status == 0, "ssh-keygen: \(keygen.stdout)\(keygen.stderr)")
        let asReceipt = try stage.sshKeygenVerify("c.json", signers: stage.providerSigners, principal: StatementStage.provider, namespace: "handover-receipt")
        #expect(asReceipt.status != 0, "a certificate must not pass as a receipt")
    }

    @Test("refused (exit 1) for another bundle, one altered byte, or a key not in allowed_signers; a receipt is not a certificate (exit 2)")
    func refusals() throws {
        let stage = try StatementStage()
        #expect(try stage.deletion("c.json").status == 0)
        let check = { (file: String, bundle: String) in
            try handover(["certify", "--check", file, "--bundle", bundle, "--allowed-signers", stage.providerSigners])
        }
        let otherBundle = try check(stage.work.path("c.json"), stage.other)
        #expect(otherBundle.status == 1 && otherBundle.stdout.contains("Result: INVALID"), "\(otherBundle.stdout)\(otherBundle.stderr)")
        let altered = try check(try stage.alterOneByte("c.json", into: "altered.json"), stage.bundle)
        #expect(altered.status == 1 && altered.stdout.contains("Bad SSH signature"), "\(altered.stdout)\(altered.stderr)")
        #expect(try stage.deletion("stranger.json", key: stage.strangerKey).status == 0)
        let stranger = try check(stage.work.path("stranger.json"), stage.bundle)
        #expect(stranger.status == 1 && stranger.stdout.contains("does not list it"), "\(stranger.stdout)\(stranger.stderr)")

        #expect(try stage.receipt("r.json", decision: "accepted").status == 0)
        let receipt = try check(stage.work.path("r.json"), stage.bundle)
        #expect(receipt.status == 2, "\(receipt.stdout)\(receipt.stderr)")
        #expect(receipt.stderr.contains("receipt statement") && receipt.stderr.contains("handover receipt --check"), "\(receipt.stderr)")
    }

    @Test("a return certificate from YAML; unknown keys, bad dates and a deletion without method are refused (exit 2)")
    func fromYAML() throws {
        let stage = try StatementStage()
        let yaml = try stage.work.write("return.yaml", """
            scope:
              - category: production-data
                description: Base ERP, partages de fichiers
              - category: technical-data
            date: 2027-02-28
            retention:
              - what: Factures
                until: 2037-12-31
                basis: Code de commerce, art. L123-22
            certified-by: Jeanne Martin, DSI
            returned-to: Nouveau Prestataire SAS

            """)
        let made = try handover(["certify", "--kind", "return", "--bundle", stage.bundle, "--from", yaml, "--sign", stage.providerKey,
                                 "--output", stage.work.path("return.json")])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let statement = try stage.statement("return.json")
        #expect(statement["kind"] as? String == "return")
        let certificate = try #require(statement["certificate"] as? [String: Any])
        #expect(certificate["returnedTo"] as? String == "Nouveau Prestataire SAS")
        #expect(certificate["date"] as? String == "2027-02-28")
        #expect((certificate["retention"] as? [[String: Any]])?.first?["basis"] as? String == "Code de commerce, art. L123-22")
        let check = try handover(["certify", "--check", stage.work.path("return.json"), "--bundle", stage.bundle, "--allowed-signers", stage.providerSigners])
        #expect(check.status == 0 && check.stdout.contains("Return certificate"), "\(check.stdout)\(check.stderr)")

        let unknown = try stage.work.write("unknown.yaml", "scope:\n  - category: backups\nmethod: overwrite\nsigned-by: me\n")
        let refused = try handover(["certify", "--kind", "deletion", "--bundle", stage.bundle, "--from", unknown, "--sign", stage.providerKey,
                                    "--output", stage.work.path("u.json")])
        #expect(refused.status == 2 && refused.stderr.contains("unknown key \"signed-by\""), "\(refused.stderr)")
        let badDate = try stage.deletion("d.json", ["--date", "2027-02-30"])
        #expect(badDate.status == 2, "\(badDate.stderr)")
        let noMethod = try handover(["certify", "--kind", "deletion", "--bundle", stage.bundle, "--scope", "backups", "--by", "J. Martin",
                                     "--sign", stage.providerKey, "--output", stage.work.path("m.json")])
        #expect(noMethod.status == 2 && noMethod.stderr.contains("how the data was deleted"), "\(noMethod.stderr)")
        // A return with a method in its YAML: the advice names the file's key, not an option.
        let returnWithMethod = try stage.work.write("return-method.yaml", "scope:\n  - category: backups\nmethod: overwrite\ncertified-by: J. Martin\n")
        let methodRefused = try handover(["certify", "--kind", "return", "--bundle", stage.bundle, "--from", returnWithMethod,
                                          "--sign", stage.providerKey, "--output", stage.work.path("r.json")])
        #expect(methodRefused.status == 2 && methodRefused.stderr.contains("remove the method: key from \(returnWithMethod)")
                && !methodRefused.stderr.contains("--method"), "\(methodRefused.stderr)")
        // Trust options only mean something with --check: given when making, they are refused.
        let trustWhenMaking = try stage.deletion("t.json", ["--allowed-signers", stage.providerSigners, "--tsa-ca", stage.providerSigners])
        #expect(trustWhenMaking.status == 2 && trustWhenMaking.stderr.contains("--allowed-signers and --tsa-ca are for --check"), "\(trustWhenMaking.stderr)")
        for name in ["u.json", "d.json", "m.json", "r.json", "t.json"] {
            #expect(!FileManager.default.fileExists(atPath: stage.work.path(name)), "\(name) written after a refusal")
        }
    }
}
