/// The manifest templates shipped in `Manifests/`, compiled into the binary.
public enum ManifestTemplates {
    /// A template: its name for `--template`, what it is for, the language of its titles, notes
    /// and column names (`--lang`), and its text.
    package struct Template: Sendable {
        package let name: String
        package let summary: String
        package let language: String
        package let bytes: [UInt8]

        init(name: String, summary: String, language: String = "en", bytes: [UInt8]) {
            self.name = name
            self.summary = summary
            self.language = language
            self.bytes = bytes
        }
    }

    /// The templates in English, the default language, one per name.
    package static let all: [Template] = [
        Template(name: "infogerance",
                 summary: "reversibility deliverables of a managed-services (infogérance) contract",
                 bytes: PackageResources.infogerance_yaml),
        Template(name: "eu-data-act",
                 summary: "switching cloud provider under the EU Data Act (Regulation 2023/2854)",
                 bytes: PackageResources.eu_data_act_yaml),
        Template(name: "minimal",
                 summary: "a short starting point with three deliverables",
                 bytes: PackageResources.minimal_yaml),
    ]

    /// The same templates in other languages (Manifests/NAME.LANG.yaml): same ids and rules,
    /// titles, notes and column names translated, the English column names kept as aliases.
    package static let translations: [Template] = [
        Template(name: "infogerance",
                 summary: "réversibilité d'un contrat d'infogérance",
                 language: "fr", bytes: PackageResources.infogerance_fr_yaml),
    ]

    /// The JSON Schema of the manifest, written beside a manifest made by `init` so editors check it.
    package static let schema = Template(
        name: "handover-manifest.schema.json", summary: "JSON Schema of the manifest",
        bytes: PackageResources.handover_manifest_schema_json)

    package static func named(_ name: String) -> Template? {
        all.first { $0.name == name.lowercased() }
    }

    /// The template of that name in that language; nil when either is unknown.
    package static func named(_ name: String, language: String) -> Template? {
        (all + translations).first { $0.name == name.lowercased() && $0.language == language.lowercased() }
    }

    /// The languages a template exists in, English first.
    public static func languages(of name: String) -> [String] {
        (all + translations).filter { $0.name == name.lowercased() }.map(\.language)
    }
}
