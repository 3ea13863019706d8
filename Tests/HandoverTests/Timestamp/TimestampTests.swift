import Foundation
import Testing
@testable import HandoverKit

/// A bundle's tag manifest gets an RFC 3161 time-stamp at build time from a TSA, and anyone
/// can later check it, with `handover verify --tsa-ca` or with `openssl ts -verify`.
@Suite("RFC 3161 time-stamps against a local openssl TSA")
struct TimestampTests {
    /// A stand-in for a bundle's tag manifest.
    static func tagManifest(in pki: TestPKI, _ text: String = "1a2b3c  bagit.txt\n4d5e6f  bag-info.txt\n") throws -> String {
        try pki.folder.write("tagmanifest-sha256.txt", text)
    }

    @Test("a granted time-stamp is accepted by openssl ts -verify and by our verifier", arguments: TSAKind.all)
    func grantedAndVerified(kind: TSAKind) async throws {
        let pki = try TestPKI("grant", kind: kind)
        let server = try LocalTSAServer(pki)
        defer { server.stop() }
        let manifest = try Self.tagManifest(in: pki)

        let request = try TimestampRequest(forFileAt: manifest)
        let issued = try TimestampClient().timestamp(request, urls: [server.url])
        let tsr = try pki.folder.write("timestamp.tsr", Data(issued.responseBytes))
        #expect(issued.url.absoluteString == server.url)
        #expect(abs(issued.token.genTime.timeIntervalSinceNow) < 300)

        let openssl = try runProcess(pki.openssl, ["ts", "-verify", "-data", manifest, "-in", tsr, "-CAfile", pki.caPath])
        #expect(openssl.status == 0, "openssl ts -verify: \(openssl.stdout) \(openssl.stderr)")
        #expect(openssl.stdout.contains("Verification: OK"))

        let verification = try await TimestampVerifier(caFile: pki.caPath)
            .verify(issued.responseBytes, against: .file(path: manifest))
        #expect(verification.outcome == .verified, "\(verification.message)")
        #expect(verification.time == issued.token.genTime)
        #expect(verification.message.contains(issued.token.genTimeText))

        // What we read from the token agrees with openssl's reading of it.
        let text = try pki.run(["ts", "-reply", "-in", tsr, "-text"]).stdout
        let token = try #require(verification.token)
        #expect(text.contains("Policy OID: \(token.policy)"))
        #expect(text.contains("Serial number: 0x\(token.serialNumber.uppercased())"))
        #expect(text.contains("Nonce: 0x\(hex(request.nonce).uppercased())"))
        #expect(token.tsaName?.contains("Handover Test TSA grant") == true)
        #expect(token.accuracy == 1.5)
    }

    @Test("our request is what openssl understands: SHA-256 imprint, nonce, certificate requested")
    func requestAsOpenSSLReadsIt() throws {
        let pki = try TestPKI("request", withTSA: false)
        let request = TimestampRequest(imprint: MessageImprint(of: Array("hello".utf8)))
        let path = try pki.folder.write("request.tsq", Data(request.derEncoded()))
        let text = try pki.run(["ts", "-query", "-in", path, "-text"]).stdout
        #expect(text.contains("Hash Algorithm: sha256"))
        #expect(text.contains("Certificate required: yes"))
        #expect(text.contains("Nonce: 0x\(hex(request.nonce).uppercased())"))
        let dump = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "-", with: "").lowercased()
        #expect(dump.contains(String(hex(request.imprint.digest).prefix(32))))
        #expect(request.nonce.count >= 7 && request.nonce.first != 0)
        #expect(TimestampRequest(imprint: request.imprint).nonce != request.nonce)
    }

    @Test("a token made by openssl ts -query/-reply alone verifies with ours, whatever its hash")
    func opensslMadeTokenVerifies() async throws {
        let pki = try TestPKI("direct")
        let manifest = try Self.tagManifest(in: pki)
        for hash in ["sha256", "sha512"] {
            let bytes = try pki.opensslTokenBytes(over: manifest, hash: hash)
            let verification = try await TimestampVerifier(caFile: pki.caPath).verify(bytes, against: .file(path: manifest))
            #expect(verification.outcome == .verified, "\(hash): \(verification.message)")
            #expect(verification.token?.imprint.algorithm.rawValue == (hash == "sha256" ? "SHA-256" : "SHA-512"))
            #expect(verification.token?.nonce != nil)
        }
    }

    @Test("a token without certificates verifies when the PEM file holds the TSA certificate too")
    func tokenWithoutCertificates() async throws {
        let pki = try TestPKI("nocert")
        let manifest = try Self.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest, certReq: false)

        let caOnly = try await TimestampVerifier(caFile: pki.caPath).verify(bytes, against: .file(path: manifest))
        #expect(caOnly.outcome == .failed(.signature))
        #expect(caOnly.message.contains("does not include its signer's certificate"))

        let both = try await TimestampVerifier(caFile: pki.folder.path("chain.pem")).verify(bytes, against: .file(path: manifest))
        #expect(both.outcome == .verified, "\(both.message)")
    }

    @Test("another CA, another content: refused, with a sentence that says which")
    func otherCAAndOtherContentRefused() async throws {
        let pki = try TestPKI("mine")
        let other = try TestPKI("other", withTSA: false)
        let manifest = try Self.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest)

        let wrongCA = try await TimestampVerifier(caFile: other.caPath).verify(bytes, against: .file(path: manifest))
        #expect(wrongCA.outcome == .failed(.chain))
        #expect(wrongCA.message.contains("does not chain to the CA in \(other.caPath)"))
        #expect(wrongCA.failedCheck == .chain)
        #expect(TimestampError.checkFailed(.chain, wrongCA.message).exitStatus == .checkFailed)
        let openssl = try runProcess(pki.openssl, ["ts", "-verify", "-data", manifest, "-in", pki.folder.path("direct-sha256.tsr"), "-CAfile", other.caPath])
        #expect(openssl.status != 0)

        let otherFile = try pki.folder.write("other.txt", "not the tag manifest\n")
        for content: TimestampedContent in [.file(path: otherFile), .imprint(try MessageImprint(ofFileAt: otherFile))] {
            let wrongContent = try await TimestampVerifier(caFile: pki.caPath).verify(bytes, against: content)
            #expect(wrongContent.outcome == .failed(.imprint))
            #expect(wrongContent.message.contains("over other content than this bundle's tag manifest"))
        }
        let withoutCA = try await TimestampVerifier().verify(bytes, against: .file(path: otherFile))
        #expect(withoutCA.outcome == .failed(.imprint))
    }

    @Test("without a CA the imprint is checked and the time is reported as not verified")
    func withoutCA() async throws {
        let pki = try TestPKI("noca")
        let manifest = try Self.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest)
        let verification = try await TimestampVerifier().verify(bytes, against: .bytes(Array(try pki.folder.read("tagmanifest-sha256.txt"))))
        #expect(verification.outcome == .notVerified)
        #expect(verification.passed)
        #expect(verification.message.contains("not verified"))
        #expect(verification.time != nil)
    }

    @Test("a synchronous command can verify too, from a thread outside Swift concurrency")
    func verifyFromPlainThread() throws {
        let pki = try TestPKI("waiting")
        let manifest = try Self.tagManifest(in: pki)
        let bytes = try pki.opensslTokenBytes(over: manifest)
        let verifier = try TimestampVerifier(caFile: pki.caPath)
        final class Box: @unchecked Sendable { var outcome: TimestampVerification.Outcome? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        // As in a plain command's run() on the main thread.
        let thread = Thread {
            let result: TimestampVerification? = try? Self.verifySynchronously(verifier, bytes, manifest)
            box.outcome = result?.outcome
            done.signal()
        }
        thread.start()
        // The wait is generous: while the whole suite runs, tests that block Swift's cooperative
        // pool (waiting for child processes) can delay the verifier's detached task for a while.
        #expect(done.wait(timeout: .now() + 600) == .success)
        #expect(box.outcome == .verified)
    }

    static func verifySynchronously(_ verifier: TimestampVerifier, _ bytes: [UInt8], _ path: String) throws -> TimestampVerification {
        try verifier.verifyWaiting(bytes, against: .file(path: path))
    }

    @Test("garbage, truncated and empty responses give a clear error, never a crash")
    func garbageAndTruncated() async throws {
        let pki = try TestPKI("garbage")
        let manifest = try Self.tagManifest(in: pki)
        let good = try pki.opensslTokenBytes(over: manifest)
        var samples: [[UInt8]] = [[], Array("this is not DER".utf8), (0..<4096).map { _ in UInt8.random(in: 0...255) }]
        samples += stride(from: 1, to: good.count, by: 97).map { Array(good.prefix($0)) }
        samples.append(good + [0])
        let verifier = try TimestampVerifier(caFile: pki.caPath)
        for sample in samples {
            #expect(throws: TimestampError.self) { try TimestampResponse(derEncoded: sample) }
            let verification = try await verifier.verify(sample, against: .file(path: manifest))
            #expect(verification.outcome == .failed(.format))
            #expect(verification.message.hasPrefix("The time-stamp response is not a valid RFC 3161 response"))
        }
        let truncated = TimestampError.malformed("the data is truncated")
        #expect(truncated.exitStatus == .checkFailed)
    }

    @Test("every change to a signed byte is refused; any other change keeps the same time and imprint")
    func tamperedBytes() async throws {
        let pki = try TestPKI("tamper")
        let manifest = try Self.tagManifest(in: pki)
        let good = try pki.opensslTokenBytes(over: manifest)
        let verifier = try TimestampVerifier(caFile: pki.caPath)
        let original = try #require(try await verifier.verify(good, against: .file(path: manifest)).token)

        // Where the TSTInfo, the signed attributes and the signature sit in the response.
        var signedRanges: [Range<Int>] = []
        for part in [original.signed.content, Array(original.signed.signedAttributesDER.dropFirst()), original.signed.signature] {
            signedRanges.append(try #require(good.firstRange(of: part)))
        }
        // Every signed byte, and every fifth of the others (to keep the test quick).
        let indices = good.indices.filter { index in index % 5 == 0 || signedRanges.contains { $0.contains(index) } }
        var accepted = 0
        for index in indices {
            var changed = good
            changed[index] ^= 0x01
            let verification = try await verifier.verify(changed, against: .file(path: manifest))
            guard verification.outcome == .verified else { continue }
            accepted += 1
            // Only bytes outside what is signed may change: the token carries the TSA certificate
            // twice and the CA certificate, which chain building does not need.
            #expect(!signedRanges.contains { $0.contains(index) }, "byte \(index) is signed but its change was accepted")
            #expect(verification.token?.genTimeText == original.genTimeText, "byte \(index)")
            #expect(verification.token?.imprint == original.imprint, "byte \(index)")
        }
        #expect(accepted < indices.count / 2)
    }

    @Test("the TSA's certificate must be reserved for time-stamping, in a critical extension")
    func timestampingUsage() throws {
        let pki = try TestPKI("usage")
        let cases: [(String, String?)] = [
            ("extendedKeyUsage = critical,timeStamping", nil),
            ("extendedKeyUsage = timeStamping", "does not mark"),
            ("extendedKeyUsage = critical,timeStamping,codeSigning", "not reserved"),
            ("keyUsage = digitalSignature", "has no extended key usage"),
        ]
        for (index, (line, failure)) in cases.enumerated() {
            try pki.folder.write("usage\(index).cnf", "[ext]\n\(line)\n")
            let path = pki.folder.path("usage\(index).pem")
            try pki.run(["x509", "-req", "-in", pki.folder.path("tsa.csr"), "-CA", pki.caPath, "-CAkey", pki.folder.path("ca.key"),
                         "-set_serial", "\(index + 10)", "-days", "1", "-extfile", pki.folder.path("usage\(index).cnf"),
                         "-extensions", "ext", "-out", path])
            let certificate = try #require(try TimestampVerifier(caFile: path).trustAnchors.first)
            let reason = TimestampVerifier.usageFailure(certificate)
            if let failure {
                #expect(reason?.contains(failure) == true, "\(line): \(reason ?? "accepted")")
            } else {
                #expect(reason == nil, "\(line): \(reason ?? "")")
            }
        }
    }

    @Test("an unusable CA file is a could-not-run error that names it")
    func unusableCAFile() throws {
        let pki = try TestPKI("cafile", withTSA: false)
        let notPEM = try pki.folder.write("notes.txt", "hello\n")
        for path in [notPEM, pki.folder.path("missing.pem"), pki.folder.path("ca.key")] {
            #expect {
                try TimestampVerifier(caFile: path)
            } throws: { error in
                guard let error = error as? TimestampError, case .unusableCAFile(let named, _) = error else { return false }
                return named == path && error.exitStatus == .couldNotRun
            }
        }
        let bundle = try pki.folder.write("two.pem", try pki.folder.read("ca.pem") + (try pki.folder.read("ca.pem")))
        #expect(try TimestampVerifier(caFile: bundle).trustAnchors.count == 2)
    }
}
