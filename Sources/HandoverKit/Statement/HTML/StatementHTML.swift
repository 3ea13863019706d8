import Foundation

/// A checked receipt or certificate on one printable A4 page: what it says, the bundle it is
/// bound to, and how its check went. Self-contained (the report's stylesheet, no script,
/// nothing fetched); every phrase comes from the tables of `StatementPhrase`.
public enum StatementHTML {
    public static func render(_ result: StatementCheck.Result, language: ReportLanguage = .en, checkedAt: Date = Date()) -> String {
        let page = Page(result: result, language: language)
        let h = HTMLMarkup()
        let strings = ReportStrings(language)
        let title = page.title
        var out = ReportHTML.documentStart(language: language, generator: HandoverVersion.nameAndVersion, title: h.text(title),
                                           pageMark: page.footerMark)
        out += """
            <header class="masthead">
            <div><p class="kicker">\(h.text(page.fill(.kicker, strings.time(Statement.format(checkedAt)))))</p><h1>\(h.text(title))</h1></div>
            <div class="reference"><span>\(h.text(page[.contract]))</span><strong>\(h.text(result.statement?.subject.contract ?? "—"))</strong></div>
            </header>

            """
        out += page.introduction()
        out += page.body()
        out += page.subject()
        out += page.check()
        out += "<footer><p>\(page.footer)</p></footer>\n"
        return out + "</main>\n</body>\n</html>\n"
    }

    /// The page being written: the result, its language, and the phrases.
    struct Page {
        let result: StatementCheck.Result
        let language: ReportLanguage
        let h = HTMLMarkup()
        var strings: ReportStrings { ReportStrings(language) }

        subscript(_ phrase: StatementPhrase) -> String { phrase.text(language) }

        func fill(_ phrase: StatementPhrase, _ values: String...) -> String {
            ReportGrammar.fill(phrase.text(language), values: values, counts: [], language: language)
        }

        var title: String {
            switch result.statement?.kind {
            case .receipt: self[.titleReceipt]
            case .deletion: self[.titleDeletion]
            case .return: self[.titleReturn]
            case nil: self[.verdictInvalid]
            }
        }

        var footerMark: String {
            "\(title) — \(result.statement?.subject.contract ?? "") — SHA-256 \(result.bundle.archiveSHA256.prefix(16))…"
        }

        /// How to check the statement without handover; the commands as code.
        var footer: String {
            let text = h.text(self[.footer])
            return ReportGrammar.fill(text, values: [h.code("handover \(HandoverVersion.version)"), h.code(result.envelope.namespace)],
                                      counts: [], language: language)
                .replacingOccurrences(of: "jq -j .statement", with: "<code>jq -j .statement</code>")
                .replacingOccurrences(of: "ssh-keygen -Y verify -n", with: "<code>ssh-keygen -Y verify -n</code>")
        }

        func introduction() -> String {
            guard let statement = result.statement else { return "<p class=\"introduction\">\(h.text(self[.introUnread]))</p>\n" }
            let who = statement.certificate?.certifiedBy ?? statement.signer.name ?? statement.signer.fingerprint
            let contract = statement.subject.contract ?? "—"
            let phrase: StatementPhrase = statement.kind == .receipt ? .introReceipt : statement.kind == .deletion ? .introDeletion : .introReturn
            let date = statement.certificate.map { strings.day($0.date) } ?? ""
            return "<p class=\"introduction\">\(h.text(fill(phrase, who, contract, date)))</p>\n"
        }

        func body() -> String {
            if let receipt = result.statement?.receipt { return self.receipt(receipt) }
            if let certificate = result.statement?.certificate { return self.certificate(certificate) }
            return ""
        }

        func receipt(_ receipt: ReceiptBody) -> String {
            let (decision, style): (StatementPhrase, String) = switch receipt.decision {
            case .accepted: (.decisionAccepted, "complete")
            case .acceptedWithReservations: (.decisionWithReservations, "incomplete")
            case .refused: (.decisionRefused, "invalid")
            }
            var out = "<section class=\"verdict v-\(style)\"><span class=\"mark\" aria-hidden=\"true\">\(style == "complete" ? "✓" : style == "invalid" ? "✗" : "!")</span>"
            out += "<div><p class=\"headline\">\(h.text(self[decision]))</p></div></section>\n"
            out += "<h2>\(h.text(self[.reservations]))</h2>\n"
            // The written reservations in the filled box (lines kept, as tall as the text): the
            // empty box is the PV's, for a hand to write in, and would push the page onto two.
            out += receipt.reservations.map { "<p class=\"reservations filled\">\(h.text($0))</p>\n" }
                ?? "<p>\(h.text(self[.noReservations]))</p>\n"
            let check = receipt.verification
            let integrity: StatementPhrase = check.integrity == "intact-and-complete" ? .intactAndComplete
                : check.integrity == "intact-but-incomplete" ? .intactButIncomplete : .notIntact
            let completeness: StatementPhrase = check.complete.map { $0 ? .complete : .incomplete } ?? .notChecked
            let authenticity: StatementPhrase = switch check.authenticity {
            case "authenticated": .authenticated
            case "unknown-key": .unknownKey
            case "not-signed": .notSigned
            default: .badSignature
            }
            out += "<h2>\(h.text(self[.asVerified]))</h2>\n<dl class=\"facts wide\">\n"
            for (label, value) in [(StatementPhrase.integrity, integrity), (.completeness, completeness), (.authenticity, authenticity)] {
                out += "<dt>\(h.text(self[label]))</dt><dd>\(h.text(self[value]))</dd>\n"
            }
            if !check.deliverables.isEmpty {
                // Per status, in the order first met: the delivered ones counted, the others named
                // (what the reservations are about); twenty ids would push the page onto two.
                var order: [String] = []
                let groups = Dictionary(grouping: check.deliverables, by: \.status)
                for item in check.deliverables where !order.contains(item.status) { order.append(item.status) }
                let list = order.map { raw in
                    let items = groups[raw] ?? []
                    let named = raw == DeliverableStatus.ok.rawValue ? h.text(strings.number(items.count))
                        : items.map { h.code($0.id) }.joined(separator: ", ")
                    // French puts a (no-break) space before the colon.
                    return h.text(status(raw)) + (language == .fr ? "\u{a0}: " : ": ") + named
                }.joined(separator: " · ")
                out += "<dt>\(h.text(self[.deliverables]))</dt><dd>\(list)</dd>\n"
            }
            return out + "</dl>\n"
        }

        func status(_ raw: String) -> String {
            switch DeliverableStatus(rawValue: raw) {
            case .ok: self[.statusOK]
            case .missing: self[.statusMissing]
            case .invalid: self[.statusInvalid]
            case .optionalAbsent: self[.statusOptionalAbsent]
            case nil: raw
            }
        }

        func certificate(_ certificate: CertificateBody) -> String {
            var out = "<h2>\(h.text(self[.scope]))</h2>\n<ul>\n"
            for part in certificate.scope {
                let category: StatementPhrase = switch part.category {
                case .productionData: .productionData
                case .backups: .backups
                case .technicalData: .technicalData
                }
                out += "<li><strong>\(h.text(self[category]))</strong>\(part.description.map { " — " + h.text($0) } ?? "")</li>\n"
            }
            out += "</ul>\n<dl class=\"facts wide\">\n"
            if let method = certificate.method {
                let phrase: StatementPhrase = switch method {
                case .overwrite: .overwrite
                case .cryptoErasure: .cryptoErasure
                case .mediaDestruction: .mediaDestruction
                }
                out += "<dt>\(h.text(self[.method]))</dt><dd>\(h.text(self[phrase]))</dd>\n"
            }
            out += "<dt>\(h.text(self[.date]))</dt><dd>\(h.text(strings.day(certificate.date)))</dd>\n"
            if let to = certificate.returnedTo { out += "<dt>\(h.text(self[.returnedTo]))</dt><dd>\(h.text(to))</dd>\n" }
            out += "<dt>\(h.text(self[.certifiedBy]))</dt><dd>\(h.text(certificate.certifiedBy))</dd>\n"
            if let notes = certificate.notes { out += "<dt>\(h.text(self[.notes]))</dt><dd>\(h.text(notes))</dd>\n" }
            out += "</dl>\n<h2>\(h.text(self[.retention]))</h2>\n"
            guard !certificate.retention.isEmpty else { return out + "<p>\(h.text(self[.noRetention]))</p>\n" }
            out += "<ul>\n"
            for kept in certificate.retention {
                out += "<li>\(h.text(kept.what)) — \(h.text(fill(.retentionUntil, strings.day(kept.until))))\(kept.basis.map { " (\(h.text($0)))" } ?? "")</li>\n"
            }
            return out + "</ul>\n"
        }

        func subject() -> String {
            let subject = result.statement?.subject ?? result.bundle
            var rows: [(StatementPhrase, String)] = [(.file, h.code(subject.bundle))]
            if let delivery = subject.delivery { rows.append((.delivery, h.text(strings.number(delivery)))) }
            rows += [(.archiveSHA256, h.code(subject.archiveSHA256)), (.tagManifestSHA256, h.code(subject.tagManifestSHA256))]
            var out = "<h2>\(h.text(self[.bundle]))</h2>\n<dl class=\"facts wide\">\n"
            for (label, value) in rows { out += "<dt>\(h.text(self[label]))</dt><dd>\(value)</dd>\n" }
            return out + "</dl>\n"
        }

        /// A problem in the page's language, from the `ProblemSentences` tables; the English
        /// message only for a code the language has no sentence for.
        func sentence(_ problem: Problem) -> String {
            if let code = problem.code,
               let text = ProblemSentences.sentence(code, problem.parameters ?? [:], in: language, escape: h.text) {
                return text
            }
            return h.text(problem.message)
        }

        func check() -> String {
            let (headline, explanation, style): (StatementPhrase, StatementPhrase, String) =
                !result.passed ? (.verdictInvalid, .explainInvalid, "invalid")
                : result.signerChecked ? (.verdictValid, .explainValid, "complete") : (.verdictUnchecked, .explainUnchecked, "unauthenticated")
            var out = "<h2>\(h.text(self[.check]))</h2>\n"
            out += "<section class=\"verdict v-\(style)\"><span class=\"mark\" aria-hidden=\"true\">\(style == "complete" ? "✓" : style == "invalid" ? "✗" : "!")</span>"
            out += "<div><p class=\"headline\">\(h.text(self[headline]))</p><p>\(h.text(self[explanation]))</p></div></section>\n"
            out += "<dl class=\"facts wide\">\n"
            let signature: StatementPhrase = switch result.signature?.failure {
            case .signerNotAllowed?: .signatureKeyNotListed  // the bytes hold; only the key is not trusted
            case _? : .signatureBad
            case nil: result.signature == nil ? .signatureBad : result.signerChecked ? .signatureGood : .signatureUnchecked
            }
            // Names as text, the key's fingerprint as code: it is an identifier, in no language.
            let principals = result.signature?.principals ?? []
            let who = principals.isEmpty ? result.statement?.signer.name : principals.joined(separator: ", ")
            let fingerprint = result.signature?.fingerprint ?? result.statement?.signer.fingerprint ?? ""
            out += "<dt>\(h.text(self[.signedBy]))</dt><dd>\(who.map { h.text($0) + " " } ?? "")\(h.code(fingerprint)) — \(h.text(self[signature]))</dd>\n"
            if let statement = result.statement {
                out += "<dt>\(h.text(self[.signedAt]))</dt><dd>\(h.text(strings.time(statement.time)))</dd>\n"
                let bound = statement.subject.archiveSHA256 == result.bundle.archiveSHA256 && statement.subject.tagManifestSHA256 == result.bundle.tagManifestSHA256
                out += "<dt>\(h.text(self[.bundle]))</dt><dd>\(h.text(self[bound ? .bound : .notBound]))</dd>\n"
            }
            var time = self[result.envelope.timestampBytes == nil ? .timestampNone : .timestampUnchecked]
            if let timestamp = result.timestamp {
                let when = timestamp.token.map { strings.time($0.genTimeText) } ?? ""
                time = switch timestamp.outcome {
                case .verified: fill(.timestampVerified, when)
                case .notVerified: fill(.timestampNotVerified, when)
                case .failed: self[.timestampFailed]
                }
            }
            out += "<dt>\(h.text(self[.timestamp]))</dt><dd>\(h.text(time))</dd>\n</dl>\n"
            if !result.problems.isEmpty {
                out += "<h2>\(h.text(self[.problems]))</h2>\n<ul>\n" + result.problems.map { "<li>\(sentence($0))</li>\n" }.joined() + "</ul>\n"
            }
            return out
        }
    }
}
