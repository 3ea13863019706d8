import Foundation
import Testing

/// The stage of the evidence stories: a provider's export and manifest (nothing confidential, so
/// no age recipients are needed), a folder for the bundles, and the steps a recipient or an
/// auditor takes with standard tools: unpack with bsdtar, check, re-pack.
///
/// Keys come from `OpenSSH` (SSHSig/SSHFixtures.swift), the TSA from `TestPKI` and
/// `LocalTSAServer` (Timestamp/LocalTSA.swift).
final class EvidenceFixture: @unchecked Sendable {
    let source: SourceFixture
    /// Bundles, keys, allowed_signers and unpacked bags live here.
    let work: TempDirectory
    static let principal = "provider@infogerance-ouest.example"

    init() throws {
        source = try SourceFixture(manifest: manifestText(deliverables: """
              - id: access-list
                title: Accounts and access rights
                paths: ["access/*.csv"]
                formats: [csv]
                csv:
                  required-columns: [account, system, role]
              - id: documentation
                title: Technical documentation
                paths: ["docs/**/*"]
            """), files: [
                "access/accounts.csv": "account,system,role\nalice,erp,admin\nbob,crm,user\n",
                "docs/architecture.md": "# Architecture\n\nTwo web servers behind a load balancer.\n",
                "docs/runbooks/restore.md": "# Restore\n\n1. Stop the service.\n",
            ])
        work = try TempDirectory("handover-evidence")
    }

    /// Runs `handover build` on the export into `work/<name>` with `extra` options (`--sign`,
    /// `--tsa`); the bundle's path is `path(name)`.
    @discardableResult
    func build(_ name: String = "bundle.tar", _ extra: [String] = [], environment: [String: String]? = nil) throws -> ProcessResult {
        try handover(["build", "--manifest", source.manifestPath, source.source, "--output", work.path(name)] + extra,
                     environment: environment)
    }

    /// Builds and requires success: a story that starts from a bundle fails here if it cannot.
    @discardableResult
    func buildOK(_ name: String = "bundle.tar", _ extra: [String] = [], environment: [String: String]? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try build(name, extra, environment: environment)
        try #require(result.status == 0, "handover build failed: \(result.stdout)\(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs `handover verify` on `work/<name>`.
    func verify(_ name: String = "bundle.tar", _ extra: [String] = []) throws -> ProcessResult {
        try handover(["verify", work.path(name)] + extra)
    }

    func path(_ relative: String) -> String { work.path(relative) }

    /// An Ed25519 key made with ssh-keygen in the work folder; returns the private key's path.
    func makeKey(_ name: String, passphrase: String = "") throws -> String {
        try OpenSSH.makeKey(in: work, name: name, passphrase: passphrase, comment: Self.principal)
    }

    /// Writes an allowed_signers file listing each key (given by its private key's path) for
    /// `principal`, with the line options given; returns its path.
    func allowedSigners(_ name: String = "allowed_signers", keys: [String], options: String = "",
                        principal: String = EvidenceFixture.principal) throws -> String {
        let lines = try keys.map { try OpenSSH.allowedLine(principal, options: options, pubPath: $0 + ".pub") }
        return try work.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// A key and an allowed_signers file that lists it for `principal`.
    func makeSigner(_ name: String = "id_ed25519", passphrase: String = "") throws -> EvidenceSigner {
        let key = try makeKey(name, passphrase: passphrase)
        return EvidenceSigner(key: key, allowed: try allowedSigners(keys: [key]), fingerprint: try OpenSSH.fingerprint(of: key + ".pub"))
    }

    /// Signs an unpacked bag's tag manifest with `ssh-keygen -Y sign` and stores the signature
    /// as the bag's `handover/signature.sshsig`, as a provider signing by hand would.
    func signWithSSHKeygen(_ bag: String, key: String, namespace: String = "handover", hash: String = "sha512",
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let sign = try runProcess(try OpenSSH.keygen(), ["-Y", "sign", "-f", key, "-n", namespace, "-O", "hashalg=\(hash)",
                                                         "tagmanifest-sha256.txt"], currentDirectory: bag)
        try #require(sign.status == 0, "ssh-keygen -Y sign failed: \(sign.stderr)", sourceLocation: sourceLocation)
        let signature = bag + "/handover/signature.sshsig"
        try? FileManager.default.removeItem(atPath: signature)
        try FileManager.default.moveItem(atPath: bag + "/tagmanifest-sha256.txt.sig", toPath: signature)
    }

    /// Builds an unsigned bundle, signs its tag manifest with `ssh-keygen -Y sign` and packs it
    /// again with bsdtar as `work/<name>`: a bundle signed by hand, with OpenSSH alone.
    func buildSignedWithSSHKeygen(as name: String, key: String, namespace: String = "handover", hash: String = "sha512") throws {
        try buildOK("unsigned-\(name)")
        let bag = try unpack("unsigned-\(name)")
        try signWithSSHKeygen(bag, key: key, namespace: namespace, hash: hash)
        try repack(bag, as: name)
    }

    /// `ssh-keygen -Y verify` of an unpacked bag's signature over its tag manifest, for the
    /// fixture's principal, run in the bag as the README tells an auditor to.
    func sshKeygenVerify(_ bag: String, allowedSigners: String) throws -> ProcessResult {
        try runProcess(try OpenSSH.keygen(), [
            "-Y", "verify", "-f", allowedSigners, "-I", Self.principal, "-n", "handover", "-s", "handover/signature.sshsig",
        ], stdin: try Data(contentsOf: URL(fileURLWithPath: bag + "/tagmanifest-sha256.txt")), currentDirectory: bag)
    }

    /// Unpacks `work/<bundle>` with bsdtar into a fresh folder and returns the bag's folder (the
    /// archive's one top-level folder).
    func unpack(_ bundle: String = "bundle.tar", sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        let into = work.path("unpacked-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: into, withIntermediateDirectories: true)
        let result = try runProcess(bsdtar, ["-xf", work.path(bundle), "-C", into])
        try #require(result.status == 0, "bsdtar -xf failed: \(result.stderr)", sourceLocation: sourceLocation)
        let top = try FileManager.default.contentsOfDirectory(atPath: into)
        try #require(top.count == 1, "the bundle should hold one top-level folder, found \(top)", sourceLocation: sourceLocation)
        return into + "/" + top[0]
    }

    /// Packs the bag folder `bag` again with bsdtar as `work/<name>` (a plain tar), as someone
    /// who edited an unpacked bundle would.
    func repack(_ bag: String, as name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let bsdtar = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        let folder = URL(fileURLWithPath: bag)
        let result = try runProcess(bsdtar, ["-cf", work.path(name), "-C", folder.deletingLastPathComponent().path, folder.lastPathComponent])
        try #require(result.status == 0, "bsdtar -cf failed: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// `bagit.py --validate` on an unpacked bag: the bag on its own is consistent.
    static func bagitValidate(_ bag: String) throws -> ProcessResult {
        let bagit = try requireTool("bagit.py", install: "pip install bagit")
        return try runProcess(bagit, ["--validate", "--quiet", bag])
    }

    /// The files of the work folder whose names start with `prefix`, hidden ones included: what a
    /// failed build may have left behind.
    func leftovers(startingWith prefix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: work.path).filter {
            $0.hasPrefix(prefix) || $0.hasPrefix("." + prefix)
        }.sorted()
    }
}

/// A signing key (the private key's path), an allowed_signers file listing it, and its
/// fingerprint as `ssh-keygen -l` prints it.
struct EvidenceSigner {
    let key: String
    let allowed: String
    let fingerprint: String
}

/// A time-stamping authority for a story: a CA made by the test, its TSA, and the TSA's HTTP
/// server on loopback. Call `stop()` in a `defer`.
final class EvidenceTSA: @unchecked Sendable {
    let pki: TestPKI
    let server: LocalTSAServer
    var url: String { server.url }
    var caPath: String { pki.caPath }

    init(_ label: String = "evidence") throws {
        pki = try TestPKI(label)
        server = try LocalTSAServer(pki)
    }

    func stop() { server.stop() }

    /// `openssl ts -verify` of an unpacked bag's time-stamp over its tag manifest, against `caFile`
    /// (this TSA's CA unless another is given).
    func opensslVerify(_ bag: String, caFile: String? = nil) throws -> ProcessResult {
        try runProcess(pki.openssl, ["ts", "-verify", "-data", bag + "/tagmanifest-sha256.txt",
                                     "-in", bag + "/handover/timestamp.tsr", "-CAfile", caFile ?? caPath])
    }
}

/// Rewrites one line of a BagIt manifest file: the checksum of `path` becomes `checksum`.
func rehash(manifest: String, path: String, to checksum: String) throws {
    let text = try String(contentsOfFile: manifest, encoding: .utf8)
    var found = false
    let rewritten = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
        guard line.hasSuffix(" " + path) || line.hasSuffix("\t" + path) else { return String(line) }
        found = true
        return "\(checksum)  \(path)"
    }.joined(separator: "\n")
    try #require(found, "\(manifest) has no line for \(path)")
    try Data(rewritten.utf8).write(to: URL(fileURLWithPath: manifest))
}

/// The SHA-256 of a file, as `sha256sum` prints it (the real tool, not our hasher).
func sha256sum(_ path: String) throws -> String {
    let result = try runProcess(try requireTool("sha256sum", install: "apt-get install coreutils"), [path])
    let field = result.stdout.split(separator: " ").first.map(String.init) ?? ""
    try #require(result.status == 0 && field.count == 64, "sha256sum \(path) failed: \(result.stderr)")
    return field
}
