/// Every phrase of a statement's one-page rendering (a receipt, a deletion or a return
/// certificate). Each language gives all of them in one exhaustive `switch`
/// (StatementPhrase+English.swift, StatementPhrase+French.swift); `{1}`, `{2}`… are filled by
/// `ReportGrammar`, which also elides in French.
enum StatementPhrase: CaseIterable, Sendable {
    case titleReceipt, titleDeletion, titleReturn, kicker
    case introReceipt, introDeletion, introReturn, introUnread
    case decisionAccepted, decisionWithReservations, decisionRefused
    case reservations, noReservations, asVerified, integrity, completeness, authenticity, deliverables
    case intactAndComplete, intactButIncomplete, notIntact, complete, incomplete, notChecked
    case authenticated, unknownKey, notSigned, badSignature
    case statusOK, statusMissing, statusInvalid, statusOptionalAbsent
    case scope, productionData, backups, technicalData, method, overwrite, cryptoErasure, mediaDestruction
    case date, returnedTo, retention, retentionUntil, noRetention, certifiedBy, notes
    case bundle, file, contract, delivery, archiveSHA256, tagManifestSHA256
    case check, verdictValid, verdictUnchecked, verdictInvalid, explainValid, explainUnchecked, explainInvalid
    case signedBy, signedAt, signatureGood, signatureUnchecked, signatureKeyNotListed, signatureBad
    case bound, notBound, timestamp, timestampNone, timestampUnchecked, timestampVerified, timestampNotVerified, timestampFailed
    case problems, footer
}

extension StatementPhrase {
    func text(_ language: ReportLanguage) -> String {
        switch language {
        case .en: english
        case .fr: french
        }
    }
}
