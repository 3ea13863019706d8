import Crypto
import Foundation

/// Signs a statement and, when asked, time-stamps the signature: the one way receipts and
/// certificates are made.
public enum StatementSeal {
    /// Signs `statement`'s canonical bytes with `signer` in the namespace of its kind, then asks
    /// `timestamper` (when given) for a time-stamp over the SHA-256 of the armored signature.
    package static func seal(_ statement: Statement, signer: SSHSigner, timestamper: BundleTimestamper?) throws -> StatementEnvelope {
        let bytes = try statement.canonicalBytes()
        let namespace = statement.kind.namespace
        let signature = try SSHSignature.sign(.bytes(bytes), namespace: namespace, with: signer).armored
        var timestamp: String?
        if let timestamper {
            let issued = try timestamper.timestamp(sha256: Array(SHA256.hash(data: Array(signature.utf8))))
            timestamp = Data(issued.responseBytes).base64EncodedString()
        }
        // The statement was encoded as UTF-8 by JSONEncoder: decoding it cannot change a byte.
        return StatementEnvelope(namespace: namespace, statement: String(decoding: bytes, as: UTF8.self),
                                 signature: signature, timestamp: timestamp)
    }
}

extension StatementSubject {
    /// The subject of the archive at `path`: its SHA-256, read whole, and its tag files.
    /// - Throws: `StatementError` (exit status 2) for a folder, a non-bag, or an unreadable file.
    public static func of(archive path: String) throws -> StatementSubject {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw StatementError.unreadableBundle(path, "no such file")
        }
        guard !isFolder.boolValue else { throw StatementError.notAnArchive(path) }
        let tags: BundleTags
        let checksum: ArchiveChecksum
        do {
            tags = try BundleTags.read(path: path)
            checksum = try ArchiveChecksum.compute(path: path)
        } catch let error as HandoverError {
            throw StatementError.unreadableBundle(path, error.errorDescription ?? "\(error)")
        }
        guard let tagManifest = tags.tagManifestSHA256 else {
            throw StatementError.unreadableBundle(path, "it has no \(BagLayout.signedTagManifest), which a statement names")
        }
        return StatementSubject(bundle: URL(fileURLWithPath: path).lastPathComponent, archiveSHA256: checksum.sha256,
                                tagManifestSHA256: tagManifest, bag: tags.bagName,
                                contract: tags.bagInfo?.value("External-Identifier"),
                                delivery: tags.bagInfo?.value(DeliveryChain.deliveryField).flatMap { Int($0) })
    }

    /// The subject of a bundle just verified: the digests come from that one reading.
    public init?(verified result: VerifiedBundle, archive: ArchiveChecksum) {
        guard let tagManifest = result.bag.tagFile(BagLayout.signedTagManifest) else { return nil }
        self.init(bundle: URL(fileURLWithPath: result.path).lastPathComponent, archiveSHA256: archive.sha256,
                  tagManifestSHA256: hex(SHA256.hash(data: tagManifest)), bag: nil,
                  contract: result.bag.bagInfo?.value("External-Identifier"),
                  delivery: result.bag.bagInfo?.value(DeliveryChain.deliveryField).flatMap { Int($0) })
    }
}
