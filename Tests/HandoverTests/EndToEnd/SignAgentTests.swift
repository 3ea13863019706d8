import Foundation
import Testing

/// A careful provider keeps the signing key passphrase-protected and loaded in ssh-agent;
/// handover signs through the agent and never asks for the passphrase itself.
@Suite("Signed bundles: signing through ssh-agent")
struct SignAgentTests {
    static let passphrase = "correct horse battery staple"

    @Test("--sign KEY.pub, or the protected key itself, signs through a real ssh-agent holding the key",
          arguments: [".pub", ""])
    func signsThroughAgent(suffix: String) throws {
        let stage = try EvidenceFixture()
        let signer = try stage.makeSigner(passphrase: Self.passphrase)
        let agent = try RunningAgent(in: stage.work)
        defer { agent.stop() }
        try agent.add(signer.key, passphrase: Self.passphrase, in: stage.work)

        let build = try stage.buildOK("bundle.tar", ["--sign", signer.key + suffix], environment: agent.environment)
        #expect(build.stdout.contains("  signed by \(signer.fingerprint) (ssh-ed25519, through ssh-agent)\n"), "\(build.stdout)")

        let keygen = try stage.sshKeygenVerify(try stage.unpack(), allowedSigners: signer.allowed)
        #expect(keygen.status == 0, "ssh-keygen -Y verify refused the agent's signature: \(keygen.stderr)")

        let verify = try stage.verify("bundle.tar", ["--allowed-signers", signer.allowed])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("Authenticity: authenticated, signed by \(EvidenceFixture.principal)"))
        #expect(verify.stdout.contains(signer.fingerprint))
    }

    /// How the key is given, and what agent there is: none, or one that does not hold the key.
    enum NoUsableAgent: String, CaseIterable, Sendable {
        case protectedKeyNoAgent, protectedKeyEmptyAgent, publicKeyNoAgent, publicKeyEmptyAgent

        var suffix: String { rawValue.hasPrefix("public") ? ".pub" : "" }
        var startsAgent: Bool { rawValue.hasSuffix("EmptyAgent") }
    }

    @Test("without an agent holding the key, build stops with exit 2, says to ssh-add it, and writes nothing",
          arguments: NoUsableAgent.allCases)
    func noAgent(setup: NoUsableAgent) throws {
        let stage = try EvidenceFixture()
        let key = try stage.makeKey("id_ed25519", passphrase: Self.passphrase)
        var environment = ["SSH_AUTH_SOCK": ""]
        let agent = setup.startsAgent ? try RunningAgent(in: stage.work) : nil
        defer { agent?.stop() }
        if let agent { environment = agent.environment }

        let build = try stage.build("bundle.tar", ["--sign", key + setup.suffix], environment: environment)
        #expect(build.status == 2, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.hasPrefix("handover: error: "), "\(build.stderr)")
        #expect(build.stderr.contains("ssh-add"), "the message says how to load the key: \(build.stderr)")
        if setup == .protectedKeyNoAgent {
            #expect(build.stderr.contains("passphrase"), "\(build.stderr)")
        }
        #expect(!build.stderr.contains("Fatal error"))
        #expect(try stage.leftovers(startingWith: "bundle.tar").isEmpty)
    }
}
