import Foundation

/// An OpenSSH allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS): who may sign, with which key.
///
/// Each line is `principals [options] keytype base64-key [comment]`; principals is a
/// comma-separated pattern list (`*`, `?`, `!`), optionally in double quotes; options are
/// `cert-authority`, `namespaces="a,b"`, `valid-after="YYYYMMDD[HHMM[SS]][Z]"` and
/// `valid-before=...`. Blank lines and `#` comments are skipped. A line that does not parse is an
/// error naming it, as ssh-keygen stops at one too.
///
/// valid-after / valid-before are honoured against the verification time (now, unless the caller
/// passes another), as `ssh-keygen -Y verify` does; a time without `Z` is local time, as in
/// OpenSSH. cert-authority lines are read but never match: handover verifies plain keys, not
/// certificates, and says so in the verification's notes.
package struct AllowedSigners: Sendable {
    /// One line of the file.
    package struct Entry: Sendable {
        /// The line number, for messages.
        package let line: Int
        /// The principal patterns, as listed.
        package let principals: [String]
        package let publicKey: SSHPublicKey
        /// The namespace patterns of `namespaces=`, or nil when any namespace is allowed.
        package let namespaces: [String]?
        package let isCertificateAuthority: Bool
        package let validAfter: Date?
        package let validBefore: Date?

        package func allowsPrincipal(_ principal: String) -> Bool {
            OpenSSHPattern.matches(principal, list: principals)
        }

        package func allowsNamespace(_ namespace: String) -> Bool {
            namespaces.map { OpenSSHPattern.matches(namespace, list: $0) } ?? true
        }

        package func isValid(at date: Date) -> Bool {
            if let validAfter, date < validAfter { return false }
            if let validBefore, date > validBefore { return false }
            return true
        }
    }

    static let maximumSize = 4 * 1024 * 1024

    /// Where the list came from (a path), for messages.
    package let source: String
    package let entries: [Entry]

    package init(contentsOf path: String) throws {
        let bytes = try readSmallFile(path, limit: Self.maximumSize, what: "an allowed_signers file")
        try self.init(contents: String(decoding: bytes, as: UTF8.self), source: path)
    }

    package init(contents: String, source: String = "allowed_signers") throws {
        self.source = source
        var entries: [Entry] = []
        // "\r\n" is one Character in Swift, so both line ends are named.
        let lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            var scanner = LineScanner(rawLine, source: source, line: index + 1)
            if let entry = try scanner.entry() { entries.append(entry) }
        }
        self.entries = entries
    }
}

/// Reads one allowed_signers line, token by token.
private struct LineScanner {
    let chars: [Character]
    var index = 0
    let source: String
    let line: Int

    init(_ text: Substring, source: String, line: Int) {
        chars = Array(text)
        self.source = source
        self.line = line
    }

    func fail(_ reason: String) -> SSHSigError {
        .malformedAllowedSigners(source: source, line: line, reason: reason)
    }

    mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    /// The next whitespace-delimited token; double quotes keep spaces inside, and a backslash
    /// escapes a quote within them (as in option values).
    mutating func token() throws -> String? {
        skipSpace()
        guard index < chars.count else { return nil }
        var out = ""
        var quoted = false
        while index < chars.count {
            let c = chars[index]
            if !quoted, c.isWhitespace { break }
            if c == "\\", quoted, index + 1 < chars.count, chars[index + 1] == "\"" {
                out.append("\\\"")
                index += 2
                continue
            }
            if c == "\"" { quoted.toggle() }
            out.append(c)
            index += 1
        }
        guard !quoted else { throw fail("a double quote is not closed") }
        return out
    }

    mutating func entry() throws -> AllowedSigners.Entry? {
        skipSpace()
        guard index < chars.count, chars[index] != "#" else { return nil }
        guard var principals = try token() else { return nil }
        if principals.hasPrefix("\"") {
            guard principals.count >= 2, principals.hasSuffix("\"") else { throw fail("the quoted principals are not closed") }
            principals = String(principals.dropFirst().dropLast())
        }
        let patterns = OpenSSHPattern.split(principals)
        guard !patterns.isEmpty else { throw fail("the line lists no principal") }
        guard let first = try token() else { throw fail("the key is missing after the principals") }

        var options = SignerOptions()
        var keyType = first
        // Key type names never hold '=', '"' or ','; options always do, or are cert-authority.
        if first.contains(where: { "=\",".contains($0) }) || first.lowercased() == "cert-authority" {
            options = try SignerOptions(first, fail: fail)
            guard let type = try token() else { throw fail("the key is missing after the options") }
            keyType = type
        }
        guard let base64 = try token() else { throw fail("the key after \(keyType) is missing") }
        skipSpace()
        let comment = String(chars[index...]).trimmingCharacters(in: .whitespacesAndNewlines)
        let key: SSHPublicKey
        do {
            key = try SSHPublicKey(type: keyType, base64: Substring(base64), comment: comment, source: "the key")
        } catch let error as SSHSigError {
            if case .malformedKey(_, let reason) = error { throw fail("the key is not usable: \(reason)") }
            throw error
        }
        return AllowedSigners.Entry(
            line: line, principals: patterns, publicKey: key, namespaces: options.namespaces,
            isCertificateAuthority: options.certificateAuthority,
            validAfter: options.validAfter, validBefore: options.validBefore)
    }
}

/// The options field of an allowed_signers line.
private struct SignerOptions {
    var certificateAuthority = false
    var namespaces: [String]?
    var validAfter: Date?
    var validBefore: Date?

    init() {}

    init(_ text: String, fail: (String) -> SSHSigError) throws {
        var rest = Substring(text)
        while !rest.isEmpty {
            let name = rest.prefix { $0 != "=" && $0 != "," }
            rest = rest.dropFirst(name.count)
            var value: String? = nil
            if rest.first == "=" {
                rest = rest.dropFirst()
                guard rest.first == "\"" else { throw fail("the value of \(name) must be in double quotes") }
                rest = rest.dropFirst()
                var out = ""
                while let c = rest.first, c != "\"" {
                    if c == "\\", rest.dropFirst().first == "\"" { out.append("\""); rest = rest.dropFirst(2); continue }
                    out.append(c)
                    rest = rest.dropFirst()
                }
                guard rest.first == "\"" else { throw fail("the value of \(name) is not closed by a double quote") }
                rest = rest.dropFirst()
                value = out
            }
            try set(name.lowercased(), value, fail: fail)
            if rest.first == "," {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { throw fail("the options end with a comma") }
            } else if !rest.isEmpty {
                throw fail("unexpected text after the option \(name)")
            }
        }
    }

    private mutating func set(_ name: String, _ value: String?, fail: (String) -> SSHSigError) throws {
        switch (name, value) {
        case ("cert-authority", nil):
            certificateAuthority = true
        case ("namespaces", let list?):
            guard namespaces == nil else { throw fail("namespaces= appears twice") }
            namespaces = OpenSSHPattern.split(list)
        case ("valid-after", let time?):
            guard validAfter == nil else { throw fail("valid-after= appears twice") }
            guard let date = Self.parseTime(time) else { throw fail("valid-after=\"\(time)\" is not a time YYYYMMDD[HHMM[SS]][Z]") }
            validAfter = date
        case ("valid-before", let time?):
            guard validBefore == nil else { throw fail("valid-before= appears twice") }
            guard let date = Self.parseTime(time) else { throw fail("valid-before=\"\(time)\" is not a time YYYYMMDD[HHMM[SS]][Z]") }
            validBefore = date
        case ("cert-authority", _?):
            throw fail("cert-authority takes no value")
        case ("namespaces", nil), ("valid-after", nil), ("valid-before", nil):
            throw fail("\(name) needs a value, as in \(name)=\"...\"")
        default:
            throw fail("unknown option \"\(name)\" (allowed: cert-authority, namespaces, valid-after, valid-before)")
        }
    }

    /// OpenSSH's absolute times: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC when followed
    /// by `Z` or `UTC`, in local time otherwise.
    static func parseTime(_ text: String) -> Date? {
        var digits = Substring(text)
        var zone = ProcessSetup.userTimeZone
        for suffix in ["Z", "UTC"] where digits.count > suffix.count && digits.uppercased().hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            zone = TimeZone(identifier: "UTC") ?? zone
            break
        }
        guard [8, 12, 14].contains(digits.count), digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let numbers = Array(digits).map { Int(String($0)) ?? 0 }
        func field(_ start: Int, _ length: Int) -> Int {
            start + length <= numbers.count ? numbers[start..<start + length].reduce(0) { $0 * 10 + $1 } : 0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(
            calendar: calendar, timeZone: zone, year: field(0, 4), month: field(4, 2), day: field(6, 2),
            hour: field(8, 2), minute: field(10, 2), second: field(12, 2))
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
