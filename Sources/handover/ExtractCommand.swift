import ArgumentParser
import Foundation
import HandoverKit

/// `handover extract`: verify a bundle, then write its bag safely into a folder.
struct ExtractCommand: ParsableCommand, ReadsBundleWithLimits {
    static let configuration = CommandConfiguration(
        commandName: "extract",
        abstract: "Verify a bundle, then write its files safely into a folder.",
        discussion: """
            The bundle is verified first, as by 'handover verify'; if it fails, its report is \
            printed and nothing is written (exit 1). Then the bag is written into DIR: bagit.txt, \
            bag-info.txt, the manifests, handover/ (manifest, report, signature, time-stamp) and \
            the deliverables under data/, so that DIR is itself a BagIt bag. DIR is created if \
            absent and must be empty unless --force. Only regular files (0644) and folders \
            (0755) are written, only inside DIR, never through a symbolic link; each file is \
            checked again against the verified checksums as it is written, and nothing appears \
            in DIR until every file has been written and checked (a failure, or SIGINT, SIGTERM or \
            SIGHUP, leaves DIR as it was). A hidden .handover-extract-* folder left by a run that \
            was killed (SIGKILL) is removed by the next run, which says so on stderr.

            With --identity, each confidential file data/<path>.age is decrypted to data/<path> \
            (mode 0600) and checked against its deliverable's rules; the .age file is not \
            written, so DIR is then no longer a valid bag. A wrong identity writes nothing \
            (exit 1). Without --identity, confidential files are written encrypted, as they are.

            With --fetch, the files of a holey bundle that fetch.txt lists in object storage \
            (s3://, the credentials and endpoint from the AWS_* variables as for verify --fetch) \
            are downloaded into DIR too, --jobs at a time, each hashed as it arrives and compared \
            with the manifests; they are placed with the rest, only when every one matches: a \
            changed, resized or missing object places nothing (exit 1). Without --fetch, a holey \
            bundle is incomplete and nothing is written.

            Examples:
              handover extract acme-sa-handover-20261231T120000Z.tar.zst --to received/
              handover extract bundle.tar --to received/ --fetch --jobs 8
              handover extract bundle.tar.zst --to received/ --identity ~/.config/age/keys.txt
            """
    )

    @Argument(help: "The bundle (archive) or bag folder to extract.")
    var bundle: String

    @Option(name: .customLong("to"), help: "The folder to write the bag into (created if absent; must be empty unless --force).")
    var destination: String

    @Flag(help: "Write into a folder that is not empty, replacing files of the same name.")
    var force = false

    @Option(name: .customLong("identity"), help: "age identity file (as age-keygen writes it), or an unencrypted OpenSSH private key (ssh-ed25519, ssh-rsa), to decrypt confidential files; repeatable.")
    var identityFiles: [String] = []

    @OptionGroup var evidence: EvidenceOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @Flag(help: "Accept a bundle that was built incomplete (--allow-incomplete at build time).")
    var allowIncomplete = false

    @Flag(help: "Download the files fetch.txt lists from object storage (s3://) into DIR, each hashed as it arrives; a changed or missing object places nothing.")
    var fetch = false

    @Option(help: ArgumentHelp("Parallel transfers with --fetch.", valueName: "n"))
    var jobs = 4

    @OptionGroup var verbosity: OutputOptions

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs takes a number from 1 to 64") }
    }

    func run() throws {
        try OptionFiles.check(identityFiles, option: "--identity")
        // DIR must not be the bag folder being extracted, nor a folder inside it.
        try OutputCollision.check(output: destination, named: "--to", inputs: [.init("BUNDLE", bundle)])
        try OutputCollision.check(output: destination, named: "--to", notInside: .init("BUNDLE", bundle))
        var options = BundleExtractor.Options(destination: destination)
        options.force = force
        options.notice = { Exit.printWarning($0) }
        options.identities = try identityFiles.flatMap { try AgeIdentity.parseFile($0) }
        options.verification.allowIncomplete = allowIncomplete
        try evidence.apply(to: &options.verification.evidence)
        // The verification pass reads every payload byte: show it on a terminal.
        let progress = ProgressLine(verb: "Verifying", verbosity: verbosity)
        if progress.isActive { options.verification.progress = { done, total in progress.update(done: done, total: total) } }
        if fetch {
            var fetchOptions = FetchVerification.Options()
            fetchOptions.jobs = jobs
            let fetching = ProgressLine(verb: "Fetching", verbosity: verbosity)
            if fetching.isActive { fetchOptions.progress = { done, total in fetching.update(done: done, total: total) } }
            if verbosity.verbose { fetchOptions.fileDone = { file, _ in fetching.file("fetched  \(file.path)  \(file.size.map { ByteCount.format($0) } ?? "-")  \(file.state.rawValue)") } }
            options.fetch = (try ObjectStoreOptions.configuration(), fetchOptions)
        }
        let outcome = try limits.apply { try BundleExtractor.extract(bundle: bundle, options: options) }
        progress.finish()
        for warning in outcome.verification.bag.warnings { Exit.printWarning(warning.description) }
        guard let summary = outcome.extracted else {
            Console.out(VerifyText.render(outcome.verification))
            Exit.printError(Self.refusal(outcome.verification, destination: destination))
            throw Exit.CheckFailed()
        }
        for problem in summary.plaintextProblems {
            Exit.printWarning("once decrypted, \(problem) (accepted with --allow-incomplete)")
        }
        if !summary.encrypted.isEmpty {
            Exit.printWarning("\(summary.encrypted.count) confidential file\(summary.encrypted.count == 1 ? " was" : "s were") written encrypted (.age); give --identity FILE to decrypt")
        } else if !options.identities.isEmpty && summary.decrypted.isEmpty {
            Exit.printWarning("--identity was given, but the bundle holds no confidential file")
        }
        guard !verbosity.quiet else { return }
        let verification = outcome.verification
        var state = verification.completeness == nil ? "intact" : VerifyText.words(verification.state)
        if verification.state == .intactButIncomplete { state += " (\(VerifyText.whatIsMissing(verification)); accepted with --allow-incomplete)" }
        var text = "Verified \(bundle): \(state), "
        switch verification.evidence.authenticity {
        case .authenticated: text += "authenticated (signed by \(verification.evidence.signedBy.joined(separator: ", ")))\n"
        case .unknownKey: text += "NOT authenticated (signed by an unknown key, \(verification.evidence.fingerprint ?? "")): anybody could have produced it\n"
        case .notSigned, .badSignature: text += "NOT authenticated (not signed): anybody could have produced it\n"
        }
        text += "Extracted \(summary.files) files (\(ByteCount.format(summary.bytes))) to \(summary.destination)\n"
        for path in summary.decrypted { text += "  decrypted \(path)\n" }
        Console.out(text)
    }

    /// Why nothing was written, in the verdict's words; for a bundle that is only incomplete,
    /// what is missing and the flag that accepts it anyway.
    static func refusal(_ verification: VerifiedBundle, destination: String) -> String {
        let state = verification.state
        if verification.failsOnlyAsIncomplete {
            return "the bundle is intact but incomplete (\(VerifyText.whatIsMissing(verification))), so nothing was written to \(destination); "
                + "to extract it anyway, run again with --allow-incomplete"
        }
        return "the bundle is \(VerifyText.words(state))\(state == .notIntact ? " (altered, forged or unreadable)" : ""), "
            + "and fails verification (see above); nothing was written to \(destination)"
    }
}
