import ArgumentParser
import Foundation
import HandoverKit

/// Files given to options (keys, signer lists, CA certificates, recipient lists) are checked
/// before any work starts, so that a typo is reported at once, naming the option (exit 2),
/// rather than after a long build or verification.
enum OptionFiles {
    static func check(_ path: String?, option: String) throws {
        guard let path else { return }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ValidationError("\(option) \(path): no such file.")
        }
        guard !isFolder.boolValue else {
            throw ValidationError("\(option) \(path): is a folder; give the file itself.")
        }
        // A FIFO or a device would make the reader wait for ever or read without end: refused
        // here by name, and again by SmallFile on the descriptor it opens.
        if let kind = SmallFile.nonRegularKind(path) {
            throw ValidationError("\(option) \(path): is \(kind), not a regular file; give the file itself.")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ValidationError("\(option) \(path): cannot be read (permission denied).")
        }
    }

    /// Refuses only a FIFO, a device or a socket: for --manifest, whose other failures (absent,
    /// unreadable, malformed) the manifest reader reports in its own words, with line and key.
    static func refuseSpecial(_ path: String?, option: String) throws {
        guard let path, let kind = SmallFile.nonRegularKind(path), kind != "a folder" else { return }
        throw ValidationError("\(option) \(path): is \(kind), not a regular file; give the file itself.")
    }

    static func check(_ paths: [String], option: String) throws {
        for path in paths { try check(path, option: option) }
    }
}

/// The options that say which keys and time-stamping authorities the reader trusts, and what
/// the bundle must prove; `verify`, `extract` and `report` take them alike.
struct EvidenceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("OpenSSH allowed_signers file: the keys you trust (namespace handover). A signature by one of them is then required.", valueName: "file"))
    var allowedSigners: String?

    @Option(name: .customLong("signer"), help: ArgumentHelp("A key you trust, by its fingerprint as 'ssh-keygen -l' prints it (SHA256:...); repeatable. A signature by one of them is then required.", valueName: "fingerprint"))
    var signers: [String] = []

    @Option(help: ArgumentHelp("PEM file of the time-stamping authority's CA: require a time-stamp that chains to it.", valueName: "file"))
    var tsaCa: String?

    @Flag(help: "Fail (exit 1) unless the bundle is signed by a key you trust.")
    var requireSignature = false

    @Flag(help: "Fail (exit 1) unless the bundle carries a time-stamp verified against --tsa-ca.")
    var requireTimestamp = false

    var isEmpty: Bool { allowedSigners == nil && signers.isEmpty && tsaCa == nil && !requireSignature && !requireTimestamp }

    /// Checks the files and fingerprints, then puts them into the verification's options. Without
    /// --allowed-signers or --signer, the allowed_signers file the reader keeps
    /// ($XDG_CONFIG_HOME/handover/allowed_signers or ~/.config/handover/allowed_signers) names the
    /// keys to recognise, if it exists.
    func apply(to evidence: inout EvidenceCheck.Options) throws {
        try OptionFiles.check(allowedSigners, option: "--allowed-signers")
        try OptionFiles.check(tsaCa, option: "--tsa-ca")
        evidence.allowedSigners = allowedSigners
        evidence.signers = try signers.map(Self.fingerprint)
        evidence.tsaCA = tsaCa
        evidence.requireSignature = requireSignature
        evidence.requireTimestamp = requireTimestamp
        if let path = EvidenceCheck.defaultAllowedSignersPath(), FileManager.default.fileExists(atPath: path) {
            try OptionFiles.check(path, option: "the allowed_signers file you keep,")
            evidence.defaultAllowedSigners = path
        }
    }

    /// `SHA256:` followed by 43 characters of unpadded base64, as ssh-keygen prints a key's
    /// fingerprint; the prefix may be left out.
    static func fingerprint(_ given: String) throws -> String {
        let value = given.hasPrefix("SHA256:") ? String(given.dropFirst(7)) : given
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        guard value.count == 43, value.allSatisfy(base64.contains) else {
            throw ValidationError("--signer \(given): not a key fingerprint; give it as 'ssh-keygen -lf KEY.pub' prints it, e.g. SHA256:2Xx0u7aa… (43 characters after SHA256:)")
        }
        return "SHA256:" + value
    }
}
