import Foundation
import Synchronization
import Testing
@testable import HandoverKit

/// The key types handover signs with besides Ed25519, as ssh-keygen makes them.
enum SSHKeyKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case rsa3072, ecdsa256, ecdsa384, ecdsa521

    var keygenType: String { self == .rsa3072 ? "rsa" : "ecdsa" }
    var bits: Int {
        switch self {
        case .rsa3072: return 3072
        case .ecdsa256: return 256
        case .ecdsa384: return 384
        case .ecdsa521: return 521
        }
    }

    /// The key type name inside the key and the signature.
    var keyType: String { self == .rsa3072 ? "ssh-rsa" : "ecdsa-sha2-nistp\(bits)" }
    /// The signature algorithm handover and ssh-keygen sign with.
    var signatureAlgorithm: String { self == .rsa3072 ? "rsa-sha2-512" : keyType }

    var testDescription: String { "\(keygenType)-\(bits)" }
}

/// One key of each `SSHKeyKind`, made by `ssh-keygen -N ''` once per test process and shared by
/// the suites that need them: an RSA-3072 key takes about a second to make on a busy machine.
/// The folder is removed when the test process exits.
final class SharedSSHKeys: Sendable {
    let folder: String

    private static let made: Result<SharedSSHKeys, MissingTool> = {
        do {
            return .success(try SharedSSHKeys())
        } catch let error as MissingTool {
            return .failure(error)
        } catch {
            return .failure(MissingTool(tool: "ssh-keygen (making the shared keys failed: \(error))", install: OpenSSH.install))
        }
    }()

    /// The keys; throws (failing the test with what to install) when ssh-keygen is absent.
    static func get() throws -> SharedSSHKeys { try made.get() }

    private init() throws {
        folder = NSTemporaryDirectory() + "/handover-shared-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        Self.folderToRemove.withLock { $0 = folder }
        atexit { SharedSSHKeys.folderToRemove.withLock { if let path = $0 { try? FileManager.default.removeItem(atPath: path) } } }
        let keygen = try OpenSSH.keygen()
        for kind in SSHKeyKind.allCases {
            let result = try runProcess(keygen, ["-q", "-t", kind.keygenType, "-b", String(kind.bits), "-N", "",
                                                 "-C", "shared-\(kind.rawValue)@example.org", "-f", path(kind)])
            guard result.status == 0 else {
                throw MissingTool(tool: "ssh-keygen -t \(kind.keygenType) -b \(kind.bits) (it failed: \(result.stderr))", install: OpenSSH.install)
            }
        }
    }

    private static let folderToRemove = Mutex<String?>(nil)

    /// The private key file of `kind` (the `.pub` is beside it).
    func path(_ kind: SSHKeyKind) -> String { folder + "/id_\(kind.rawValue)" }
}

/// The armored text of an SSHSIG signature over nothing in particular (namespace "handover"),
/// made with a key of `keyType` that handover does not know: what a bundle signed with a
/// security key or a future algorithm carries.
func signatureWithUnknownKeyType(_ keyType: String) throws -> String {
    var key = SSHWireWriter()
    key.writeString(keyType)
    key.writeString([UInt8](repeating: 7, count: 32))
    key.writeString("ssh:")
    var inner = SSHWireWriter()
    inner.writeString(keyType)
    inner.writeString([UInt8](repeating: 9, count: 64))
    return SSHSignature(publicKey: try SSHPublicKey(blob: key.bytes), namespace: "handover", hashAlgorithm: .sha512,
                        signature: inner.bytes).armored
}
