import Foundation
import Testing

/// Authenticity is a verdict of its own: authenticated (a valid signature by a key the reader
/// trusts), signed by an unknown key, or not signed. Only the first is green.
@Suite("Authenticity: authenticated, signed by an unknown key, or not signed")
struct AuthenticityTests {
    /// An empty configuration folder, so that the tester's own allowed_signers is never read.
    static func cleanConfig(_ stage: EvidenceFixture) throws -> [String: String] {
        let config = stage.path("config-empty")
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        return ["XDG_CONFIG_HOME": config]
    }

    func run(_ stage: EvidenceFixture, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
        try handover(arguments, environment: environment)
    }

    @Test("the three outcomes in text, JSON, HTML and Markdown")
    func threeOutcomes() throws {
        let stage = try EvidenceFixture()
        let env = try Self.cleanConfig(stage)
        let signer = try stage.makeSigner()
        try stage.buildOK("unsigned.tar")
        try stage.buildOK("signed.tar", ["--sign", signer.key])

        // (bundle, trust options, text, JSON authenticity, report verdict, banner class)
        let cases: [(String, [String], String, String, String, String)] = [
            ("unsigned.tar", [], "Authenticity: NOT SIGNED: anybody could have produced this bundle", "not-signed", "unauthenticated", "v-unauthenticated"),
            ("signed.tar", [], "Authenticity: signed by an unknown key (ssh-ed25519 \(signer.fingerprint))", "unknown-key", "unauthenticated", "v-unauthenticated"),
            ("signed.tar", ["--allowed-signers", signer.allowed], "Authenticity: authenticated, signed by \(EvidenceFixture.principal)", "authenticated", "complete", "v-complete"),
        ]
        for (bundle, trust, text, json, verdict, banner) in cases {
            let path = stage.path(bundle)
            let verify = try run(stage, ["verify", path] + trust, environment: env)
            #expect(verify.status == 0, "\(bundle) \(trust): \(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains(text), "\(verify.stdout)")
            if json == "authenticated" {
                #expect(verify.stdout.contains("Result: VALID, the bundle is intact and complete, and signed by \(EvidenceFixture.principal)"))
            } else {
                #expect(verify.stdout.contains("Result: NOT AUTHENTICATED"), "\(verify.stdout)")
                #expect(verify.stdout.contains("anybody could have produced it"), "\(verify.stdout)")
                #expect(!verify.stdout.contains("Result: VALID"))
            }
            let object = try jsonObject(try run(stage, ["verify", path, "--format", "json"] + trust, environment: env))
            #expect(object["authenticity"] as? String == json)
            #expect(object["passed"] as? Bool == true)

            let html = stage.path("\(bundle)-\(json).html")
            let report = try run(stage, ["report", path, "--output", html] + trust, environment: env)
            #expect(report.status == 0, "\(report.stderr)")
            let page = try String(contentsOfFile: html, encoding: .utf8)
            #expect(page.contains("class=\"verdict \(banner)\""), "\(bundle) \(trust)")
            let markdown = try run(stage, ["report", path, "--output", "-", "--format", "md"] + trust, environment: env)
            let french = try run(stage, ["report", path, "--output", "-", "--format", "md", "--lang", "fr"] + trust, environment: env)
            if verdict == "complete" {
                #expect(markdown.stdout.contains("## ✓ Handover complete"), "\(markdown.stdout)")
                #expect(french.stdout.contains("## ✓ Remise complète"))
            } else {
                #expect(markdown.stdout.contains("## ! Intact, but not authenticated"), "\(markdown.stdout)")
                #expect(markdown.stdout.contains("anybody could have produced it"))
                #expect(french.stdout.contains("## ! Archive intacte, mais non authentifiée"), "\(french.stdout)")
                #expect(french.stdout.contains("n'importe qui a pu la produire"))
                #expect(!french.stdout.contains("Remise complète"), "no green word for an unauthenticated bundle")
            }
        }
    }

    @Test("--signer takes the fingerprint ssh-keygen -l prints; another key's fingerprint fails")
    func signerFingerprint() throws {
        let stage = try EvidenceFixture()
        let env = try Self.cleanConfig(stage)
        let signer = try stage.makeSigner()
        let other = try stage.makeSigner("id_other")
        try stage.buildOK("signed.tar", ["--sign", signer.key])
        let path = stage.path("signed.tar")

        let trusted = try run(stage, ["verify", path, "--signer", signer.fingerprint], environment: env)
        #expect(trusted.status == 0, "\(trusted.stdout)\(trusted.stderr)")
        #expect(trusted.stdout.contains("Authenticity: authenticated, signed by \(signer.fingerprint)"), "\(trusted.stdout)")

        let wrong = try run(stage, ["verify", path, "--signer", other.fingerprint], environment: env)
        #expect(wrong.status == 1, "\(wrong.stdout)")
        #expect(wrong.stdout.contains("which is not among the keys trusted"), "\(wrong.stdout)")

        let malformed = try run(stage, ["verify", path, "--signer", "SHA256:short"], environment: env)
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("--signer SHA256:short: not a key fingerprint"), "\(malformed.stderr)")
    }

    @Test("the allowed_signers file the reader keeps in $XDG_CONFIG_HOME/handover is used by default")
    func defaultAllowedSigners() throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner()
        try stage.buildOK("signed.tar", ["--sign", signer.key])
        try stage.buildOK("unsigned.tar")
        let config = stage.path("config")
        try FileManager.default.createDirectory(atPath: config + "/handover", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: signer.allowed, toPath: config + "/handover/allowed_signers")
        let env = ["XDG_CONFIG_HOME": config]

        let verify = try handover(["verify", stage.path("signed.tar")], environment: env)
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("Authenticity: authenticated, signed by \(EvidenceFixture.principal)"), "\(verify.stdout)")
        #expect(verify.stdout.contains("trusted through \(config)/handover/allowed_signers"), "\(verify.stdout)")
        // It recognises; it does not require: an unsigned bundle is still intact, not authenticated.
        let unsigned = try handover(["verify", stage.path("unsigned.tar")], environment: env)
        #expect(unsigned.status == 0, "\(unsigned.stdout)")
        #expect(unsigned.stdout.contains("Result: NOT AUTHENTICATED"))
    }

    @Test("--require-signature and --require-timestamp turn what is not proven into exit 1")
    func requireFlags() throws {
        let stage = try EvidenceFixture()
        let env = try Self.cleanConfig(stage)
        let signer = try stage.makeSigner()
        try stage.buildOK("signed.tar", ["--sign", signer.key])
        try stage.buildOK("unsigned.tar")

        let unsigned = try run(stage, ["verify", stage.path("unsigned.tar"), "--require-signature"], environment: env)
        #expect(unsigned.status == 1)
        #expect(unsigned.stdout.contains("not signed, but a signature by a trusted key was required"), "\(unsigned.stdout)")
        let unknown = try run(stage, ["verify", stage.path("signed.tar"), "--require-signature"], environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("no trusted key was given to recognise it"), "\(unknown.stdout)")
        let trusted = try run(stage, ["verify", stage.path("signed.tar"), "--require-signature", "--signer", signer.fingerprint], environment: env)
        #expect(trusted.status == 0, "\(trusted.stdout)")
        let noStamp = try run(stage, ["verify", stage.path("signed.tar"), "--require-timestamp", "--signer", signer.fingerprint], environment: env)
        #expect(noStamp.status == 1)
        #expect(noStamp.stdout.contains("the bundle has no time-stamp, but a verified time-stamp was required"), "\(noStamp.stdout)")
    }
}
