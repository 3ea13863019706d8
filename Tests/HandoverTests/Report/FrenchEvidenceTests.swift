import Foundation
@testable import HandoverKit
import Testing

/// The French-reader's checklist on what the samples do not show: a workbook that lacks its
/// columns and a credential found in a setting (the report on SOURCE and the one built into the
/// bundle), a signature by a key the reader does not trust and a time-stamp by a TSA that does
/// not chain to the CA given (the report on the received bundle).
extension ProcesVerbalTests {
    static let evidenceDeliverables = """
          - id: access-list
            title: {en: Accounts and access rights, fr: Comptes et droits d'accès}
            category: access
            paths: ["access/*.xlsx"]
            xlsx:
              sheet: Comptes
              required-columns: [account, system, role]
          - id: configuration
            title: {en: Application settings, fr: Paramètres des applications}
            category: configuration
            paths: ["config/*"]
        """

    @Test("the French report of bundles with an xlsx problem, a secret finding, a signature and a time-stamp problem has no English sentence")
    func frenchEvidence() throws {
        let source = try SourceFixture(manifest: manifestText(deliverables: Self.evidenceDeliverables),
                                       files: ["config/app.env": "DB_HOST=db.internal\nDB_PASSWORD=Zq8rT2vLx9wPm4Kd\n"])
        try FileManager.default.createDirectory(atPath: source.path("access"), withIntermediateDirectories: true)
        try WorkbookFixture.write(to: source.path("access/comptes.xlsx"), in: source.temp)
        let key = try OpenSSH.makeKey(in: source.temp, name: "provider", passphrase: "", comment: EvidenceFixture.principal)
        let stranger = try OpenSSH.makeKey(in: source.temp, name: "stranger", passphrase: "", comment: "someone@else.example")
        let strangers = try source.temp.write("allowed_signers", try OpenSSH.allowedLine("someone@else.example", pubPath: stranger + ".pub") + "\n")
        let tsa = try EvidenceTSA("fr-evidence")
        defer { tsa.stop() }
        let otherCA = try TestPKI("fr-other-ca", withTSA: false)
        let names = ["Acme SA", "Infogerance Ouest SAS", "Nouveau Prestataire SAS", "CTR-2023-042", HandoverVersion.nameAndVersion,
                     "handover", "SHA-256", "RFC", "age", "SSH", "access-list", "configuration", "access", "Comptes", "Lisez-moi",
                     "account", "system", "role", "DB_PASSWORD"]

        // On SOURCE: the workbook's missing columns and the password in a setting.
        let sourceReport = source.temp.path("source-fr.html")
        let checked = try handover(["report", "--manifest", source.manifestPath, source.source, "--lang", "fr", "--output", sourceReport])
        #expect(checked.status == 1, "\(checked.stdout)\(checked.stderr)")
        let sourceHTML = try String(contentsOfFile: sourceReport, encoding: .utf8)
        try Self.expectFrench(sourceHTML, names: names, "the report on SOURCE")
        #expect(sourceHTML.contains("dans la première ligne de la feuille « Comptes »"), "\(sourceHTML)")
        #expect(sourceHTML.contains("contient un secret (un mot de passe ou un secret dans le paramètre « DB_PASSWORD » à la ligne 2)"))

        // Built in French (handover.language would do the same), signed and time-stamped.
        let bundle = source.temp.path("acme.tar")
        let build = try handover(["build", "--manifest", source.manifestPath, source.source, "--output", bundle, "--lang", "fr",
                                  "--allow-incomplete", "--allow-secrets", "--sign", key, "--tsa", tsa.url])
        try #require(build.status == 0, "\(build.stdout)\(build.stderr)")
        let bag = try StandardTools.extract(bundle, into: source.temp.path("unpacked"))
        let built = try String(contentsOfFile: bag + "/" + BagLayout.reportHTML, encoding: .utf8)
        try Self.expectFrench(built, names: names + [String(bag.split(separator: "/").last ?? "")], "the report built into the bundle")
        #expect(built.contains("admis par"), "the allowed secret is a note in French")

        // Received: a key the reader does not trust, a TSA that does not chain to the CA given.
        let received = source.temp.path("received-fr.html")
        let report = try handover(["report", bundle, "--lang", "fr", "--allowed-signers", strangers, "--tsa-ca", otherCA.caPath, "--output", received])
        #expect(report.status == 1, "\(report.stdout)\(report.stderr)")
        let receivedHTML = try String(contentsOfFile: received, encoding: .utf8)
        try Self.expectFrench(receivedHTML, names: names, "the report on the received bundle")
        #expect(receivedHTML.contains("la clé qui a signé l'archive n'est pas admise"), "\(receivedHTML)")
        #expect(receivedHTML.contains("ne remonte pas à l'autorité de certification fournie"))
        let json = try handover(["report", bundle, "--format", "json", "--allowed-signers", strangers, "--tsa-ca", otherCA.caPath, "--output", "-"])
        let codes = try JSONDecoder().decode(HandoverReport.self, from: json.stdoutData).problemDetails?.compactMap(\.code?.rawValue) ?? []
        #expect(codes.contains("signature-signer-not-allowed") && codes.contains("timestamp-chain"), "\(codes)")
    }

    @Test("every secret kind the scanners name has a code and a French name, and the English is said as before")
    func secretKinds() throws {
        for (code, english) in SecretKinds.english {
            #expect(SecretKinds.french[code] != nil, "no French name for \(code)")
            guard !english.hasPrefix(" ") else { continue }
            let sample = english.replacingOccurrences(of: "{value}", with: "pfx")
            let found = try #require(SecretKinds.code(of: sample), "\(sample)")
            #expect(found.code == code)
        }
        let finding = SecretFinding(kind: "a password or secret in setting 'api_token'", line: 4)
        let parameters = finding.parameters.merging(["finding": finding.description]) { $1 }
        #expect(ProblemSentences.sentence(.secretFound, parameters, in: .en, escape: { $0 })?.hasPrefix("holds a password or secret in setting 'api_token' at line 4;") == true)
        #expect(ProblemSentences.sentence(.secretFound, parameters, in: .fr, escape: { $0 })?
            .hasPrefix("contient un secret (un mot de passe ou un secret dans le paramètre « api_token » à la ligne 4)") == true)
        // A kind the table does not know keeps its English words (and the checklist above fails).
        #expect(SecretKinds.code(of: "a brand new kind of token") == nil)
    }
}
