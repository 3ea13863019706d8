/// The languages the handover report is written in.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case en, fr
}

/// Every phrase of the handover report. Each language gives all of them in one exhaustive
/// `switch` (ReportStrings+English.swift, ReportStrings+French.swift), so the compiler refuses a
/// language that lacks one. `{1}`, `{2}`… are filled by `ReportStrings.format`, with values
/// already escaped for the output (HTML or Markdown).
///
/// A count is agreed with by `{n|singular|plural}`, and French elides before a vowel by itself
/// (`ReportGrammar`). The problems the checks find have sentences of their own, by code
/// (`ProblemSentences`).
package enum Phrase: CaseIterable, Sendable {
    // Title and header
    case title, subtitleBundle, subtitleSource, subtitleBuild, introduction
    // Parties and dates
    case parties, contract, client, provider, recipient
    case dates, handoverDate, handoverDateUnset, bundleCreated, timestamped, reportMade, unknown
    // Verdicts: headline, then what it means for each kind of report
    case verdictComplete, verdictIncomplete, verdictInvalid, verdictIntact, verdictUnauthenticated
    case explainBundleComplete, explainBundleIncomplete, explainBundleInvalid, explainBundleIntact
    case explainBundleUnauthenticated, explainBagUnauthenticated
    case explainSourceComplete, explainSourceIncomplete, explainBuildComplete, explainBuildIncomplete
    // The bundle's state in the three words every output uses
    case stateIntactAndComplete, stateIntactButIncomplete, stateNotIntact, stateMissing, stateHowToAccept
    // The bar chart of deliverables per category on the first page
    case chartTitle, chartCategory, chartNoCategory, chartDelivered, chartMissing, chartInvalid
    // Statuses of a deliverable
    case statusDelivered, statusPresent, statusMissing, statusInvalid, statusOptionalAbsent
    case statusAttested, statusNotAttested, attestation
    // The deliverables
    case deliverables, columnStatus, columnDeliverable, columnFiles, columnSize
    case required, optional, confidential, note, noDeliverables, fileOne, fileMany
    // The bundle and its evidence
    case bundle, bundleFile, bagName, archiveSize, sha256, sidecarMatch, sidecarMismatch, sidecarAbsent
    case folderNoChecksum, payload, integrity, integrityOK, integrityFailed, builtBy, howBuilt, builtIncomplete, encrypted
    case remotePayload, remoteChecked
    case signature, signatureAbsent, signatureValid, signatureUnchecked, signatureFailed, signatureFollows
    case timestamp, timestampAbsent, timestampVerified, timestampNotVerified, timestampFailed, timestampFollows
    case notRequested, problems, bundleProblems
    // Acceptance block (procès-verbal de remise)
    case acceptance, acceptanceIntro, acceptedWithout, acceptedWith, refused, reservations
    case handedOverBy, receivedBy, newProvider, name, position, date, signatureBox, signedAt, copies
    // Annex and footer
    case annex, technicalAnnex, technicalNote, columnPath, moreFiles, noFiles, notCollected, notCollectedExplained, ignored, ignoredExplained, footer, verifyHint
    // Chained deliveries: the changes since the previous one
    case changesSince, changesIntro, changesNone, changeAdded, changeRemoved, changeChanged, changeMoved, changesMore
    // Receipts given to the bundle (report --receipt)
    case receipts, receiptsIntro, receiptDecision, receiptBy, receiptTime, receiptSignature
    case receiptAccepted, receiptWithReservations, receiptRefused, receiptValid, receiptUnchecked, receiptInvalid
}

/// The phrases and number formats of one language.
package struct ReportStrings: Sendable {
    package let language: ReportLanguage

    package init(_ language: ReportLanguage) {
        self.language = language
    }

    package subscript(_ phrase: Phrase) -> String {
        switch language {
        case .en: Self.english(phrase)
        case .fr: Self.french(phrase)
        }
    }

    /// The phrase with `{1}`, `{2}`… replaced by `values`, in order; `counts` are the numbers
    /// the values stand for, when they are counts, so that the words around agree with them
    /// (see `ReportGrammar`).
    package func format(_ phrase: Phrase, _ values: String..., counts: Int...) -> String {
        ReportGrammar.fill(self[phrase], values: values, counts: counts, language: language)
    }

    /// "1 file" or "3 files", with the number written the language's way.
    package func files(_ count: Int) -> String {
        format(ReportGrammar.isSingular(count, in: language) ? .fileOne : .fileMany, number(count))
    }

    /// `count` written the language's way, followed by the singular or the plural word:
    /// "1 destinataire", "2 destinataires", "0 fichier", "0 files".
    package func count(_ count: Int, _ singular: String, _ plural: String) -> String {
        number(count) + " " + (ReportGrammar.isSingular(count, in: language) ? singular : plural)
    }

    /// An integer with the language's thousands separator: 12,345 or 12 345.
    package func number<N: BinaryInteger>(_ value: N) -> String {
        let digits = String(value.magnitude)
        let separator = language == .fr ? "\u{202F}" : ","
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += separator }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// Bytes for people, in decimal units: 1.2 MB, or 1,2 Mo in French.
    package func bytes(_ count: Int64) -> String {
        let units = language == .fr ? ["o", "ko", "Mo", "Go", "To"] : ["bytes", "KB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 {
            if language == .fr { return "\(number(count)) o" }
            return "\(number(count)) \(count == 1 ? "byte" : "bytes")"
        }
        var text = String(format: value < 10 ? "%.1f" : "%.0f", value)
        if language == .fr { text = text.replacingOccurrences(of: ".", with: ",") }
        return text + "\u{00A0}" + units[unit]
    }

    /// `2026-12-31` as "31 December 2026" or "31 décembre 2026"; other text is given back as it is.
    package func day(_ text: String) -> String {
        guard let date = CalendarDate(String(text.prefix(10))) else { return text }
        let months = language == .fr
            ? ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
            : ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let day = language == .fr && date.day == 1 ? "1er" : String(date.day)
        return "\(day) \(months[date.month - 1]) \(date.year)"
    }

    /// An RFC 3339 UTC time as "31 December 2026, 12:00 UTC" or "31 décembre 2026 à 12:00 UTC".
    package func time(_ text: String) -> String {
        let characters = Array(text)
        guard characters.count >= 16, characters[10] == "T", CalendarDate(String(characters[0..<10])) != nil else { return text }
        let clock = String(characters[11..<16])
        let zone = text.hasSuffix("Z") ? " UTC" : ""
        return language == .fr ? "\(day(text)) à \(clock)\(zone)" : "\(day(text)), \(clock)\(zone)"
    }
}
