import ArgumentParser
import Foundation
import HandoverKit

/// `handover`: package, verify and report on the end-of-contract handover of an IT service.
@main
struct Handover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Package, verify and report on the end-of-contract handover of an IT service.",
        discussion: """
            The outgoing provider checks what is missing, then builds a signed, timestamped BagIt \
            bundle; the client or the next provider verifies it, lists what is missing and \
            extracts it safely.

            Exit status: 0 all good; 1 the check failed (missing deliverable, invalid or tampered \
            bundle, bad signature); 2 could not run (usage, unreadable input, malformed manifest, \
            output exists).

            Examples:
              handover init --template infogerance --output handover.yaml
              handover missing --manifest handover.yaml /srv/export
              handover build --manifest handover.yaml /srv/export --output acme.tar.zst
              handover verify acme.tar.zst
              handover report acme.tar.zst --output pv.html --lang fr
              handover diff delivery-1.tar.zst delivery-2.tar.zst
              handover receipt delivery-2.tar.zst --sign ~/.ssh/id_ed25519 --decision accepted --output receipt.json
              handover certify --kind deletion --bundle delivery-2.tar.zst --from deletion.yaml --sign KEY --output deletion.json

            Shell completions: handover --generate-completion-script bash|zsh|fish
            """,
        version: HandoverVersion.version,
        subcommands: [InitCommand.self, MissingCommand.self, BuildCommand.self, VerifyCommand.self,
                      ExtractCommand.self, InspectCommand.self, ReportCommand.self, DiffCommand.self,
                      ReceiptCommand.self, CertifyCommand.self]
    )

    /// Parses the command line, runs the command and maps every outcome to 0, 1 or 2.
    static func main() {
        // Before any thread starts: the locale and time zone that libarchive reads.
        ProcessSetup.prepare()
        let status: Int32
        do {
            var command = try parseAsRoot()
            do {
                try command.run()
                status = 0
            } catch {
                status = Exit.status(for: error, command: type(of: command))
            }
        } catch {
            status = Exit.status(for: error, command: Handover.self)
        }
        Glibc.exit(status)
    }
}
