import Foundation

extension HandoverReport {
    /// The report on a SOURCE folder checked against a manifest (`handover report SOURCE --manifest`).
    public init(checked report: CheckReport, source: String, now: Int64) {
        let json = CheckJSON(report)
        self.init(kind: .source, subject: source, manifest: report.manifest.fileName, tool: HandoverVersion.nameAndVersion,
                  verdict: report.passed ? .complete : .incomplete, passed: report.passed, handover: json.handover,
                  dates: Dates(handover: json.handover.date, generated: BagLayout.rfc3339(now)),
                  summary: json.summary, deliverables: Self.withFileLists(json, report), notCollected: json.notCollected,
                  problems: [])
        ignored = json.ignored
    }

    /// The report a bundle carries as `handover/report.html`, made while it is built: the
    /// signature and the time-stamp come after it (and cover it), so it can only say they follow.
    package init(building report: CheckReport, build: CheckJSON.BuildInfo, signed: Bool, timestamped: Bool) {
        let json = CheckJSON(report)
        // The annex shows no more than its cap of each deliverable's files: only those are kept.
        self.init(kind: .build, subject: build.bagName, manifest: BagLayout.manifestCopy, tool: build.tool,
                  verdict: report.passed ? .complete : .incomplete, passed: report.passed, handover: json.handover,
                  dates: Dates(handover: json.handover.date, bundleCreated: build.created, generated: build.created),
                  summary: json.summary, deliverables: Self.withFileLists(json, report, first: ReportView.filesPerDeliverable),
                  notCollected: json.notCollected,
                  problems: [])
        state = report.passed ? .intactAndComplete : .intactButIncomplete
        ignored = json.ignored
        bundle = Bundle(
            bagName: build.bagName, isArchive: true, payloadFiles: build.payloadFiles, payloadBytes: build.payloadBytes,
            builtIncomplete: build.allowIncomplete, encryptedFiles: build.encryptedFiles, recipients: build.recipients,
            remotePayload: build.payload == PayloadPlacement.remote.rawValue ? true : nil, builtBy: build.tool, bagInfo: [], signatureRequested: signed, timestampRequested: timestamped)
    }

    /// The report on a received bundle, from its verification. `archive` is the archive file's
    /// checksum (nil for a bag folder).
    public init(verified result: VerifiedBundle, archive: ArchiveChecksum?, now: Int64) {
        let verify = VerifyJSON(result)
        let bag = result.bag
        let info = bag.bagInfo
        // What the bundle said of itself at build time; only descriptive, never trusted for the verdict.
        let built = bag.tagFile(BagLayout.reportJSON).flatMap { try? JSONDecoder().decode(CheckJSON.self, from: Data($0)) }
        let parties: CheckJSON.Parties
        var deliverables: [CheckJSON.DeliverableEntry] = []
        if let completeness = result.completeness {
            let json = CheckJSON(completeness)
            parties = json.handover
            deliverables = Self.withFileLists(json, completeness)
        } else {
            parties = CheckJSON.Parties(
                contract: info?.value("Handover-Contract") ?? info?.value("External-Identifier") ?? "",
                client: info?.value("Handover-Client") ?? "",
                provider: info?.value("Handover-Provider") ?? info?.value("Source-Organization") ?? "",
                recipient: info?.value("Handover-Recipient") ?? "",
                date: info?.value("Handover-Date"))
        }
        Self.attachIntegrityProblems(bag.problems, to: &deliverables)

        // The same verdict as `handover verify`: green only when authenticated.
        let verdict: Verdict
        let archive = archive ?? result.archive
        if !result.bag.isValid || result.manifestProblem != nil || !result.evidence.passed || archive?.sidecar == .mismatch {
            verdict = .invalid
        } else if let completeness = result.completeness, !completeness.passed {
            verdict = .incomplete
        } else if result.evidence.authenticity != .authenticated {
            verdict = .unauthenticated
        } else {
            verdict = result.completeness == nil ? .intact : .complete
        }
        var details: [Problem] = []
        if let problem = result.manifestProblem { details.append(Problem(problem)) }
        details += result.evidence.details
        if let mismatch = archive?.mismatch { details.append(mismatch) }
        let problems = details.map(\.message)

        self.init(kind: .bundle, subject: result.path, manifest: result.completeness == nil ? nil : BagLayout.manifestCopy,
                  tool: HandoverVersion.nameAndVersion, verdict: verdict, passed: verdict == .complete || verdict == .intact || verdict == .unauthenticated,
                  handover: parties,
                  dates: Dates(handover: parties.date, bundleCreated: info?.value("Handover-Created") ?? built?.build?.created,
                               // A time-stamp not verified against a TSA you trust proves no date: the
                               // technical section says what it claims, the dates never show it as one.
                               timestamped: verify.timestamp.outcome == .verified ? verify.timestamp.time : nil, generated: BagLayout.rfc3339(now)),
                  summary: result.completeness == nil ? nil : Self.summary(of: deliverables),
                  deliverables: deliverables, notCollected: nil, problems: problems)
        bundle = Bundle(
            path: result.path, bagName: built?.build?.bagName, isArchive: !result.isFolder, bytes: archive?.bytes,
            sha256: archive?.sha256, sidecar: archive?.sidecar, payloadFiles: verify.integrity.payloadFiles,
            payloadBytes: verify.integrity.payloadBytes, builtIncomplete: built?.build?.allowIncomplete ?? false,
            encryptedFiles: built?.build?.encryptedFiles ?? 0, recipients: built?.build?.recipients ?? [],
            remotePayload: built?.build?.payload == PayloadPlacement.remote.rawValue ? true : nil,
            builtBy: info?.value("Bag-Software-Agent") ?? built?.build?.tool, bagInfo: verify.integrity.bagInfo)
        bundle?.remoteObjects = result.remote.map { $0.entries.count + $0.outOfScope }
        bundle?.remoteChecked = result.remote?.count(.checked)
        integrity = verify.integrity
        state = result.state
        problemDetails = details.isEmpty ? nil : details
        authenticity = result.evidence.authenticity
        signature = verify.signature
        timestamp = verify.timestamp
        // Covered by the tag manifest like report.json; shown as the bundle states it.
        changes = bag.tagFile(BundleTags.changesFile).flatMap { try? DiffJSON.decode($0) }
    }

    /// The report on a bundle that could not be read through (damaged, truncated, unsafe paths).
    public init(unreadable path: String, reason: String, archive: ArchiveChecksum?, now: Int64) {
        self.init(kind: .bundle, subject: path, tool: HandoverVersion.nameAndVersion, verdict: .invalid, passed: false,
                  handover: CheckJSON.Parties(contract: "", client: "", provider: "", recipient: "", date: nil),
                  dates: Dates(generated: BagLayout.rfc3339(now)), deliverables: [], problems: [reason])
        bundle = Bundle(path: path, isArchive: archive != nil, bytes: archive?.bytes, sha256: archive?.sha256,
                        sidecar: archive?.sidecar, payloadFiles: 0, payloadBytes: 0, builtIncomplete: false,
                        encryptedFiles: 0, recipients: [], bagInfo: [])
        state = .notIntact
    }

    init(kind: Kind, subject: String, manifest: String? = nil, tool: String, verdict: Verdict, passed: Bool,
         handover: CheckJSON.Parties, dates: Dates, summary: CheckJSON.Summary? = nil,
         deliverables: [CheckJSON.DeliverableEntry], notCollected: CheckJSON.NotCollected? = nil, problems: [String]) {
        self.kind = kind
        self.subject = subject
        self.manifest = manifest
        self.tool = tool
        self.verdict = verdict
        self.passed = passed
        self.handover = handover
        self.dates = dates
        self.summary = summary
        self.deliverables = deliverables
        self.notCollected = notCollected
        self.problems = problems
    }

    /// The deliverables of `json`, each with its list of files and sizes (the first `cap`).
    static func withFileLists(_ json: CheckJSON, _ report: CheckReport, first cap: Int = .max) -> [CheckJSON.DeliverableEntry] {
        zip(json.deliverables, report.results).map { entry, result in
            var entry = entry
            entry.fileList = result.files.prefix(cap).map { CheckJSON.FileEntry($0) }
            return entry
        }
    }

    /// A payload file whose checksum fails (or that is missing, or unlisted) makes the
    /// deliverable it belongs to invalid, so that the reader sees the damage where it matters.
    static func attachIntegrityProblems(_ issues: [BagIssue], to deliverables: inout [CheckJSON.DeliverableEntry]) {
        // The issues by the paths they name (stored and plaintext), so that each deliverable's
        // files are read once, not once per issue.
        var byPath: [String: [Int]] = [:]
        var plainOf: [Int: String] = [:]
        for (number, issue) in issues.enumerated() where issue.file.hasPrefix("data/") {
            let stored = String(issue.file.dropFirst("data/".count))
            let plain = stored.hasSuffix(".age") ? String(stored.dropLast(4)) : stored
            plainOf[number] = plain
            byPath[stored, default: []].append(number)
            if plain != stored { byPath[plain, default: []].append(number) }
        }
        guard !byPath.isEmpty else { return }
        for index in deliverables.indices {
            var named = Set<Int>()
            for file in deliverables[index].fileList ?? [] { named.formUnion(byPath[file.path] ?? []) }
            for number in named.sorted() {
                var problem = Problem(file: plainOf[number] ?? "", issues[number].message)
                problem.code = ProblemCode(issues[number].code)
                deliverables[index].problems.append(problem)
                if deliverables[index].status == .ok { deliverables[index].status = .invalid }
            }
        }
    }

    static func summary(of deliverables: [CheckJSON.DeliverableEntry]) -> CheckJSON.Summary {
        func count(_ status: DeliverableStatus) -> Int { deliverables.filter { $0.status == status }.count }
        return CheckJSON.Summary(required: deliverables.filter(\.required).count, ok: count(.ok), missing: count(.missing),
                                 invalid: count(.invalid), optionalAbsent: count(.optionalAbsent))
    }
}
