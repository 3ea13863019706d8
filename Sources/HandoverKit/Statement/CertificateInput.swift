import Foundation
import Yams

/// Reads what a certificate states: from the command line's words, or from a small YAML file.
///
/// ```yaml
/// scope:
///   - category: production-data        # production-data, backups or technical-data
///     description: ERP database, file shares
///   - category: backups
/// method: crypto-erasure                 # overwrite, crypto-erasure, media-destruction
/// date: 2027-03-31
/// retention:
///   - what: Invoices
///     until: 2037-12-31
///     basis: Code de commerce, art. L123-22
/// certified-by: Jeanne Martin, DSI, Infogérance Ouest SAS
/// returned-to: Nouveau Prestataire SAS   # return certificates
/// notes: free text
/// ```
/// Unknown keys are refused, as in the manifest.
public enum CertificateInput {
    static let maximumSize = 64 << 10

    /// `CATEGORY` or `CATEGORY:DESCRIPTION`.
    package static func scope(_ text: String) throws -> CertificateBody.Scope {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first, let category = CertificateBody.Category(rawValue: first) else {
            throw StatementError.badCertificate("scope \"\(VisibleText.name(text))\": the category must be \(names(CertificateBody.Category.allCases)), optionally followed by ':' and what it covers")
        }
        let description = parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil
        return CertificateBody.Scope(category: category, description: description)
    }

    /// `YYYY-MM-DD:WHAT`: what is kept under a legal duty, until when.
    package static func retention(_ text: String) throws -> CertificateBody.Retention {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[1].isEmpty, let until = try? date(parts[0], what: "retention") else {
            throw StatementError.badCertificate("retention \"\(VisibleText.name(text))\": write it as YYYY-MM-DD:WHAT, the date until which WHAT is kept, e.g. 2037-12-31:Invoices (Code de commerce, L123-22)")
        }
        return CertificateBody.Retention(what: parts[1], until: until, basis: nil)
    }

    /// A calendar date, YYYY-MM-DD, that exists.
    public static func date(_ text: String, what: String) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard text.count == 10, let parsed = formatter.date(from: text), formatter.string(from: parsed) == text else {
            throw StatementError.badCertificate("\(what) \"\(VisibleText.name(text))\" is not a date; write it YYYY-MM-DD")
        }
        return text
    }

    package static func method(_ text: String) throws -> CertificateBody.Method {
        guard let method = CertificateBody.Method(rawValue: text) else {
            throw StatementError.badCertificate("method \"\(VisibleText.name(text))\": it must be \(names(CertificateBody.Method.allCases))")
        }
        return method
    }

    /// Checks a body made from either source: a scope, a method for a deletion, who certifies.
    public static func validate(_ body: CertificateBody, kind: Statement.Kind) throws {
        guard !body.scope.isEmpty else {
            throw StatementError.badCertificate("the certificate says nothing of what was \(kind == .deletion ? "deleted" : "returned"): give at least one scope (\(names(CertificateBody.Category.allCases)))")
        }
        if kind == .deletion && body.method == nil {
            throw StatementError.badCertificate("a deletion certificate says how the data was deleted: give the method (\(names(CertificateBody.Method.allCases)))")
        }
        guard !body.certifiedBy.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StatementError.badCertificate("the certificate says who certifies: give a name, role and company")
        }
    }

    /// Reads the YAML file at `path` (at most 64 KiB).
    public static func load(path: String, today: String) throws -> CertificateBody {
        let bytes: [UInt8]
        do {
            bytes = try SmallFile.read(path, limit: maximumSize)
        } catch {
            throw error.fileError(path)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StatementError.badCertificate("\(path): is not UTF-8 text")
        }
        try ManifestParser.checkExpandedSize(text, fileName: path)
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw StatementError.badCertificate("\(path): is not YAML (\(error))")
        }
        guard let map = root as? [String: Any] else {
            throw StatementError.badCertificate("\(path): is not a YAML mapping of scope, method, date, retention, certified-by")
        }
        let fields = Fields(map: map, path: path)
        try fields.refuseUnknown(["scope", "method", "date", "retention", "certified-by", "returned-to", "notes"])
        var scope: [CertificateBody.Scope] = []
        for (index, item) in try fields.list("scope").enumerated() {
            let entry = Fields(map: item, path: "\(path): scope[\(index)]")
            try entry.refuseUnknown(["category", "description"])
            let category = try entry.text("category") ?? ""
            guard let value = CertificateBody.Category(rawValue: category) else {
                throw StatementError.badCertificate("\(entry.path): category must be \(names(CertificateBody.Category.allCases))")
            }
            scope.append(CertificateBody.Scope(category: value, description: try entry.text("description")))
        }
        var retention: [CertificateBody.Retention] = []
        for (index, item) in try fields.list("retention").enumerated() {
            let entry = Fields(map: item, path: "\(path): retention[\(index)]")
            try entry.refuseUnknown(["what", "until", "basis"])
            guard let what = try entry.text("what"), let until = try entry.text("until") else {
                throw StatementError.badCertificate("\(entry.path): a retention says what is kept and until when (what, until)")
            }
            retention.append(CertificateBody.Retention(what: what, until: try date(until, what: "\(entry.path): until"), basis: try entry.text("basis")))
        }
        return CertificateBody(
            scope: scope, method: try fields.text("method").map(method), date: try date(try fields.text("date") ?? today, what: "date"),
            retention: retention, certifiedBy: try fields.text("certified-by") ?? "",
            returnedTo: try fields.text("returned-to"), notes: try fields.text("notes"))
    }

    static func names<T: RawRepresentable>(_ cases: [T]) -> String where T.RawValue == String {
        let all = cases.map(\.rawValue)
        return all.dropLast().joined(separator: ", ") + " or " + (all.last ?? "")
    }

    /// A YAML mapping read key by key.
    private struct Fields {
        let map: [String: Any]
        let path: String

        init(map: Any, path: String) {
            self.map = map as? [String: Any] ?? [:]
            self.path = path
        }

        func refuseUnknown(_ known: Set<String>) throws {
            if let key = map.keys.sorted().first(where: { !known.contains($0) }) {
                throw StatementError.badCertificate("\(path): unknown key \"\(VisibleText.name(key))\" (known: \(known.sorted().joined(separator: ", ")))")
            }
        }

        /// A scalar as text (YAML reads dates and numbers as other types: they are written back).
        func text(_ key: String) throws -> String? {
            guard let value = map[key] else { return nil }
            switch value {
            case let text as String: return text
            case let number as Int: return String(number)
            case let date as Date: return Statement.format(date).prefix(10).description
            default: throw StatementError.badCertificate("\(path): \(key) must be text")
            }
        }

        func list(_ key: String) throws -> [Any] {
            guard let value = map[key] else { return [] }
            guard let list = value as? [Any] else { throw StatementError.badCertificate("\(path): \(key) must be a list") }
            return list
        }
    }
}
