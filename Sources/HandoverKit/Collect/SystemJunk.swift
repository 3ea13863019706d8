/// Files that operating systems and office suites leave in any folder people copy around:
/// thumbnail caches, folder settings, Finder metadata, Office lock files, temporary files and the
/// resource forks a Mac adds to a zip. They are never deliverables: the walk counts them as
/// ignored, whatever the manifest's globs say, and no bundle holds them.
public enum SystemJunk {
    /// The rule, in words, for --help, the README and reports.
    public static let summary = "Thumbs.db, desktop.ini, .DS_Store, ~$* (Office lock files), *.tmp, ._* (AppleDouble) and anything under __MACOSX/"

    /// Whether the file at `components` (its path relative to SOURCE, split at `/`) is junk.
    public static func contains(_ components: [String]) -> Bool {
        guard let name = components.last else { return false }
        if components.dropLast().contains("__MACOSX") { return true }
        let lowered = name.lowercased()
        // Windows matches names without case; so do these checks, which follow Windows' files.
        if lowered == "thumbs.db" || lowered == "desktop.ini" || lowered.hasSuffix(".tmp") { return true }
        return name == ".DS_Store" || name.hasPrefix("~$") || name.hasPrefix("._")
    }
}
