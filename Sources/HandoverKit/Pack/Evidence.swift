import Foundation

/// Signs bundles with an SSH key file or through ssh-agent (see `SSHSigner.forKey(at:)`).
public struct SSHBundleSigner: BundleSigner {
    public let signer: SSHSigner

    /// Prepares the signer before anything is written, so a key problem fails early (exit 2).
    public init(keyPath: String) throws {
        signer = try SSHSigner.forKey(at: keyPath)
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        Array(try SSHSignature.sign(.bytes(message), with: signer).armored.utf8)
    }

    /// `SHA256:… (ssh-ed25519, key file PATH)` or `SHA256:… (ssh-ed25519, through ssh-agent)`.
    public var signerDescription: String {
        let key = signer.publicKey
        switch signer.source {
        case .keyFile(let path): return "\(key.fingerprint) (\(key.type), key file \(path))"
        case .agent: return "\(key.fingerprint) (\(key.type), through ssh-agent)"
        }
    }
}

/// Time-stamps bundles with the first of the given TSAs that grants a token.
public struct TSABundleTimestamper: BundleTimestamper {
    public let urls: [String]
    package let client: TimestampClient

    package init(urls: [String], client: TimestampClient = TimestampClient()) {
        self.urls = urls
        self.client = client
    }

    package func timestamp(sha256 digest: [UInt8]) throws -> IssuedTimestamp {
        let request = TimestampRequest(imprint: MessageImprint(algorithm: .sha256, digest: digest))
        return try client.timestamp(request, urls: urls)
    }
}
