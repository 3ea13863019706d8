import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The kind of key and hashes a test TSA signs with.
struct TSAKind: Sendable, CustomTestStringConvertible {
    /// `openssl genpkey` options for the TSA key.
    let keyOptions: [String]
    let signerDigest: String
    /// The hash of the ESS signing-certificate attribute: sha1 gives v1 (RFC 2634), others v2 (RFC 5816).
    let essCertIDHash: String
    let testDescription: String

    static let rsa = TSAKind(
        keyOptions: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        signerDigest: "sha256", essCertIDHash: "sha256", testDescription: "RSA, SHA-256, ESSCertIDv2")
    static let all: [TSAKind] = [
        rsa,
        TSAKind(keyOptions: rsa.keyOptions, signerDigest: "sha512", essCertIDHash: "sha1",
                testDescription: "RSA, SHA-512, ESSCertID v1"),
        TSAKind(keyOptions: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
                signerDigest: "sha256", essCertIDHash: "sha256", testDescription: "ECDSA P-256, SHA-256"),
        TSAKind(keyOptions: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
                signerDigest: "sha384", essCertIDHash: "sha384", testDescription: "ECDSA P-384, SHA-384"),
    ]
}

/// A CA and a TSA certificate made with `openssl` in a temp folder, with the openssl
/// configuration (`[tsa]` section) that lets `openssl ts -reply` answer as that TSA.
final class TestPKI: @unchecked Sendable {
    let folder: TempDirectory
    let openssl: String
    var caPath: String { folder.path("ca.pem") }
    var tsaCertificatePath: String { folder.path("tsa.pem") }
    /// Grants SHA-256/384/512 requests.
    var configPath: String { folder.path("tsa.cnf") }
    /// Accepts only SHA-512 imprints, so it rejects our SHA-256 requests with badAlg.
    var rejectingConfigPath: String { folder.path("tsa-reject.cnf") }

    /// A CA only (`withTSA: false`) serves as "another CA" that signed nothing.
    init(_ label: String, kind: TSAKind = .rsa, withTSA: Bool = true) throws {
        openssl = try requireTool("openssl", install: "apt-get install openssl")
        folder = try TempDirectory("handover-tsa-\(label)")
        try folder.write("pki.cnf", Self.extensions)
        try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder.path("ca.key"),
                 "-out", caPath, "-days", "30", "-subj", "/CN=Handover Test CA \(label)",
                 "-config", folder.path("pki.cnf"), "-extensions", "v3_ca"])
        guard withTSA else { return }
        try run(["genpkey"] + kind.keyOptions + ["-out", folder.path("tsa.key")])
        try run(["req", "-new", "-key", folder.path("tsa.key"), "-subj", "/CN=Handover Test TSA \(label)",
                 "-config", folder.path("pki.cnf"), "-out", folder.path("tsa.csr")])
        try run(["x509", "-req", "-in", folder.path("tsa.csr"), "-CA", caPath, "-CAkey", folder.path("ca.key"),
                 "-set_serial", "\(Int.random(in: 1000...999_999))", "-days", "30",
                 "-extfile", folder.path("pki.cnf"), "-extensions", "v3_tsa", "-out", tsaCertificatePath])
        try folder.write("chain.pem", try folder.read("tsa.pem") + (try folder.read("ca.pem")))
        try folder.write("serial", "01\n")
        // SHA-1 too, as old TSAs still grant it: verify must read such tokens (with a warning).
        try folder.write("tsa.cnf", tsaSection(kind, digests: "sha1, sha256, sha384, sha512"))
        try folder.write("tsa-reject.cnf", tsaSection(kind, digests: "sha512"))
    }

    /// Runs openssl and fails with its message when it does.
    @discardableResult
    func run(_ arguments: [String]) throws -> ProcessResult {
        let result = try runProcess(openssl, arguments)
        guard result.status == 0 else {
            throw ProcessFailure(command: "openssl \(arguments.joined(separator: " "))", stderr: result.stderr)
        }
        return result
    }

    /// `openssl ts -query` then `-reply` over `dataPath`, without our code: a token as a
    /// third-party client would get it. Returns the response's path.
    func opensslToken(over dataPath: String, hash: String = "sha256", certReq: Bool = true) throws -> String {
        let query = folder.path("direct-\(hash).tsq"), reply = folder.path("direct-\(hash).tsr")
        try run(["ts", "-query", "-data", dataPath, "-\(hash)"] + (certReq ? ["-cert"] : []) + ["-out", query])
        try run(["ts", "-reply", "-queryfile", query, "-config", configPath, "-out", reply])
        return reply
    }

    /// The bytes of `opensslToken(over:)`.
    func opensslTokenBytes(over dataPath: String, hash: String = "sha256", certReq: Bool = true) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: try opensslToken(over: dataPath, hash: hash, certReq: certReq))))
    }

    private func tsaSection(_ kind: TSAKind, digests: String) -> String {
        """
        [tsa]
        default_tsa = tsa_config
        [tsa_config]
        serial = \(folder.path("serial"))
        signer_cert = \(tsaCertificatePath)
        certs = \(folder.path("chain.pem"))
        signer_key = \(folder.path("tsa.key"))
        signer_digest = \(kind.signerDigest)
        default_policy = 1.3.6.1.4.1.99999.1
        digests = \(digests)
        accuracy = secs:1, millisecs:500
        ordering = no
        tsa_name = yes
        ess_cert_id_chain = no
        ess_cert_id_alg = \(kind.essCertIDHash)

        """
    }

    private static let extensions = """
        [req]
        distinguished_name = dn
        [dn]
        [v3_ca]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        [v3_tsa]
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = critical,timeStamping
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """
}

struct ProcessFailure: Error, CustomStringConvertible {
    let command: String
    let stderr: String
    var description: String { "\(command) failed: \(stderr)" }
}

/// A TSA on 127.0.0.1: a small python3 HTTP server that answers each POSTed query with
/// `openssl ts -reply`. Paths other than "/" misbehave on purpose (see `serverScript`).
///
/// Call `stop()` in a `defer`; the script also exits by itself when the test process goes away.
final class LocalTSAServer: @unchecked Sendable {
    let url: String
    private let process: Process

    init(_ pki: TestPKI) throws {
        let python = try requireTool("python3", install: "apt-get install python3")
        let script = try pki.folder.write("tsa-server.py", Self.serverScript)
        let portFile = pki.folder.path("port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, pki.configPath, pki.rejectingConfigPath, portFile, pki.openssl]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var port: String?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { $0.isEmpty ? nil : $0 }
            if port == nil { usleep(50_000) }
        }
        guard let port else {
            process.terminate()
            throw ProcessFailure(command: "python3 tsa-server.py", stderr: "the server did not start within 10 seconds")
        }
        url = "http://127.0.0.1:\(port)"
    }

    /// Kills the server. SIGKILL, because a child started from a libdispatch worker thread
    /// inherits that thread's blocked signals, so SIGTERM would stay pending forever.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    static let serverScript = #"""
        import http.server, os, signal, subprocess, sys, tempfile, threading, time

        # Started from a libdispatch thread, the process inherits blocked signals: unblock them.
        signal.pthread_sigmask(signal.SIG_SETMASK, [])

        grant_config, reject_config, port_file, openssl = sys.argv[1:5]
        parent = os.getppid()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                if length <= 0 or length > 65536:
                    self.send_error(400, "bad length")
                    return
                query = self.rfile.read(length)
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415, "not a time-stamp query")
                    return
                if self.path == "/http-error":
                    self.send_error(503, "TSA down for maintenance")
                    return
                if self.path == "/slow":
                    time.sleep(4)
                if self.path == "/huge":
                    self.answer(b"\x30" * (2 * 1024 * 1024))
                    return
                config = reject_config if self.path == "/reject" else grant_config
                with tempfile.TemporaryDirectory() as folder:
                    query_path = os.path.join(folder, "query.tsq")
                    reply_path = os.path.join(folder, "reply.tsr")
                    if self.path == "/other-request":
                        # Answers a query of its own, as a confused or malicious TSA would.
                        data_path = os.path.join(folder, "other.txt")
                        with open(data_path, "wb") as f:
                            f.write(b"something else")
                        subprocess.run([openssl, "ts", "-query", "-data", data_path, "-sha256", "-cert",
                                        "-out", query_path], check=True, capture_output=True)
                    else:
                        with open(query_path, "wb") as f:
                            f.write(query)
                    done = subprocess.run([openssl, "ts", "-reply", "-queryfile", query_path, "-config", config,
                                           "-out", reply_path], capture_output=True)
                    if done.returncode != 0 or not os.path.exists(reply_path):
                        self.send_error(500, "openssl ts -reply failed")
                        return
                    with open(reply_path, "rb") as f:
                        self.answer(f.read())

            def answer(self, body):
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)

        def watchdog():
            # Exit when the test process is gone (even if it crashed) or after ten minutes.
            started = time.time()
            while os.getppid() == parent and time.time() - started < 600:
                time.sleep(0.5)
            os._exit(0)

        threading.Thread(target=watchdog, daemon=True).start()
        with open(port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(port_file + ".tmp", port_file)
        server.serve_forever()
        """#
}

/// A loopback port nobody listens on: bound, then released, so a connection is refused.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ProcessFailure(command: "socket", stderr: String(cString: strerror(errno))) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
        }
    }
    guard bound else { throw ProcessFailure(command: "bind", stderr: String(cString: strerror(errno))) }
    return Int(UInt16(bigEndian: address.sin_port))
}
