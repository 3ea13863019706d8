/// Looks for credentials in a text file as its bytes stream by: private keys (PEM, OpenSSH, PGP)
/// and cloud or service access tokens with a recognisable prefix. Binary files (a NUL byte in the
/// first 8 KiB) are not scanned for text patterns; key stores are recognised by their extension.
///
/// One pass, eight bytes at a time: only bytes that can start a pattern (`-`, `A`, `g`, `x`) are
/// looked at further, and the last bytes of each chunk are carried over so that a pattern split
/// between chunks is still seen.
struct SecretScanner {
    private(set) var findings: [SecretFinding] = []
    private(set) var moreFindings = 0

    private var line = 1
    /// Bytes kept from earlier chunks: `window[..<scanned]` were scanned already and are kept only
    /// as the byte before the next position (a token must start a word); the rest wait for
    /// enough look-ahead.
    private var window: [UInt8] = []
    private var scanned = 0
    private var sniffed = 0
    private var binary = false

    /// The longest look-ahead a pattern needs from its first byte.
    static let lookahead = 64
    static let sniffBytes = 8 << 10
    static let maxFindings = 20

    mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        guard !binary, bytes.count > 0 else { return }
        if sniffed < SecretScanner.sniffBytes {
            let end = min(bytes.count, SecretScanner.sniffBytes - sniffed)
            if UnsafeRawBufferPointer(rebasing: bytes[0..<end]).contains(0) {
                // A binary file is not scanned at all: what earlier chunks found is dropped, so
                // that the facts do not depend on where reads happened to split the file.
                binary = true
                findings = []
                moreFindings = 0
                window = []
                return
            }
            sniffed += end
        }
        let keep = SecretScanner.lookahead
        guard bytes.count >= 2 * keep else {
            // A small chunk: gather it, and scan what has enough look-ahead once there is plenty.
            window += bytes
            if window.count - scanned >= 2 * keep { scanWindow(upTo: window.count - keep) }
            return
        }
        // Each waiting byte of the window, and the chunk's first `keep` bytes, are scanned with the
        // window before them and at least `keep` bytes of the chunk after them.
        let junction = window + bytes.prefix(2 * keep)
        junction.withUnsafeBytes { scan($0, from: scanned, upTo: window.count + keep) }
        scan(bytes, from: keep, upTo: bytes.count - keep)
        window = Array(bytes.suffix(keep + 1))
        scanned = 1
    }

    mutating func finish() {
        guard !binary else { return }
        scanWindow(upTo: window.count)
        window = []
        scanned = 0
    }

    /// Scans the window's waiting bytes before `end`, then keeps the rest and one byte before it.
    private mutating func scanWindow(upTo end: Int) {
        guard end > scanned else { return }
        let bytes = window
        bytes.withUnsafeBytes { scan($0, from: scanned, upTo: end) }
        window.removeFirst(end - 1)
        scanned = 1
    }

    /// Scans the positions from `start` to before `end`; patterns may read past `end` up to the
    /// buffer's end, and look at the byte before `start`.
    ///
    /// Eight bytes at a time: one word tells at once which of its bytes may start a pattern and
    /// how many newlines it holds, so runs of ordinary text cost a few instructions per word.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer, from start: Int, upTo end: Int) {
        var index = start
        while index + 8 <= end {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let newlines = Self.bytes(equalTo: 0x0A, in: word)
            // `-` and `g` are common in text (dates, words): only `--`, `gh` and `gi` can start a
            // key or a GitHub token. The word's last byte has its follower in the next word: kept.
            let following = word >> 8
            let last: UInt64 = 0x80 << 56
            let githubSecond = Self.bytes(equalTo: 0x68, in: following) | Self.bytes(equalTo: 0x69, in: following)
            var starts = (Self.bytes(equalTo: 0x2D, in: word) & (Self.bytes(equalTo: 0x2D, in: following) | last))
                | (Self.bytes(equalTo: 0x67, in: word) & (githubSecond | last))
                | Self.bytes(equalTo: 0x41, in: word) | Self.bytes(equalTo: 0x78, in: word)
            if starts != 0 {
                let before = line
                while starts != 0 {
                    let byte = starts.trailingZeroBitCount >> 3
                    // The line of this byte: the newlines of the word that come before it.
                    line = before + (newlines & ((1 << (byte << 3)) &- 1)).nonzeroBitCount
                    if let kind = SecretScanner.match(bytes, at: index + byte) { record(kind) }
                    starts &= starts &- 1
                }
                line = before
            }
            line += newlines.nonzeroBitCount
            index += 8
        }
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
            } else if byte == 0x2D || byte == 0x41 || byte == 0x67 || byte == 0x78, let kind = SecretScanner.match(bytes, at: index) {
                record(kind)
            }
            index += 1
        }
    }

    /// A word with 0x80 in each byte of `word` equal to `byte`, and 0 elsewhere (exact: no
    /// carry from one byte to the next).
    @inline(__always)
    private static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let x = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return ~(((x & low) &+ low) | x | low)
    }

    private mutating func record(_ kind: String) {
        if findings.count < SecretScanner.maxFindings {
            findings.append(SecretFinding(kind: kind, line: line))
        } else {
            moreFindings += 1
        }
    }

    // MARK: Patterns

    static func match(_ bytes: UnsafeRawBufferPointer, at index: Int) -> String? {
        switch bytes[index] {
        case UInt8(ascii: "-"): return privateKey(bytes, at: index)
        case UInt8(ascii: "A"): return accessKey(bytes, at: index)
        case UInt8(ascii: "g"): return githubToken(bytes, at: index)
        case UInt8(ascii: "x"): return slackToken(bytes, at: index)
        default: return nil
        }
    }

    private static func hasPrefix(_ bytes: UnsafeRawBufferPointer, at index: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let pointer = prefix.utf8Start
        for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    /// Counts the bytes from `index` that satisfy `allowed`, up to `limit`.
    private static func run(_ bytes: UnsafeRawBufferPointer, from index: Int, limit: Int, _ allowed: (UInt8) -> Bool) -> Int {
        var count = 0
        while count < limit, index + count < bytes.count, allowed(bytes[index + count]) { count += 1 }
        return count
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isUpperOrDigit(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) }

    private static func startsWord(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Bool {
        index == 0 || !isAlnum(bytes[index - 1])
    }

    /// `-----BEGIN ... PRIVATE KEY-----` and the PGP armour.
    private static func privateKey(_ bytes: UnsafeRawBufferPointer, at index: Int) -> String? {
        guard hasPrefix(bytes, at: index, "-----BEGIN ") else { return nil }
        let labelStart = index + 11
        let labelLength = run(bytes, from: labelStart, limit: 48) { $0 != UInt8(ascii: "-") && $0 != 0x0A }
        let label = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[labelStart..<(labelStart + labelLength)]), as: UTF8.self)
        if label == "OPENSSH PRIVATE KEY" { return "an OpenSSH private key" }
        if label == "PGP PRIVATE KEY BLOCK" { return "a PGP private key" }
        if label.hasSuffix("PRIVATE KEY") { return "a private key (PEM)" }
        return nil
    }

    /// AWS access key ids (AKIA…, ASIA…) and Google API keys (AIza…).
    private static func accessKey(_ bytes: UnsafeRawBufferPointer, at index: Int) -> String? {
        guard startsWord(bytes, at: index) else { return nil }
        if hasPrefix(bytes, at: index, "AKIA") || hasPrefix(bytes, at: index, "ASIA") {
            let length = run(bytes, from: index + 4, limit: 17, isUpperOrDigit)
            if length == 16 { return "an AWS access key id" }
        } else if hasPrefix(bytes, at: index, "AIza") {
            let length = run(bytes, from: index + 4, limit: 36) { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
            if length == 35 { return "a Google API key" }
        }
        return nil
    }

    /// GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ followed by 36 letters or digits; github_pat_.
    private static func githubToken(_ bytes: UnsafeRawBufferPointer, at index: Int) -> String? {
        guard startsWord(bytes, at: index) else { return nil }
        if hasPrefix(bytes, at: index, "github_pat_") {
            let length = run(bytes, from: index + 11, limit: 40) { isAlnum($0) || $0 == UInt8(ascii: "_") }
            return length >= 22 ? "a GitHub token" : nil
        }
        guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "h"), bytes[index + 3] == UInt8(ascii: "_"),
              "pousr".utf8.contains(bytes[index + 2]) else { return nil }
        return run(bytes, from: index + 4, limit: 37, isAlnum) == 36 ? "a GitHub token" : nil
    }

    /// Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs- followed by digits and dashes.
    private static func slackToken(_ bytes: UnsafeRawBufferPointer, at index: Int) -> String? {
        guard startsWord(bytes, at: index), hasPrefix(bytes, at: index, "xox"), index + 5 <= bytes.count,
              "baprs".utf8.contains(bytes[index + 3]), bytes[index + 4] == UInt8(ascii: "-") else { return nil }
        let length = run(bytes, from: index + 5, limit: 20) { isAlnum($0) || $0 == UInt8(ascii: "-") }
        return length >= 10 ? "a Slack token" : nil
    }

    // MARK: Names

    /// Key stores hold private keys whatever their content looks like.
    static func keyStoreKind(fileName: String) -> String? {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "pfx", "p12": return "a PKCS#12 key store (.\(fileName[fileName.index(after: dot)...].lowercased()))"
        case "kdbx": return "a KeePass password database (.kdbx)"
        case "jks", "keystore": return "a Java key store"
        case "ppk": return "a PuTTY private key (.ppk)"
        default: return nil
        }
    }

    /// Column names that say they hold passwords or secrets, in English and French.
    static func isSecretColumnName(_ name: String) -> Bool {
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            .trimmingCharacters(in: .whitespaces)
        let words = [
            "password", "passwd", "pwd", "passphrase", "pass phrase", "mot de passe", "motdepasse", "mdp",
            "secret", "client secret", "token", "api key", "apikey", "access key", "secret key", "private key",
            "credential", "credentials", "pin",
        ]
        if words.contains(folded) { return true }
        return ["password", "passwd", "secret", "token", "mot de passe", "private key", "api key", "passphrase"]
            .contains { folded.contains($0) }
    }
}

import Foundation
