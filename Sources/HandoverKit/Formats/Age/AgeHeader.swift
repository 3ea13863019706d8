import Crypto

/// One recipient stanza of an age header: `-> type args...` and a base64 body.
struct AgeStanza: Equatable, Sendable {
    /// The arguments, the first being the stanza's type (`X25519`, `scrypt`, a plugin's name).
    var arguments: [String]
    var body: [UInt8]

    var type: String { arguments.first ?? "" }
}

/// The text of an age v1 header, and its MAC.
enum AgeHeaderFormat {
    static let versionLine = Array("age-encryption.org/v1".utf8)
    static let versionPrefix = Array("age-encryption.org/".utf8)

    /// The header up to and including the `---` that the MAC covers.
    static func encodeWithoutMAC(_ stanzas: [AgeStanza]) -> [UInt8] {
        var out = versionLine + [0x0A]
        for stanza in stanzas {
            out += Array(("-> " + stanza.arguments.joined(separator: " ") + "\n").utf8)
            // Body lines are 64 columns; the last one is shorter, empty when the body fills lines.
            let text = Array(AgeBase64.encode(stanza.body).utf8)
            var start = 0
            repeat {
                let end = min(start + 64, text.count)
                out += text[start..<end] + [0x0A]
                start += 64
            } while start <= text.count
        }
        out += Array("---".utf8)
        return out
    }

    /// The whole header: text, MAC line and final newline.
    static func encode(_ stanzas: [AgeStanza], fileKey: SymmetricKey) -> [UInt8] {
        let text = encodeWithoutMAC(stanzas)
        return text + Array(" ".utf8) + Array(AgeBase64.encode(mac(fileKey: fileKey, header: text)).utf8) + [0x0A]
    }

    /// HMAC-SHA-256 of the header text, keyed with HKDF(file key, "header").
    static func mac(fileKey: SymmetricKey, header: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: header, using: macKey(fileKey: fileKey)))
    }

    static func macKey(fileKey: SymmetricKey) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: [UInt8](), info: Array("header".utf8), outputByteCount: 32)
    }
}

/// Reads an age header from bytes that arrive in pieces of any size.
///
/// Each line is checked as soon as it is complete, against the ABNF of the specification, so a
/// foreign or hostile file is rejected early; the header is bounded in bytes and stanzas
/// (`AgeLimits`). X25519 stanzas are checked for shape here too, since the specification says a
/// malformed one makes the whole file invalid whoever reads it.
struct AgeHeaderParser {
    private enum State {
        case version
        case stanzaOrEnd
        case body
        case done
    }

    let subject: String
    private var state = State.version
    /// The stanza being read; outside `state` so that appending to it never copies it.
    private var stanzaArguments = [String]()
    private var stanzaBody = [UInt8]()
    /// The raw header as read so far; once done, exactly the header with its MAC line.
    private(set) var text = [UInt8]()
    private(set) var stanzas = [AgeStanza]()
    private(set) var mac = [UInt8]()
    /// The length of the text the MAC covers (up to and including `---`).
    private(set) var macCoverage = 0
    /// How many bytes of the line being read are already in `text`.
    private var currentLineLength = 0

    init(subject: String) {
        self.subject = subject
    }

    var isDone: Bool { if case .done = state { true } else { false } }

    private func fail(_ reason: String) -> AgeError { .malformedHeader(subject: subject, reason: reason) }

    /// Takes bytes until the header ends; returns how many of `bytes` belong to the header (the
    /// rest is payload), or nil when all of them did and more are needed.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(AgeError) -> Int? {
        var offset = 0
        while offset < bytes.count {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[offset...])
            let newline = rest.firstIndex(of: 0x0A)
            let take = newline.map { $0 + 1 } ?? rest.count
            guard text.count + take <= AgeLimits.maxHeaderBytes else {
                throw fail("its header is longer than \(AgeLimits.maxHeaderBytes) bytes")
            }
            let lineStart = text.count - currentLineLength
            text.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[..<take]))
            offset += take
            if newline == nil {
                currentLineLength += take
                try checkVersionPrefix()
                return nil
            }
            currentLineLength = 0
            try line(text[lineStart..<(text.count - 1)])
            if isDone { return offset }
        }
        return nil
    }

    /// Rejects a file that does not start like an age file without waiting for a newline that a
    /// binary file may never have.
    private func checkVersionPrefix() throws(AgeError) {
        guard case .version = state else { return }
        let prefix = AgeHeaderFormat.versionPrefix
        let count = min(text.count, prefix.count)
        guard text[..<count].elementsEqual(prefix[..<count]) else { throw notAgeFile() }
        guard text.count <= 256 else { throw fail("its version line is too long") }
    }

    private func notAgeFile() -> AgeError {
        if text.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----".prefix(text.count).utf8)) {
            return fail("it is ASCII-armored (age -a), which is not supported here; decrypt it with age -d")
        }
        return fail("it does not start with the age-encryption.org/v1 line")
    }

    private mutating func line(_ line: ArraySlice<UInt8>) throws(AgeError) {
        switch state {
        case .version:
            guard line.elementsEqual(AgeHeaderFormat.versionLine) else {
                if line.starts(with: AgeHeaderFormat.versionPrefix) {
                    throw fail("its format version \"\(printable(line.dropFirst(AgeHeaderFormat.versionPrefix.count)))\" "
                        + "is not supported (only v1 is)")
                }
                throw notAgeFile()
            }
            state = .stanzaOrEnd
        case .stanzaOrEnd:
            if line.starts(with: Array("-> ".utf8)) {
                guard stanzas.count < AgeLimits.maxStanzas else {
                    throw fail("its header has more than \(AgeLimits.maxStanzas) recipient stanzas")
                }
                stanzaArguments = try arguments(line.dropFirst(3))
                stanzaBody.removeAll()
                state = .body
            } else if line.starts(with: Array("---".utf8)) {
                try end(line)
            } else {
                throw fail("a header line starts with neither \"->\" nor \"---\"")
            }
        case .body:
            let type = printable(stanzaArguments.first?.utf8 ?? "".utf8)
            guard line.count <= 64, line.allSatisfy(AgeBase64.isBase64Character) else {
                throw fail("the body of a \(type) stanza is not unpadded base64 in lines of 64 columns")
            }
            stanzaBody += line
            // A full line means more of the body follows; a shorter one (even empty) ends it.
            if line.count == 64 { return }
            guard let decoded = AgeBase64.decode(stanzaBody) else {
                throw fail("the body of a \(type) stanza is not canonical base64")
            }
            let stanza = AgeStanza(arguments: stanzaArguments, body: decoded)
            try checkShape(stanza)
            stanzas.append(stanza)
            state = .stanzaOrEnd
        case .done:
            break
        }
    }

    private func arguments(_ line: ArraySlice<UInt8>) throws(AgeError) -> [String] {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count <= AgeLimits.maxArguments else {
            throw fail("a stanza has more than \(AgeLimits.maxArguments) arguments")
        }
        for part in parts where part.isEmpty || !part.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) {
            throw fail("a stanza argument is empty or has a character other than printable ASCII")
        }
        return parts.map { String(decoding: $0, as: UTF8.self) }
    }

    private mutating func end(_ line: ArraySlice<UInt8>) throws(AgeError) {
        guard !stanzas.isEmpty else { throw fail("its header has no recipient stanza") }
        let encodedMAC = line.dropFirst(4)
        guard line.count == 4 + 43, line.dropFirst(3).first == 0x20,
              let mac = AgeBase64.decode(encodedMAC), mac.count == 32
        else {
            throw fail("its header MAC line is not \"--- \" followed by a 43-character canonical base64 MAC")
        }
        self.mac = mac
        macCoverage = text.count - 1 - line.count + 3
        state = .done
    }

    /// The rules the specification sets on the shape of native stanzas.
    private func checkShape(_ stanza: AgeStanza) throws(AgeError) {
        guard stanza.type == "X25519" else { return }
        guard stanza.arguments.count == 2,
              let share = AgeBase64.decode(stanza.arguments[1].utf8), share.count == 32
        else {
            throw fail("an X25519 stanza does not have exactly one argument, a canonical base64 32-byte share")
        }
        guard stanza.body.count == 32 else {
            throw fail("an X25519 stanza body is \(stanza.body.count) bytes, not 32")
        }
    }

    /// Bytes from the file shown in a message: printable ASCII only, at most 32 characters.
    private func printable<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let shown = bytes.prefix(32).map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "?" }
        return String(shown)
    }
}
