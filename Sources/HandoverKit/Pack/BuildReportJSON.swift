/// `handover/report.json` as a build writes it: the check's result with how the bundle was
/// built, its lists bounded so that the file stays within what verify keeps whole
/// (`BagLimits.keptTagFileBytes`) however many files the handover has.
///
/// Every file is already listed, with its digest, in the payload manifests; report.json keeps
/// the per-deliverable facts, the counts and the first entries of each list (files, problems,
/// warnings, ignored files, empty folders), and counts the rest in `omitted`.
enum BuildReportJSON {
    /// The first entries kept of each list, tried in turn until the report fits: long paths or
    /// many deliverables can make even a thousand entries a list too many.
    static let caps = [1_000, 100, 10, 0]

    /// The report's bytes; throws, naming the limit in verify's words, when even lists with no
    /// entry do not fit (a manifest with that many deliverables is refused before writing).
    static func encoded(_ report: CheckReport, build: CheckJSON.BuildInfo, limits: BagLimits = BagLimits()) throws(BagLimitError) -> [UInt8] {
        var bytes: [UInt8] = []
        for cap in caps {
            var json = CheckJSON(report, build: build, listed: cap)
            // The copy inside the bundle, not the path given on the command line: that path would
            // make the bytes depend on where SOURCE sits, and show the provider's folders.
            json.manifest = BagLayout.manifestCopy
            bytes = Array(json.encoded().utf8)
            if bytes.count <= limits.keptTagFileBytes { break }
        }
        try PackLimits.checkTagFile(BagLayout.reportJSON, bytes: bytes.count, limits: limits)
        return bytes
    }
}
