/// Secret findings a deliverable's reviewer accepted (`allow-secrets:` in the manifest): every
/// finding (`true`), or those in the files some globs select. Narrower than the command's
/// `--allow-secrets`, so one reviewed false positive does not switch the check off for the
/// whole bundle; the report records each finding allowed, and by what.
package enum SecretAllowance: Sendable {
    /// No finding is allowed (the default; also `allow-secrets: false`).
    case none
    /// `allow-secrets: true`: every finding of the deliverable.
    case all
    /// `allow-secrets: [globs]`: findings in the files these globs select, relative to SOURCE.
    case files([Glob])

    /// What allows findings in `file`, as written in the manifest, or nil when nothing does.
    package func allowance(for file: SourceFile) -> String? {
        switch self {
        case .none: return nil
        case .all: return "allow-secrets: true"
        case .files(let globs):
            let components = file.components
            return globs.first { $0.matches(components) }.map { "allow-secrets: \($0.pattern)" }
        }
    }
}
