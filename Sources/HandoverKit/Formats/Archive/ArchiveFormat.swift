/// The serializations a bundle can be written in, chosen by the output's file name.
public enum ArchiveFormat: String, CaseIterable, Sendable {
    case tar
    case tarGzip = "tar.gz"
    case tarZstd = "tar.zst"
    case tarXz = "tar.xz"
    case zip

    /// The format a file name asks for, by its extension; nil for an unknown extension.
    public static func forOutput(_ name: String) -> ArchiveFormat? {
        let lower = name.lowercased()
        if lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") { return .tarGzip }
        if lower.hasSuffix(".tar.zst") || lower.hasSuffix(".tzst") { return .tarZstd }
        if lower.hasSuffix(".tar.xz") || lower.hasSuffix(".txz") { return .tarXz }
        if lower.hasSuffix(".tar") { return .tar }
        if lower.hasSuffix(".zip") { return .zip }
        return nil
    }

    /// The extension written for the format, with its leading dot.
    public var fileExtension: String { "." + rawValue }

    /// The list shown in messages.
    public static var supportedList: String { ".tar, .tar.gz (.tgz), .tar.zst, .tar.xz or .zip" }
}
