// BoringSSL's C API, reached through swift-crypto, which builds it as its CCryptoBoringSSL
// target: swift-crypto's RSA-OAEP (_CryptoExtras) cannot set the OAEP label, and age's ssh-rsa
// stanza needs one. Like Yams's CYaml (Manifest/AliasGuard.swift), the module is visible only
// because a target sees its dependencies' targets; this file is the one place that uses it.
import CCryptoBoringSSL
import Foundation

/// RSA-OAEP with SHA-256 (and MGF1-SHA-256) and age's label, as the ssh-rsa stanza wraps a file
/// key. Keys arrive as DER that swift-crypto wrote (SubjectPublicKeyInfo, PKCS#8), so BoringSSL
/// parses what swift-crypto already checked.
enum AgeRSAOAEP {
    static let label = Array("age-encryption.org/v1/ssh-rsa".utf8)

    /// `message` encrypted for the public key `spki`; nil if BoringSSL refuses.
    static func encrypt(_ message: [UInt8], publicKeySPKI spki: Data) -> [UInt8]? {
        withKey(spki, parse: { CCryptoBoringSSL_EVP_parse_public_key($0) }) { key in
            run(key, initialize: { CCryptoBoringSSL_EVP_PKEY_encrypt_init($0) }) { ctx, out, outLength in
                message.withUnsafeBufferPointer { input in
                    CCryptoBoringSSL_EVP_PKEY_encrypt(ctx, out, outLength, input.baseAddress, input.count)
                }
            }
        }
    }

    /// `ciphertext` decrypted with the private key `pkcs8`; nil when it does not decrypt (wrong
    /// key, altered ciphertext, wrong length or label).
    static func decrypt(_ ciphertext: [UInt8], privateKeyPKCS8 pkcs8: Data) -> [UInt8]? {
        withKey(pkcs8, parse: { CCryptoBoringSSL_EVP_parse_private_key($0) }) { key in
            run(key, initialize: { CCryptoBoringSSL_EVP_PKEY_decrypt_init($0) }) { ctx, out, outLength in
                ciphertext.withUnsafeBufferPointer { input in
                    CCryptoBoringSSL_EVP_PKEY_decrypt(ctx, out, outLength, input.baseAddress, input.count)
                }
            }
        }
    }

    private static func withKey(
        _ der: Data, parse: (UnsafeMutablePointer<CBS>) -> OpaquePointer?, _ body: (OpaquePointer) -> [UInt8]?
    ) -> [UInt8]? {
        let bytes = [UInt8](der)
        return bytes.withUnsafeBufferPointer { buffer -> [UInt8]? in
            var cbs = CBS()
            CCryptoBoringSSL_CBS_init(&cbs, buffer.baseAddress, buffer.count)
            guard let key = parse(&cbs) else {
                CCryptoBoringSSL_ERR_clear_error()
                return nil
            }
            defer { CCryptoBoringSSL_EVP_PKEY_free(key) }
            return body(key)
        }
    }

    /// Sets up an encryption or decryption context with OAEP, SHA-256 and the label, then runs
    /// `operation` into a buffer of the key's size.
    private static func run(
        _ key: OpaquePointer, initialize: (OpaquePointer) -> CInt,
        _ operation: (OpaquePointer, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Int>) -> CInt
    ) -> [UInt8]? {
        guard let ctx = CCryptoBoringSSL_EVP_PKEY_CTX_new(key, nil) else { return nil }
        defer {
            CCryptoBoringSSL_EVP_PKEY_CTX_free(ctx)
            CCryptoBoringSSL_ERR_clear_error()
        }
        guard initialize(ctx) == 1,
              CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) == 1,
              CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_oaep_md(ctx, CCryptoBoringSSL_EVP_sha256()) == 1,
              CCryptoBoringSSL_EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, CCryptoBoringSSL_EVP_sha256()) == 1
        else { return nil }
        // The context takes ownership of the label, which must come from OPENSSL_malloc.
        guard let copy = label.withUnsafeBytes({ CCryptoBoringSSL_OPENSSL_memdup($0.baseAddress, $0.count) }) else { return nil }
        guard CCryptoBoringSSL_EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, copy.assumingMemoryBound(to: UInt8.self), label.count) == 1 else {
            CCryptoBoringSSL_OPENSSL_free(copy)
            return nil
        }
        let size = Int(CCryptoBoringSSL_EVP_PKEY_size(key))
        guard size > 0 else { return nil }
        var out = [UInt8](repeating: 0, count: size)
        var length = size
        let status = out.withUnsafeMutableBufferPointer { buffer in
            // A buffer of EVP_PKEY_size bytes is never empty, so baseAddress is set.
            guard let base = buffer.baseAddress else { return CInt(0) }
            return operation(ctx, base, &length)
        }
        guard status == 1, length <= size else { return nil }
        return Array(out[..<length])
    }
}
