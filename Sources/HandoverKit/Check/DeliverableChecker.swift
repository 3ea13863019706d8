/// What the rules are checked against: when "now" is, and what the user allowed.
public struct CheckOptions: Sendable {
    /// The current time; ages are measured at the handover date, or now when it has none.
    package var now: Timestamp
    /// `--allow-secrets`: secret findings are recorded as warnings instead of failing the check.
    public var allowSecrets: Bool
    /// A build's SOURCE_DATE_EPOCH: the bundle stores every file time clamped to it, so ages are
    /// judged on the clamped times, which are the ones `verify` reads back.
    public var fileTimesClampedTo: Int64?
    /// `--windows-safe`: names Windows cannot hold are problems instead of warnings.
    public var windowsSafe: Bool
    /// Files whose time nobody recorded: a holey bag's files in object storage (fetch.txt gives
    /// a URL and a size, no date). A `max-age-days` rule over one of them is not judged; a note
    /// says so, rather than an age being made up.
    package var undated: Set<[UInt8]> = []
    /// Files whose size nobody gave: fetch.txt's `-`. Not judged empty.
    package var unsized: Set<[UInt8]> = []

    package init(now: Timestamp = .now, allowSecrets: Bool = false, fileTimesClampedTo: Int64? = nil, windowsSafe: Bool = false) {
        self.now = now
        self.allowSecrets = allowSecrets
        self.fileTimesClampedTo = fileTimesClampedTo
        self.windowsSafe = windowsSafe
    }

    /// The time a file's age is judged on: its modification time, clamped when the build clamps.
    func judgedTime(of file: SourceFile) -> Int64 {
        fileTimesClampedTo.map { min($0, file.modified.seconds) } ?? file.modified.seconds
    }
}

extension Timestamp {
    /// The current time of the system clock.
    package static var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(seconds: Int64(spec.tv_sec), nanoseconds: Int64(spec.tv_nsec))
    }
}

/// Judges each deliverable by its rules: file count, formats, empty files, age, CSV header,
/// secrets, and files that are not regular files.
package enum DeliverableChecker {
    /// Builds the report from the selection and the facts read from the files' content.
    /// - Parameter facts: what was read from each file's content, by path; a file without facts
    ///   was not read (its content rules are then not judged).
    /// - Parameter names: the selection's Windows name findings, when an earlier check of the
    ///   same selection made them (build checks twice: before and after reading).
    package static func check(
        manifest: Manifest, selection: Selection, facts: [[UInt8]: FileFacts], options: CheckOptions, names: NameFindings? = nil
    ) -> CheckReport {
        let reference = referenceTime(manifest.parties.date, now: options.now)
        let names = names ?? NameFindings(manifest: manifest, selection: selection)
        var results: [DeliverableResult] = []
        for (index, deliverable) in manifest.deliverables.enumerated() {
            var result = judge(deliverable, files: selection.files[index], facts: facts, reference: reference,
                               dated: manifest.parties.date != nil, options: options)
            judgeNames(&result, names: names, options: options)
            result.ignored = selection.ignoredBy[index]
            result.warnings += selection.emptyFoldersOf[index].map { Problem(file: $0 + "/", .emptyFolder) }
            results.append(result)
        }
        var report = CheckReport(manifest: manifest, referenceTime: reference, results: results,
                                 notCollected: selection.notCollected, secretsAllowed: options.allowSecrets)
        report.ignored = selection.ignored
        report.emptyFolders = selection.emptyFolders
        report.unfilled = Placeholders.unfilled(manifest.parties)
        report.windowsSafe = options.windowsSafe
        return report
    }

    /// Names Windows cannot hold: warnings, or problems that make the deliverable invalid with
    /// `--windows-safe`. A deliverable already missing stays missing.
    static func judgeNames(_ result: inout DeliverableResult, names: NameFindings, options: CheckOptions) {
        // Two files of one name in the bag: always a problem, the bundle could not be verified.
        for file in result.files {
            guard let clash = names.storedClashes[file.path] else { continue }
            result.problems.append(Problem(file: file.displayPath, .storedNameClash, ["other": clash.other, "stored": clash.stored]))
            if result.status == .ok { result.status = .invalid }
        }
        var found: [Problem] = []
        for file in result.files {
            if let problems = names.problems[file.path] { found += problems }
            if let other = names.clashes[file.path] { found.append(Problem(file: file.displayPath, .windowsCaseClash, ["other": other])) }
        }
        guard !found.isEmpty else { return }
        if options.windowsSafe {
            result.problems += found
            if result.status == .ok { result.status = .invalid }
        } else {
            result.warnings += found
        }
    }

    /// The end of the handover day (UTC) when the manifest gives a date, otherwise now.
    package static func referenceTime(_ date: CalendarDate?, now: Timestamp) -> Timestamp {
        guard let date else { return now }
        return Timestamp(seconds: date.startOfDayEpoch + 86_400)
    }

    static func judge(
        _ deliverable: Deliverable, files: [SourceFile], facts: [[UInt8]: FileFacts],
        reference: Timestamp, dated: Bool = true, options: CheckOptions
    ) -> DeliverableResult {
        var problems: [Problem] = []
        var warnings: [Problem] = []
        var allowed: [AllowedSecret] = []
        // A view, not a copy: a deliverable of a million files is not held twice.
        let regular = files.lazy.filter { if case .regular = $0.kind { true } else { false } }
        for file in files {
            switch file.kind {
            case .regular:
                break
            case .symlink(let target):
                problems.append(Problem(file: file.displayPath, .symbolicLink, ["target": target]))
            case .special(let kind):
                problems.append(Problem(file: file.displayPath, .notRegularFile, ["kind": kind]))
            }
        }
        if regular.isEmpty && files.isEmpty && deliverable.minFiles > 0 {
            let globs = deliverable.paths.map(\.pattern).joined(separator: ", ")
            let status: DeliverableStatus = deliverable.required ? .missing : .optionalAbsent
            let problem = deliverable.attestation.map { Problem.notAttested($0, globs: globs) }
                ?? Problem(deliverable.required ? .noFileMatches : .optionalAbsent, ["globs": globs])
            return DeliverableResult(deliverable: deliverable, status: status, files: [], problems: deliverable.required ? [problem] : [], warnings: deliverable.required ? [] : [problem])
        }
        if regular.count < deliverable.minFiles {
            problems.append(Problem(.tooFewFiles, ["found": String(regular.count), "minimum": String(deliverable.minFiles)]))
        }
        for file in regular {
            if let formats = deliverable.formats, !formats.contains(file.fileExtension) {
                let expected = formats.map { "." + $0 }.joined(separator: ", ")
                problems.append(file.fileExtension.isEmpty
                    ? Problem(file: file.displayPath, .extensionMissing, ["expected": expected])
                    : Problem(file: file.displayPath, .formatNotAllowed, ["format": file.fileExtension, "expected": expected]))
            }
            if file.size == 0 && !options.unsized.contains(file.path) {
                problems.append(Problem(file: file.displayPath, .emptyFile))
            }
            let fileFacts = facts[file.path]
            if !deliverable.csv.columns.isEmpty, file.fileExtension == "csv", let fileFacts {
                let found = csvFindings(file, fileFacts, rule: deliverable.csv)
                problems += found.problems
                warnings += found.notes
            }
            if let rule = deliverable.xlsx, workbookExtensions.contains(file.fileExtension), let workbook = fileFacts?.workbook {
                problems += workbookProblems(file, workbook, rule: rule)
            }
            if !deliverable.confidential, let fileFacts {
                judgeSecrets(fileFacts, in: file, of: deliverable, options: options,
                             problems: &problems, warnings: &warnings, allowed: &allowed)
            }
        }
        let undated = options.undated.isEmpty ? 0 : regular.count { options.undated.contains($0.path) }
        if let maxAge = deliverable.maxAgeDays, undated > 0 {
            warnings.append(Problem(.ageNotKnown, ["count": String(undated), "maximum": String(maxAge)]))
        } else if let maxAge = deliverable.maxAgeDays, let newest = regular.max(by: { options.judgedTime(of: $0) < options.judgedTime(of: $1) }) {
            let judged = options.judgedTime(of: newest)
            let ageDays = (reference.seconds - judged) / 86_400
            if ageDays > Int64(maxAge) {
                var parameters = ["age": String(ageDays), "maximum": String(maxAge)]
                let code: ProblemCode
                if judged < newest.modified.seconds {
                    // Said when the clamp made the file old: otherwise the user sees a fresh file
                    // called old and has no way to know why.
                    parameters["clamped"] = BagLayout.rfc3339(judged)
                    parameters["variable"] = "SOURCE_DATE_EPOCH"
                    code = dated ? .tooOldClamped : .tooOldTodayClamped
                } else {
                    code = dated ? .tooOld : .tooOldToday
                }
                problems.append(Problem(file: newest.displayPath, code, parameters))
            }
        }
        return DeliverableResult(deliverable: deliverable, status: problems.isEmpty ? .ok : .invalid,
                                 files: files, problems: problems, warnings: warnings, allowedSecrets: allowed)
    }

    /// Each finding is a problem, unless the manifest's `allow-secrets:` (first: it is the
    /// narrower, reviewed decision) or `--allow-secrets` allows it; then a warning, recorded with
    /// what allowed it.
    static func judgeSecrets(
        _ facts: FileFacts, in file: SourceFile, of deliverable: Deliverable, options: CheckOptions,
        problems: inout [Problem], warnings: inout [Problem], allowed: inout [AllowedSecret]
    ) {
        let allowedBy = deliverable.allowSecrets.allowance(for: file) ?? (options.allowSecrets ? "--allow-secrets" : nil)
        // What was found, and whether it is listed (with a kind and place) or only counted.
        var found: [(String, SecretFinding?)] = facts.secrets.map { ($0.description, $0) }
        if facts.moreSecrets > 0 {
            found.append(("\(facts.moreSecrets) more secret\(facts.moreSecrets == 1 ? "" : "s") not listed", nil))
        }
        for (finding, listed) in found {
            // The kind's code and place ride along, for a report in another language.
            let problem = listed.map { listed in
                Problem(file: file.displayPath, allowedBy == nil ? .secretFound : .secretAllowed,
                        listed.parameters.merging(["finding": finding, "allowed-by": allowedBy ?? ""].filter { !$0.value.isEmpty }) { $1 })
            } ?? Problem(file: file.displayPath, .secretsNotListed, ["count": String(facts.moreSecrets)])
            if let allowedBy {
                warnings.append(problem)
                allowed.append(AllowedSecret(file: file.displayPath, finding: finding, allowedBy: allowedBy))
            } else {
                problems.append(problem)
            }
        }
    }
}

import Foundation
