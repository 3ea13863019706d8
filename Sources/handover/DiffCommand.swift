import ArgumentParser
import Foundation
import HandoverKit

/// `handover diff`: what changed between two deliveries, per deliverable.
struct DiffCommand: ParsableCommand, ReadsBundleWithLimits {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two deliveries, per deliverable.",
        discussion: """
            OLD and NEW are bundles (archives) or bag folders. For each deliverable: the files \
            added, removed, changed (same path, other digest) and moved (same digest, other \
            path), and how many are unchanged; then the changes of bag-info.txt, of the manifest \
            (handover/manifest.yaml) and of the other tag files.

            By default only the tag files are read: the digests are those the payload manifests \
            claim, which is fast (no payload file is read or hashed) but proves nothing. With \
            --verify both bundles are first verified as by 'handover verify', and with \
            --allowed-signers or --signer each must be signed by a key you trust. Tag files \
            that no tag manifest lists (the signature, the time-stamp) are compared by their \
            bytes: a bundle signed again by another key differs.

            Exit status as diff(1): 0 when nothing differs, 1 when the deliveries differ, 2 when \
            they cannot be compared (unreadable, not a bundle, or failing --verify).

            Examples:
              handover diff delivery-1.tar.zst delivery-2.tar.zst
              handover diff delivery-1.tar.zst delivery-2.tar.zst --verify --format md > changes.md
              handover diff delivery-1.tar.zst delivery-2.tar.zst --verify --allowed-signers signers
              handover diff delivery-1.tar.zst received-bag/ --format json
            """
    )

    /// The formats diff prints in.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, md
    }

    @Argument(help: "The earlier delivery (archive or bag folder).")
    var old: String

    @Argument(help: "The later delivery (archive or bag folder).")
    var new: String

    @Flag(help: "Verify both bundles before comparing them (reads and hashes every payload file).")
    var verify = false

    @Option(help: "text for people, json for machines, md (Markdown) for minutes.")
    var format: Format = .text

    @Flag(help: "List every changed file (text and Markdown list the first 10 of each deliverable).")
    var verbose = false

    @OptionGroup(title: "Trust (with --verify)") var evidence: EvidenceOptions

    @OptionGroup(title: "Limits") var limits: LimitOptions

    func validate() throws {
        if !verify && !evidence.isEmpty {
            throw ValidationError("--allowed-signers, --signer, --tsa-ca, --require-signature and --require-timestamp are checked when both bundles are verified; add --verify")
        }
    }

    func run() throws {
        var options = BundleVerification.Options()
        try evidence.apply(to: &options.evidence)
        let diff = try limits.apply { try BundleDiff.compare(old: old, new: new, verify: verify, options: options) }
        switch format {
        case .text: Console.out(DiffText.render(diff, verbose: verbose))
        case .json: Console.json(DiffJSON(diff).encoded())
        case .md: Console.out(DiffMarkdown.render(diff, verbose: verbose))
        }
        if !diff.isSame { throw Exit.CheckFailed() }
    }
}
