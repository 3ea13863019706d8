/// A manifest that cannot be used, with where the problem is and what to write instead.
///
/// Every case leads to exit status 2: nothing can be checked against a manifest that is wrong.
package struct ManifestError: RemediableError, Equatable {
    /// The manifest file as the user named it.
    package let file: String
    /// 1-based line and column of the problem, when known.
    package let line: Int?
    package let column: Int?
    /// What is wrong, and what to do about it.
    package let message: String
    /// The way on when it is a command of handover's (the command layer words it).
    package var remedy: Remedy?

    package init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        // One line, whatever the manifest held: keys, ids and values quoted in messages come from
        // a file that may be hostile (a bundle's copy), and a line break there could add a line
        // that reads like a verdict.
        self.message = VisibleText.escapedName(message)
    }

    /// A manifest with nothing in it.
    package static func empty(_ file: String) -> ManifestError {
        var error = ManifestError(file: file, "the manifest is empty")
        error.remedy = .startFromTemplate
        return error
    }

    package var errorDescription: String? { message(advice: nil) }

    package func message(advice: String?) -> String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)" + (advice.map { "; " + $0 } ?? "")
    }
}

/// The known key closest to a mistyped one, when it is close enough to be a likely typo.
func closestKey(to key: String, among known: [String]) -> String? {
    let lowered = key.lowercased()
    var best: (key: String, distance: Int)?
    for candidate in known {
        let distance = editDistance(Array(lowered), Array(candidate))
        if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
    }
    guard let best, best.distance <= max(2, best.key.count / 3) else { return nil }
    return best.key
}

/// Levenshtein distance, with a cap so that a hostile 1 MB key costs nothing.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.count > 64 || b.count > 64 { return Int.max / 2 }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...max(1, a.count) where !a.isEmpty {
        current[0] = i
        for j in 1...max(1, b.count) where !b.isEmpty {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return a.isEmpty ? b.count : (b.isEmpty ? a.count : previous[b.count])
}
