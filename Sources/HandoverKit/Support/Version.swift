/// The tool's name and version, as written into every bundle's bag-info.txt.
public enum HandoverVersion {
    public static let name = "handover"
    public static let version = "0.1.0"
    public static var nameAndVersion: String { "\(name) \(version)" }
}
