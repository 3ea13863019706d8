import ArgumentParser
import Foundation
import HandoverKit

/// `handover certify`: the provider's signed certificate of deletion or return, and its check.
struct CertifyCommand: ParsableCommand, ReadsBundleWithLimits {
    static let configuration = CommandConfiguration(
        commandName: "certify",
        abstract: "Sign a deletion or return certificate bound to the last bundle, or check one.",
        discussion: """
            At the end of the contract the provider certifies what was deleted or returned: the \
            scope (production-data, backups, technical-data such as directory entries and \
            certificates), the method of deletion (overwrite, crypto-erasure by destroying every \
            copy of the keys, media-destruction), the date, the data kept under a legal duty and \
            until when, and who certifies. The certificate names the last bundle by its archive \
            SHA-256 and tag-manifest digest, and is signed with SSHSIG in the namespace \
            handover-certificate (--tsa adds an RFC 3161 time-stamp over the signature). The \
            file has the same form as a receipt: the signed bytes are its "statement" string \
            (jq -j .statement C).

            Give the content with options, or all of it in a YAML file (--from): keys scope \
            (a list of category and description), method, date, retention (a list of what, \
            until, basis), certified-by, returned-to, notes.

            With --check C --bundle BUNDLE: checks the signature, that the certificate is about \
            this bundle and its time-stamp. Exit status 0 when it holds, 1 when it does not, 2 \
            when it cannot be read. --html FILE (with --check) writes a one-page rendering of \
            what was checked, in English or French (--lang fr), ready to print.

            Examples:
              handover certify --kind deletion --bundle delivery-2.tar.zst --scope production-data:"ERP database" --scope backups --method crypto-erasure --date 2027-03-31 --retention "2037-12-31:Invoices" --by "Jeanne Martin, DSI" --sign ~/.ssh/id_ed25519 --output deletion.json
              handover certify --kind deletion --bundle delivery-2.tar.zst --from deletion.yaml --sign ~/.ssh/id_ed25519 --output deletion.json
              handover certify --check deletion.json --bundle delivery-2.tar.zst --allowed-signers provider-signers --html certificat.html --lang fr
            """
    )

    @Option(help: "deletion or return.")
    var kind: CertificateKind?

    @Option(help: ArgumentHelp("What was deleted or returned: CATEGORY or CATEGORY:DESCRIPTION, CATEGORY being production-data, backups or technical-data; repeatable.", valueName: "scope"))
    var scope: [String] = []

    @Option(help: "How it was deleted: overwrite, crypto-erasure or media-destruction.")
    var method: String?

    @Option(help: ArgumentHelp("When it was done (YYYY-MM-DD); default today.", valueName: "date"))
    var date: String?

    @Option(help: ArgumentHelp("Data kept under a legal duty: UNTIL:WHAT, e.g. 2037-12-31:Invoices; repeatable.", valueName: "retention"))
    var retention: [String] = []

    @Option(help: ArgumentHelp("Who certifies: name, role and company.", valueName: "text"))
    var by: String?

    @Option(help: ArgumentHelp("For a return: to whom the data was returned.", valueName: "text"))
    var returnedTo: String?

    @Option(help: ArgumentHelp("The whole content as YAML instead of the options above.", valueName: "file.yaml"))
    var from: String?

    @OptionGroup var statement: StatementOptions

    @OptionGroup var html: StatementHTMLOptions

    @Option(help: ArgumentHelp("OpenSSH allowed_signers: with --check, the keys trusted to certify (namespace handover-certificate).", valueName: "file"))
    var allowedSigners: String?

    @Option(help: ArgumentHelp("With --check: PEM of the time-stamping authority's CA; the time-stamp must chain to it.", valueName: "file"))
    var tsaCa: String?

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup var verbosity: OutputOptions

    /// The kinds a certificate can be.
    enum CertificateKind: String, ExpressibleByArgument, CaseIterable {
        case deletion, `return`
        var statementKind: Statement.Kind { self == .deletion ? .deletion : .return }
    }

    var contentOptions: [(String, Bool)] {
        [("--kind", kind != nil), ("--scope", !scope.isEmpty), ("--method", method != nil), ("--date", date != nil),
         ("--retention", !retention.isEmpty), ("--by", by != nil), ("--returned-to", returnedTo != nil), ("--from", from != nil)]
    }

    func validate() throws {
        try statement.validate(makingOptions: contentOptions)
        if statement.isCheck {
            try html.validate()
            return
        }
        if html.html != nil { throw ValidationError("--html renders a checked certificate: use it with --check") }
        // Making a certificate checks nobody's signature: a trust option given here would be
        // silently ignored, and the user would believe something was checked.
        let checkOnly = [("--allowed-signers", allowedSigners != nil), ("--tsa-ca", tsaCa != nil)].filter(\.1).map(\.0)
        if !checkOnly.isEmpty {
            throw ValidationError("\(checkOnly.joined(separator: " and ")) \(checkOnly.count == 1 ? "is" : "are") for --check; making a certificate checks no signature, so leave \(checkOnly.count == 1 ? "it" : "them") out")
        }
        guard kind != nil else { throw ValidationError("give the kind of certificate: --kind deletion or --kind return") }
        guard statement.bundleOption != nil else { throw ValidationError("give the last bundle the certificate is bound to: --bundle ARCHIVE") }
        if from != nil {
            let mixed = contentOptions.filter { $0.1 && $0.0 != "--kind" && $0.0 != "--from" }.map(\.0)
            if !mixed.isEmpty { throw ValidationError("--from gives the whole content; leave out \(mixed.joined(separator: ", ")), or put them in the file") }
        }
    }

    func run() throws {
        if statement.isCheck {
            try statement.runCheck(expecting: [.deletion, .return], allowedSigners: allowedSigners, tsaCA: tsaCa, quiet: verbosity.quiet, html: html)
            return
        }
        guard let kind, let bundle = statement.bundleOption else { return }
        var inputs: [OutputCollision.Input] = [.init("--bundle", bundle), .init("the checksum file", bundle + ".sha256")]
        if let sign = statement.sign { inputs.append(.init("--sign", sign)) }
        if let from { inputs.append(.init("--from", from)) }
        try statement.checkOutput(inputs: inputs)
        let today = String(Statement.format(Date()).prefix(10))
        let body: CertificateBody
        if let from {
            try OptionFiles.check(from, option: "--from")
            body = try CertificateInput.load(path: from, today: today)
        } else {
            body = CertificateBody(
                scope: try scope.map(CertificateInput.scope), method: try method.map(CertificateInput.method),
                date: try CertificateInput.date(date ?? today, what: "--date"), retention: try retention.map(CertificateInput.retention),
                certifiedBy: by ?? "", returnedTo: returnedTo)
        }
        if kind == .return && body.method != nil {
            let remedy = from.map { "remove the method: key from \($0)" } ?? "leave out --method"
            throw ValidationError("a return certificate has no deletion method; \(remedy) (or certify the deletion separately)")
        }
        try CertificateInput.validate(body, kind: kind.statementKind)
        let (signer, name) = try statement.signer()
        let subject = try limits.apply { try StatementSubject.of(archive: bundle) }
        let made = Statement(kind: kind.statementKind, subject: subject, signer: StatementSigner(name: name, key: signer.publicKey),
                             time: Date(), certificate: body)
        let envelope = try statement.write(made, signer: signer, inputs: inputs)
        if !verbosity.quiet { Console.out(statement.summary(envelope, statement: made, signer: signer)) }
    }
}
