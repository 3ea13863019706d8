/// A small streaming XML scanner for the few parts of a workbook that are read: it reports
/// start tags (with attributes), end tags and text, one chunk at a time.
///
/// It is no XML parser: it knows no DTD, namespaces are kept as written (`r:id`), and a tag
/// longer than `maxTagBytes` is dropped. That is enough for the parts Excel and LibreOffice
/// write, and its memory stays bounded whatever the part holds.
struct XMLTagScanner {
    enum Event {
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        case end(name: String)
        case text(String)
    }

    static let maxTagBytes = 8 << 10
    static let maxTextBytes = 64 << 10

    private var inTag = false
    private var tag: [UInt8] = []
    private var text: [UInt8] = []
    private var quote: UInt8?

    /// Scans `bytes`; `handle` returns false to stop (the rest of the part is not needed).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ handle: (Event) -> Bool) -> Bool {
        for byte in bytes {
            if inTag {
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: ">") {
                    inTag = false
                    if !emitTag(handle) { return false }
                    continue
                }
                if tag.count < Self.maxTagBytes { tag.append(byte) }
            } else if byte == UInt8(ascii: "<") {
                if !text.isEmpty {
                    let decoded = Self.decodeEntities(text)
                    text = []
                    if !handle(.text(decoded)) { return false }
                }
                inTag = true
                tag = []
            } else if text.count < Self.maxTextBytes {
                text.append(byte)
            }
        }
        return true
    }

    private mutating func emitTag(_ handle: (Event) -> Bool) -> Bool {
        guard tag.count < Self.maxTagBytes, let first = tag.first else { return true }
        if first == UInt8(ascii: "?") || first == UInt8(ascii: "!") { return true } // declarations, comments
        if first == UInt8(ascii: "/") {
            return handle(.end(name: String(decoding: tag.dropFirst().prefix { !Self.isSpace($0) }, as: UTF8.self)))
        }
        var body = tag[...]
        let selfClosing = body.last == UInt8(ascii: "/")
        if selfClosing { body = body.dropLast() }
        let name = String(decoding: body.prefix { !Self.isSpace($0) }, as: UTF8.self)
        return handle(.start(name: name, attributes: Self.attributes(body.drop { !Self.isSpace($0) }), selfClosing: selfClosing))
    }

    /// `a="1" b='2'` as a dictionary, values with their entities decoded.
    static func attributes(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        var result: [String: String] = [:]
        var rest = bytes
        while true {
            rest = rest.drop { isSpace($0) }
            guard let equals = rest.firstIndex(of: UInt8(ascii: "=")) else { return result }
            let name = String(decoding: rest[..<equals], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...].drop { isSpace($0) }
            guard let open = rest.first, open == UInt8(ascii: "\"") || open == UInt8(ascii: "'") else { return result }
            rest = rest.dropFirst()
            guard let close = rest.firstIndex(of: open) else { return result }
            result[name] = decodeEntities(Array(rest[..<close]))
            rest = rest[rest.index(after: close)...]
        }
    }

    /// The text with `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and `&#…;` decoded.
    static func decodeEntities(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            switch name {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                let number = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : (name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil)
                if let number, let scalar = Unicode.Scalar(number) { out.unicodeScalars.append(scalar) } else { out += "&" + name + ";" }
            }
            rest = after[after.index(after: semi)...]
        }
        return out + rest
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

import Foundation
