/// Where the object store is and how to sign for it, found the way every S3 tool finds it.
///
/// The environment first (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
/// `AWS_REGION` or `AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`), then the profile named by
/// `AWS_PROFILE` (or `default`) in `~/.aws/credentials` and `~/.aws/config` (or the files named
/// by `AWS_SHARED_CREDENTIALS_FILE` and `AWS_CONFIG_FILE`). Requests are addressed path-style
/// (`ENDPOINT/bucket/key`), which every S3-compatible store accepts.
package struct ObjectStoreConfiguration: Sendable {
    package let credentials: ObjectStoreCredentials
    package let region: String
    package let endpoint: ObjectStoreEndpoint
    /// Where the credentials came from, in words, for error messages.
    package let credentialSource: String

    /// The files' size limit: a credentials file is a few lines.
    static let fileLimit = 1 << 20

    package init(credentials: ObjectStoreCredentials, region: String, endpoint: ObjectStoreEndpoint, credentialSource: String) {
        self.credentials = credentials
        self.region = region
        self.endpoint = endpoint
        self.credentialSource = credentialSource
    }

    /// The configuration from `environment` and the profile files under `home`.
    package static func resolve(environment: [String: String], home: String?) throws(ObjectStoreError) -> ObjectStoreConfiguration {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        let profileName = value("AWS_PROFILE") ?? "default"
        let explicitProfile = value("AWS_PROFILE") != nil
        let credentialsPath = value("AWS_SHARED_CREDENTIALS_FILE") ?? home.map { "\($0)/.aws/credentials" }
        let configPath = value("AWS_CONFIG_FILE") ?? home.map { "\($0)/.aws/config" }
        let credentialsFile = try credentialsPath.flatMap { path throws(ObjectStoreError) in try ProfileFile.read(path) }
        let configFile = try configPath.flatMap { path throws(ObjectStoreError) in try ProfileFile.read(path) }
        let fromCredentialsFile = credentialsFile?.section(profileName)
        let fromConfigFile = configFile?.section(profileName == "default" ? "default" : "profile \(profileName)")

        let credentials: ObjectStoreCredentials
        let source: String
        if let key = value("AWS_ACCESS_KEY_ID"), let secret = value("AWS_SECRET_ACCESS_KEY") {
            credentials = ObjectStoreCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
            source = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        } else if let profile = fromCredentialsFile ?? fromConfigFile,
                  let key = profile["aws_access_key_id"], let secret = profile["aws_secret_access_key"] {
            credentials = ObjectStoreCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: profile["aws_session_token"])
            source = "profile \(profileName) of \(fromCredentialsFile != nil ? credentialsPath ?? "" : configPath ?? "")"
        } else if explicitProfile {
            throw .profileNotFound(profileName, files: [credentialsPath, configPath].compactMap { $0 })
        } else {
            throw .noCredentials
        }
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? fromConfigFile?["region"] ?? "us-east-1"
        let endpointText = value("AWS_ENDPOINT_URL_S3") ?? value("AWS_ENDPOINT_URL") ?? fromConfigFile?["endpoint_url"]
            ?? "https://s3.\(region).amazonaws.com"
        let endpoint = try ObjectStoreEndpoint(endpointText)
        return ObjectStoreConfiguration(credentials: credentials, region: region, endpoint: endpoint, credentialSource: source)
    }
}

/// `scheme://host[:port]` of the S3 service, with the default port left out (as curl sends
/// the `Host` header, which is signed).
package struct ObjectStoreEndpoint: Sendable, Equatable, CustomStringConvertible {
    package let scheme: String
    /// `host` or `host:port`, exactly as the `Host` header carries it.
    package let authority: String

    package init(_ text: String) throws(ObjectStoreError) {
        var rest = Substring(text)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let scheme: String
        if rest.hasPrefix("https://") { scheme = "https"; rest = rest.dropFirst(8) }
        else if rest.hasPrefix("http://") { scheme = "http"; rest = rest.dropFirst(7) }
        else { throw .badEndpoint(text) }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?"), !rest.contains("#"),
              rest.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { throw .badEndpoint(text) }
        var authority = String(rest)
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else { throw .badEndpoint(text) }
            if (scheme == "http" && port == 80) || (scheme == "https" && port == 443) { authority = String(rest[..<colon]) }
        }
        self.scheme = scheme
        self.authority = authority
    }

    package var description: String { "\(scheme)://\(authority)" }
}

/// An INI-style AWS profile file: `[section]` lines, then `key = value` lines.
struct ProfileFile {
    private var sections: [String: [String: String]] = [:]

    func section(_ name: String) -> [String: String]? { sections[name] }

    /// The file at `path`, or nil when there is none (a missing profile file is normal).
    static func read(_ path: String) throws(ObjectStoreError) -> ProfileFile? {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: ObjectStoreConfiguration.fileLimit)
        } catch {
            if case .unreadable(let reason) = error, reason == "no such file" { return nil }
            throw .configFile(path, error.reason)
        }
        return ProfileFile(text: String(decoding: bytes, as: UTF8.self))
    }

    init(text: String) {
        var current: String?
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let section = current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
    }
}

import Foundation
