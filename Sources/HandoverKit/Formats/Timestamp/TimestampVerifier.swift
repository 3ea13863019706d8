import Foundation
import SwiftASN1
@_spi(FixedExpiryValidationTime) import X509

/// Verifies a stored RFC 3161 time-stamp response (`handover verify --tsa-ca PEM`).
///
/// With CA certificates: the imprint, the CMS signature, the chain from the TSA's certificate to
/// one of the CAs, and the TSA certificate's time-stamping usage are all checked. Without: the
/// response is read and its imprint checked, and the time is reported as not verified.
package struct TimestampVerifier: Sendable {
    /// The CA certificates a TSA must chain to; empty when none was given.
    package let trustAnchors: [Certificate]
    /// How messages name the CAs, e.g. the PEM file's path as the user gave it.
    package let trustAnchorsName: String

    /// A verifier without CA: it reads and checks the imprint only.
    package init() {
        trustAnchors = []
        trustAnchorsName = ""
    }

    package init(trustAnchors: [Certificate], describedAs name: String) {
        self.trustAnchors = trustAnchors
        trustAnchorsName = name
    }

    /// Loads the CA certificates from a PEM file holding one or several certificates.
    package init(caFile path: String) throws {
        let data: [UInt8]
        do {
            data = try SmallFile.read(path, limit: 4 << 20)
        } catch .tooLarge {
            throw TimestampError.unusableCAFile(path: path, reason: "it is larger than 4 MiB, too large for a PEM file of certificates")
        } catch {
            throw TimestampError.unusableCAFile(path: path, reason: error.reason)
        }
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: String(decoding: data, as: UTF8.self))
        } catch {
            throw TimestampError.unusableCAFile(path: path, reason: "it is not a PEM file of certificates")
        }
        var certificates: [Certificate] = []
        for document in documents where document.discriminator == "CERTIFICATE" {
            do {
                certificates.append(try Certificate(pemDocument: document))
            } catch {
                throw TimestampError.unusableCAFile(
                    path: path, reason: "certificate \(certificates.count + 1) in it cannot be read (\(TimestampASN1.describe(error)))")
            }
        }
        guard !certificates.isEmpty else {
            throw TimestampError.unusableCAFile(path: path, reason: "it holds no CERTIFICATE block")
        }
        self.init(trustAnchors: certificates, describedAs: path)
    }

    /// Verifies `response` (the bytes of a stored .tsr) against `content`. `contentName` names
    /// the exact bytes time-stamped, `subject` what the reader holds (`The bundle`, `The
    /// statement`): the sentence that says when it was time-stamped starts with it.
    ///
    /// Never throws for what is in the response: every problem with it is a failed check in the
    /// result. It throws only when `content` is a file that cannot be read.
    package func verify(
        _ response: [UInt8],
        against content: TimestampedContent,
        contentName: String = "this bundle's tag manifest",
        subject: String = "The bundle"
    ) async throws -> TimestampVerification {
        let parsed: TimestampResponse
        do {
            parsed = try TimestampResponse(derEncoded: response)
        } catch let error as TimestampError {
            return .failed(.format, error.errorDescription ?? "The time-stamp response cannot be read.")
        }
        guard parsed.status.isGranted, let token = parsed.token else {
            let why = parsed.status.isGranted ? "it carries no token" : parsed.refusalDescription
            return .failed(.status, "The time-stamp response holds no time-stamp: \(why).")
        }

        guard let expected = try content.imprint(using: token.imprint.algorithm) else {
            return .failed(.imprint, "The time-stamp is over a \(token.imprint.algorithm.rawValue) hash, but only another hash of \(contentName) was given to compare it with.", token)
        }
        guard expected == token.imprint else {
            return .failed(.imprint, "The time-stamp is over other content than \(contentName) (it time-stamps \(token.imprint), \(contentName) has \(expected)).", token)
        }

        // The token's own `tsa` field is a claim: a name is said as fact only once the signer's
        // certificate is verified, and then it is that certificate's subject.
        let claimed = "time-stamped at \(token.genTimeText)\(token.tsaName.map { " (the token names \($0) as its TSA)" } ?? "")"
        guard !trustAnchors.isEmpty else {
            return TimestampVerification(
                outcome: .notVerified,
                message: "\(subject) claims to be \(claimed), not verified: no TSA CA certificate was given to check who signed it, so neither the time nor the TSA is proven.",
                token: token)
        }

        guard let signer = token.signed.signerCertificate(among: trustAnchors) else {
            return .failed(.signature, "The time-stamp token does not include its signer's certificate, and it is not in \(trustAnchorsName) either.", token)
        }
        do {
            try token.signed.checkSignature(by: signer)
        } catch {
            return .failed(.signature, "The time-stamp token's signature is not valid: \(TimestampASN1.describe(error)).", token)
        }

        let tsa = signer.certificate.subject
        if let failure = await chainFailure(signer.certificate, intermediates: token.signed.certificates.map(\.certificate), at: token.genTime) {
            return .failed(.chain, "The time-stamp token was signed by a TSA (\(tsa)) \(failure).", token)
        }
        if let failure = Self.usageFailure(signer.certificate) {
            return .failed(.timestampingUsage, "The time-stamp token was signed by a certificate (\(tsa)) that \(failure), as RFC 3161 requires.", token)
        }
        return TimestampVerification(
            outcome: .verified, message: "\(subject) was time-stamped at \(token.genTimeText) by \(tsa), verified against \(trustAnchorsName).", token: token)
    }

    /// The same as `verify`, for synchronous callers such as a plain command's `run()`.
    @available(*, noasync, message: "From async code, use verify(_:against:contentName:subject:).")
    package func verifyWaiting(
        _ response: [UInt8],
        against content: TimestampedContent,
        contentName: String = "this bundle's tag manifest",
        subject: String = "The bundle"
    ) throws -> TimestampVerification {
        let box = ResultBox<Result<TimestampVerification, Error>>()
        let done = DispatchSemaphore(value: 0)
        Task.detached(executorPreference: WaitingExecutor.shared) {
            do {
                box.set(.success(try await self.verify(response, against: content, contentName: contentName, subject: subject)))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        // The task signals before it has wound down; waiting for its job to end means nothing of
        // it still runs (and holds memory) once this returns.
        WaitingExecutor.shared.drain()
        guard let result = box.get() else { return .failed(.format, "The time-stamp verification did not finish.") }
        return try result.get()
    }

    /// Why the chain from `leaf` to the trust anchors fails at `time`, or nil when it holds.
    /// Expiry is checked at the token's time: a TSA certificate that expired after signing
    /// does not make an old time-stamp false, which is what lets an auditor verify it years later.
    private func chainFailure(_ leaf: Certificate, intermediates: [Certificate], at time: Date) async -> String? {
        var verifier = Verifier(rootCertificates: CertificateStore(trustAnchors)) {
            RFC5280Policy(fixedExpiryValidationTime: time)
            TimestampingCriticalExtensionPolicy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates))
        switch result {
        case .validCertificate:
            return nil
        case .couldNotValidate(let failures):
            if let reason = failures.first?.policyFailureReason {
                return "whose certificate chain to the CA in \(trustAnchorsName) is not valid at the time-stamp's time (\(reason))"
            }
            return "that does not chain to the CA in \(trustAnchorsName)"
        }
    }

    /// RFC 3161 §2.3: exactly one extended key usage, id-kp-timeStamping, in a critical extension.
    static func usageFailure(_ certificate: Certificate) -> String? {
        guard let ext = certificate.extensions[oid: TimestampASN1.extendedKeyUsage],
            let usages = try? certificate.extensions.extendedKeyUsage
        else { return "has no extended key usage id-kp-timeStamping" }
        guard usages.count == 1, usages.contains(.timeStamping) else {
            return "is not reserved for time-stamping (its extended key usage must be id-kp-timeStamping alone)"
        }
        guard ext.critical else { return "does not mark its id-kp-timeStamping extended key usage critical" }
        return nil
    }
}

/// Lets the chain builder accept the TSA certificate's critical extended key usage extension,
/// which the verifier checks itself (`usageFailure`) with its own message.
struct TimestampingCriticalExtensionPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [TimestampASN1.extendedKeyUsage]

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        .meetsPolicy
    }
}

/// Runs the task `verifyWaiting` waits for on a Dispatch queue of its own rather than on Swift's
/// cooperative pool. The waiting caller may itself hold one of the pool's few threads (a
/// synchronous function called from async code, a test run by Swift Testing); with the others
/// busy too, a task on the pool would not start until they are free, which can be a long time.
private final class WaitingExecutor: TaskExecutor {
    static let shared = WaitingExecutor()
    private let queue = DispatchQueue(label: "handover.timestamp-verification")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Returns once every job enqueued so far has run to its end.
    func drain() {
        queue.sync {}
    }
}

/// A value handed from a detached task to the thread waiting for it.
private final class ResultBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value?

    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func get() -> Value? { lock.withLock { value } }
}
