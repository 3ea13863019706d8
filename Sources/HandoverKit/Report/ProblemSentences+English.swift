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
        "csv-missing-columns-in-row": "the header lacks {count|column|columns} {missing} (found in row {row}: {found})",
        "csv-missing-columns-in-row-hint": "the header lacks {count|column|columns} {missing} (found in row {row}: {found}); the columns are on row {better}: write csv.header-row: {better}",
        "csv-missing-columns-in-row-read-as": "the header lacks {count|column|columns} {missing} (found in row {row}, read as {encoding}: {found})",
        "csv-missing-columns-in-row-read-as-hint": "the header lacks {count|column|columns} {missing} (found in row {row}, read as {encoding}: {found}); the columns are on row {better}: write csv.header-row: {better}",
        "csv-read-as-guessed": "read as {encoding} (it is not UTF-8 and has no byte-order mark; if it is another code page, say so with csv.encoding)",
        "csv-read-as-told": "read as {encoding} (as csv.encoding says: it is not UTF-8 and has no byte-order mark ({told}))",
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
