extension ProblemSentences {
    /// The problems in English; `Problem.message` is made from this table.
    static let english: [String: String] = [
        "no-file-matches": "no file matches {globs}",
        "optional-absent": "optional, and no file matches {globs}",
        "too-few-files": "found {found} {found|file|files}; at least {minimum} required",
        "format-not-allowed": "format .{format} is not allowed here (expected {expected})",
        "extension-missing": "a file without extension is not allowed here (expected {expected})",
        "empty-file": "the file is empty",
        "csv-no-header": "has no header row; expected columns {expected}",
        "csv-missing-columns": "the header lacks {count|column|columns} {missing} (found: {found})",
        "too-old": "the newest file is {age} days old at the handover date; at most {maximum} days allowed",
        "too-old-today": "the newest file is {age} days old today; at most {maximum} days allowed",
        "secret-found": "holds {finding}; remove it, mark the deliverable confidential, list the file under allow-secrets in the manifest once reviewed, or pass --allow-secrets",
        "secret-allowed": "holds {finding} (allowed by {allowed-by})",
        "secrets-not-listed": "holds {count} more {count|secret|secrets} not listed",
        "symbolic-link": "is a symbolic link to {target}, which is never followed; put the file itself in SOURCE",
        "not-regular-file": "is a {kind}, not a regular file; a bundle holds regular files only",
        "archive-checksum-mismatch": "The archive's SHA-256 is {sha256}, but {sidecar} says {expected}: the file is not the one that was built, or the .sha256 belongs to another file.",
        "archive-checksum-missing": "The archive's SHA-256 is {sha256}, but {sidecar} holds no SHA-256 checksum: the file is not the one that was built, or the .sha256 belongs to another file.",
    ]
}
