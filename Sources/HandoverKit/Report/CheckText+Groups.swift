/// Problems grouped for the terminal: a deliverable with 1,759 files in a format it does not
/// allow gets one line ("1,759 files: format .png is not allowed here …; e.g. a.png, b.png,
/// c.png"), not 1,759. Files with the same problem (the same code and parameters, or the same
/// sentence) form one group; a group of a few files is listed file by file.
enum ProblemGroups {
    /// A group of at most this many files is listed file by file; a larger one names this many.
    static let examples = 3
    /// Groups shown per deliverable before the rest is counted in one line.
    static let maxGroups = 12

    /// The lines for `problems`, each prefixed by `indent`; every file when `all`. `summarised`
    /// becomes true when some files were left out of the lines.
    static func lines(_ problems: [Problem], all: Bool, indent: String, summarised: inout Bool) -> [String] {
        if all { return problems.map { indent + $0.description } }
        var order: [String] = []
        var groups: [String: [Problem]] = [:]
        for problem in problems {
            let key = groupKey(problem)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(problem)
        }
        var out: [String] = []
        for key in order.prefix(maxGroups) {
            guard let group = groups[key], let first = group.first else { continue }
            if group.count <= examples || first.file == nil {
                out += group.map { indent + $0.description }
                continue
            }
            summarised = true
            let files = group.prefix(examples).compactMap(\.file).joined(separator: ", ")
            // The count is written with its digits grouped; a group is never of one, so the
            // plural that a count written so takes is the right one.
            let sentence = ProblemSentences.english(.grouped, ["count": grouped(group.count), "problem": first.message, "examples": files])
            out.append(indent + (sentence ?? first.message))
        }
        if order.count > maxGroups {
            summarised = true
            let rest = order.dropFirst(maxGroups).reduce(0) { $0 + (groups[$1]?.count ?? 0) }
            out.append(indent + "… and \(grouped(rest)) more (\(order.count - maxGroups) other kinds of problem); --all lists every one")
        }
        return out
    }

    /// Problems about files group when they say the same thing about each.
    static func groupKey(_ problem: Problem) -> String {
        guard let code = problem.code, problem.file != nil else { return "\u{1}" + (problem.file ?? "") + "\u{1}" + problem.message }
        let parameters = (problem.parameters ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return ([code.rawValue] + parameters).joined(separator: "\u{0}")
    }

    /// 1759 as "1,759", as English readers group digits.
    static func grouped(_ count: Int) -> String {
        let digits = Array(String(count))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }
}

import Foundation
