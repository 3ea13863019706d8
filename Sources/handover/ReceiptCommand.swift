import ArgumentParser
import Foundation
import HandoverKit

/// `handover receipt`: the receiver's signed answer to a delivery, and its check.
struct ReceiptCommand: ParsableCommand, ReadsBundleWithLimits {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Sign a receipt for a bundle (accepted, with reservations, or refused), or check one.",
        discussion: """
            The receiver verifies the bundle as 'handover verify' does, then signs a receipt: the \
            bundle's archive SHA-256 and tag-manifest digest, the verdict as the receiver saw it \
            (integrity, completeness, authenticity, each deliverable's status), the decision, \
            the reservations, who signs and when. The signature is SSHSIG in the namespace \
            handover-receipt; --tsa adds an RFC 3161 time-stamp over it. The provider keeps \
            the receipt as proof of delivery.

            --decision accepted needs a bundle that passes verification, intact and complete; \
            accepted-with-reservations needs an intact bundle and --reservations; a receiver can \
            always say refused.

            The file is one JSON object: the signed bytes are its "statement" string, exactly \
            (jq -j .statement R), and "signature" is the armored SSH signature over them, so \
            ssh-keygen -Y verify -n handover-receipt checks it with no handover at hand.

            With --check R --bundle BUNDLE: checks the signature, that the receipt is about this \
            bundle (both digests) and its time-stamp, and says who decided what and when. Exit \
            status 0 when it holds, 1 when it does not (altered, another bundle, a key not in \
            --allowed-signers, a bad signature), 2 when it cannot be read. --html FILE (with \
            --check) writes a one-page rendering of what was checked, in English or French (--lang fr).

            Examples:
              handover receipt acme.tar.zst --sign ~/.ssh/id_ed25519 --decision accepted --output acme.receipt.json
              handover receipt acme.tar.zst --sign ~/.ssh/id_ed25519 --decision accepted-with-reservations --reservations reserves.txt --output acme.receipt.json
              handover receipt --check acme.receipt.json --bundle acme.tar.zst --allowed-signers client-signers
              handover receipt --check acme.receipt.json --bundle acme.tar.zst --html accuse.html --lang fr
            """
    )

    @Argument(help: "The bundle (archive) received.")
    var bundle: String?

    @Option(help: "accepted, accepted-with-reservations or refused.")
    var decision: ReceiptBody.Decision?

    @Option(help: ArgumentHelp("A UTF-8 text file of reservations (or reasons for refusing), recorded in the receipt.", valueName: "file"))
    var reservations: String?

    @OptionGroup var statement: StatementOptions

    @OptionGroup var html: StatementHTMLOptions

    @OptionGroup var evidence: EvidenceOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    @OptionGroup var verbosity: OutputOptions

    func validate() throws {
        try statement.validate(makingOptions: [("--decision", decision != nil), ("--reservations", reservations != nil), ("BUNDLE", bundle != nil)])
        if statement.isCheck {
            try html.validate()
            if !evidence.signers.isEmpty || evidence.requireSignature || evidence.requireTimestamp {
                throw ValidationError("--signer, --require-signature and --require-timestamp judge the bundle's own signature when a receipt is made; --check trusts the receipt's signer through --allowed-signers and its time-stamp through --tsa-ca")
            }
            return
        }
        if html.html != nil { throw ValidationError("--html renders a checked receipt: use it with --check") }
        guard bundle != nil else { throw ValidationError("give the bundle received: handover receipt BUNDLE --sign KEY --decision ... --output FILE") }
        guard let decision else { throw ValidationError("give the decision: --decision accepted, accepted-with-reservations or refused") }
        if decision == .acceptedWithReservations && reservations == nil {
            throw ValidationError("--decision accepted-with-reservations needs the reservations: --reservations FILE")
        }
    }

    func run() throws {
        if statement.isCheck {
            try statement.runCheck(expecting: [.receipt], allowedSigners: evidence.allowedSigners, tsaCA: evidence.tsaCa, quiet: verbosity.quiet, html: html)
            return
        }
        guard let bundle, let decision else { return }
        var inputs: [OutputCollision.Input] = [.init("BUNDLE", bundle), .init("the checksum file", bundle + ".sha256")]
        if let sign = statement.sign { inputs.append(.init("--sign", sign)) }
        if let reservations { inputs.append(.init("--reservations", reservations)) }
        if let signers = evidence.allowedSigners { inputs.append(.init("--allowed-signers", signers)) }
        try statement.checkOutput(inputs: inputs)
        let reservationsText = try OptionFiles.reservations(reservations)
        if decision == .acceptedWithReservations, reservationsText == nil, let reservations {
            throw FileError(path: reservations, reason: "is empty: a receipt accepted with reservations must say them; write them in the file")
        }
        let (signer, name) = try statement.signer()

        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: bundle, isDirectory: &isFolder), isFolder.boolValue {
            throw StatementError.notAnArchive(bundle)
        }
        var options = BundleVerification.Options()
        try evidence.apply(to: &options.evidence)
        // The archive's SHA-256, which the receipt names, comes from the reading that verifies it.
        options.archiveDigest = ArchiveDigest()
        let result = try limits.apply { try VerifyCommand.verify(bundle, options: options, verbosity: verbosity) }
        guard let checksum = result.archive else {
            throw StatementError.unreadableBundle(bundle, "its archive was not read")
        }
        let verification = ReceiptVerification(result)
        try Self.allow(decision, verification: verification, result: result)
        guard let subject = StatementSubject(verified: result, archive: checksum) else {
            throw StatementError.unreadableBundle(bundle, "it has no \(BagLayout.signedTagManifest), which a receipt names")
        }
        let body = ReceiptBody(decision: decision, reservations: reservationsText, verification: verification)
        let made = Statement(kind: .receipt, subject: subject, signer: StatementSigner(name: name, key: signer.publicKey),
                             time: Date(), receipt: body)
        let envelope = try statement.write(made, signer: signer, inputs: inputs)
        if !verbosity.quiet { Console.out(statement.summary(envelope, statement: made, signer: signer)) }
    }

    /// A receiver accepts only what verification lets them: accepted needs a bundle that passes,
    /// intact and complete; with reservations, an intact one; refused is always possible.
    static func allow(_ decision: ReceiptBody.Decision, verification: ReceiptVerification, result: VerifiedBundle) throws {
        switch decision {
        case .refused:
            return
        case .accepted:
            guard !verification.isIntactAndComplete else { return }
            let intact = result.integrity != .notIntact && result.archive?.sidecar != .mismatch && result.evidence.authenticity != .badSignature
            throw StatementError.cannotAccept(decision, reasons: result.failureReasons, suggestion: intact
                ? "Say what is wrong with --decision accepted-with-reservations --reservations FILE, or --decision refused."
                : "A bundle that is not intact cannot be accepted; --decision refused records that it was received so.")
        case .acceptedWithReservations:
            guard result.integrity == .notIntact || result.archive?.sidecar == .mismatch || result.evidence.authenticity == .badSignature else { return }
            throw StatementError.cannotAccept(decision, reasons: result.failureReasons,
                                              suggestion: "A bundle that is not intact cannot be accepted, even with reservations; --decision refused records that it was received so.")
        }
    }
}

extension ReceiptBody.Decision: ExpressibleByArgument {}
