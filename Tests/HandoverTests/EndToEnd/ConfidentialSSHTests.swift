import Foundation
import Testing

/// The next provider's staff often have only SSH keys: build encrypts confidential deliverables
/// for their `.pub` lines, and `age -d -i` or `handover extract --identity` opens them with the
/// private keys, ssh-keygen's Ed25519 and RSA alike.
@Suite("Confidential deliverables for SSH keys: build --recipient \"ssh-...\", age -d, extract --identity")
struct ConfidentialSSHTests {
    @Test("--recipient with an ssh-ed25519 line and --recipients-file with an ssh-rsa .pub: age -d and extract open both")
    func sshRecipientsBothWays() throws {
        let tools = try AgeTools()
        let keys = try TempDirectory("handover-ssh-keys")
        let ed = try SSHKeyPair(keys, "id_ed25519", type: "ed25519")
        let rsa = try SSHKeyPair(keys, "id_rsa", type: "rsa", bits: 3072)
        let stranger = try SSHKeyPair(keys, "stranger", type: "ed25519")
        let fixture = try confidentialSource()
        let sandbox = try ExtractSandbox()
        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar.zst"),
                                     extra: ["--recipient", ed.publicLine, "--recipients-file", rsa.publicPath])
        let verified = try handover(["verify", bundle])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")

        let unpacked = sandbox.temp.path("bsdtar")
        try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
        #expect(try runProcess(try requireTool("bsdtar", install: "apt-get install libarchive-tools"), ["-xf", bundle, "-C", unpacked]).status == 0)
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: unpacked).first)
        for name in ["break-glass.csv", "services.csv"] {
            let sealed = "\(unpacked)/\(bag)/data/secrets/\(name).age"
            let header = String(decoding: try Data(contentsOf: URL(fileURLWithPath: sealed)).prefix(1200), as: UTF8.self)
            #expect(header.contains("-> ssh-ed25519 ") && header.contains("-> ssh-rsa "), "\(header)")
            for key in [ed.path, rsa.path] {
                let opened = try runProcess(tools.age, ["-d", "-i", key, sealed])
                #expect(opened.status == 0, "age -d -i \(key): \(opened.stderr)")
                #expect(opened.stdoutData == (try Data(contentsOf: URL(fileURLWithPath: fixture.path("secrets/\(name)")))))
            }
            #expect(try runProcess(tools.age, ["-d", "-i", stranger.path, sealed]).status != 0)
        }
        try sandbox.refresh()

        for (index, key) in [ed.path, rsa.path].enumerated() {
            let target = sandbox.temp.path("out-\(index)")
            let result = try handover(["extract", bundle, "--to", target, "--identity", key])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let plain = "\(target)/data/secrets/break-glass.csv"
            #expect(try Data(contentsOf: URL(fileURLWithPath: plain)) == Data(contentsOf: URL(fileURLWithPath: fixture.path("secrets/break-glass.csv"))))
        }
        let refused = try handover(["extract", bundle, "--to", sandbox.target, "--identity", stranger.path])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stderr.contains("None of the given identities can decrypt data/secrets/"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
    }

    @Test("a passphrase-protected SSH key, a 1024-bit RSA recipient: exit 2 with what to do, nothing written")
    func refusedKeys() throws {
        let keys = try TempDirectory("handover-ssh-keys")
        let locked = try SSHKeyPair(keys, "locked", type: "ed25519", passphrase: "correct horse")
        let small = try SSHKeyPair(keys, "small", type: "rsa", bits: 1024)
        let fixture = try confidentialSource()
        let sandbox = try ExtractSandbox()

        let build = try handover(["build", "--manifest", fixture.manifestPath, fixture.source, "--output", sandbox.temp.path("small.tar"),
                                  "--recipient", small.publicLine])
        #expect(build.status == 2, "\(build.stdout)\(build.stderr)")
        #expect(build.stderr.contains("1024-bit RSA key"), "\(build.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.temp.path("small.tar")))

        let bundle = try buildBundle(fixture, output: sandbox.temp.path("acme.tar"), extra: ["--recipient", locked.publicLine])
        try sandbox.refresh()
        let extract = try handover(["extract", bundle, "--to", sandbox.target, "--identity", locked.path])
        #expect(extract.status == 2, "\(extract.stdout)\(extract.stderr)")
        #expect(extract.stderr.contains("protected by a passphrase") && extract.stderr.contains("ssh-keygen -p"), "\(extract.stderr)")
        #expect(!extract.stderr.contains("Swift/") && !extract.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: sandbox.target))
    }
}
