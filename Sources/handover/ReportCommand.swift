import ArgumentParser
import Foundation
import HandoverKit

/// `handover report`: the handover report people attach to the minutes.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the handover report (HTML, Markdown or JSON), in English or French.",
        discussion: """
            Given a bundle (an archive or a bag folder), the report comes from verifying it: the \
            parties, the contract and the dates; each deliverable with its status (delivered, \
            missing, invalid, optional and absent), files, sizes and problems; the archive's \
            SHA-256, the signature and the time-stamp; and an acceptance block (received by, \
            date, signature, reservations) for the parties to sign, as in a procès-verbal de \
            remise. Given a SOURCE folder and --manifest, the report says where the deliverables \
            stand before the bundle is built.

            The signing page has a block for each party the manifest names: the outgoing \
            provider, the client, and the recipient when it is another company. --reservations \
            FILE prints the reservations (UTF-8 text) in their box. Printed from Chromium, each \
            page carries the contract, the archive's SHA-256 prefix and its number, page X / Y.

            The HTML is one self-contained file (no script, nothing fetched), printable to PDF \
            from a browser. The format follows --format, or else the output's extension (.html, \
            .md, .json). An existing output is never replaced without --force; --output - writes \
            to stdout.

            Exit status: the report is written whatever the handover's state; then 0 when the \
            bundle (or SOURCE) passes, as 'handover verify' (or 'handover missing') would say, \
            1 when it does not; 2 when no report could be written.

            For a holey bundle (files of fetch.txt in object storage), --fetch, or --merge with \
            the part files of every shard, checks them as 'handover verify' does, and the \
            report's payload line says how many were checked.

            Examples:
              handover report acme.tar.zst --output pv-remise.html --lang fr --reservations reserves.txt
              handover report acme.tar.zst --allowed-signers signers --output report.md
              handover report delivery-2.tar.zst --receipt receipt-2.json --allowed-signers signers --output report.html
              handover report --manifest handover.yaml /srv/export --output check.html
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, json
    }

    @Argument(help: "The bundle (archive or bag folder), or with --manifest the SOURCE folder.")
    var path: String

    @Option(help: "Report on the SOURCE folder against this manifest instead of on a bundle.")
    var manifest: String?

    @Option(help: "The report file to write; - for stdout.")
    var output: String

    @Option(help: "html, md or json (default: from the output's extension, else html).")
    var format: Format?

    @Option(help: "The report's language (default: the manifest's handover.language, else en).")
    var lang: ReportLanguage?

    @Option(help: ArgumentHelp("A text file of reservations, printed in the signing page's reservations box.", valueName: "file"))
    var reservations: String?

    @Option(name: .customLong("receipt"), help: ArgumentHelp("A signed receipt given to this bundle (handover receipt): checked, then listed in a Receipts section with its decision, signer and date; repeatable. Its signer is looked up in --allowed-signers.", valueName: "file"))
    var receipts: [String] = []

    @OptionGroup var evidence: EvidenceOptions

    @Flag(help: "With --manifest: record secrets found as notes instead of problems.")
    var allowSecrets = false

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup(title: "Remote payload (fetch.txt in object storage)") var remote: FetchOptions

    @OptionGroup var verbosity: OutputOptions

    func validate() throws {
        if manifest != nil && !receipts.isEmpty {
            throw ValidationError("--receipt lists the receipts given to a bundle; a SOURCE folder (--manifest) has none yet")
        }
        if manifest != nil && !evidence.isEmpty {
            throw ValidationError("--allowed-signers, --signer, --tsa-ca, --require-signature and --require-timestamp check a bundle; a SOURCE folder (--manifest) has no signature or time-stamp yet; leave them out, or report on the built bundle")
        }
    }

    func run() throws {
        let format = self.format ?? Self.format(forOutput: output)
        if output != "-" {
            // Even with --force, the report never replaces what it reports on.
            var inputs: [OutputCollision.Input] = [.init(manifest == nil ? "BUNDLE" : "SOURCE", path), .init("the checksum file", path + ".sha256")]
            if let manifest { inputs.append(.init("--manifest", manifest)) }
            if let signers = evidence.allowedSigners { inputs.append(.init("--allowed-signers", signers)) }
            if let ca = evidence.tsaCa { inputs.append(.init("--tsa-ca", ca)) }
            if let reservations { inputs.append(.init("--reservations", reservations)) }
            inputs += receipts.map { .init("--receipt", $0) }
            try OutputCollision.check(output: output, named: "--output", inputs: inputs)
        }
        if output != "-" && !force && FileManager.default.fileExists(atPath: output) {
            throw FileError.outputExists(output, choose: "--output")
        }
        // Read first: a wrong --reservations path fails before the bundle is read through.
        let reservationsText = try readReservations()
        try OptionFiles.check(receipts, option: "--receipt")
        let (made, subject, handoverLanguage) = try makeReport()
        let language = lang ?? handoverLanguage ?? .en
        var report = made
        report.reservations = reservationsText
        if !receipts.isEmpty {
            guard let subject else {
                throw ValidationError("--receipt: a receipt names a bundle's archive by its SHA-256; \(path) is \(FileManager.default.fileExists(atPath: path + "/" + BagDeclaration.fileName) ? "a bag folder" : "not a readable bundle"), so no receipt can be checked against it")
            }
            var options = StatementCheck.Options()
            options.allowedSigners = evidence.allowedSigners ?? EvidenceCheck.defaultAllowedSignersPath().flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil }
            report.receipts = try receipts.map { file in
                ReceiptEntry(file: file, result: try StatementCheck.check(statement: file, bundle: path, expecting: [.receipt], options: options, subject: subject))
            }
            // The report marks them "not valid"; the terminal says why.
            for entry in report.receipts ?? [] where entry.check == .invalid {
                Exit.printWarning("the receipt \(VisibleText.name(entry.file)) does not hold: \(entry.problems.joined(separator: "; "))")
            }
        }
        if output == "-" {
            // JSON is streamed here too, in the same bytes as a file gets.
            switch format {
            case .html: Console.out(ReportHTML.render(report, language: language))
            case .md: Console.out(ReportMarkdown.render(report, language: language))
            case .json: report.writeJSON { Console.json(bytes: $0) }
            }
        } else {
            let file = try AtomicFile(destination: output, overwrite: force)
            do {
                switch format {
                case .html: try file.write(Array(ReportHTML.render(report, language: language).utf8))
                case .md: try file.write(Array(ReportMarkdown.render(report, language: language).utf8))
                // Streamed: a million files' lists are never one text in memory.
                case .json: try report.writeJSON { try file.write(VisibleText.json(bytes: $0)) }
                }
                try file.commit()
            } catch {
                file.abort()
                throw error
            }
            if !verbosity.quiet {
                let required = report.deliverables.filter(\.required)
                let ready = required.filter { $0.status == .ok }.count
                var summary = "Wrote \(output) (\(format.rawValue), \(language == .fr ? "French" : "English")): \(report.verdict.rawValue)"
                if report.summary != nil { summary += ", \(ready) of \(required.count) required deliverables \(report.kind == .source ? "ready" : "delivered")" }
                Console.out(summary + ".\n")
            }
        }
        if !report.passed {
            // Written all the same (it is the record of what was received), but the exit status
            // and stderr say it fails, even with --quiet.
            Exit.printError("\(path): \(report.verdict.rawValue); the report says why:")
            Exit.printReasons(report.failureReasons)
            throw Exit.CheckFailed()
        }
    }

    /// The report on SOURCE (with --manifest) or on a bundle, and the bundle's digests when it
    /// is an archive that could be verified (receipts are checked against them), and the
    /// manifest's `handover.language` (the bundle's copy of it), which --lang defaults to.
    func makeReport() throws -> (HandoverReport, StatementSubject?, ReportLanguage?) {
        let now = Int64(Date().timeIntervalSince1970)
        if let manifestPath = manifest {
            try OptionFiles.refuseSpecial(manifestPath, option: "--manifest")
            let manifest = try ManifestParser.load(path: manifestPath)
            let check = try SourceCheck.run(manifest: manifest, source: path, options: CheckOptions(allowSecrets: allowSecrets))
            return (HandoverReport(checked: check, source: path, now: now), nil, manifest.parties.language)
        }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
           !FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(BagDeclaration.fileName)) {
            throw ValidationError("\(path) is a folder but not a bag (no bagit.txt); to report on a SOURCE folder, give --manifest FILE")
        }
        var options = BundleVerification.Options()
        try evidence.apply(to: &options.evidence)
        // The archive's SHA-256 comes from the same reading as the verdict.
        let digest = isFolder.boolValue ? nil : ArchiveDigest()
        options.archiveDigest = digest
        do {
            var result = try VerifyCommand.verify(path, options: options, verbosity: verbosity)
            try remote.apply(to: &result, verbosity: verbosity)
            let checksum = result.archive
            return (HandoverReport(verified: result, archive: checksum, now: now), checksum.flatMap { StatementSubject(verified: result, archive: $0) },
                    result.completeness?.manifest.parties.language)
        } catch let error as HandoverError where error.exitStatus == .checkFailed {
            // A damaged or unsafe archive is still worth a report: it is what was received, named
            // by its checksum (the rest of the file read now).
            let checksum = try digest.map { try ArchiveChecksum.after($0, path: path) }
            return (HandoverReport(unreadable: path, reason: error.errorDescription ?? "\(error)", archive: checksum, now: now), nil, nil)
        }
    }

    /// The text of --reservations, so that the procès-verbal that is signed is the one that was
    /// generated: UTF-8 text of at most 64 KiB, read by the one small-file reader.
    func readReservations() throws -> String? {
        try OptionFiles.reservations(reservations)
    }

    static func format(forOutput output: String) -> Format {
        switch URL(fileURLWithPath: output).pathExtension.lowercased() {
        case "md", "markdown": .md
        case "json": .json
        default: .html
        }
    }
}

extension ReportLanguage: ExpressibleByArgument {}
