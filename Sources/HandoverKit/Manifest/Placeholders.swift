/// A value of the `handover:` section still as a shipped template wrote it ("Client name",
/// "CTR-0000-000"): the manifest is not filled in, and a bundle made from it would name nobody.
package struct UnfilledField: Sendable, Equatable, Codable {
    /// The key under `handover:` (contract, client, provider or recipient).
    package var key: String
    /// The template's value, as found.
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Finds the parties that still hold a template's placeholder. The placeholders are read from
/// the templates compiled into the binary, so a template that changes its wording (or a new
/// template) is recognised without a list kept by hand.
package enum Placeholders {
    /// Each template's parties (every language) and those `init --from` writes, by key,
    /// compared without case and surrounding spaces.
    static let known: [String: Set<String>] = {
        var values: [String: Set<String>] = [:]
        for template in ManifestTemplates.all + ManifestTemplates.translations {
            // A template that does not parse is a bug the template tests catch; it adds nothing here.
            guard let manifest = try? ManifestParser.parse(template.bytes, fileName: template.name) else { continue }
            for (key, value) in fields(of: manifest.parties) { values[key, default: []].insert(normalised(value)) }
        }
        for strings in [ProposalStrings.english, ProposalStrings.french] {
            let parties = strings.handover
            for (key, value) in [("contract", parties.contract), ("client", parties.client),
                                 ("provider", parties.provider), ("recipient", parties.recipient)] {
                values[key, default: []].insert(normalised(value))
            }
        }
        return values
    }()

    /// The parties of `parties` still written as a template wrote them, in the section's order.
    package static func unfilled(_ parties: HandoverParties) -> [UnfilledField] {
        fields(of: parties).compactMap { key, value in
            known[key]?.contains(normalised(value)) == true ? UnfilledField(key: key, value: value) : nil
        }
    }

    static func fields(of parties: HandoverParties) -> [(String, String)] {
        [("contract", parties.contract), ("client", parties.client), ("provider", parties.provider), ("recipient", parties.recipient)]
    }

    static func normalised(_ value: String) -> String {
        value.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

import Foundation
