import Foundation

/// Why the object store could not be read. Every message names the endpoint or the bucket and
/// the setting to check, since the person at the terminal rarely sees the request itself.
package enum ObjectStoreError: HandoverError, Equatable {
    /// Neither the environment nor a profile gave a key pair.
    case noCredentials
    /// `AWS_PROFILE` names a profile that neither file has.
    case profileNotFound(String, files: [String])
    /// A profile file exists and could not be read.
    case configFile(String, String)
    /// The endpoint is not `http(s)://host[:port]`.
    case badEndpoint(String)
    /// The location is not `s3://bucket/prefix`.
    case badLocation(String)
    /// The store refused the key pair or the signature (403 InvalidAccessKeyId, SignatureDoesNotMatch…).
    case credentialsRefused(endpoint: String, code: String, source: String)
    /// The key pair is valid but may not read this bucket or object.
    case accessDenied(endpoint: String, bucket: String, key: String?)
    /// The bucket does not exist at this endpoint.
    case noSuchBucket(endpoint: String, bucket: String)
    /// The object does not exist.
    case noSuchObject(endpoint: String, bucket: String, key: String)
    /// A read on the condition of the listed ETag was refused (412): the object was rewritten
    /// since it was listed.
    case changedSinceListing(endpoint: String, bucket: String, key: String)
    /// The endpoint could not be reached or the connection broke, after the retries.
    case unreachable(endpoint: String, reason: String, attempts: Int)
    /// The server kept answering with an error, after the retries.
    case serverFailed(endpoint: String, status: Int, code: String, attempts: Int)
    /// A key below the prefix cannot be a path in a bag (an empty, `.` or `..` part).
    case unsafeKey(location: String, key: String)
    /// The server's answer is not what S3 answers.
    case malformedResponse(endpoint: String, reason: String)

    package var errorDescription: String? {
        switch self {
        case .noCredentials:
            "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with a profile in ~/.aws/credentials"
        case .profileNotFound(let name, let files):
            "AWS_PROFILE names the profile \(name), which \(files.isEmpty ? "no file" : files.joined(separator: " nor ")) has; check AWS_PROFILE"
        case .configFile(let path, let reason):
            "\(path): \(reason)"
        case .badEndpoint(let text):
            "the S3 endpoint \"\(text)\" is not of the form http(s)://host[:port]; check AWS_ENDPOINT_URL"
        case .badLocation(let text):
            "\"\(text)\" is not an object-store location; write s3://bucket/prefix/, with a bucket name of 3 to 63 lower-case letters, digits, dots and dashes"
        case .credentialsRefused(let endpoint, let code, let source):
            "\(endpoint) refused the credentials (\(code)); check \(source) and AWS_REGION"
        case .accessDenied(let endpoint, let bucket, let key):
            "\(endpoint) denies access to \(key.map { "s3://\(bucket)/\($0)" } ?? "the bucket \(bucket)") with these credentials (AccessDenied)"
        case .noSuchBucket(let endpoint, let bucket):
            "\(endpoint) has no bucket named \(bucket); check the location and AWS_ENDPOINT_URL"
        case .noSuchObject(let endpoint, let bucket, let key):
            "\(endpoint) has no object s3://\(bucket)/\(key)"
        case .changedSinceListing(let endpoint, let bucket, let key):
            "s3://\(bucket)/\(key) at \(endpoint) was rewritten since it was listed (its ETag is no longer the listed one)"
        case .unreachable(let endpoint, let reason, let attempts):
            "cannot reach the S3 endpoint \(endpoint) (\(reason), \(attempts) \(attempts == 1 ? "attempt" : "attempts")); check AWS_ENDPOINT_URL and the network"
        case .serverFailed(let endpoint, let status, let code, let attempts):
            "\(endpoint) answered HTTP \(status)\(code.isEmpty ? "" : " \(code)") \(attempts) \(attempts == 1 ? "time" : "times"); try again later"
        case .unsafeKey(let location, let key):
            "the object \"\(VisibleText.name(bytes: Array(key.utf8)))\" under \(location) has an empty, \".\" or \"..\" part in its key, which no bundle path may have; rename it or choose a narrower prefix"
        case .malformedResponse(let endpoint, let reason):
            "\(endpoint) sent an answer that is not S3's: \(reason)"
        }
    }
}
