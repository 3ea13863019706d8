import Foundation
import Testing

/// The end of a handover, on the stage of the other end-to-end stories: a provider's signed
/// bundle, another bundle of the same export, and three SSH keys made by ssh-keygen (the
/// provider's, the client's, and a stranger's), with the allowed_signers each side keeps.
final class StatementStage: @unchecked Sendable {
    let source: SourceFixture
    let work: TempDirectory
    let bundle: String
    let other: String
    let providerKey: String
    let clientKey: String
    let strangerKey: String
    /// The client's key, for receipts; the provider's, for certificates and bundles.
    let clientSigners: String
    let providerSigners: String
    static let client = "dsi@acme.example"
    static let provider = "release@infogerance-ouest.example"

    init() throws {
        source = try bundleSource()
        work = try TempDirectory("handover-statement")
        providerKey = try OpenSSH.makeKey(in: work, name: "provider", comment: Self.provider)
        clientKey = try OpenSSH.makeKey(in: work, name: "client", comment: Self.client)
        strangerKey = try OpenSSH.makeKey(in: work, name: "stranger", comment: "mallory@example.org")
        clientSigners = try work.write("client_signers", try OpenSSH.allowedLine(Self.client, options: "namespaces=\"handover-receipt\"", pubPath: clientKey + ".pub") + "\n")
        providerSigners = try work.write("provider_signers", try OpenSSH.allowedLine(Self.provider, pubPath: providerKey + ".pub") + "\n")
        bundle = try source.buildBundle("delivery-1.tar", ["--sign", providerKey])
        other = try source.buildBundle("other.tar", ["--sign", providerKey], epoch: handoverEpoch + 60)
    }

    /// `handover receipt BUNDLE --sign KEY --decision DECISION --output work/NAME` and more.
    func receipt(_ name: String, decision: String, bundle: String? = nil, key: String? = nil, _ extra: [String] = []) throws -> ProcessResult {
        try handover(["receipt", bundle ?? self.bundle, "--sign", key ?? clientKey, "--decision", decision,
                      "--output", work.path(name)] + extra)
    }

    /// `handover certify --kind deletion` with a full scope, signed by `key`.
    func deletion(_ name: String, bundle: String? = nil, key: String? = nil, _ extra: [String] = []) throws -> ProcessResult {
        try handover(["certify", "--kind", "deletion", "--bundle", bundle ?? self.bundle,
                      "--scope", "production-data:ERP database and file shares", "--scope", "backups",
                      "--scope", "technical-data:LDAP entries, TLS certificates", "--method", "crypto-erasure",
                      "--date", "2027-03-31", "--retention", "2037-12-31:Invoices (Code de commerce, L123-22)",
                      "--by", "Jeanne Martin, DSI, Infogérance Ouest SAS", "--sign", key ?? providerKey,
                      "--output", work.path(name)] + extra)
    }

    /// The envelope of a statement file, as JSON.
    func envelope(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: work.path(name)))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The signed statement inside, as JSON.
    func statement(_ name: String) throws -> [String: Any] {
        let text = try #require(try envelope(name)["statement"] as? String)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Copies the statement file with one byte of its signed statement changed: the first hex
    /// digit of the archive's SHA-256 it names, so that the file is still well-formed JSON.
    func alterOneByte(_ name: String, into altered: String) throws -> String {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: work.path(name))))
        let marker = Array(#"archiveSHA256\" : \""#.utf8)
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) }, "no archiveSHA256 in the statement")
        let index = start + marker.count
        bytes[index] = bytes[index] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        return try work.write(altered, Data(bytes))
    }

    /// The signed bytes and the signature, taken out with jq as the README shows, then checked
    /// by `ssh-keygen -Y verify` in `namespace`.
    func sshKeygenVerify(_ name: String, signers: String, principal: String, namespace: String) throws -> ProcessResult {
        let jq = try requireTool("jq", install: "apt-get install jq")
        let statement = try runProcess(jq, ["-j", ".statement", work.path(name)])
        let signature = try runProcess(jq, ["-j", ".signature", work.path(name)])
        #expect(statement.status == 0 && signature.status == 0, "jq: \(statement.stderr)\(signature.stderr)")
        let message = try work.write(name + ".statement", statement.stdoutData)
        return try OpenSSH.verify(message: message, signature: signature.stdout, allowedSigners: signers, principal: principal,
                                  namespace: namespace, in: work)
    }
}
