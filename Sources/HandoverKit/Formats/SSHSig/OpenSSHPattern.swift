/// OpenSSH's pattern lists (ssh_config(5) PATTERNS), used by allowed_signers for principals and
/// namespaces: comma-separated patterns where `*` matches any run of characters, `?` one
/// character, and a pattern starting with `!` excludes what it matches.
enum OpenSSHPattern {
    /// Whether `text` matches `list`: at least one plain pattern matches and no negated one does.
    /// Matching is case-sensitive, as ssh-keygen does for signers.
    static func matches(_ text: String, list patterns: [String]) -> Bool {
        var positive = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if matches(text, pattern: pattern.dropFirst()) { return false }
            } else if matches(text, pattern: Substring(pattern)) {
                positive = true
            }
        }
        return positive
    }

    /// Glob matching with backtracking to the last `*` only: linear in practice, never
    /// exponential, whatever a hostile file puts in its patterns.
    static func matches(_ text: String, pattern: Substring) -> Bool {
        let t = Array(text.unicodeScalars), p = Array(pattern.unicodeScalars)
        var ti = 0, pi = 0
        var star: Int? = nil, starText = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "*" {
                star = pi
                starText = ti
                pi += 1
            } else if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                ti += 1
                pi += 1
            } else if let s = star {
                pi = s + 1
                starText += 1
                ti = starText
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Splits a comma-separated list, dropping empty items.
    static func split(_ list: String) -> [String] {
        list.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
    }
}
