import ArgumentParser
import Foundation
import HandoverKit

/// `handover verify`: prove a received bundle intact, complete, signed and time-stamped.
struct VerifyCommand: ParsableCommand {
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
              handover verify bundle.tar.zst --allowed-signers allowed_signers --tsa-ca tsa-ca.pem
            """
    )

    @Argument(help: "The bundle (archive) or bag folder to check.")
    var bundle: String

    @Option(help: "OpenSSH allowed_signers file: require a valid signature by a listed key (namespace handover).")
    var allowedSigners: String?

    @Option(help: "PEM file of the time-stamping authority's CA: require a time-stamp that chains to it.")
    var tsaCa: String?

    @Flag(help: "Accept a bundle that was built incomplete (--allow-incomplete at build time).")
    var allowIncomplete = false

    @Option(help: "text for people, json for machines.")
    var format: OutputFormat = .text

    @Flag(help: "Print only warnings and errors; the exit status tells the outcome.")
    var quiet = false

    func run() throws {
        var options = BundleVerification.Options()
        options.allowIncomplete = allowIncomplete
        options.evidence.allowedSigners = allowedSigners
        options.evidence.tsaCA = tsaCa
        let result = try BundleVerification.verify(path: bundle, options: options)
        for warning in result.bag.warnings { Exit.printWarning(warning.description) }
        switch format {
        case .text: if !quiet { Console.out(VerifyText.render(result)) }
        case .json: Console.out(VerifyJSON(result).encoded())
        }
        if !result.passed { throw Exit.CheckFailed() }
    }
}
