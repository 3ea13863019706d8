import Foundation

extension SourceCheck {
    /// `handover missing --manifest FILE s3://bucket/prefix/`: the same rules as for a folder,
    /// on the listing (globs, counts, formats, ages) and on streamed reads of the objects whose
    /// content a rule needs (CSV headers, secrets), each read once and never stored.
    ///
    /// Not done for objects: the second, random-access reads of office documents (secrets in
    /// their XML parts, `xlsx:` header rows). Each such document gets a warning saying so, so
    /// that "ready" never stands for a check that did not run.
    package static func run(manifest: Manifest, objects source: ObjectSource, options: CheckOptions) throws -> CheckReport {
        let selection = Selection(manifest: manifest, files: source.files)
        let client = try ObjectStoreClient(source.configuration)
        var facts: [[UInt8]: FileFacts] = [:]
        var seen = Set<[UInt8]>()
        for files in selection.files {
            for file in files where seen.insert(file.path).inserted {
                var inspector = inspector(for: file, selection: selection, manifest: manifest)
                guard inspector.needsContent else { continue }
                try client.read(bucket: source.location.bucket, key: source.key(of: file)) { inspector.consume($0) }
                facts[file.path] = inspector.finish()
            }
        }
        var report = DeliverableChecker.check(manifest: manifest, selection: selection, facts: facts, options: options)
        noteObjectPartsNotRead(&report)
        return report
    }

    /// A warning on each office document of an object-store SOURCE: its parts were not read
    /// (no random access to an object), so "ready" never stands for a check that did not run.
    static func noteObjectPartsNotRead(_ report: inout CheckReport) {
        for index in report.results.indices {
            for file in report.results[index].files where OfficeSecretScan.extensions.contains(file.fileExtension) {
                report.results[index].warnings.append(Problem(file: file.displayPath, .objectPartsNotRead))
            }
        }
    }
}
