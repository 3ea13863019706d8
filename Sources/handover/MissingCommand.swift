import ArgumentParser
import Foundation
import HandoverKit

/// `handover missing`: list each deliverable's status against SOURCE (or inside a bundle).
struct MissingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "missing",
        abstract: "List deliverables: ok, missing, invalid or optional-absent, with reasons.",
        discussion: """
            With --manifest, checks the folder SOURCE against the manifest; SOURCE may also be an \
            object-store prefix, s3://bucket/prefix/ (credentials and endpoint from AWS_ACCESS_KEY_ID, \
            AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL or AWS_PROFILE). Without it, PATH is a \
            bundle (archive or bag folder): its deliverables are checked against the manifest it \
            carries, and the bundle is verified as by 'handover verify' (the trust options are the \
            same): the list of a bundle that fails verification cannot be trusted. Exit status 0 \
            when every required deliverable is ok, 1 otherwise (or when the bundle fails \
            verification), 2 when the check cannot run or the bundle carries no manifest.

            Problems shared by many files are grouped per deliverable, with a few examples \
            ("1,759 files: format .png is not allowed here …; e.g. …"); --all (or -v) lists every \
            file, and --format json always holds every file and every problem. System junk \
            (\(SystemJunk.summary)) and the manifest's exclude: globs are ignored: counted, never \
            packed, never judged. A handover: section still holding a template's placeholders \
            (Client name, CTR-0000-000) is not ready.

            Names a Windows receiver cannot hold are warnings, or problems with --windows-safe: \
            \(WindowsNames.summary).

            Examples:
              handover missing --manifest handover.yaml /srv/export
              handover missing --manifest handover.yaml /srv/export --format json
              handover missing --manifest handover.yaml s3://client-data/export/
              handover missing --manifest handover.yaml /srv/export --all --windows-safe
              handover missing acme-sa-handover-20261231T120000Z.tar.zst
            """
    )

    @Option(help: "The manifest listing the deliverables the contract requires.")
    var manifest: String?

    @Argument(help: "The folder or s3://bucket/prefix/ holding the deliverables (SOURCE) with --manifest; otherwise a bundle or bag folder.")
    var path: String

    @Option(help: "text for people, json for machines.")
    var format: OutputFormat = .text

    @Flag(help: "Record secrets found in deliverables as warnings instead of failing.")
    var allowSecrets = false

    @Flag(help: "List every file: each file of each problem, and every ignored and uncollected file, not groups with a few examples.")
    var all = false

    @Flag(name: .shortAndLong, help: "The same as --all (before --all existed, --verbose listed every uncollected file).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print only the deliverables that are not ready, their problems and the verdict.")
    var quiet = false

    @Flag(help: "Make names Windows cannot hold problems that fail the check, not warnings.")
    var windowsSafe = false

    @OptionGroup(title: "Trust (on a bundle)") var evidence: EvidenceOptions

    func validate() throws {
        if quiet && (verbose || all) { throw ValidationError("--quiet and --\(all ? "all" : "verbose") cannot be used together; choose one") }
        if manifest == nil && windowsSafe {
            throw ValidationError("--windows-safe checks the names of a SOURCE folder (--manifest); a bundle's names were fixed when it was built")
        }
        if manifest != nil && !evidence.isEmpty {
            throw ValidationError("--allowed-signers, --signer, --tsa-ca, --require-signature and --require-timestamp check a bundle; a SOURCE folder (--manifest) has no signature or time-stamp yet; leave them out")
        }
    }

    func run() throws {
        guard let manifestPath = manifest else { return try runOnBundle() }
        try OptionFiles.refuseSpecial(manifestPath, option: "--manifest")
        let manifest = try ManifestParser.load(path: manifestPath)
        let options = CheckOptions(allowSecrets: allowSecrets, windowsSafe: windowsSafe)
        let report: CheckReport
        if ObjectLocation.isLocation(path) {
            report = try SourceCheck.run(manifest: manifest, objects: ObjectStoreOptions.source(path), options: options)
        } else {
            report = try SourceCheck.run(manifest: manifest, source: path, options: options)
        }
        show(report)
        if !report.passed { throw Exit.CheckFailed() }
    }

    /// `missing BUNDLE`: the bundle's own manifest against its payload. A bundle that is not
    /// intact fails too: its list cannot be trusted, and `verify` says why.
    func runOnBundle() throws {
        var options = BundleVerification.Options()
        try evidence.apply(to: &options.evidence)
        let (report, verification) = try Console.refusalAsJSON(format == .json, path: path) {
            try BundleVerification.deliverables(path: path, options: options)
        }
        // The list is only as good as the bundle: one that fails verification says why, and
        // its deliverables are never called ready.
        let reasons = verification.failureReasons.filter { reason in !report.results.contains { reason.hasPrefix($0.deliverable.id + ": ") } }
        show(report, verification: verification, untrusted: !reasons.isEmpty)
        if !reasons.isEmpty {
            Exit.printError("\(path) fails verification, so this list cannot be trusted ('handover verify \(path)' says more):")
            Exit.printReasons(reasons)
        }
        if !report.passed || !reasons.isEmpty { throw Exit.CheckFailed() }
    }

    /// The last line for a bundle, in the words `verify` uses; a bundle that fails verification
    /// never has its deliverables called ready.
    static func bundleVerdict(_ report: CheckReport, _ verification: VerifiedBundle, untrusted: Bool) -> String {
        let words = VerifyText.words(verification.state)
        switch verification.state {
        case .notIntact:
            return "Result: NOT INTACT, the bundle is not intact (altered, forged or unreadable), so none of its deliverables can be called delivered (see below)."
        case .intactAndComplete where untrusted:
            return "Result: FAILED, the bundle is intact and complete but fails verification, so this list cannot be trusted (see below)."
        case .intactButIncomplete:
            return "Result: INCOMPLETE, the bundle is intact but incomplete: \(VerifyText.whatIsMissing(verification))\(untrusted ? "; it also fails verification (see below)" : "")."
        case .intactAndComplete:
            let required = report.results.filter(\.deliverable.required).count
            return "Result: the bundle is \(words): all \(required) required deliverable\(required == 1 ? " is" : "s are") delivered."
        }
    }

    func show(_ report: CheckReport, verification: VerifiedBundle? = nil, untrusted: Bool = false) {
        switch format {
        case .text:
            let verdict = verification.map { Self.bundleVerdict(report, $0, untrusted: untrusted) }
            Console.out(CheckText.render(report, detail: CheckText.Detail(all: all || verbose, quiet: quiet), verdict: verdict))
        case .json:
            var json = CheckJSON(report)
            if untrusted { json.passed = false }
            json.state = verification?.state
            Console.json(json.encoded())
        }
    }
}
