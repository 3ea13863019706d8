import Foundation

/// A zip bundle whose structure lets zip readers disagree on what it holds.
///
/// libarchive reads an entry's name and sizes from its local header, while `unzip`, Python's
/// zipfile and Windows go by the central directory; an entry whose name libarchive cannot
/// decode is skipped by it and refused by others. A bundle where these differ could show one
/// content to `handover verify` and another to the person who opens it, under the same
/// signature, so it is refused as not intact (exit status 1), naming what differs.
package struct ZipStructureError: HandoverError, Equatable {
    /// What is wrong, in the zip's own terms. Entry numbers count from 1, in central directory order.
    package enum Problem: Equatable, Sendable {
        case noEndRecord
        case bytesAfterEndRecord(count: Int)
        case twoEndRecords
        case multipleDisks
        case zip64Mismatch(field: String)
        case directoryOutOfPlace
        case tooManyEntries(count: UInt64, limit: Int)
        case countMismatch(declared: UInt64, found: Int)
        case badCentralHeader(entry: Int, detail: String)
        case localHeaderOutside(entry: Int, name: [UInt8])
        case badLocalHeader(entry: Int, name: [UInt8])
        case nameMismatch(entry: Int, central: [UInt8], local: [UInt8])
        case fieldMismatch(entry: Int, name: [UInt8], field: String)
        case sizeMismatch(entry: Int, name: [UInt8], central: UInt64, local: UInt64)
        case overlap(entry: Int, name: [UInt8], other: Int, otherName: [UInt8])
        case invalidUTF8(entry: Int, name: [UInt8])
        case nulInName(entry: Int, name: [UInt8])
        /// libarchive, reading the entries, gave another name than the central directory.
        case readerDisagrees(position: Int, expected: [UInt8], read: [UInt8], reason: String?)
        /// libarchive ended before the central directory's last entry.
        case readerSkipped(read: Int, listed: Int, missing: [UInt8])
        /// libarchive gave more entries than the central directory lists.
        case readerExtra(listed: Int, read: [UInt8])
        /// The file begins as a zip but libarchive read it as another format.
        case readAsOtherFormat
    }

    package let path: String
    package let problem: Problem

    package init(path: String, _ problem: Problem) {
        self.path = path
        self.problem = problem
    }

    package var exitStatus: ExitStatus { .checkFailed }

    package var errorDescription: String? { "\(path): not intact: \(reason)" }

    private static let disagree = "zip readers would disagree on what this bundle holds"

    /// The sentence after "not intact:".
    package var reason: String {
        let show = ZipStructureError.show
        switch problem {
        case .noEndRecord:
            return "the archive is damaged or truncated: the zip has no end of central directory record in its last 64 KiB"
        case .bytesAfterEndRecord(let count):
            return "\(count) bytes follow the zip's end of central directory record: \(Self.disagree)"
        case .twoEndRecords:
            return "the zip's comment holds a second end of central directory record: \(Self.disagree)"
        case .multipleDisks:
            return "the zip claims to span several disks; a bundle is a single file"
        case .zip64Mismatch(let field):
            return "the zip's end of central directory record and its zip64 record give different \(field): \(Self.disagree)"
        case .directoryOutOfPlace:
            return "the zip's central directory does not lie where its end record says, right before that record: \(Self.disagree)"
        case .tooManyEntries(let count, let limit):
            return "the zip lists \(count) entries; handover reads at most \(limit)"
        case .countMismatch(let declared, let found):
            return "the zip's end record counts \(declared) entries but its central directory holds \(found): \(Self.disagree)"
        case .badCentralHeader(let entry, let detail):
            return "the zip's central directory is damaged at entry \(entry): \(detail)"
        case .localHeaderOutside(let entry, let name):
            return "the zip's entry \(entry) \(show(name)) points to a local header outside the archive's entries"
        case .badLocalHeader(let entry, let name):
            return "the zip's entry \(entry) \(show(name)) points to something that is not a local header"
        case .nameMismatch(let entry, let central, let local):
            return "the zip's central directory names entry \(entry) \(show(central)) but its local header says \(show(local)): \(Self.disagree)"
        case .fieldMismatch(let entry, let name, let field):
            return "the zip's central directory and local header of entry \(entry) \(show(name)) give different \(field): \(Self.disagree)"
        case .sizeMismatch(let entry, let name, let central, let local):
            return "the zip's central directory gives entry \(entry) \(show(name)) \(central) bytes but its local header says \(local): \(Self.disagree)"
        case .overlap(let entry, let name, let other, let otherName):
            return "the zip's entries \(other) \(show(otherName)) and \(entry) \(show(name)) overlap: \(Self.disagree)"
        case .invalidUTF8(let entry, let name):
            return "the zip's entry \(entry) \(show(name)) is flagged UTF-8 but its name is not valid UTF-8: some zip readers skip such an entry, others refuse the archive"
        case .nulInName(let entry, let name):
            return "the zip's entry \(entry) \(show(name)) has a NUL byte in its name, which some zip readers cut the name at: \(Self.disagree)"
        case .readerDisagrees(let position, let expected, let read, let reason):
            let why = reason.map { " (libarchive: \($0))" } ?? ""
            return "libarchive read entry \(position) of the zip as \(show(read)) where the central directory says \(show(expected))\(why): \(Self.disagree)"
        case .readerSkipped(let read, let listed, let missing):
            return "libarchive read \(read) of the \(listed) entries the zip's central directory lists, and not \(show(missing)): \(Self.disagree)"
        case .readerExtra(let listed, let read):
            return "libarchive read an entry \(show(read)) beyond the \(listed) the zip's central directory lists: \(Self.disagree)"
        case .readAsOtherFormat:
            return "the file begins as a zip archive but libarchive reads it as another format: \(Self.disagree)"
        }
    }

    /// A name for messages, quoted: UTF-8 as is, any other byte and control characters as `\xNN`,
    /// cut after 200 bytes.
    static func show(_ name: [UInt8]) -> String {
        var text = ""
        var rest = name.prefix(200)[...]
        while !rest.isEmpty {
            // The longest valid UTF-8 prefix of at most 4 bytes that makes one scalar.
            var taken = 0
            for length in 1...min(4, rest.count) {
                let piece = Array(rest.prefix(length))
                if let scalar = String(validating: piece, as: UTF8.self), scalar.unicodeScalars.count == 1 {
                    let value = scalar.unicodeScalars.first?.value ?? 0
                    if value < 0x20 || value == 0x7F || scalar == "\"" || scalar == "\\" {
                        text += value == 0x22 ? "\\\"" : value == 0x5C ? "\\\\" : String(format: "\\x%02X", value)
                    } else {
                        text += scalar
                    }
                    taken = length
                    break
                }
            }
            if taken == 0 {
                text += String(format: "\\x%02X", rest[rest.startIndex])
                taken = 1
            }
            rest = rest.dropFirst(taken)
        }
        return "\"" + text + (name.count > 200 ? "…" : "") + "\""
    }
}
