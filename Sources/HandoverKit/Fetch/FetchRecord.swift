import Crypto
import Foundation

/// A part file (`--result`) or a state file (`--resume`): what one run of `verify --fetch`
/// checked, written atomically, read back as hostile input.
///
/// It names the bundle by `BundleIdentity` and keeps each file's computed digests, so that what
/// reads it compares them with the bundle's manifests itself instead of trusting the word "checked".
package struct FetchRecord: Codable, Sendable, Equatable {
    package static let formatName = "handover-fetch-result"
    /// The largest part or state file read (a million files take about 300 MiB).
    package static let sizeLimit = 512 << 20

    package var format = FetchRecord.formatName
    package var formatVersion = 1
    /// The tool that wrote it (`handover 0.1.0`).
    package var tool = HandoverVersion.nameAndVersion
    /// The bundle's path as the run was given it (for people; the identity is `bundleSHA256`).
    package var bundle: String
    /// `BundleIdentity` of the bundle.
    package var bundleSHA256: String
    /// The shard this run checked; nil for the whole remote payload.
    package var shard: Shard?
    /// Whether every file of the run's share was checked (a state file of a run that was
    /// interrupted is not complete).
    package var complete: Bool
    /// Each file checked, in the order of the bag's paths.
    package var files: [RemoteResult]

    package init(bundle: String, bundleSHA256: String, shard: Shard?, complete: Bool, files: [RemoteResult]) {
        self.bundle = bundle
        self.bundleSHA256 = bundleSHA256
        self.shard = shard
        self.complete = complete
        self.files = files
    }

    /// Writes the record atomically: a reader sees the old file or the new, never half of one.
    package func write(to path: String) throws {
        try AtomicFile.write(Array(encodeJSON(self).utf8), to: path, overwrite: true)
    }

    /// Reads a record and checks its form and that it belongs to `identity`; `remote` is the
    /// bundle's remote payload, by displayed path, that every file named must be part of.
    package static func read(_ path: String, identity: String, remote: [String: RemoteFile]) throws -> FetchRecord {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: sizeLimit)
        } catch {
            throw FetchError.badRecord(path: path, reason: error.reason)
        }
        let record: FetchRecord
        do {
            record = try JSONDecoder().decode(FetchRecord.self, from: Data(bytes))
        } catch {
            throw FetchError.badRecord(path: path, reason: "is not a part or state file written by handover's fetch (\(describe(error)))")
        }
        guard record.format == formatName, record.formatVersion == 1 else {
            throw FetchError.badRecord(path: path, reason: "is not a part or state file written by handover's fetch (format \(VisibleText.name(String(record.format.prefix(60)))), version \(record.formatVersion))")
        }
        guard record.bundleSHA256 == identity else {
            throw FetchError.otherBundle(path: path, recorded: VisibleText.name(String(record.bundleSHA256.prefix(64))), expected: identity)
        }
        if let shard = record.shard, Shard("\(shard.index)/\(shard.count)") == nil {
            throw FetchError.badRecord(path: path, reason: "names shard \(shard.index)/\(shard.count), which is not a shard K/N with 1 ≤ K ≤ N ≤ \(ShardPlan.maximumCount)")
        }
        var seen = Set<String>()
        for file in record.files {
            guard let known = remote[file.path] else {
                throw FetchError.badRecord(path: path, reason: "names \(VisibleText.name(String(file.path.prefix(200)))), which is not a remote file of this bundle")
            }
            guard known.url == file.url else {
                throw FetchError.badRecord(path: path, reason: "gives \(known.displayPath) another URL than fetch.txt does")
            }
            guard seen.insert(file.path).inserted else {
                throw FetchError.badRecord(path: path, reason: "names \(known.displayPath) twice")
            }
            guard file.digests.count <= ChecksumAlgorithm.allCases.count, file.reason.map({ $0.utf8.count <= 1000 }) ?? true else {
                throw FetchError.badRecord(path: path, reason: "holds more about \(known.displayPath) than a run writes")
            }
        }
        return record
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted: "not valid JSON"
        case DecodingError.keyNotFound(let key, _): "no \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "a value of the wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default: "unreadable"
        }
    }
}

/// What names a bundle in part and state files: the SHA-256 over its tag manifests and
/// fetch.txt (each as its name, its length and its bytes, in path order). The tag manifests
/// cover the payload manifests and every tag file; fetch.txt is added for bags that have none.
package enum BundleIdentity {
    package static func of(_ bag: BagVerification) -> String {
        var hash = SHA256()
        for file in bag.tagFiles where file.path == BagPaths.fetch || BagManifestName(fileName: file.path)?.kind == .tag {
            hash.update(data: file.path + [0] + Array("\(file.bytes.count)".utf8) + [0])
            hash.update(data: file.bytes)
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
