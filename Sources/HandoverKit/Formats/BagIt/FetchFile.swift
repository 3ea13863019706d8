/// One line of fetch.txt: a file of the payload to be downloaded before the bag is complete.
package struct FetchItem: Sendable, Equatable {
    package var url: String
    /// The announced size in bytes, nil for "-". Never trusted for allocation (RFC 8493 §6.3).
    package var length: Int64?
    /// The payload path it fills, relative to the bag's root (`data/...`).
    package var path: [UInt8]
    package var line: Int

    package var displayPath: String { VisibleText.name(bytes: path) }
}

/// fetch.txt (RFC 8493 §2.2.3): `url length path` lines.
package enum FetchFile {
    package static let fileName = "fetch.txt"

    /// Reads fetch.txt in the declared encoding, reporting every malformed line.
    package static func parse(_ bytes: [UInt8], encoding: TagFileEncoding, diagnostics: inout BagDiagnostics) -> [FetchItem] {
        let file = fileName
        let (lines, reader) = TagLineReader.lines(of: bytes, encoding: encoding)
        BagInfo.reportEncoding(reader, file: file, diagnostics: &diagnostics)
        var items: [FetchItem] = []
        for line in lines {
            if line.isTooLong {
                diagnostics.problem(.lineTooLong, file, line: line.number, "this line is too long and was not read.")
                continue
            }
            let fields = splitFields(line.bytes, count: 3)
            if fields.isEmpty { continue }
            guard fields.count == 3 else {
                diagnostics.problem(.malformedFetchLine, file, line: line.number, "this line is not of the form \"url length path\".")
                continue
            }
            let url = String(decoding: fields[0], as: UTF8.self)
            guard isAbsoluteURL(url) else {
                diagnostics.problem(.malformedFetchLine, file, line: line.number, "\"\(url.prefix(200))\" is not an absolute URL.")
                continue
            }
            let lengthText = String(decoding: fields[1], as: UTF8.self)
            var length: Int64?
            if lengthText != "-" {
                guard lengthText.allSatisfy(\.isASCIIDecimalDigit), let value = Int64(lengthText) else {
                    diagnostics.problem(.malformedFetchLine, file, line: line.number, "the length \"\(lengthText.prefix(40))\" is neither a number of bytes nor \"-\".")
                    continue
                }
                length = value
            }
            guard let path = BagPath.check(BagPath.decode(Array(fields[2])), place: .payload, file: file, line: line.number, diagnostics: &diagnostics) else { continue }
            items.append(FetchItem(url: url, length: length, path: path, line: line.number))
        }
        return items
    }

    /// Splits at runs of spaces and tabs into at most `count` fields; the last keeps its inner
    /// spaces, since a path may contain them.
    static func splitFields(_ bytes: [UInt8], count: Int) -> [ArraySlice<UInt8>] {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        var fields: [ArraySlice<UInt8>] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            while i < bytes.endIndex && isSpace(bytes[i]) { i += 1 }
            guard i < bytes.endIndex else { break }
            if fields.count == count - 1 {
                fields.append(bytes[i...])
                break
            }
            let start = i
            while i < bytes.endIndex && !isSpace(bytes[i]) { i += 1 }
            fields.append(bytes[start..<i])
        }
        return fields
    }

    /// `scheme:rest` with a scheme of RFC 3986 §3.1 and something after it.
    static func isAbsoluteURL(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return false }
        return text.index(after: colon) < text.endIndex
    }
}
