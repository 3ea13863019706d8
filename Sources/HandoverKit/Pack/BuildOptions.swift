/// Signs the exact bytes of the tag manifest (an SSH signature, armored).
package protocol BundleSigner {
    func sign(_ message: [UInt8]) throws -> [UInt8]
    /// Who signs, for the build's summary: the key's fingerprint first, as `ssh-keygen -l` prints it.
    var signerDescription: String { get }
}

/// Obtains an RFC 3161 time-stamp over a SHA-256 digest: the response as received (what the
/// bundle stores), its token and the TSA that granted it (for the build's summary).
package protocol BundleTimestamper {
    func timestamp(sha256 digest: [UInt8]) throws -> IssuedTimestamp
}

/// Everything `handover build` can be asked to do beyond the manifest and SOURCE.
public struct BuildOptions {
    /// The output file, or an existing folder to write the default name into.
    public var output: String
    /// Payload and tag manifest algorithms; sha256 always comes first.
    public var algorithms: [ChecksumAlgorithm] = [.sha256]
    /// Write the bundle even when required deliverables are missing or invalid.
    public var allowIncomplete = false
    /// Record secrets as warnings instead of refusing.
    public var allowSecrets = false
    /// `--windows-safe`: names Windows cannot hold make their deliverable invalid.
    public var windowsSafe = false
    /// Replace an existing output.
    public var force = false
    /// Where the payload goes: into the archive, or left in object storage (an `s3://` SOURCE
    /// only) and listed in fetch.txt.
    public var payload: PayloadPlacement = .local
    /// With a remote payload: how many objects are streamed and hashed at once, each by its
    /// own connection.
    public var jobs = 4
    /// The language of the report written into the bundle (`handover/report.html`); nil takes
    /// the manifest's `handover.language`, then English.
    public var language: ReportLanguage?
    /// SOURCE_DATE_EPOCH: the bundle's dates come from it and file times are clamped to it.
    public var sourceDateEpoch: Int64?
    /// The clock, for tests.
    package var now: Timestamp = .now
    package var signer: BundleSigner?
    package var timestamper: BundleTimestamper?
    /// Who can read confidential deliverables: their files are encrypted with age for each.
    public var recipients: [AgeRecipient] = []
    /// The delivery this one follows (`--previous`): named in bag-info.txt, with the changes
    /// since it in `handover/changes.json`.
    package var previous: DeliveryChain.Previous?
    /// Called as payload bytes are packed: (bytes done, bytes in all).
    public var progress: ((Int64, Int64) -> Void)?
    /// Called after each payload file is packed, with its path relative to SOURCE and its size
    /// (`--verbose` lists them).
    public var packedFile: ((String, Int64) -> Void)?
    /// The files the build reads (the manifest, key and recipient files), named as the user gave
    /// them: neither the bundle nor its .sha256 may be one of them, even with `force`.
    public var inputs: [OutputCollision.Input] = []
    /// Runs between putting the bundle in place and its .sha256: tests inject a failure there.
    var betweenBundleAndChecksum: (() throws -> Void)?

    public init(output: String) {
        self.output = output
    }
}

/// What a build wrote.
public struct BuildResult: Sendable {
    public var archivePath: String
    public var checksumPath: String
    /// SHA-256 of the archive, as written in the `.sha256` beside it.
    public var archiveSHA256: String
    public var bagName: String
    public var format: ArchiveFormat
    public var report: CheckReport
    public var payloadFiles: Int
    public var payloadBytes: Int64
    /// Where the payload is: in the archive, or in object storage, listed in fetch.txt.
    public var payload: PayloadPlacement = .local
    public var encryptedFiles: Int
    /// Who signed (`BundleSigner.signerDescription`); nil when the bundle is not signed.
    public var signer: String?
    /// The time the TSA vouches for, RFC 3339 as in the token; nil when not time-stamped.
    public var timestampTime: String?
    /// The URL of the TSA that granted the time-stamp (the first of several that answered).
    public var timestampAuthority: String?
    /// The delivery's number in its chain, when it follows a previous one.
    public var delivery: Int?

    public var signed: Bool { signer != nil }
    public var timestamped: Bool { timestampTime != nil }
}

/// Why a build wrote nothing, in words for the person who asked for it.
public enum BuildError: RemediableError {
    /// Required deliverables are missing or invalid; the report says which.
    case incomplete(CheckReport)
    case unknownFormat(String)
    case sourceChanged(String, String)
    /// Confidential deliverables and nobody to encrypt them for.
    case noRecipients([String])
    /// A file's checksum of one algorithm was not computed (a fault of handover, never of the
    /// input): refused rather than written as an empty manifest line.
    case digestMissing(ChecksumAlgorithm, String)
    /// `--payload remote` with a folder SOURCE: there is no object to point at.
    case remoteNeedsObjects(String)
    /// `--payload remote` and confidential deliverables, which must be encrypted inside the bundle.
    case remoteConfidential([String])
    /// An object whose path cannot be written in fetch.txt safely: its URL, and why.
    case unsafeFetchPath(String, String)
    /// A payload manifest came out another size than planned (a fault of handover, never of the
    /// input): refused rather than left as an archive entry its header misdescribes.
    case manifestSize(String, planned: Int64, written: Int64)
    /// Two files would have one name in the bag (a confidential `a.txt` stored as `a.txt.age`,
    /// and a file `a.txt.age`): even with --allow-incomplete, no bag can hold both.
    case storedNameClash(String, String)

    public var exitStatus: ExitStatus {
        switch self {
        case .incomplete, .sourceChanged, .storedNameClash: .checkFailed
        case .unknownFormat, .noRecipients, .digestMissing, .remoteNeedsObjects, .remoteConfidential, .unsafeFetchPath, .manifestSize: .couldNotRun
        }
    }

    /// A draft or an incomplete bundle can be built when the user says so; recipients can be
    /// given; a payload that cannot stay in object storage can be packed into the bundle.
    public var remedy: Remedy? {
        switch self {
        case .incomplete(let report) where !report.results.contains(where: \.failsCheck): .buildDraft
        case .incomplete: .recordIncomplete
        case .noRecipients: .giveRecipients
        case .remoteNeedsObjects, .remoteConfidential, .unsafeFetchPath: .packPayload
        case .unknownFormat, .sourceChanged, .digestMissing, .manifestSize, .storedNameClash: nil
        }
    }

    public var errorDescription: String? { message(advice: nil) }

    public func message(advice: String?) -> String {
        let orAdvice = advice.map { ", " + $0 } ?? ""
        return switch self {
        case .incomplete(let report) where !report.results.contains(where: \.failsCheck):
            "the manifest's handover: section still holds the template's placeholders (\(report.unfilled.map { "handover." + $0.key }.joined(separator: ", "))); a bundle must name the contract and its parties. Nothing was written. Write the names from the contract in the manifest\(orAdvice)."
        case .incomplete:
            "required deliverables are missing or invalid (listed above); nothing was written. Fix them\(orAdvice)."
        case .unknownFormat(let name):
            "\(name): cannot tell the archive format from the name; end it with \(ArchiveFormat.supportedList), or give a folder to get the default name"
        case .noRecipients(let ids):
            "deliverable\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) \(ids.count == 1 ? "is" : "are") confidential, and no recipient was given to encrypt for\(advice.map { "; " + $0 } ?? ""). Nothing was written."
        case .sourceChanged(let file, let what):
            "\(file) \(what) while the bundle was being written; nothing was written. Build again once SOURCE is stable."
        case .remoteNeedsObjects(let source):
            "a remote payload stays in object storage, listed in fetch.txt, so SOURCE must be s3://bucket/prefix/; \(source) is a folder\(advice.map { ": " + $0 } ?? ""). Nothing was written."
        case .remoteConfidential(let ids):
            "deliverable\(ids.count == 1 ? "" : "s") \(ids.joined(separator: ", ")) \(ids.count == 1 ? "is" : "are") confidential: \(ids.count == 1 ? "its" : "their") files must be encrypted inside the bundle, and a remote payload would leave them in object storage as they are: \(advice ?? "pack the payload into the bundle"), or move them out of the manifest's confidential deliverables. Nothing was written."
        case .unsafeFetchPath(let url, let why):
            "\(url) cannot be listed in fetch.txt: its path \(why). Rename the object\(advice.map { ", or " + $0 } ?? ""). Nothing was written."
        case .digestMissing(let algorithm, let path):
            "no \(algorithm.rawValue) checksum was computed for \(path), so its manifest line cannot be written; nothing was written. This is a fault of handover; please report it."
        case .storedNameClash(let file, let other):
            "\(file) and \(other) would have one name in the bundle (a confidential file is stored encrypted as <name>.age), and no bag can hold two entries of one name; nothing was written. Rename one of the two."
        case .manifestSize(let name, let planned, let written):
            "\(name) came to \(written) bytes where \(planned) were planned; nothing was written. This is a fault of handover; please report it."
        }
    }
}
