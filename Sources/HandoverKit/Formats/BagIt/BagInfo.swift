/// The bag's metadata, bag-info.txt (RFC 8493 §2.2.2): labelled values, in their order.
///
/// Labels keep their case and may repeat; reserved labels are looked up without regard to case,
/// as the RFC says they are case-insensitive.
package struct BagInfo: Sendable, Equatable {
    /// One metadata element.
    package struct Field: Sendable, Equatable {
        package var label: String
        package var value: String

        package init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    package var fields: [Field]

    package init(fields: [Field] = []) {
        self.fields = fields
    }

    package static let fileName = "bag-info.txt"

    /// Every value of `label`, in file order, the label matched without regard to case.
    package func values(_ label: String) -> [String] {
        let key = label.lowercased()
        return fields.filter { $0.label.lowercased() == key }.map(\.value)
    }

    /// The first value of `label`.
    package func value(_ label: String) -> String? { values(label).first }

    package mutating func append(_ label: String, _ value: String) {
        fields.append(Field(label, value))
    }

    /// The Payload-Oxum, when present and well-formed.
    package var payloadOxum: PayloadOxum? { value("Payload-Oxum").flatMap(PayloadOxum.init(parsing:)) }
    /// The Bagging-Date, when present and well-formed.
    package var baggingDate: BaggingDate? { value("Bagging-Date").flatMap(BaggingDate.init(parsing:)) }
    /// The Bag-Size, meant for people ("42.6 GB").
    package var bagSize: String? { value("Bag-Size") }

    /// Reads bag-info.txt in the declared encoding, reporting every rule it breaks.
    ///
    /// A continuation line (starting with a space or tab) joins the value before it with one
    /// space: the line break and its indentation are folding, not content. Before BagIt 1.0,
    /// whitespace around the colon was allowed; it is trimmed in every version.
    package static func parse(_ bytes: [UInt8], encoding: TagFileEncoding, version: BagItVersion = .current, file: String = fileName, diagnostics: inout BagDiagnostics) -> BagInfo {
        let (lines, reader) = TagLineReader.lines(of: bytes, encoding: encoding)
        reportEncoding(reader, file: file, diagnostics: &diagnostics)
        var info = BagInfo()
        for line in lines {
            if line.hasInvalidText {
                diagnostics.warning(.invalidText, file, line: line.number, "this line is not valid \(encoding.rawValue); the invalid bytes are shown as \u{FFFD}.")
            }
            if line.isTooLong {
                diagnostics.problem(.lineTooLong, file, line: line.number, "this line is longer than \(reader.maxLineBytes) bytes and was not read.")
                continue
            }
            let text = line.text
            if text.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            if text.first == " " || text.first == "\t" {
                guard !info.fields.isEmpty else {
                    diagnostics.problem(.malformedBagInfo, file, line: line.number, "a continuation line (starting with whitespace) comes before any label.")
                    continue
                }
                // A label with an empty first line ("Label:" then the value indented) gets
                // no leading space: values are trimmed, as they are on one line.
                let last = info.fields.count - 1
                let continued = text.trimmingLinearWhitespace()
                info.fields[last].value += info.fields[last].value.isEmpty ? continued : " " + continued
                continue
            }
            guard let colon = text.firstIndex(of: ":") else {
                diagnostics.problem(.malformedBagInfo, file, line: line.number, "this line is neither \"Label: value\" nor a continuation.")
                continue
            }
            let label = String(text[..<colon])
            if version >= BagItVersion(1, 0) && label != label.trimmingLinearWhitespace() {
                diagnostics.warning(.malformedBagInfo, file, line: line.number, "the label \"\(label)\" ends with whitespace, which BagIt 1.0 does not allow.")
            }
            info.append(label.trimmingLinearWhitespace(), String(text[text.index(after: colon)...]).trimmingLinearWhitespace())
        }
        info.checkReserved(file: file, diagnostics: &diagnostics)
        return info
    }

    /// The reserved elements that must be well-formed or not repeated.
    private func checkReserved(file: String, diagnostics: inout BagDiagnostics) {
        let oxums = values("Payload-Oxum")
        if oxums.count > 1 {
            diagnostics.problem(.repeatedPayloadOxum, file, "Payload-Oxum appears \(oxums.count) times; RFC 8493 allows it once.")
        }
        if let oxum = oxums.first, PayloadOxum(parsing: oxum) == nil {
            diagnostics.problem(.malformedPayloadOxum, file, "Payload-Oxum \"\(oxum)\" is not of the form OctetCount.StreamCount.")
        }
        if let date = value("Bagging-Date"), BaggingDate(parsing: date) == nil {
            diagnostics.warning(.malformedBaggingDate, file, "Bagging-Date \"\(date)\" is not a date of the form YYYY-MM-DD.")
        }
        for label in ["Bagging-Date", "Bag-Size", "Bag-Group-Identifier", "Bag-Count"] where values(label).count > 1 {
            diagnostics.warning(.repeatedLabel, file, "\(label) appears more than once; RFC 8493 says it should not be repeated.")
        }
    }

    /// Reports the byte-order mark of a tag file other than bagit.txt.
    static func reportEncoding(_ reader: TagLineReader, file: String, diagnostics: inout BagDiagnostics) {
        if reader.byteOrderMark && reader.encoding == .utf8 {
            diagnostics.warning(.tagFileByteOrderMark, file, "the file starts with a UTF-8 byte-order mark, which RFC 8493 says it must not.")
        }
        if reader.missingByteOrderMark {
            diagnostics.warning(.tagFileByteOrderMark, file, "the file is declared UTF-16 but has no byte-order mark; it was read as big-endian.")
        }
    }

    /// The file's bytes in UTF-8, one element per line, long values folded at spaces so that
    /// lines stay within `lineWidth` where they can (RFC 8493 recommends 79).
    ///
    /// A line break inside a value becomes a space, since bag-info.txt cannot carry one.
    /// Throws when a label is empty, contains a colon or a line break, starts or ends with
    /// whitespace, or starts with U+FEFF: such a file could not be read back.
    package func serialized(lineWidth: Int = 79) throws(BagError) -> [UInt8] {
        var out = ""
        for field in fields {
            let label = field.label
            // A label starting with U+FEFF would start the file with a byte-order mark, which
            // reading skips: refused like the others that could not be read back.
            guard !label.isEmpty, !label.contains(where: { $0 == ":" || $0.isNewline }), label == label.trimmingLinearWhitespace(),
                  label.unicodeScalars.first != "\u{FEFF}" else {
                throw BagError.invalidBagInfoLabel(label)
            }
            // Only CR and LF end a line of a tag file; other "newlines" (NEL, U+2028...) are text.
            let value = String(field.value.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
            out += Self.fold("\(label): \(value)", width: lineWidth) + "\n"
        }
        return Array(out.utf8)
    }

    /// Breaks a line at single spaces; the continuation lines are indented by two spaces, which
    /// reading takes away again (break and indentation read back as the one space it replaced).
    static func fold(_ line: String, width: Int) -> String {
        let chars = Array(line)
        guard chars.count > width else { return line }
        // Never break before the value starts: the label and its colon stay on the first line.
        let firstCut = (chars.firstIndex(of: ":") ?? 0) + 2
        var result = ""
        var start = 0
        var limit = width
        while chars.count - start > limit {
            // The last single space within the limit, not the one after the label's colon.
            var cut: Int?
            var i = start + limit
            while i > max(start + 1, firstCut) {
                // Reading trims spaces and tabs at both ends of each line: a cut beside one
                // would lose it, so both neighbours of the cut must be other characters.
                if chars[i] == " ", !isBlank(chars[i - 1]), i + 1 < chars.count, !isBlank(chars[i + 1]) {
                    cut = i
                    break
                }
                i -= 1
            }
            guard let cut else { break }
            result += String(chars[start..<cut]) + "\n  "
            start = cut + 1
            limit = width - 2
        }
        return result + String(chars[start...])
    }

    private static func isBlank(_ character: Character) -> Bool { character == " " || character == "\t" }
}

/// The "octetstream sum" of the payload: total bytes and file count (RFC 8493 §2.2.2).
package struct PayloadOxum: Sendable, Hashable, CustomStringConvertible {
    package var octets: Int64
    package var streamCount: Int64

    package init(octets: Int64, streamCount: Int64) {
        self.octets = octets
        self.streamCount = streamCount
    }

    /// Reads `OctetCount.StreamCount`: digits only, within Int64.
    package init?(parsing text: String) {
        let parts = text.trimmingLinearWhitespace().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDecimalDigit) }),
              let octets = Int64(parts[0]), let count = Int64(parts[1]) else { return nil }
        self.init(octets: octets, streamCount: count)
    }

    package var description: String { "\(octets).\(streamCount)" }
}

/// A Bagging-Date, `YYYY-MM-DD`.
package struct BaggingDate: Sendable, Hashable, CustomStringConvertible {
    package var year: Int
    package var month: Int
    package var day: Int

    package init?(parsing text: String) {
        let parts = text.trimmingLinearWhitespace().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDecimalDigit) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    package var description: String {
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}

/// Bag-Size as people read it: "512 B", "42.6 KB", "1.5 GB" (powers of 1000, one decimal).
package enum BagSize {
    package static func format(bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB"]
        var value = Double(max(bytes, 0))
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths) / 10, fraction = Int(tenths) % 10
        return "\(whole).\(fraction) \(units[unit])"
    }
}
