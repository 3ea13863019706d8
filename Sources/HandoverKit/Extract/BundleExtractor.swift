import Foundation

/// `handover extract`: verifies a bundle, then writes its bag, safely, into a folder.
///
/// Verification comes first and decides: a bundle that fails it writes nothing. The bundle is
/// then read a second time and each entry is checked again against what was verified (size and
/// digests), because the file could have been swapped between the two readings. Only regular
/// files and folders are written, only under the destination, never through a link, with plain
/// permissions (0644 files, 0755 folders, 0600 decrypted files): see `ExtractDestination`.
///
/// With identities, each `data/<path>.age` of a confidential deliverable is decrypted on the way
/// out to `data/<path>`, and its plaintext checked against its deliverable's rules.
public enum BundleExtractor {
    public struct Options {
        /// The folder to write the bag into (DIR); created when absent.
        public var destination: String
        /// Write into a folder that is not empty, replacing files of the same name.
        public var force = false
        /// The age identities to decrypt confidential files with; none extracts the ciphertext.
        public var identities: [AgeIdentity] = []
        /// The verification that comes first.
        public var verification = BundleVerification.Options()
        /// Told what was done beside the extraction itself (a stale staging folder removed).
        public var notice: ((String) -> Void)?
        /// `extract --fetch`: the store to download the remote payload (fetch.txt) from, and how.
        package var fetch: (configuration: ObjectStoreConfiguration, options: FetchVerification.Options)?

        public init(destination: String) {
            self.destination = destination
        }
    }

    /// What was written.
    package struct Summary: Sendable {
        package var destination: String
        /// Files written, and their bytes (plaintext bytes for decrypted files).
        package var files: Int
        package var bytes: Int64
        /// Confidential files decrypted, by their path in the destination (`data/...`).
        package var decrypted: [String]
        /// Confidential files written encrypted (`.age`), when no identity was given.
        package var encrypted: [String]
        /// The rules the decrypted files break, accepted with --allow-incomplete: said, not hidden.
        package var plaintextProblems: [String] = []
    }

    /// The verification, and what was written when it passed (nil when it failed: nothing was).
    package struct Outcome {
        package var verification: VerifiedBundle
        package var extracted: Summary?
    }

    /// Verifies `bundle` (an archive or a bag folder) and, when it passes, writes its bag into
    /// the destination. Throws when the destination cannot be used (before anything is read),
    /// and when writing fails, in which case everything this run wrote is removed.
    package static func extract(bundle: String, options: Options) throws -> Outcome {
        try extract(bundle: bundle, options: options, reopen: nil)
    }

    /// `reopen` gives the reader of the second reading (by default the bundle opened again):
    /// tests use it to change the bundle between the two readings.
    static func extract(bundle: String, options: Options, reopen: (() throws -> BundleEntryReader)?) throws -> Outcome {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: bundle, isDirectory: &isFolder), !isFolder.boolValue,
           !BundleVerification.isRegularFile(bundle) {
            throw FileError(path: bundle, reason: "is not a regular file (a FIFO?): extract reads a bundle twice, once to verify it and once to write what was verified; give it as a file")
        }
        for name in try ExtractDestination.check(options.destination, force: options.force) {
            options.notice?("removed \(name) from \(options.destination): the staging folder of an earlier extract that was killed before it could clean up")
        }
        var verification = try BundleVerification.verify(path: bundle, options: options.verification)
        // With --fetch, the remote payload is staged first (only when nothing else fails: a
        // bundle refused anyway is not worth the download), and judged with the rest.
        var fetched: (destination: ExtractDestination, files: StagedFiles)?
        if let fetch = options.fetch, verification.bag.isHoley, Self.passesButForRemote(verification) {
            let destination = try ExtractDestination(path: options.destination, force: options.force)
            do {
                let files = try FetchExtraction.stage(&verification, into: destination, configuration: fetch.configuration, options: fetch.options)
                fetched = (destination, files)
            } catch {
                destination.rollback()
                throw error
            }
        }
        guard verification.passed else {
            fetched?.destination.rollback()
            return Outcome(verification: verification, extracted: nil)
        }

        let contents = VerifiedContents(verification.bag)
        let manifest = verification.bag.tagFile(BagLayout.manifestCopy).flatMap {
            try? ManifestParser.parse($0, fileName: BagLayout.manifestCopy)
        }
        let confidential = confidentialFiles(verification.bag.payload, manifest: manifest)
        let destination = try fetched?.destination ?? ExtractDestination(path: options.destination, force: options.force)
        do {
            var run = ExtractionRun(destination: destination, contents: contents, confidential: confidential,
                                    identities: options.identities)
            try run.read(try (reopen ?? BundleVerification.reader(for: bundle))())
            var plaintextProblems: [String] = []
            if let manifest, !run.decrypted.isEmpty {
                plaintextProblems = run.plaintextProblems(manifest: manifest, payload: verification.bag.payload, now: options.verification.now)
                if !plaintextProblems.isEmpty && !options.verification.allowIncomplete { throw ExtractError.plaintextInvalid(plaintextProblems) }
            }
            var staged = run.files
            if let remote = fetched?.files { staged.append(contentsOf: remote) }
            try destination.commit(files: staged, folders: run.folders)
            let encrypted = options.identities.isEmpty ? confidential.keys.map { BagPaths.display($0) }.sorted() : []
            let remoteBytes = verification.remote?.checkedBytes ?? 0
            let summary = Summary(destination: options.destination, files: staged.count, bytes: run.bytes + remoteBytes,
                                  decrypted: run.decrypted.values.map { BagPaths.display($0.path) }.sorted(),
                                  encrypted: encrypted, plaintextProblems: plaintextProblems)
            return Outcome(verification: verification, extracted: summary)
        } catch {
            destination.rollback()
            throw error
        }
    }

    /// Whether the verification fails for nothing but the files fetch.txt brings.
    static func passesButForRemote(_ verification: VerifiedBundle) -> Bool {
        var without = verification
        without.bag.problems.removeAll { $0.code == .holeyBag }
        return without.passed
    }

    /// The payload files stored encrypted for a confidential deliverable: `data/<path>.age` by
    /// bag path, with the bag path of their plaintext.
    static func confidentialFiles(_ payload: PayloadFiles, manifest: Manifest?) -> [[UInt8]: [UInt8]] {
        guard let manifest else { return [:] }
        var found: [[UInt8]: [UInt8]] = [:]
        for file in payload {
            let stored = SourceFile(bagPath: file.path, size: file.size, modified: 0)
            if let plain = plaintextName(of: stored, manifest: manifest) {
                found[file.bagPath] = BagPaths.dataPrefix + plain.path
            }
        }
        return found
    }
}
