import Foundation

/// What one reading of a bundle found: the seam between reading and the four commands that
/// consume it (verify, extract, `missing BUNDLE` and `report`). One pass of `BundleVerification`
/// fills it: the bag as read (every entry's size and digests, tag files included, the tag files
/// kept whole, Payload-Oxum and the payload's findings, in `bag`), the completeness judged from
/// the manifest the bundle carries, the signature and the time-stamp, the archive's own SHA-256
/// from the same reading, and the optional checks (`--previous`, `--profile`, `--fetch`).
/// The verdict's words (`state`, `passed`, `failureReasons`) are computed here, once, so every
/// command says the same thing about the same bundle.
public struct VerifiedBundle {
    public var path: String
    public var isFolder: Bool
    package var bag: BagVerification
    /// The deliverable rules re-run on the payload, when the bag carries a readable manifest.
    public var completeness: CheckReport?
    /// Why the carried manifest could not be used, when it could not.
    public var manifestProblem: String?
    public var allowIncomplete: Bool
    /// The signature and the time-stamp.
    public var evidence = EvidenceCheck.Result()
    /// The archive's SHA-256 and how it compares with the `.sha256` beside it; nil for a
    /// folder, or an archive without one (unless a report asked for the checksum anyway).
    public var archive: ArchiveChecksum?
    /// Entries outside `data/` that no (signed) tag manifest lists; see `Coverage`.
    public var unlisted: [[UInt8]] = []
    /// With `verify --previous`: whether this delivery records the previous one.
    public var chain: DeliveryChain.Check?
    /// What the archive is by content (tar.gz, zip…); nil for a folder.
    package var serialization: ArchiveSerialization?
    /// With `verify --profile`: the rules of the profile the bag does not meet.
    package var profile: ProfileCheck.Result?
    /// With `verify --fetch` or `--merge`: what checking the remote payload found.
    package var remote: RemoteCheck?

    package var integrity: BundleVerification.Integrity {
        if bag.isValid { return .intactAndComplete }
        return bag.problems.allSatisfy { $0.code == .holeyBag || $0.code == .objectMissing } ? .intactButIncomplete : .notIntact
    }

    /// The verdict in the three words every output uses: not intact (altered, forged or
    /// unreadable: a checksum, the signature or the `.sha256` fails, or the time-stamp is over
    /// other content), intact
    /// but incomplete (files only in fetch.txt, or required deliverables missing or invalid,
    /// even when `--allow-incomplete` accepts it), or intact and complete. Authenticity is
    /// said apart: an unsigned bundle can be intact and complete.
    package var state: BundleVerification.Integrity {
        if integrity == .notIntact || manifestProblem != nil || evidence.authenticity == .badSignature
            || timestampIsForged || archive?.sidecar == .mismatch { return .notIntact }
        if integrity == .intactButIncomplete { return .intactButIncomplete }
        if let completeness, !completeness.passed { return .intactButIncomplete }
        return .intactAndComplete
    }

    /// A time-stamp that is unreadable, over other content or with a signature that does not
    /// hold says the bundle was altered; one by a TSA the reader's CA does not vouch for does
    /// not (the check fails, the bundle may still be intact).
    var timestampIsForged: Bool {
        guard case .checked(let verification) = evidence.timestamp, let check = verification.failedCheck else { return false }
        return [.format, .imprint, .signature].contains(check)
    }

    /// The required deliverables that are missing or invalid, in manifest order.
    package var notDelivered: [DeliverableResult] {
        completeness?.results.filter { $0.deliverable.required && $0.status != .ok } ?? []
    }

    /// The parties of the bundle's manifest still as a template wrote them.
    package var unfilled: [UnfilledField] { completeness?.unfilled ?? [] }

    /// Fails only because required deliverables are missing or invalid, or the manifest's
    /// parties are not filled in: what `--allow-incomplete` accepts (files only in fetch.txt
    /// are not accepted by it).
    public var failsOnlyAsIncomplete: Bool {
        state == .intactButIncomplete && bag.isValid && !passed && failureReasons.count == notDelivered.count + unfilled.count
    }

    /// Intact, complete (or accepted incomplete), the archive matches its `.sha256`, and the
    /// evidence holds. It can pass without being authenticated: see `evidence.authenticity`.
    public var passed: Bool {
        guard bag.isValid, manifestProblem == nil, evidence.passed, archive?.sidecar != .mismatch,
              chain?.passed != false, profile?.passed != false else { return false }
        if let completeness, !completeness.passed, !allowIncomplete { return false }
        return true
    }

    /// Passed, and signed by a key the reader trusts: the only result shown in green.
    public var isAuthenticated: Bool { passed && evidence.authenticity == .authenticated }

    /// Every reason the result fails, one line each (empty when it passes): what `--quiet`
    /// still prints, and what `missing BUNDLE` names.
    public var failureReasons: [String] {
        var reasons = bag.problems.map(\.description)
        if let manifestProblem { reasons.append(manifestProblem) }
        reasons += evidence.problems
        if let mismatch = archive?.mismatchProblem { reasons.append(mismatch) }
        if let chain, !chain.passed { reasons.append(chain.message) }
        if let profile { reasons += profile.issues.map { "profile \(profile.identifier): \($0.description)" } }
        if let completeness, !completeness.passed, !allowIncomplete {
            let notReady = completeness.results.filter { $0.deliverable.required && $0.status != .ok }
            reasons += notReady.map { "\($0.deliverable.id): \($0.status == .missing ? "missing" : "invalid") (\(VisibleText.name($0.deliverable.title)))" }
            reasons += unfilled.map { "handover.\($0.key) is not filled in: it still reads '\(VisibleText.name($0.value))', as the template wrote it" }
        }
        return reasons
    }
}
