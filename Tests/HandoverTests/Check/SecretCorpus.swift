import Foundation
import Testing

/// One file of the generated secrets corpus and what the scanner must say of it.
struct CorpusCase: Sendable, CustomTestStringConvertible {
    /// Path relative to SOURCE.
    let path: String
    let contents: Data
    /// Part of the kind the finding must name; nil for a negative (no finding at all).
    let kind: String?
    /// Where the finding must be: "at line 3" or "in its part word/document.xml".
    let location: String?
    /// Text of the secret that must never be printed.
    let secret: String?

    var testDescription: String { path }

    static func positive(_ path: String, _ text: String, kind: String, line: Int?, secret: String?) -> CorpusCase {
        CorpusCase(path: path, contents: Data(text.utf8), kind: kind, location: line.map { "at line \($0)" }, secret: secret)
    }

    static func negative(_ path: String, _ text: String) -> CorpusCase {
        CorpusCase(path: path, contents: Data(text.utf8), kind: nil, location: nil, secret: nil)
    }
}

/// Random strings of the shapes credentials take: made at test time, never real ones.
enum Fake {
    static let upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    static let lower = "abcdefghijklmnopqrstuvwxyz"
    static let digits = "0123456789"
    static let alnum = upper + lower + digits
    static let base64 = alnum + "+/"
    static let base64URL = alnum + "-_"
    static let hex = "0123456789abcdef"

    static func string(_ count: Int, _ alphabet: String = alnum) -> String {
        let characters = Array(alphabet)
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in characters[Int.random(in: 0..<characters.count, using: &generator)] })
    }

    /// A password with letters, digits and a sign, as people choose them.
    static func password() -> String { string(6, upper + lower) + string(3, digits) + "!" + string(4) }

    static func guid() -> String {
        [8, 4, 4, 4, 12].map { string($0, hex) }.joined(separator: "-")
    }

    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A signed-looking JWT: a real header and payload, a random signature.
    static func jwt() -> String {
        base64url(#"{"alg":"HS256","typ":"JWT"}"#) + "." + base64url(#"{"sub":"svc-backup","iat":1767139200}"#) + "." + string(43, base64URL)
    }

    static func utf16(_ text: String, bigEndian: Bool) -> Data {
        let bom: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        var data = Data(bom)
        for unit in text.utf16 {
            let bytes = bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            data.append(contentsOf: bytes)
        }
        return data
    }
}

/// Keys made by the real tools, and office documents zipped by bsdtar.
struct CorpusTools {
    let temp: TempDirectory

    init() throws {
        _ = try requireTool("ssh-keygen", install: "apt-get install openssh-client")
        _ = try requireTool("openssl", install: "apt-get install openssl")
        _ = try requireTool("bsdtar", install: "apt-get install libarchive-tools")
        temp = try TempDirectory("secret-corpus-tools")
    }

    func run(_ tool: String, _ arguments: [String]) throws {
        let result = try runProcess(tool, arguments)
        guard result.status == 0 else { throw FixtureError("\(tool) \(arguments.joined(separator: " ")): \(result.stderr)") }
    }

    func sshKey(_ type: String, pem: Bool = false) throws -> String {
        let name = "id_\(type)\(pem ? "_pem" : "")"
        // Made once per corpus: the positives and the negatives (its public half) share it.
        if temp.exists(name) { return String(decoding: try temp.read(name), as: UTF8.self) }
        var arguments = ["-q", "-t", type, "-N", "", "-C", "corpus", "-f", temp.path(name)]
        if pem { arguments += ["-m", "PEM", "-b", "2048"] }
        try run("ssh-keygen", arguments)
        return String(decoding: try temp.read(name), as: UTF8.self)
    }

    func publicKey(_ type: String) throws -> String {
        String(decoding: try temp.read("id_\(type).pub"), as: UTF8.self)
    }

    func opensslKey(encrypted: Bool = false) throws -> String {
        let name = encrypted ? "encrypted.pem" : "ec.pem"
        var arguments = ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", temp.path(name)]
        if encrypted { arguments += ["-aes-256-cbc", "-pass", "pass:corpus-only"] }
        try run("openssl", arguments)
        return String(decoding: try temp.read(name), as: UTF8.self)
    }

    func certificate() throws -> String {
        try run("openssl", ["req", "-x509", "-key", temp.path("ec.pem"), "-subj", "/CN=corpus.example.invalid",
                            "-days", "1", "-out", temp.path("ca.crt")])
        return String(decoding: try temp.read("ca.crt"), as: UTF8.self)
    }

    /// A zip of the given parts, as Word or Excel writes a document.
    func officeDocument(_ name: String, parts: [String: String]) throws -> Data {
        let folder = "doc-" + name
        for (path, text) in parts { try temp.write(folder + "/" + path, text) }
        try run("bsdtar", ["--format", "zip", "-cf", temp.path(name), "-C", temp.path(folder)] + parts.keys.sorted())
        return try temp.read(name)
    }
}

/// The body lines of a PEM or OpenSSH key (the part that must never be printed).
func keyBodyLine(_ key: String) -> String {
    String(key.split(separator: "\n").dropFirst().first ?? "")
}

/// Paragraphs of a Word document, as `word/document.xml` holds them.
func wordDocument(_ paragraphs: [String]) -> String {
    let body = paragraphs.map { paragraph in
        let escaped = paragraph.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return "<w:p><w:r><w:t xml:space=\"preserve\">\(escaped)</w:t></w:r></w:p>"
    }.joined()
    return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#
        + body + "</w:body></w:document>"
}
