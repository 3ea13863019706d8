import Yams

extension NodeReader {
    /// The `csv:` section: `required-columns`, `header-row`, `encoding`.
    func csvRule(_ node: Node, id: String) throws(ManifestError) -> CSVRule {
        let map = try mapping(node, what: "'csv'", known: ManifestParser.csvKeys)
        var rule = CSVRule()
        if let columnsNode = map["required-columns"] {
            rule.columns = try columnRules(columnsNode, id: id)
        }
        if let rowNode = map["header-row"] {
            guard case .scalar(let scalar) = rowNode, let row = Int(scalar.string), (1...CSVRule.maxHeaderRow).contains(row) else {
                throw error(rowNode, "deliverable '\(id)': 'header-row' must be a whole number from 1 to \(CSVRule.maxHeaderRow), "
                    + "the row that names the columns counting the title rows above it (found '\(describe(rowNode))')")
            }
            rule.headerRow = row
        }
        if let encodingNode = map["encoding"] {
            let name = try string(encodingNode, key: "encoding")
            guard let encoding = CSVEncoding(manifestName: name) else {
                let known = CSVEncoding.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(encodingNode, "deliverable '\(id)': unknown 'encoding' '\(name.prefix(40))'; write one of \(known) "
                    + "(it is used for files that are not UTF-8 and have no byte-order mark)")
            }
            rule.encoding = encoding
        }
        return rule
    }

    /// The `xlsx:` section: `sheet` (default the first) and `required-columns`.
    func xlsxRule(_ node: Node, id: String) throws(ManifestError) -> XLSXRule {
        let map = try mapping(node, what: "'xlsx'", known: ManifestParser.xlsxKeys)
        guard let columnsNode = map["required-columns"] else {
            throw error(node, "deliverable '\(id)': 'xlsx' has no 'required-columns'; list the columns the sheet's first row must name")
        }
        var sheet: String?
        if let sheetNode = map["sheet"] {
            let name = try string(sheetNode, key: "sheet")
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(sheetNode, "deliverable '\(id)': 'sheet' is empty; name the sheet as its tab shows it, or leave it out for the first sheet")
            }
            sheet = name
        }
        return XLSXRule(sheet: sheet, columns: try columnRules(columnsNode, id: id))
    }

    /// `required-columns`: each item a name, or `{name: …, aliases: […]}`.
    func columnRules(_ node: Node, id: String) throws(ManifestError) -> [ColumnRule] {
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence):
            guard sequence.count <= ManifestParser.maxListItems else {
                throw error(node, "'required-columns' has more than \(ManifestParser.maxListItems) items")
            }
            items = Array(sequence)
        case .mapping, .alias:
            throw error(node, "deliverable '\(id)': 'required-columns' must be a list, such as "
                + "[account, {name: hostname, aliases: [\"Nom d'hôte\", Serveur]}]")
        }
        var rules: [ColumnRule] = []
        for item in items {
            rules.append(try columnRule(item, id: id))
        }
        return rules
    }

    func columnRule(_ node: Node, id: String) throws(ManifestError) -> ColumnRule {
        let shape = "write a column as a name, or as {name: hostname, aliases: [\"Nom d'hôte\", Serveur]}"
        switch node {
        case .scalar(let scalar):
            guard !scalar.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(node, "deliverable '\(id)': a column of 'required-columns' is empty")
            }
            return ColumnRule(name: scalar.string)
        case .mapping:
            let map = try mapping(node, what: "a column of 'required-columns' of deliverable '\(id)'", known: ManifestParser.columnKeys)
            guard let nameNode = map["name"], case .scalar(let name) = nameNode,
                  !name.string.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(node, "deliverable '\(id)': a column of 'required-columns' has no 'name'; \(shape)")
            }
            var aliases: [String] = []
            if let aliasesNode = map["aliases"] {
                guard case .mapping = aliasesNode else {
                    aliases = try stringList(aliasesNode, key: "aliases").map(\.0)
                    return ColumnRule(name: name.string, aliases: aliases)
                }
                throw error(aliasesNode, "deliverable '\(id)': the 'aliases' of column '\(name.string.prefix(60))' "
                    + "must be a list of names, such as [\"Nom d'hôte\", Serveur]")
            }
            return ColumnRule(name: name.string, aliases: aliases)
        case .sequence, .alias:
            throw error(node, "deliverable '\(id)': a column of 'required-columns' is a list; \(shape)")
        }
    }
}

import Foundation
