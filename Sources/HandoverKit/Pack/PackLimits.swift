/// Build's side of `BagLimits`: what verify and extract would refuse is refused before anything
/// is packed, naming the file and the limit in the words verify uses, so that every bundle
/// handover writes is one handover reads back.
enum PackLimits {
    /// The tag files a build may write: bagit.txt, bag-info.txt, manifest.yaml, report.json,
    /// report.html, signature and time-stamp, and a manifest and a tag manifest per algorithm.
    static func tagFileCount(algorithms: Int) -> Int { 7 + 2 * algorithms }

    /// Checks the payload's paths (bytes, depth, name bytes, names the format can hold), the
    /// number of entries and the tag files whose size is known before packing. Returns the bytes
    /// of the payload's paths as a manifest writes them (the manifests' sizes are made from it).
    @discardableResult
    static func check(_ payload: Payload, bagName: String, format: ArchiveFormat, manifestCopyBytes: Int,
                      algorithms: [ChecksumAlgorithm], limits: BagLimits = BagLimits()) throws(BagLimitError) -> Int64 {
        let entries = 1 + tagFileCount(algorithms: algorithms.count) + payload.count
        if entries > limits.entries {
            throw building(BagLimitError(.entries, path: "", found: Int64(entries), limit: Int64(limits.entries)))
        }
        // Each path is `<bag name>/<bag path>`, measured without being made: a million files.
        // Segments are the non-empty runs between slashes; the first name too long is told.
        func measure(_ bytes: [UInt8]) -> (segments: Int, longName: Int?) {
            var segments = 0, longName: Int?, start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "/") {
                let length = end - start
                if length > 0 { segments += 1 }
                if length > limits.nameBytes, longName == nil { longName = length }
                start = end + 1
            }
            return (segments, longName)
        }
        let root = Array(bagName.utf8)
        let rootMeasure = measure(root)
        var encodedPaths: Int64 = 0
        for item in payload {
            let path = item.bagPath
            let pathMeasure = measure(path)
            let segments = rootMeasure.segments + pathMeasure.segments
            let longName = rootMeasure.longName ?? pathMeasure.longName
            do {
                try limits.checkEntryPath(bytes: root.count + 1 + path.count, depth: segments, longName: longName, shown: item.file.displayPath)
            } catch {
                throw building(error)
            }
            if !format.canHold(name: path) {
                throw building(BagLimitError(.nameEncoding, path: item.file.displayPath, found: 0, limit: 0))
            }
            encodedPaths += Int64(BagPath.encodedCount(path))
        }
        for algorithm in algorithms {
            // One line per file: digest, two spaces, encoded path, line feed.
            let bytes = encodedPaths + Int64(payload.count) * Int64(algorithm.hexLength + 3)
            if bytes > limits.otherTagFileBytes {
                throw building(BagLimitError(.tagFileBytes, path: "manifest-\(algorithm.rawValue).txt", found: bytes, limit: limits.otherTagFileBytes))
            }
        }
        try checkTagFile(BagLayout.manifestCopy, bytes: manifestCopyBytes, limits: limits)
        return encodedPaths
    }

    /// A tag file kept whole by the verifier (`handover/…`), once its size is known; checked
    /// before it is written, and before the archive is committed.
    static func checkTagFile(_ path: String, bytes: Int, limits: BagLimits = BagLimits()) throws(BagLimitError) {
        if bytes > limits.keptTagFileBytes {
            throw building(BagLimitError(.tagFileBytes, path: path, found: Int64(bytes), limit: Int64(limits.keptTagFileBytes)))
        }
    }

    private static func building(_ error: BagLimitError) -> BagLimitError {
        var error = error
        error.building = true
        return error
    }
}

extension ArchiveFormat {
    /// Whether the format stores `name` so that it reads back as the same bytes: tar (pax)
    /// stores any bytes; zip's readers take names as UTF-8 (or a legacy code page), so a name
    /// that is not valid UTF-8 does not come back as written.
    public func canHold(name: [UInt8]) -> Bool {
        switch self {
        case .zip: String(validating: name, as: UTF8.self) != nil
        case .tar, .tarGzip, .tarZstd, .tarXz: true
        }
    }
}
