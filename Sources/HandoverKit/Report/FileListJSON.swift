import Foundation

/// Writes a report's JSON with the deliverables' file lists streamed, entry by entry, instead of
/// held as JSON values: JSONEncoder builds the whole document in memory first, about 400 bytes
/// per listed file plus the text (issue 19: a million files).
///
/// The report is encoded with each non-empty list replaced by one placeholder entry; in the
/// text, each placeholder entry is the template the real entries are written after, so that the
/// bytes are those JSONEncoder would have written (same indentation, same key order).
enum FileListJSON {
    /// Calls `write` with the pieces of `encodeJSON(report)`, in order.
    static func write(_ report: HandoverReport, _ write: ([UInt8]) throws -> Void) rethrows {
        var placeholders = report
        var lists: [[CheckJSON.FileEntry]] = []
        for index in placeholders.deliverables.indices {
            guard let list = placeholders.deliverables[index].fileList, !list.isEmpty else { continue }
            placeholders.deliverables[index].fileList = [CheckJSON.FileEntry(path: marker(lists.count), bytes: 0)]
            lists.append(list)
        }
        let text = Array(encodeJSON(placeholders).utf8)
        var blocks: [EntryBlock] = []
        for number in lists.indices {
            guard let block = entryBlock(in: text, from: blocks.last?.end ?? 0, marker: Array(encodedString(marker(number)).utf8)) else {
                // Not the shape expected: the whole document, encoded the ordinary way.
                try write(Array(encodeJSON(report).utf8))
                return
            }
            blocks.append(block)
        }
        var written = 0
        for (list, block) in zip(lists, blocks) {
            try write(Array(text[written..<block.start]))
            var chunk: [UInt8] = []
            for (position, entry) in list.enumerated() {
                chunk.append(contentsOf: block.beforeBytes)
                chunk.append(contentsOf: String(entry.bytes).utf8)
                chunk.append(contentsOf: block.betweenBytesAndPath)
                chunk.append(contentsOf: encodedString(entry.path).utf8)
                chunk.append(contentsOf: block.afterPath)
                if position < list.count - 1 { chunk.append(UInt8(ascii: ",")) }
                if chunk.count >= 1 << 16 {
                    try write(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try write(chunk)
            written = block.end
        }
        try write(Array(text[written...]))
    }

    /// The placeholder path of the `number`th list: control characters, which a displayed path
    /// never holds (VisibleText shows them as escapes).
    private static func marker(_ number: Int) -> String { "\u{1}handover-file-list-\(number)\u{1}" }

    /// One placeholder entry as JSONEncoder laid it out: `{`, `"bytes" : 0,`, `"path" : "…"`,
    /// `}` with their line breaks and indentation, cut around the number and the path.
    private struct EntryBlock {
        var start: Int
        var end: Int
        var beforeBytes: [UInt8]
        var betweenBytesAndPath: [UInt8]
        var afterPath: [UInt8]
    }

    private static func entryBlock(in text: [UInt8], from offset: Int, marker: [UInt8]) -> EntryBlock? {
        guard let markerStart = firstIndex(of: marker, in: text, from: offset),
              let open = text[offset..<markerStart].lastIndex(of: UInt8(ascii: "{")),
              let close = text[(markerStart + marker.count)...].firstIndex(of: UInt8(ascii: "}")) else { return nil }
        // From the line break before `{` (the entry's indentation) to the `}`.
        guard let lineStart = text[offset..<open].lastIndex(of: 0x0A) else { return nil }
        let inside = Array(text[lineStart..<markerStart])
        let zero = Array(" : 0,".utf8)
        guard let zeroAt = firstIndex(of: zero, in: inside, from: 0) else { return nil }
        return EntryBlock(start: lineStart, end: close + 1,
                          beforeBytes: Array(inside[..<(zeroAt + 3)]),
                          betweenBytesAndPath: Array(inside[(zeroAt + 4)...]),
                          afterPath: Array(text[(markerStart + marker.count)...close]))
    }

    private static func firstIndex(of needle: [UInt8], in text: [UInt8], from offset: Int) -> Int? {
        guard let first = needle.first, text.count >= needle.count else { return nil }
        var index = offset
        while index <= text.count - needle.count {
            if text[index] == first && text[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// A JSON string as JSONEncoder writes it. Printable ASCII without `"` and `\` is written as
    /// is; anything else is left to JSONEncoder itself, so that the bytes cannot differ.
    static func encodedString(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + value + "\""
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let data = try? encoder.encode([value]) else { return "\"\"" }
        // `["…"]`: the string between the brackets.
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }
}
