// libyaml, as vendored by Yams: its event parser sees aliases before Yams expands them.
// Yams's public API has no event parser and composes (hashing every mapping key) before it
// gives anything back, which is the hang this guard prevents; so the guard reads CYaml, Yams's
// own internal target. This is the only file that may: a Yams release that renames CYaml
// breaks the build here, and nowhere else.
import CYaml

extension ManifestParser {
    /// The most YAML nodes a manifest may stand for once its aliases are expanded.
    static let maxExpandedNodes = 200_000

    /// Refuses a manifest whose aliases (`*name`) expand to more nodes than any manifest has.
    ///
    /// Yams shares an aliased node rather than copying it, but it hashes mapping keys to find
    /// duplicates: ten aliases of ten aliases of … used as a key make it hash 10^10 nodes, a hang.
    /// One pass over libyaml's events sizes every anchor first. Syntax errors are left to Yams,
    /// which reports them with their place.
    static func checkExpandedSize(_ text: String, fileName: String) throws(ManifestError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { (buffer: inout UnsafeMutableBufferPointer<UInt8>) throws(ManifestError) in
            guard let base = buffer.baseAddress else { return }
            yaml_parser_set_input_string(&parser, base, buffer.count)
            // Each open collection: its anchor and how many nodes it holds so far.
            var open: [(anchor: String?, nodes: Int)] = []
            var anchors: [String: Int] = [:]
            var total = 0
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                var added = 0
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_SEQUENCE_START_EVENT:
                    open.append((anchorName(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((anchorName(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { return }
                    if let anchor = closed.anchor { anchors[anchor] = closed.nodes }
                    if !open.isEmpty { open[open.count - 1].nodes += closed.nodes }
                case YAML_SCALAR_EVENT:
                    if let anchor = anchorName(event.data.scalar.anchor) { anchors[anchor] = 1 }
                    added = 1
                case YAML_ALIAS_EVENT:
                    added = anchorName(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
                default:
                    break
                }
                if added > 0 {
                    total += added
                    if !open.isEmpty { open[open.count - 1].nodes += added }
                }
                if total > maxExpandedNodes || (open.last?.nodes ?? 0) > maxExpandedNodes {
                    throw ManifestError(
                        file: fileName, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                        "the manifest's aliases (*name) expand to more than \(maxExpandedNodes) values; write the values out")
                }
            }
        }
    }

    private static func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
