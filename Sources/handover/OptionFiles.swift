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

/// The options that ask for a bundle's evidence to be checked against what the recipient
/// trusts; `verify`, `extract` and `report` take them alike.
struct EvidenceOptions: ParsableArguments {
    @Option(help: "OpenSSH allowed_signers file: require a valid signature by a listed key (namespace handover).")
    var allowedSigners: String?

    @Option(help: "PEM file of the time-stamping authority's CA: require a time-stamp that chains to it.")
    var tsaCa: String?

    var isEmpty: Bool { allowedSigners == nil && tsaCa == nil }

    /// Checks that the files can be read, then puts them into the verification's options.
    func apply(to evidence: inout EvidenceCheck.Options) throws {
        try OptionFiles.check(allowedSigners, option: "--allowed-signers")
        try OptionFiles.check(tsaCa, option: "--tsa-ca")
        evidence.allowedSigners = allowedSigners
        evidence.tsaCA = tsaCa
    }
}
