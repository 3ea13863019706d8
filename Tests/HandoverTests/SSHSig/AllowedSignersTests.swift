import Foundation
import Testing
@testable import HandoverKit

/// The client's allowed_signers file says who may sign a bundle; it is read as ssh-keygen reads it.
@Suite("allowed_signers files")
struct AllowedSignersTests {
    /// Two keys made by ssh-keygen and a message signed by the first, for matching tests.
    struct Keys {
        let dir: TempDirectory
        let alice: String, bob: String
        let aliceLine: String, bobLine: String
        let signature: SSHSignature
        let message: [UInt8] = Array("tag manifest\n".utf8)

        init() throws {
            dir = try TempDirectory("sshsig")
            alice = try OpenSSH.makeKey(in: dir, name: "alice")
            bob = try OpenSSH.makeKey(in: dir, name: "bob")
            aliceLine = try String(contentsOfFile: alice + ".pub", encoding: .utf8).trimmingCharacters(in: .newlines)
            bobLine = try String(contentsOfFile: bob + ".pub", encoding: .utf8).trimmingCharacters(in: .newlines)
            signature = try SSHSignature.sign(.bytes(message), with: try SSHSigner.forKey(at: alice, environment: [:]))
        }

        func verify(_ contents: String, principal: String? = nil, at date: Date = Date()) throws -> SSHSignatureVerification {
            try signature.verify(message: .bytes(message), allowedSigners: try AllowedSigners(contents: contents, source: "allowed"),
                                 principal: principal, at: date)
        }
    }

    @Test("comments, blank lines, quoted principal lists, patterns and options all parse")
    func parsesTheFormat() throws {
        let k = try Keys()
        let contents = """
            # the provider's signers

              alice@provider.example,ops@* \(k.aliceLine)
            "bob@client.example,b?b@*" namespaces="handover,git",valid-after="20200101",valid-before="209912312359Z" \(k.bobLine)
            *@ca.example cert-authority \(k.bobLine)\r
            """
        let allowed = try AllowedSigners(contents: contents, source: "allowed")
        #expect(allowed.entries.map(\.line) == [3, 4, 5])
        let bob = allowed.entries[1]
        #expect(bob.principals == ["bob@client.example", "b?b@*"])
        #expect(bob.namespaces == ["handover", "git"])
        #expect(bob.publicKey == (try SSHPublicKey(contentsOf: k.bob + ".pub")))
        #expect(bob.validBefore == Date(timeIntervalSince1970: 4_102_444_740))  // 2099-12-31 23:59 UTC
        #expect(bob.allowsPrincipal("bub@x") && !bob.allowsPrincipal("bob"))
        #expect(allowed.entries[2].isCertificateAuthority)
        #expect(allowed.entries[0].publicKey.comment == "tester@example.org")
    }

    @Test("patterns: * and ? match, ! excludes, matching is case-sensitive")
    func patterns() {
        #expect(OpenSSHPattern.matches("ops@provider.example", list: ["ops@*"]))
        #expect(OpenSSHPattern.matches("ab", list: ["a?", "zz"]))
        #expect(!OpenSSHPattern.matches("root@provider.example", list: ["*@provider.example", "!root@*"]))
        #expect(!OpenSSHPattern.matches("Alice", list: ["alice"]))
        #expect(OpenSSHPattern.matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", pattern: "*a*a*a*a*a*a*a*a*a*b"))
        #expect(!OpenSSHPattern.matches("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", pattern: "*a*a*a*a*a*a*a*a*a*b"))
    }

    @Test("the matched principals: the one asked for, or every principal of the lines listing the key")
    func principals() throws {
        let k = try Keys()
        let contents = "alice@provider.example,ops@* \(k.aliceLine)\nbob \(k.bobLine)\nauditor \(k.aliceLine)\n"
        #expect(try k.verify(contents).principals == ["alice@provider.example", "ops@*", "auditor"])
        let asked = try k.verify(contents, principal: "ops@provider.example")
        #expect(asked.isValid)
        #expect(asked.principals == ["ops@provider.example"])
        #expect(!(try k.verify(contents, principal: "bob").isValid))
    }

    @Test("valid-after and valid-before are honoured at the verification time")
    func validity() throws {
        let k = try Keys()
        let contents = "alice valid-after=\"20250101Z\",valid-before=\"20260101Z\" \(k.aliceLine)"
        let inside = Date(timeIntervalSince1970: 1_750_000_000)  // June 2025
        let after = Date(timeIntervalSince1970: 1_800_000_000)   // January 2027
        #expect(try k.verify(contents, at: inside).isValid)
        let expired = try k.verify(contents, at: after)
        #expect(!expired.isValid)
        guard case .notAllowed(let reason) = expired.signer else { Issue.record("\(expired.signer)"); return }
        #expect(reason.contains("line 1"))
        #expect(reason.contains("valid before 2026-01-01T00:00:00Z"))
    }

    @Test("cert-authority lines never match a plain key, and say so in the notes")
    func certificateAuthority() throws {
        let k = try Keys()
        let result = try k.verify("alice cert-authority \(k.aliceLine)")
        #expect(!result.isValid)
        #expect(result.notes.contains { $0.contains("cert-authority lines (1) were ignored") })
    }

    @Test("a namespaces= pattern can allow handover")
    func namespacePatterns() throws {
        let k = try Keys()
        #expect(try k.verify("alice namespaces=\"hand*\" \(k.aliceLine)").isValid)
        #expect(!(try k.verify("alice namespaces=\"git,!handover\" \(k.aliceLine)").namespaceAllowed))
    }

    @Test("malformed lines are errors that name the line", arguments: [
        ("alice", "the key is missing after the principals"),
        ("alice foo=\"bar\" KEY", "unknown option \"foo\""),
        ("alice namespaces=git KEY", "the value of namespaces must be in double quotes"),
        ("alice valid-after=\"2025\" KEY", "valid-after=\"2025\" is not a time YYYYMMDD[HHMM[SS]][Z]"),
        ("alice valid-after=\"20251341\" KEY", "is not a time"),
        ("alice namespaces=\"a\",namespaces=\"b\" KEY", "namespaces= appears twice"),
        ("\"alice KEY", "a double quote is not closed"),
        ("alice ssh-ed25519 AAAA!!", "the key is not usable"),
        ("alice cert-authority,", "the options end with a comma"),
    ] as [(String, String)])
    func malformedLines(line: String, reason: String) throws {
        let k = try Keys()
        let text = "# header\n\n" + line.replacingOccurrences(of: "KEY", with: k.aliceLine) + "\n"
        let error = #expect(throws: SSHSigError.self) { try AllowedSigners(contents: text, source: "signers.txt") }
        guard case .malformedAllowedSigners(let source, let number, let message) = error else {
            Issue.record("\(String(describing: error))"); return
        }
        #expect(source == "signers.txt" && number == 3)
        #expect(message.contains(reason), "\(message)")
        #expect(error?.errorDescription?.hasPrefix("signers.txt, line 3: ") == true)
    }

    @Test("ssh-keygen accepts the same file with the same options")
    func keygenAgrees() throws {
        let k = try Keys()
        let path = try k.dir.write("allowed", "# comment\n\"alice,ops@*\" namespaces=\"handover\",valid-after=\"20200101\" \(k.aliceLine)\n")
        let message = try k.dir.write("m", Data(k.message))
        let result = try OpenSSH.verify(message: message, signature: k.signature.armored, allowedSigners: path, principal: "ops@x", in: k.dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try k.signature.verify(message: .file(message), allowedSigners: try AllowedSigners(contentsOf: path), principal: "ops@x").isValid)
    }
}
