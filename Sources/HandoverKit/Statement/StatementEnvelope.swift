import Foundation

/// The file a signed statement travels in: one JSON object holding the statement's exact bytes
/// as a string, the armored SSHSIG signature over those bytes, and optionally an RFC 3161
/// time-stamp over the signature.
///
/// ```json
/// {
///   "format" : "handover-statement/1",
///   "namespace" : "handover-receipt",
///   "signature" : "-----BEGIN SSH SIGNATURE-----\n…\n-----END SSH SIGNATURE-----\n",
///   "statement" : "{\n  \"kind\" : \"receipt\",\n …}\n",
///   "timestamp" : "MIIG…"
/// }
/// ```
///
/// The signed bytes are the UTF-8 bytes of the `statement` string, exactly (`jq -j .statement
/// FILE` writes them); the time-stamp's imprint is the SHA-256 of the `signature` string's
/// bytes (`jq -j .signature FILE`), so it proves the signature existed at its time.
public struct StatementEnvelope: Codable, Sendable {
    public static let formatName = "handover-statement/1"
    /// Far above any real statement (reservations are capped at 64 KiB).
    public static let maximumSize = 1 << 20

    public var format: String
    public var namespace: String
    public var statement: String
    public var signature: String
    /// The DER TimeStampResp as the TSA sent it, base64.
    public var timestamp: String?

    public init(namespace: String, statement: String, signature: String, timestamp: String?) {
        format = Self.formatName
        self.namespace = namespace
        self.statement = statement
        self.signature = signature
        self.timestamp = timestamp
    }

    /// The bytes written to the file: sorted keys, indented, a final newline.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0A]
    }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] { Array(statement.utf8) }

    /// The time-stamp response, decoded.
    public var timestampBytes: [UInt8]? { timestamp.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } }

    /// Reads a statement file: a regular file of at most 1 MiB, one JSON object with exactly
    /// the keys above.
    public init(contentsOf path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: Self.maximumSize)
        } catch .tooLarge {
            throw StatementError.malformed(path, "it is larger than \(Self.maximumSize >> 20) MiB")
        } catch {
            throw error.fileError(path)
        }
        try self.init(bytes: bytes, path: path)
    }

    init(bytes: [UInt8], path: String) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw StatementError.malformed(path, "it is not JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw StatementError.malformed(path, "it is not a JSON object")
        }
        let known: Set<String> = ["format", "namespace", "statement", "signature", "timestamp"]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw StatementError.malformed(path, "it has an unknown key \"\(VisibleText.name(unknown))\"")
        }
        func text(_ key: String) throws -> String {
            guard let value = fields[key] as? String else {
                throw StatementError.malformed(path, "its \"\(key)\" is missing or not a string")
            }
            return value
        }
        let format = try text("format")
        guard format == Self.formatName else {
            throw StatementError.malformed(path, "its format is \"\(VisibleText.name(format))\"; this version of handover reads \(Self.formatName)")
        }
        self.init(namespace: try text("namespace"), statement: try text("statement"), signature: try text("signature"),
                  timestamp: fields["timestamp"] == nil ? nil : try text("timestamp"))
        if timestamp != nil && timestampBytes == nil {
            throw StatementError.malformed(path, "its \"timestamp\" is not base64")
        }
    }

    /// The statement, decoded from the signed bytes; its kind must match the namespace.
    public func decodedStatement(path: String) throws -> Statement {
        let statement: Statement
        do {
            statement = try JSONDecoder().decode(Statement.self, from: Data(signedBytes))
        } catch {
            throw StatementError.malformed(path, "its statement cannot be read (\(Self.describe(error)))")
        }
        guard statement.version == Statement.currentVersion else {
            throw StatementError.malformed(path, "its statement is version \(statement.version); this version of handover reads version \(Statement.currentVersion)")
        }
        guard statement.kind.namespace == namespace else {
            throw StatementError.malformed(path, "it is a \(statement.kind.rawValue) statement signed in the namespace \(VisibleText.name(namespace))")
        }
        guard (statement.kind == .receipt) == (statement.receipt != nil),
              (statement.kind != .receipt) == (statement.certificate != nil) else {
            throw StatementError.malformed(path, "its \(statement.kind.rawValue) statement lacks its body")
        }
        return statement
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "\"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "it is not JSON" : "\(path) is not what a statement holds there"
        default: return "it is not JSON"
        }
    }
}
