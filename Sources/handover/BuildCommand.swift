import ArgumentParser
import Foundation
import HandoverKit

/// `handover build`: check SOURCE against the manifest, then write the bundle.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check SOURCE against the manifest, then write the signed, checksummed bundle.",
        discussion: """
            The bundle is a BagIt bag in one archive; its format follows the output's extension: \
            \(ArchiveFormat.supportedList). Give a folder to get the default name \
            <client>-handover-<UTC time>.tar.zst. A <output>.sha256 file is written beside it; the two \
            appear together or not at all. No output may be one of the files the build reads. \
            Nothing is written when a required deliverable is missing or invalid (exit 1), unless \
            --allow-incomplete. With SOURCE_DATE_EPOCH set, the output is byte-for-byte reproducible.

            SOURCE may be an object-store prefix, s3://bucket/prefix/ (credentials and endpoint \
            from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, \
            AWS_ENDPOINT_URL or AWS_PROFILE): its listing is checked as a folder's walk would be, \
            and with --payload local (the default) each object is streamed into the bundle. With \
            --payload remote the objects stay where they are: each is streamed once (--jobs at a \
            time) to compute the manifests, and the bundle holds the tag files and a fetch.txt \
            listing every object's URL and size, under the signature. Such a bundle is \
            incomplete until the receiver checks the objects themselves.

            Examples:
              handover build --manifest handover.yaml /srv/export --output acme.tar.zst
              handover build --manifest handover.yaml /srv/export --output bundles/ --sign ~/.ssh/id_ed25519
              handover build --manifest handover.yaml /srv/export --output delivery-2.tar.zst --previous delivery-1.tar.zst
              handover build --manifest handover.yaml /srv/export --output acme.tar.zst --lang fr
              handover build --manifest handover.yaml s3://client-data/export/ --output acme.tar.zst
              handover build --manifest handover.yaml s3://client-data/export/ --output acme.tar.zst --payload remote --jobs 8

            On a terminal a progress line shows on stderr while the payload is packed; --quiet \
            prints only errors and warnings, --verbose lists every file packed. Every bundle \
            carries handover/report.json and handover/report.html (the handover report, in the \
            language of --lang, else of the manifest's handover.language, else English; see \
            'handover report' for Markdown or a report on a received bundle).
            """
    )

    @Option(help: "The manifest listing the deliverables the contract requires.")
    var manifest: String

    @Argument(help: "The folder or s3://bucket/prefix/ holding the deliverables (SOURCE).")
    var source: String

    @Option(help: "The bundle to write (.tar, .tar.gz, .tgz, .tar.zst, .tar.xz, .zip), or a folder.")
    var output: String

    @Option(name: .customLong("algorithm"), help: "Also write manifests with this algorithm (sha512); sha256 is always written.")
    var algorithms: [String] = []

    @Flag(help: "Write the bundle even if required deliverables are missing or invalid; the report records them.")
    var allowIncomplete = false

    @Flag(help: "Record secrets found in deliverables as warnings instead of refusing.")
    var allowSecrets = false

    @Flag(help: "Refuse names Windows cannot hold (see 'handover missing --help'): they make their deliverable invalid, not a warning.")
    var windowsSafe = false

    @Flag(help: "Replace the output and its .sha256 if they exist.")
    var force = false

    @Option(help: "Sign with this SSH key: an Ed25519, ECDSA or RSA private key file, or a .pub whose key ssh-agent holds (SSH_AUTH_SOCK).")
    var sign: String?

    @Option(name: .customLong("tsa"), help: "Time-stamp with this RFC 3161 authority URL; repeat for fallbacks, the first that answers is used.")
    var tsaURLs: [String] = []

    @Option(name: .customLong("recipient"), help: "Encrypt confidential deliverables for this age recipient: age1..., or an SSH public key line (\"ssh-ed25519 AAAA...\", \"ssh-rsa AAAA...\"); repeatable.")
    var recipients: [String] = []

    @Option(help: "Encrypt confidential deliverables for the age recipients listed in this file, one per line, as age -R reads it (age1... or SSH public key lines; a .pub file is one).")
    var recipientsFile: String?

    @Option(help: "The previous delivery's bundle: this one records its digests in bag-info.txt and carries the changes since it (handover/changes.json).")
    var previous: String?

    @Option(help: "The language of the report written into the bundle (handover/report.html): en or fr (default: the manifest's handover.language, else en).")
    var lang: ReportLanguage?

    @Option(help: "local: the payload goes into the bundle; remote (an s3:// SOURCE only): it stays in object storage, listed in fetch.txt with its checksums in the manifests.")
    var payload: PayloadPlacement = .local

    @Option(help: "With --payload remote: how many objects are streamed and hashed at once, each over its own connection (1 to 64).")
    var jobs = 4

    @OptionGroup var verbosity: OutputOptions

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs takes a number from 1 to 64 (found \(jobs))") }
        if payload == .remote && !ObjectLocation.isLocation(source) {
            throw ValidationError("--payload remote leaves the payload in object storage and lists it in fetch.txt, so SOURCE must be s3://bucket/prefix/; \(source) is a folder. Build it with --payload local (the default).")
        }
    }

    func run() throws {
        try OptionFiles.check(sign, option: "--sign")
        try OptionFiles.check(recipientsFile, option: "--recipients-file")
        try OptionFiles.refuseSpecial(self.manifest, option: "--manifest")
        let manifest = try ManifestParser.load(path: self.manifest)
        var options = BuildOptions(output: output)
        // The bundle and its .sha256 may never replace what the build reads, even with --force.
        options.inputs = [.init("--manifest", self.manifest)]
        if let sign { options.inputs.append(.init("--sign", sign)) }
        if let recipientsFile { options.inputs.append(.init("--recipients-file", recipientsFile)) }
        if let previous {
            options.inputs.append(.init("--previous", previous))
            options.previous = try DeliveryChain.previous(path: previous)
        }
        options.algorithms = try parseAlgorithms()
        options.allowIncomplete = allowIncomplete
        options.allowSecrets = allowSecrets
        options.windowsSafe = windowsSafe
        options.force = force
        options.payload = payload
        options.jobs = jobs
        options.language = lang
        options.sourceDateEpoch = try sourceDateEpoch()
        options.recipients = try recipients.map { try AgeRecipient(parsing: $0) }
        if let recipientsFile { options.recipients += try AgeRecipients.parseFile(recipientsFile) }
        if let sign { options.signer = try SSHBundleSigner(keyPath: sign) }
        if !tsaURLs.isEmpty { options.timestamper = TSABundleTimestamper(urls: tsaURLs) }
        let progress = ProgressLine(verb: payload == .remote ? "Hashing" : "Packing", verbosity: verbosity)
        options.progress = { done, total in progress.update(done: done, total: total) }
        if verbosity.verbose { options.packedFile = { path, bytes in progress.file("packed  \(path)  \(ByteCount.format(bytes))") } }
        let result: BuildResult
        do {
            defer { progress.finish() }
            let origin: BuildSource = try ObjectLocation.isLocation(source) ? .objects(ObjectStoreOptions.source(source)) : .folder(source)
            result = try BundleBuilder.build(manifest: manifest, source: origin, options: options)
        } catch BuildError.incomplete(let report) {
            Console.out(CheckText.render(report)) // the error below refers to this list, even with --quiet
            throw BuildError.incomplete(report)
        }
        warnAboutNames(result.report)
        if !result.report.passed && verbosity.quiet {
            Exit.printWarning("the bundle was written incomplete (--allow-incomplete); its report lists what is missing")
        }
        guard !verbosity.quiet else { return }
        if !result.report.passed {
            Console.out(CheckText.render(result.report))
            Exit.printWarning("the bundle was written incomplete (--allow-incomplete); its report lists what is missing")
        }
        var summary = """
            Wrote \(result.archivePath)
              bag \(result.bagName), \(result.payloadFiles) files, \(ByteCount.format(result.payloadBytes)) of payload\(result.payload == .remote ? " left in object storage (fetch.txt)" : "")

            """
        if !result.report.ignored.isEmpty {
            let count = result.report.ignored.count
            summary += "  ignored (\(count) file\(count == 1 ? "" : "s")): system junk or the manifest's exclude:, not packed\n"
        }
        if let delivery = result.delivery, let previous = options.previous {
            summary += "  delivery \(delivery), following \(previous.name) (sha256 \(previous.archiveSHA256)); changes in \(BundleTags.changesFile)\n"
        }
        if result.payload == .remote {
            summary += "  incomplete until the objects are checked where they are: the bundle holds their checksums and sizes, not their bytes\n"
        }
        if let signer = result.signer { summary += "  signed by \(signer)\n" }
        if let time = result.timestampTime {
            summary += "  time-stamped at \(time)\(result.timestampAuthority.map { " by \($0)" } ?? "")\n"
        }
        summary += "  sha256 \(result.archiveSHA256) (in \(result.checksumPath))\n"
        Console.out(summary)
    }

    /// Names Windows cannot hold, as warnings on stderr (with --windows-safe they refused the
    /// build instead); the bundle is written, and `handover missing` lists them all.
    func warnAboutNames(_ report: CheckReport) {
        let codes: Set<ProblemCode> = [.windowsCharacters, .windowsReservedName, .windowsTrailing, .windowsPathTooLong, .windowsCaseClash]
        for result in report.results {
            let names = result.warnings.filter { $0.code.map(codes.contains) ?? false }
            guard !names.isEmpty else { continue }
            Exit.printWarning("\(result.deliverable.id): \(names.count) name\(names.count == 1 ? "" : "s") a Windows receiver cannot hold (--windows-safe refuses them):")
            for line in CheckText.groupedLines(names) { Console.err("  \(line)\n") }
        }
    }

    func parseAlgorithms() throws -> [ChecksumAlgorithm] {
        var chosen: [ChecksumAlgorithm] = [.sha256]
        for name in algorithms {
            guard let algorithm = ChecksumAlgorithm(rawValue: name.lowercased()), ChecksumAlgorithm.writable.contains(algorithm) else {
                throw ValidationError("--algorithm \(name) is not supported; use sha512 (sha256 is always written)")
            }
            if !chosen.contains(algorithm) { chosen.append(algorithm) }
        }
        return chosen
    }

    func sourceDateEpoch() throws -> Int64? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard let value = Int64(text), value >= 0, value < 253_402_300_800 else {
            throw ValidationError("SOURCE_DATE_EPOCH must be a number of seconds since 1970 (found '\(text.prefix(30))')")
        }
        return value
    }
}

extension PayloadPlacement: ExpressibleByArgument {}
