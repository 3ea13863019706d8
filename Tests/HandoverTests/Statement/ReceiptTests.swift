import Foundation
import Testing

/// The client answers a delivery with a signed receipt; the provider keeps it as proof of
/// delivery and checks it, with handover or with ssh-keygen alone.
@Suite("Signed receipts: receipt, receipt --check, report --receipt")
struct ReceiptTests {
    @Test("a receipt is signed, bound to the bundle's digests, records the verification, and checks (exit 0)")
    func signedAndChecked() throws {
        let stage = try StatementStage()
        let made = try stage.receipt("r.json", decision: "accepted", ["--allowed-signers", stage.providerSigners])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        #expect(made.stdout.contains("Receipt: accepted"), "\(made.stdout)")

        let envelope = try stage.envelope("r.json")
        #expect(envelope["namespace"] as? String == "handover-receipt")
        #expect(envelope["format"] as? String == "handover-statement/1")
        let statement = try stage.statement("r.json")
        #expect(statement["kind"] as? String == "receipt")
        let subject = try #require(statement["subject"] as? [String: Any])
        #expect(subject["archiveSHA256"] as? String == (try sha256sum(stage.bundle)))
        let bag = try StandardTools.extract(stage.bundle, into: stage.work.path("bag"))
        #expect(subject["tagManifestSHA256"] as? String == (try sha256sum(bag + "/tagmanifest-sha256.txt")))
        #expect(subject["bundle"] as? String == "delivery-1.tar")
        let signer = try #require(statement["signer"] as? [String: Any])
        #expect(signer["fingerprint"] as? String == (try OpenSSH.fingerprint(of: stage.clientKey + ".pub")))
        #expect(signer["name"] as? String == StatementStage.client, "the key's comment names the signer")
        let receipt = try #require(statement["receipt"] as? [String: Any])
        #expect(receipt["decision"] as? String == "accepted")
        let verification = try #require(receipt["verification"] as? [String: Any])
        #expect(verification["integrity"] as? String == "intact-and-complete")
        #expect(verification["authenticity"] as? String == "authenticated", "the bundle's signature, checked with --allowed-signers")
        let deliverables = try #require(verification["deliverables"] as? [[String: Any]])
        #expect(deliverables.map { $0["id"] as? String } == ["access-list", "documentation", "inventories", "backup-plan"])
        #expect(deliverables.map { $0["status"] as? String } == ["ok", "ok", "ok", "optional-absent"])

        let check = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle, "--allowed-signers", stage.clientSigners])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("Receipt: accepted"), "\(check.stdout)")
        #expect(check.stdout.contains("signed by \(StatementStage.client)"), "\(check.stdout)")
        #expect(check.stdout.contains("Result: VALID\n"), "\(check.stdout)")
        // Without a signer list the signature still holds, and the result says nobody is vouched for.
        let unchecked = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle])
        #expect(unchecked.status == 0 && unchecked.stdout.contains("signer not checked"), "\(unchecked.stdout)")
        // Never replaced without --force.
        let again = try stage.receipt("r.json", decision: "refused")
        #expect(again.status == 2 && again.stderr.contains("already exists"), "\(again.stderr)")
    }

    @Test("ssh-keygen -Y verify -n handover-receipt accepts the signature over the statement jq takes out, and no other namespace")
    func sshKeygenAcceptsIt() throws {
        let stage = try StatementStage()
        let reservations = try stage.work.write("reserves.txt", "Le plan de sauvegarde manque.\nLes comptes de service ne sont pas listés.\n")
        let made = try stage.receipt("r.json", decision: "accepted-with-reservations", ["--reservations", reservations])
        #expect(made.status == 0, "\(made.stdout)\(made.stderr)")
        let good = try stage.sshKeygenVerify("r.json", signers: stage.clientSigners, principal: StatementStage.client, namespace: "handover-receipt")
        #expect(good.status == 0, "ssh-keygen: \(good.stdout)\(good.stderr)")
        #expect(good.stdout.contains("Good \"handover-receipt\" signature for \(StatementStage.client)"), "\(good.stdout)")
        let replayed = try stage.sshKeygenVerify("r.json", signers: stage.clientSigners, principal: StatementStage.client, namespace: "handover")
        #expect(replayed.status != 0, "a receipt's signature must not pass as a bundle signature")
        let receipt = try #require(try stage.statement("r.json")["receipt"] as? [String: Any])
        #expect(receipt["reservations"] as? String == "Le plan de sauvegarde manque.\nLes comptes de service ne sont pas listés.")
    }

    @Test("refused (exit 1) for another bundle, one altered byte, or a key not in allowed_signers; unreadable files exit 2")
    func refusals() throws {
        let stage = try StatementStage()
        #expect(try stage.receipt("r.json", decision: "accepted").status == 0)
        let check = { (file: String, bundle: String) in
            try handover(["receipt", "--check", file, "--bundle", bundle, "--allowed-signers", stage.clientSigners])
        }
        let otherBundle = try check(stage.work.path("r.json"), stage.other)
        #expect(otherBundle.status == 1, "\(otherBundle.stdout)\(otherBundle.stderr)")
        let otherDigest = try sha256sum(stage.other)
        #expect(otherBundle.stdout.contains("Result: INVALID") && otherBundle.stdout.contains(otherDigest), "\(otherBundle.stdout)")

        let altered = try check(try stage.alterOneByte("r.json", into: "altered.json"), stage.bundle)
        #expect(altered.status == 1, "\(altered.stdout)\(altered.stderr)")
        #expect(altered.stdout.contains("Bad SSH signature"), "\(altered.stdout)")

        #expect(try stage.receipt("stranger.json", decision: "accepted", key: stage.strangerKey).status == 0)
        let stranger = try check(stage.work.path("stranger.json"), stage.bundle)
        #expect(stranger.status == 1, "\(stranger.stdout)\(stranger.stderr)")
        #expect(stranger.stdout.contains("does not list it"), "\(stranger.stdout)")

        let garbage = try check(try stage.work.write("garbage.json", "{\"format\": \"handover-statement/1\", \"statement\": 3}"), stage.bundle)
        #expect(garbage.status == 2 && garbage.stderr.contains("is not a handover statement"), "\(garbage.stderr)")
        let huge = try check(try stage.work.write("huge.json", Data(repeating: 0x20, count: 2 << 20)), stage.bundle)
        #expect(huge.status == 2 && huge.stderr.contains("larger than 1 MiB"), "\(huge.stderr)")
        let notJSON = try check(try stage.work.write("text.json", "receipt\n"), stage.bundle)
        #expect(notJSON.status == 2 && notJSON.stderr.contains("not JSON"), "\(notJSON.stderr)")
        #expect(!notJSON.stderr.contains("Fatal error"))
    }

    @Test("--decision accepted on a tampered bundle is refused and writes nothing; refused is recorded with what verify found")
    func tamperedBundle() throws {
        let stage = try StatementStage()
        let bag = try StandardTools.extract(stage.bundle, into: stage.work.path("tampered"))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: bag + "/data/access/accounts.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("mallory;erp;admin;non;nobody\n".utf8))
        try handle.close()
        let tampered = stage.work.path("tampered.tar")
        try StandardTools.pack(bag, to: tampered)

        let accepted = try stage.receipt("a.json", decision: "accepted", bundle: tampered)
        #expect(accepted.status == 1, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stderr.contains("cannot be accepted") && accepted.stderr.contains("--decision refused"), "\(accepted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stage.work.path("a.json")))
        let reservations = try stage.work.write("reserves.txt", "Altered.\n")
        let withReservations = try stage.receipt("w.json", decision: "accepted-with-reservations", bundle: tampered, ["--reservations", reservations])
        #expect(withReservations.status == 1 && withReservations.stderr.contains("not intact"), "\(withReservations.stderr)")

        let refused = try stage.receipt("refused.json", decision: "refused", bundle: tampered)
        #expect(refused.status == 0, "\(refused.stdout)\(refused.stderr)")
        let receipt = try #require(try stage.statement("refused.json")["receipt"] as? [String: Any])
        let verification = try #require(receipt["verification"] as? [String: Any])
        #expect(verification["integrity"] as? String == "not-intact")
        #expect(verification["passed"] as? Bool == false)
        #expect((verification["problems"] as? [String])?.contains { $0.contains("access/accounts.csv") } == true, "\(verification)")
    }

    @Test("--decision accepted on an incomplete bundle is refused, with reservations it is taken")
    func incompleteBundle() throws {
        let stage = try StatementStage()
        try stage.source.remove("inventory/servers.csv")
        let incomplete = try stage.source.buildBundle("incomplete.tar", ["--allow-incomplete"], epoch: handoverEpoch + 120)
        let accepted = try stage.receipt("a.json", decision: "accepted", bundle: incomplete)
        #expect(accepted.status == 1 && accepted.stderr.contains("accepted-with-reservations"), "\(accepted.stderr)")
        let missing = try stage.work.write("reserves.txt", "The inventories are missing.\n")
        let taken = try stage.receipt("w.json", decision: "accepted-with-reservations", bundle: incomplete, ["--reservations", missing])
        #expect(taken.status == 0, "\(taken.stdout)\(taken.stderr)")
        let none = try stage.receipt("n.json", decision: "accepted-with-reservations", bundle: incomplete)
        #expect(none.status == 2 && none.stderr.contains("--reservations FILE"), "\(none.stderr)")
    }

    @Test("report --receipt lists each receipt: decision, who, when, whether its signature checked")
    func reportListsReceipts() throws {
        let stage = try StatementStage()
        #expect(try stage.receipt("good.json", decision: "accepted").status == 0)
        #expect(try stage.receipt("stranger.json", decision: "refused", key: stage.strangerKey).status == 0)
        let signers = try stage.work.write("signers", try String(contentsOfFile: stage.providerSigners, encoding: .utf8)
            + (try String(contentsOfFile: stage.clientSigners, encoding: .utf8)))
        let output = stage.work.path("report.md")
        let report = try handover(["report", stage.bundle, "--receipt", stage.work.path("good.json"), "--receipt", stage.work.path("stranger.json"),
                                   "--allowed-signers", signers, "--output", output])
        #expect(report.status == 0, "\(report.stdout)\(report.stderr)")
        let markdown = try String(contentsOfFile: output, encoding: .utf8)
        #expect(markdown.contains("## Receipts"), "\(markdown)")
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| Accepted") || $0.hasPrefix("| —") }
        #expect(rows.count == 2, "\(rows)")
        #expect(rows.first { $0.hasPrefix("| Accepted") }?.contains("\(StatementStage.client)") == true, "\(rows)")
        #expect(rows.first { $0.hasPrefix("| Accepted") }?.contains("✓ valid") == true, "\(rows)")
        // The stranger is not in the list: the receipt does not hold, so what it claims (its
        // decision, its signer) is not shown as said by anyone, and the terminal says why.
        #expect(rows.first { $0.hasPrefix("| —") }?.contains("✗ not valid") == true, "\(rows)")
        #expect(!markdown.contains("| Refused"), "\(markdown)")
        #expect(report.stderr.contains("warning: the receipt") && report.stderr.contains("stranger.json"), "\(report.stderr)")

        let french = stage.work.path("rapport.html")
        let fr = try handover(["report", stage.bundle, "--receipt", stage.work.path("good.json"), "--allowed-signers", signers,
                               "--output", french, "--lang", "fr"])
        #expect(fr.status == 0, "\(fr.stderr)")
        let html = try String(contentsOfFile: french, encoding: .utf8)
        #expect(html.contains("Accusés de réception") && html.contains("Livraison acceptée") && html.contains("valide, par une clé de confiance"))
    }

    @Test("with --tsa the signature is time-stamped; --check --tsa-ca verifies it, and openssl ts -verify agrees")
    func timestamped() throws {
        let tsa = try EvidenceTSA("receipt")
        defer { tsa.stop() }
        let stage = try StatementStage()
        let made = try stage.receipt("r.json", decision: "accepted", ["--tsa", tsa.url])
        #expect(made.status == 0 && made.stdout.contains("time-stamped at"), "\(made.stdout)\(made.stderr)")
        let check = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle,
                                  "--allowed-signers", stage.clientSigners, "--tsa-ca", tsa.caPath])
        #expect(check.status == 0 && check.stdout.contains("verified against \(tsa.caPath)"), "\(check.stdout)\(check.stderr)")
        // What is time-stamped is the statement, not a bundle, and the sentences say so.
        #expect(check.stdout.contains("time-stamp: The statement was time-stamped at"), "\(check.stdout)")
        let unverified = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle])
        #expect(unverified.status == 0 && unverified.stdout.contains("time-stamp: The statement claims to be time-stamped at"), "\(unverified.stdout)")
        #expect(!(check.stdout + unverified.stdout).contains("The bundle"), "\(check.stdout)\(unverified.stdout)")

        let envelope = try stage.envelope("r.json")
        let signature = try stage.work.write("r.sig", try #require(envelope["signature"] as? String))
        let encoded = try #require(envelope["timestamp"] as? String)
        let token = try #require(Data(base64Encoded: encoded))
        let tsr = try stage.work.write("r.tsr", token)
        let openssl = try runProcess(tsa.pki.openssl, ["ts", "-verify", "-data", signature, "-in", tsr, "-CAfile", tsa.caPath])
        #expect(openssl.status == 0 && openssl.stdout.contains("Verification: OK"), "\(openssl.stdout)\(openssl.stderr)")

        let other = try TestPKI("other", withTSA: false)
        let wrongCA = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle, "--tsa-ca", other.caPath])
        #expect(wrongCA.status == 1, "\(wrongCA.stdout)\(wrongCA.stderr)")
        // In French, the failed time-stamp is said in French too.
        let french = stage.work.path("wrong-ca-fr.html")
        let wrongCAFrench = try handover(["receipt", "--check", stage.work.path("r.json"), "--bundle", stage.bundle, "--tsa-ca", other.caPath,
                                          "--html", french, "--lang", "fr"])
        #expect(wrongCAFrench.status == 1, "\(wrongCAFrench.stdout)\(wrongCAFrench.stderr)")
        let html = try String(contentsOfFile: french, encoding: .utf8)
        #expect(html.contains("<h2>Anomalies</h2>") && html.contains("jeton d'horodatage"), "\(html)")
        #expect(!html.contains("The time-stamp"), "\(html)")

        // Altered, the statement's signature fails, so its time-stamp is never checked: the
        // terminal and the page say it is there and unchecked, not that there is none.
        let altered = try stage.alterOneByte("r.json", into: "altered.json")
        let alteredHTML = stage.work.path("altered.html")
        let alteredCheck = try handover(["receipt", "--check", altered, "--bundle", stage.bundle, "--tsa-ca", tsa.caPath, "--html", alteredHTML])
        #expect(alteredCheck.status == 1, "\(alteredCheck.stdout)\(alteredCheck.stderr)")
        #expect(alteredCheck.stdout.contains("time-stamp: present, not checked") && !alteredCheck.stdout.contains("time-stamp: none"), "\(alteredCheck.stdout)")
        let alteredPage = try String(contentsOfFile: alteredHTML, encoding: .utf8)
        #expect(alteredPage.contains("present, not checked") && !alteredPage.contains("<dd>none</dd>"), "\(alteredPage)")
    }
}
