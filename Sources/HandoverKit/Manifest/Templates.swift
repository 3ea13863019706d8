/// The manifest templates shipped in `Manifests/`, compiled into the binary.
public enum ManifestTemplates {
    /// A template: its name for `--template`, what it is for, and its text.
    public struct Template: Sendable {
        public let name: String
        public let summary: String
        public let bytes: [UInt8]
    }

    public static let all: [Template] = [
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

    /// The JSON Schema of the manifest, written beside a manifest made by `init` so editors check it.
    public static let schema = Template(
        name: "handover-manifest.schema.json", summary: "JSON Schema of the manifest",
        bytes: PackageResources.handover_manifest_schema_json)

    public static func named(_ name: String) -> Template? {
        all.first { $0.name == name.lowercased() }
    }
}
