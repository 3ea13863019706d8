// libFuzzer target: a whole bundle as received. The input is written to a file, then read by
// ArchiveBagReader (libarchive: any format, any compression) and verified by BagVerifier with
// tight limits, then its manifest, signature and time-stamp are read as `handover verify` does.
import Foundation
@testable import HandoverKit

private let bundlePath = NSTemporaryDirectory() + "/handover-fuzz-\(getpid()).bundle"

/// Bounds far below the defaults so that one input stays well under a second: a small input
/// that promises or inflates to a lot must be cut short by these, not by the fuzzer's timeout.
private let options: BagVerifier.Options = {
    var options = BagVerifier.Options()
    options.limits.keptTagFileBytes = 1 << 20
    options.limits.otherTagFileBytes = 1 << 20
    options.limits.entries = 5_000
    options.limits.issues = 200
    options.limits.minimumMargin = 1 << 20
    options.limits.payloadBytes = 16 << 20
    options.readSize = 64 << 10
    return options
}()

@_cdecl("LLVMFuzzerInitialize")
public func bundleFuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    setlocale(LC_ALL, "C.UTF-8")
    if let folder = ProcessInfo.processInfo.environment["HANDOVER_FUZZ_WRITE_SEEDS"] {
        do {
            try BundleSeeds.write(into: folder)
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("cannot write the bundle seeds: \(error)\n".utf8))
            exit(2)
        }
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func bundleFuzz(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = fuzzBytes(data, count)
    guard FileManager.default.createFile(atPath: bundlePath, contents: Data(bytes)) else {
        fuzzRequire(false, "cannot write \(bundlePath)")
        return 0
    }
    defer { unlink(bundlePath) }
    let observer = PayloadFacts(progress: nil)
    guard let bag = try? BagVerifier(options: options, open: { try ArchiveBagReader(path: bundlePath, limits: options.limits) }).verify(observer: observer) else {
        return 0
    }
    _ = bag.isValid
    if let manifestBytes = bag.tagFile(BagLayout.manifestCopy),
       let manifest = try? ManifestParser.parse(manifestBytes, fileName: BagLayout.manifestCopy) {
        _ = BundleVerification.completeness(manifest: manifest, bag: bag, facts: observer, now: Timestamp(seconds: 1_800_000_000))
    }
    _ = try? EvidenceCheck.check(bag, options: EvidenceCheck.Options())
    return 0
}

/// Small bundles made by handover itself, in every format it writes, for the seed corpus.
enum BundleSeeds {
    static func write(into folder: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let source = folder + "/.source"
        try? FileManager.default.removeItem(atPath: source)
        let files = [
            "access/accounts.csv": "account,system,role,mfa,owner\nalice,erp,admin,yes,DSI\n",
            "docs/architecture.md": "# Architecture\n\nTwo servers.\n",
            "docs/Procédure de sauvegarde.md": "Sauvegarde chaque nuit.\n",
            "keys/host.key": "not really a key\n",
        ]
        for (path, text) in files {
            let url = URL(fileURLWithPath: source + "/" + path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let manifestText = """
            version: 1
            handover:
              contract: CTR-FUZZ
              client: Acme SA
              provider: Infogerance Ouest SAS
              recipient: Nouveau Prestataire SAS
            deliverables:
              - id: access-list
                title: Accounts
                paths: ["access/*.csv"]
                csv:
                  required-columns: [account, owner]
              - id: docs
                title: Documentation
                paths: ["docs/**"]
                formats: [md]
              - id: keys
                title: Keys
                paths: ["keys/*"]
                confidential: true

            """
        let manifest = try ManifestParser.parse(Array(manifestText.utf8), fileName: "handover.yaml")
        for (index, format) in ["tar", "tar.gz", "tar.zst", "tar.xz", "zip"].enumerated() {
            var options = BuildOptions(output: "\(folder)/handover-\(index).\(format)")
            options.force = true
            options.sourceDateEpoch = 1_790_000_000
            options.recipients = [AgeIdentity.generate().recipient]
            if index % 2 == 0 { options.algorithms = [.sha256, .sha512] }
            if let key = environment["HANDOVER_FUZZ_SSH_KEY"] { options.signer = try SSHBundleSigner(keyPath: key) }
            if let config = environment["HANDOVER_FUZZ_TSA_CONFIG"] { options.timestamper = OpenSSLTimestamper(config: config) }
            _ = try BundleBuilder.build(manifest: manifest, source: source, options: options)
            unlink(options.output + ".sha256")
        }
        try FileManager.default.removeItem(atPath: source)
    }
}

/// Asks `openssl ts` for a time-stamp response, as a local TSA would answer.
struct OpenSSLTimestamper: BundleTimestamper {
    let config: String

    func timestamp(sha256 digest: [UInt8]) throws -> IssuedTimestamp {
        let query = NSTemporaryDirectory() + "/handover-fuzz-\(getpid()).tsq"
        let reply = NSTemporaryDirectory() + "/handover-fuzz-\(getpid()).tsr"
        defer { unlink(query); unlink(reply) }
        try run(["ts", "-query", "-digest", hex(digest), "-sha256", "-cert", "-out", query])
        try run(["ts", "-reply", "-queryfile", query, "-config", config, "-out", reply])
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: reply)))
        guard let token = try TimestampResponse(derEncoded: bytes).token else { throw FileError(path: reply, reason: "no token") }
        return IssuedTimestamp(responseBytes: bytes, token: token, url: URL(fileURLWithPath: config))
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FileError(path: "openssl", reason: "openssl \(arguments[0..<2].joined(separator: " ")) failed") }
    }
}
