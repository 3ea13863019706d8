import ArgumentParser
import Foundation
import HandoverKit

/// `handover verify`: prove a received bundle intact, complete, signed and time-stamped.
struct VerifyCommand: ParsableCommand, ReadsBundleWithLimits {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a bundle: integrity (BagIt), completeness, signature and time-stamp.",
        discussion: """
            BUNDLE is a serialized bundle (tar, tar.gz, tar.zst, tar.xz or zip, recognised by \
            content) or a bag folder. Nothing is extracted. Four things are checked and said \
            apart: integrity (every entry covered by a checksum that matches; entries no tag \
            manifest lists are named), completeness (the deliverables of the manifest the bundle \
            carries), authenticity (a signature by a key you trust) and the time-stamp; and the \
            archive against the .sha256 file beside it, when there is one.

            A bundle is authenticated only when it is signed by a key you trust: give \
            --allowed-signers FILE or --signer SHA256:..., or keep an allowed_signers file in \
            $XDG_CONFIG_HOME/handover/allowed_signers (~/.config/handover/allowed_signers). \
            An intact bundle that is not authenticated still exits 0, with a result that says \
            anybody could have produced it; --require-signature and --require-timestamp make \
            that exit 1. Every problem is listed, each naming its file; what RFC 8493 only \
            recommends is a warning on stderr. Exit status 0 when the bundle is intact and \
            complete, 1 when a check fails, 2 when it cannot be read.

            Examples:
              handover verify acme-sa-handover-20261231T120000Z.tar.zst
              handover verify bundle.tar.zst --signer SHA256:2Xx0u7aaHyBrEIPJ4TQyv1sdAvmuSdsmd0uOXzzxVFA
              handover verify bundle.tar.zst --allowed-signers signers --tsa-ca ca.pem --require-timestamp
              handover verify delivery-2.tar.zst --previous delivery-1.tar.zst
              handover verify bag.zip --profile archive-profile.json

            --profile FILE holds the bag, ours or anybody's, archive or folder, against a BagIt \
            Profile (bagit-profiles specification 1.4, JSON): a local file, never fetched from \
            the network. Each unmet rule is a problem of the verdict, with a code: a bag-info.txt \
            field the profile requires or a value it does not allow, a required manifest, tag \
            manifest or tag file that is absent, fetch.txt where it is not allowed, a BagIt \
            version or a serialization it does not accept. A bag that fails its profile is not \
            valid (exit status 1); a file that is not a BagIt Profile is exit status 2. The \
            profile of handover's own bundles ships as Manifests/handover-bagit-profile.json.

            A holey bundle (payload files listed in fetch.txt, kept in object storage) is intact \
            but incomplete until those files are checked: without --fetch nothing is read from \
            the network, and only the bundle's own files are proven. --fetch reads every s3:// \
            object fetch.txt lists (credentials and endpoint from AWS_ACCESS_KEY_ID, \
            AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL or AWS_PROFILE), \
            --jobs at a time, in ranged requests, hashes it as it arrives with every algorithm of \
            the manifests and compares it and its size; nothing is written to disk. A changed or \
            resized object is exit status 1, a missing one (404) leaves the bundle incomplete \
            (exit status 1), another URL scheme (https://) is said not checked; refused \
            credentials or an unreachable endpoint, even midway, are exit status 2. Across \
            machines: each runs --fetch --shard K/N --result part-K.json (the same split everywhere, \
            balanced by bytes), then --merge part-*.json gives the verdict, only from the parts \
            of this bundle covering every object once. --resume FILE keeps the progress in FILE \
            and, run again, reads only what is not checked yet.

              handover verify bundle.tar --fetch --jobs 8
              handover verify bundle.tar --fetch --shard 2/3 --result part-2.json
              handover verify bundle.tar --merge part-1.json part-2.json part-3.json

            On a terminal a progress line shows on stderr while the payload is read; --quiet \
            prints nothing when the bundle passes, and only why it fails when it does not; \
            --verbose lists every payload file read.
            """
    )

    @Argument(help: "The bundle (archive) or bag folder to check.")
    var bundle: String

    @OptionGroup var evidence: EvidenceOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @Flag(help: "Accept a bundle that was built incomplete (--allow-incomplete at build time).")
    var allowIncomplete = false

    @Option(help: "text for people, json for machines.")
    var format: OutputFormat = .text

    @Option(help: "The previous delivery's bundle: check that this one records it (a chained delivery, built with --previous).")
    var previous: String?

    @Option(name: .customLong("profile"), help: ArgumentHelp("A BagIt Profile (JSON file) the bag must meet; each unmet rule is a problem.", valueName: "file"))
    var profilePath: String?

    @OptionGroup(title: "Remote payload (fetch.txt in object storage)") var remote: FetchOptions

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        var options = BundleVerification.Options()
        options.allowIncomplete = allowIncomplete
        try evidence.apply(to: &options.evidence)
        // Read before the bundle: a profile that cannot be used stops at once (exit status 2).
        options.profile = try profilePath.map { try BagProfile.load(path: $0) }
        var result = try Console.refusalAsJSON(format == .json, path: bundle) {
            try limits.apply { try Self.verify(bundle, options: options, verbosity: verbosity) }
        }
        for warning in result.bag.warnings { Exit.printWarning(warning.description) }
        // The chain is checked against the bag-info.txt the verification read, once it passed
        // or not: a broken chain is said even for a bundle that fails for other reasons.
        // The verdict (and JSON's passed) takes it into account: a broken chain is never VALID.
        let bagInfo = result.bag.bagInfo
        result.chain = try previous.map { path in try limits.apply { try DeliveryChain.check(bagInfo, previous: path) } }
        try remote.apply(to: &result, verbosity: verbosity)
        // A shard's own exit status: its files all match and nothing else fails; the bundle's
        // verdict (printed as always) stays incomplete until --merge.
        var passed = result.passed
        if let check = result.remote, case .shard = check.scope {
            var own = result
            own.apply(check, countOutOfScope: false)
            passed = own.passed
        }
        switch format {
        case .text:
            if !verbosity.quiet {
                Console.out(VerifyText.render(result))
            } else if !passed {
                // --quiet hides the chatter, never why the check failed.
                for reason in result.failureReasons { Exit.printError(reason) }
            }
        case .json: Console.json(VerifyJSON(result).encoded(chain: result.chain))
        }
        if result.failsOnlyAsIncomplete {
            Console.err("hint: the bundle is intact but incomplete; to accept it anyway, give --allow-incomplete\n")
        }
        if let check = result.remote, case .shard(let shard) = check.scope, passed, let part = remote.resultPath {
            Console.err("shard \(shard): every object of this shard matches; part written to \(part); the verdict on the whole: handover verify \(bundle) --merge PART...\n")
        }
        if !passed { throw Exit.CheckFailed() }
    }

    /// Verifies with a progress line on a terminal (the total is the Payload-Oxum, read from the
    /// bundle's first entries) and, with --verbose, every payload file listed as it is read.
    static func verify(_ path: String, options: BundleVerification.Options, verbosity: OutputOptions) throws -> VerifiedBundle {
        var options = options
        let progress = ProgressLine(verb: "Verifying", verbosity: verbosity)
        defer { progress.finish() }
        // The total is the Payload-Oxum, told by the reading itself once it met bag-info.txt.
        if progress.isActive { options.progress = { done, total in progress.update(done: done, total: total) } }
        if verbosity.verbose { options.readFile = { path, bytes in progress.file("read  data/\(path)  \(ByteCount.format(bytes))") } }
        return try BundleVerification.verify(path: path, options: options)
    }
}
