import Foundation

/// What checking an SSH signature found: whether it holds, who made it, and why not.
///
/// A verification is valid when the signature matches the message, was made for the expected
/// namespace, and its key is in the allowed signers (for the principal asked, at the time asked,
/// with that namespace allowed). When no allowed signers were given the signer is `.notChecked`
/// and `isValid` is false: callers that accept an unchecked signer show `fingerprint` and rely on
/// `signatureValid` instead.
package struct SSHSignatureVerification: Sendable {
    /// Whether the signer was found in the allowed signers.
    package enum Signer: Sendable, Equatable {
        /// Listed, for these principals (the one asked for, or every principal of the lines
        /// listing the key).
        case allowed(principals: [String])
        /// Not listed (or not for this principal, or not at this time): the sentence says which.
        case notAllowed(reason: String)
        /// No allowed signers were given.
        case notChecked
    }

    /// The signing key's fingerprint, as `ssh-keygen -l` prints it.
    package let fingerprint: String
    package let keyType: String
    /// The namespace the signature was made for.
    package let namespace: String
    /// The namespace the caller expected.
    package let expectedNamespace: String
    /// Whether the signature is the named key's signature of this message (in its namespace).
    package let signatureValid: Bool
    package let signer: Signer
    /// Whether the namespace is the expected one and the allowed signers permit it for the key.
    package let namespaceAllowed: Bool
    /// Remarks that do not change the outcome (ignored cert-authority lines, for instance).
    package let notes: [String]
    /// The first reason the signature is not valid, or nil when it is.
    package let failure: SSHSigError?

    package var isValid: Bool { failure == nil && signer != .notChecked }

    /// The principals matched; empty when the signer is not in the allowed signers.
    package var principals: [String] {
        if case .allowed(let principals) = signer { return principals }
        return []
    }

    /// One line for people: the outcome, the key and the principals.
    package var summary: String {
        let who: String
        switch signer {
        case .allowed(let principals): who = "signed by \(principals.joined(separator: ", ")) (\(keyType) \(fingerprint))"
        case .notAllowed: who = "signed by \(keyType) \(fingerprint), not in the allowed signers"
        // Without a signer list, anyone can make an intact signature: say plainly that nothing
        // ties this key to a person.
        case .notChecked: who = "signed by \(keyType) \(fingerprint), not matched to a signer list"
        }
        if let failure, let description = failure.errorDescription { return "Bad SSH signature, \(who): \(description)" }
        return (isValid ? "Good SSH signature, " : "SSH signature intact, ") + who
    }
}

extension SSHSignature {
    /// The hasher the message must be fed through to check this signature (for messages read
    /// as a stream; `verify(message:...)` does it for files and bytes).
    package func makeMessageHasher() -> SSHMessageHasher { hashAlgorithm.makeHasher() }

    /// Checks the signature over `message` as `ssh-keygen -Y verify -n namespace [-I principal]`
    /// would. Throws only when it cannot check (unreadable message, unsupported key type); a
    /// signature that does not hold is a result with a `failure`.
    package func verify(
        message: SignedMessage, namespace expected: String = SSHSignature.handoverNamespace,
        allowedSigners: AllowedSigners?, principal: String? = nil, at date: Date = Date()
    ) throws -> SSHSignatureVerification {
        try verify(messageDigest: try message.digest(hashAlgorithm), namespace: expected,
                   allowedSigners: allowedSigners, principal: principal, at: date)
    }

    /// The same, given the message's digest made with `makeMessageHasher()`.
    package func verify(
        messageDigest: [UInt8], namespace expected: String = SSHSignature.handoverNamespace,
        allowedSigners: AllowedSigners?, principal: String? = nil, at date: Date = Date()
    ) throws -> SSHSignatureVerification {
        guard publicKey.isVerifiable else { throw SSHSigError.unsupportedKeyType(publicKey.type) }
        // The signature is checked in its own namespace so that a signature for another use is
        // reported as such rather than as a damaged one.
        let data = Self.signedData(namespace: namespace, hashAlgorithm: hashAlgorithm, messageDigest: messageDigest)
        let signatureValid = try publicKey.isValidSignature(signature, for: data)
        let fingerprint = publicKey.fingerprint

        var match = SignerMatch(signer: .notChecked, namespaceAllowed: true, notes: [])
        if let allowedSigners {
            match = allowedSigners.match(publicKey, principal: principal, namespace: namespace, at: date)
        }
        let namespaceAllowed = namespace == expected && match.namespaceAllowed

        var failure: SSHSigError? = nil
        if !signatureValid {
            failure = .signatureMismatch(fingerprint: fingerprint)
        } else if namespace != expected {
            failure = .wrongNamespace(found: namespace, expected: expected)
        } else if case .notAllowed(let reason) = match.signer {
            failure = .signerNotAllowed(fingerprint: fingerprint, detail: reason)
        } else if !match.namespaceAllowed, let allowedSigners {
            failure = .namespaceNotAllowed(namespace: namespace, fingerprint: fingerprint, source: allowedSigners.source)
        }
        return SSHSignatureVerification(
            fingerprint: fingerprint, keyType: publicKey.type, namespace: namespace, expectedNamespace: expected,
            signatureValid: signatureValid, signer: match.signer, namespaceAllowed: namespaceAllowed,
            notes: match.notes, failure: failure)
    }
}

/// How a key fared against an allowed_signers file.
struct SignerMatch {
    var signer: SSHSignatureVerification.Signer
    var namespaceAllowed: Bool
    var notes: [String]
}

extension AllowedSigners {
    /// Finds the lines that allow `key` (for `principal` when given) at `date`, and whether one of
    /// them allows `namespace`, as `ssh-keygen -Y verify` / `-Y find-principals` decide.
    func match(_ key: SSHPublicKey, principal: String?, namespace: String, at date: Date) -> SignerMatch {
        var notes: [String] = []
        let authorities = entries.filter(\.isCertificateAuthority).map { String($0.line) }
        if !authorities.isEmpty {
            notes.append("\(source): cert-authority lines (\(authorities.joined(separator: ", "))) were ignored: handover verifies signatures by plain keys, not certificates")
        }
        let listed = entries.filter { !$0.isCertificateAuthority && $0.publicKey == key }
        guard !listed.isEmpty else {
            return SignerMatch(signer: .notAllowed(reason: "\(source) does not list it"), namespaceAllowed: false, notes: notes)
        }
        var candidates = listed
        if let principal {
            candidates = listed.filter { $0.allowsPrincipal(principal) }
            guard !candidates.isEmpty else {
                let others = listed.flatMap(\.principals).joined(separator: ", ")
                return SignerMatch(signer: .notAllowed(reason: "\(source) lists it for \(others), not for \(principal)"), namespaceAllowed: false, notes: notes)
            }
        }
        let current = candidates.filter { $0.isValid(at: date) }
        guard !current.isEmpty else {
            let lines = candidates.map { "line \($0.line)\(Self.validity($0))" }.joined(separator: "; ")
            return SignerMatch(signer: .notAllowed(reason: "\(source) lists it only outside its validity (\(lines)), and the verification time is \(Self.format(date))"), namespaceAllowed: false, notes: notes)
        }
        let permitted = current.filter { $0.allowsNamespace(namespace) }
        let chosen = permitted.isEmpty ? current : permitted
        var principals: [String] = []
        for candidate in principal.map({ [$0] }) ?? chosen.flatMap(\.principals) where !principals.contains(candidate) {
            principals.append(candidate)
        }
        return SignerMatch(signer: .allowed(principals: principals), namespaceAllowed: !permitted.isEmpty, notes: notes)
    }

    private static func validity(_ entry: Entry) -> String {
        var parts: [String] = []
        if let after = entry.validAfter { parts.append(" valid after \(format(after))") }
        if let before = entry.validBefore { parts.append(" valid before \(format(before))") }
        return parts.joined(separator: ",")
    }

    private static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
