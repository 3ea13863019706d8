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
            content) or a bag folder. Nothing is extracted. Every problem is listed, each naming \
            its file; what RFC 8493 only recommends is reported as a warning on stderr. Exit \
            status 0 when the bundle is intact and complete, 1 when a check fails, 2 when it \
            cannot be read.

            Examples:
              handover verify acme-sa-handover-20261231T120000Z.tar.zst
              handover verify bundle.tar.zst --allowed-signers signers --tsa-ca ca.pem

            On a terminal a progress line shows on stderr while the payload is read; --quiet \
            prints only errors and warnings, --verbose lists every payload file read.
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

    @OptionGroup var verbosity: OutputOptions

    func run() throws {
        var options = BundleVerification.Options()
        options.allowIncomplete = allowIncomplete
        try evidence.apply(to: &options.evidence)
        let result = try limits.apply { try Self.verify(bundle, options: options, verbosity: verbosity) }
        for warning in result.bag.warnings { Exit.printWarning(warning.description) }
        switch format {
        case .text: if !verbosity.quiet { Console.out(VerifyText.render(result)) }
        case .json: Console.out(VerifyJSON(result).encoded())
        }
        if !result.passed { throw Exit.CheckFailed() }
    }

    /// Verifies with a progress line on a terminal (the total is the Payload-Oxum, read from the
    /// bundle's first entries) and, with --verbose, every payload file listed as it is read.
    static func verify(_ path: String, options: BundleVerification.Options, verbosity: OutputOptions) throws -> BundleVerification.Result {
        var options = options
        let progress = ProgressLine(verb: "Verifying", verbosity: verbosity)
        defer { progress.finish() }
        if progress.isActive {
            let total = BundleInspection.declaredPayloadBytes(path: path)
            options.progress = { done in progress.update(done: done, total: total) }
        }
        if verbosity.verbose { options.readFile = { path, bytes in progress.file("read  data/\(path)  \(ByteCount.format(bytes))") } }
        return try BundleVerification.verify(path: path, options: options)
    }
}
