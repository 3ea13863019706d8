import ArgumentParser
import Foundation
import HandoverKit

/// What `receipt` and `certify` share: how a statement is signed and written, and how one is
/// checked.
struct StatementOptions: ParsableArguments {
    @Option(help: "Sign with this SSH key: a private key file, or a .pub whose key ssh-agent holds (SSH_AUTH_SOCK).")
    var sign: String?

    @Option(name: .customLong("tsa"), help: "Time-stamp the signature with this RFC 3161 authority URL; repeat for fallbacks.")
    var tsaURLs: [String] = []

    @Option(help: ArgumentHelp("Who signs, as it should read (person, role, company); default: the key's comment.", valueName: "text"))
    var name: String?

    @Option(help: "The statement file to write.")
    var output: String?

    @Flag(help: "Replace the output (or with --check, the --html file) if it exists.")
    var force = false

    @Option(help: ArgumentHelp("Check this statement file instead of making one (with --bundle).", valueName: "file"))
    var check: String?

    @Option(name: .customLong("bundle"), help: ArgumentHelp("The bundle (archive) the statement is about.", valueName: "archive"))
    var bundleOption: String?

    var isCheck: Bool { check != nil }

    /// Refuses options of the other mode, naming them.
    func validate(makingOptions: [(String, Bool)]) throws {
        if isCheck {
            let given = ([("--sign", sign != nil), ("--tsa", !tsaURLs.isEmpty), ("--name", name != nil), ("--output", output != nil)] + makingOptions)
                .filter(\.1).map(\.0)
            if !given.isEmpty {
                throw ValidationError("--check reads a statement; \(given.joined(separator: ", ")) \(given.count == 1 ? "makes" : "make") one. Leave \(given.count == 1 ? "it" : "them") out.")
            }
            guard bundleOption != nil else { throw ValidationError("--check needs the bundle the statement is about: --bundle ARCHIVE") }
        } else {
            guard sign != nil else { throw ValidationError("a statement is signed: give --sign KEY") }
            guard output != nil else { throw ValidationError("give the file to write: --output FILE") }
        }
    }

    /// Signs `statement` and writes it atomically to --output.
    func write(_ statement: Statement, signer: SSHSigner, inputs: [OutputCollision.Input]) throws -> StatementEnvelope {
        guard let output else { throw ValidationError("give the file to write: --output FILE") }
        let timestamper = tsaURLs.isEmpty ? nil : TSABundleTimestamper(urls: tsaURLs)
        let envelope = try StatementSeal.seal(statement, signer: signer, timestamper: timestamper)
        try AtomicFile.write(try envelope.encoded(), to: output, overwrite: force)
        return envelope
    }

    /// Checks the output before any work: not one of the inputs, and not there unless --force.
    func checkOutput(inputs: [OutputCollision.Input]) throws {
        guard let output else { return }
        try OutputCollision.check(output: output, named: "--output", inputs: inputs)
        if !force && FileManager.default.fileExists(atPath: output) {
            throw FileError.outputExists(output, choose: "--output")
        }
        try AtomicFile.checkFolder(of: output)
    }

    /// The signer, and the name the statement gives it: --name, else the key's comment.
    func signer() throws -> (SSHSigner, String?) {
        guard let sign else { throw ValidationError("a statement is signed: give --sign KEY") }
        try OptionFiles.check(sign, option: "--sign")
        let signer = try SSHSigner.forKey(at: sign)
        let comment = signer.publicKey.comment.trimmingCharacters(in: .whitespaces)
        return (signer, name ?? (comment.isEmpty ? nil : comment))
    }

    /// `receipt --check` and `certify --check`: prints what the statement says and whether it
    /// holds; exit 1 when it does not.
    func runCheck(expecting kinds: [Statement.Kind], allowedSigners: String?, tsaCA: String?, quiet: Bool, html: StatementHTMLOptions) throws {
        guard let check, let bundle = bundleOption else { return }
        try OptionFiles.check(check, option: "--check")
        if let page = html.html {
            var inputs: [OutputCollision.Input] = [.init("--check", check), .init("--bundle", bundle)]
            if let allowedSigners { inputs.append(.init("--allowed-signers", allowedSigners)) }
            try OutputCollision.check(output: page, named: "--html", inputs: inputs)
            if !force && FileManager.default.fileExists(atPath: page) {
                throw FileError.outputExists(page, choose: "--html")
            }
        }
        try OptionFiles.check(allowedSigners, option: "--allowed-signers")
        try OptionFiles.check(tsaCA, option: "--tsa-ca")
        var options = StatementCheck.Options()
        options.allowedSigners = allowedSigners
        options.tsaCA = tsaCA
        let result = try StatementCheck.check(statement: check, bundle: bundle, expecting: kinds, options: options)
        if let page = html.html {
            // Written whatever the outcome: a rendering that says "not valid" is worth keeping.
            try AtomicFile.write(Array(StatementHTML.render(result, language: html.lang).utf8), to: page, overwrite: force)
        }
        if !quiet {
            Console.out(StatementText.render(result))
        } else if !result.passed {
            for problem in result.problems { Exit.printError(problem.message) }
        }
        if !result.passed { throw Exit.CheckFailed() }
    }

    /// The summary printed once a statement is written.
    func summary(_ envelope: StatementEnvelope, statement: Statement, signer: SSHSigner) -> String {
        var text = "Wrote \(output ?? "")\n  \(StatementText.describe(statement).joined(separator: "\n  "))\n"
        text += "  about \(statement.subject.bundle) (archive SHA-256 \(statement.subject.archiveSHA256))\n"
        text += "  signed by \(statement.signer.display), namespace \(envelope.namespace)\n"
        if let bytes = envelope.timestampBytes, let response = try? TimestampResponse(derEncoded: bytes), let token = response.token {
            text += "  time-stamped at \(token.genTimeText)\(token.tsaName.map { " by \($0)" } ?? "")\n"
        }
        return text
    }
}

/// `--html FILE [--lang fr]`: the one-page rendering of a checked statement.
struct StatementHTMLOptions: ParsableArguments {
    @Option(help: ArgumentHelp("With --check: also write a one-page HTML rendering of the statement and its check, ready to print.", valueName: "file"))
    var html: String?

    @Option(help: "The rendering's language (en or fr).")
    var lang: ReportLanguage = .en

    func validate() throws {
        if html == nil && lang != .en { throw ValidationError("--lang sets the language of --html; give --html FILE too") }
    }
}

extension OptionFiles {
    /// The text of a reservations file: UTF-8 text of at most 64 KiB, read by the one small-file
    /// reader, with CRLF line ends made LF; nil when it is empty.
    static func reservations(_ path: String?, option: String = "--reservations") throws -> String? {
        guard let path else { return nil }
        try check(path, option: option)
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: 64 << 10)
        } catch {
            throw error.fileError(path)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileError(path: path, reason: "is not UTF-8 text; save the reservations as UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
