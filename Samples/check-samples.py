#!/usr/bin/env python3
"""Checks the samples independently of handover: schema, globs, rules, expected outcome.

Run from the repository root: python3 Samples/check-samples.py
Needs PyYAML and jsonschema. It reads the manifest the way the manifest format describes it
(globs with * ? ** {a,b}, min-files, formats, csv required-columns with , or ; and an optional
UTF-8 BOM, max-age-days against today) and compares each deliverable's status with what the
samples are meant to show, so that an edit that breaks a sample is caught here first.
"""
import csv, io, json, os, re, sys, time, unicodedata

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MANIFEST = os.path.join(HERE, "acme-manifest.yaml")
SCHEMA = os.path.join(ROOT, "Manifests", "handover-manifest.schema.json")

# What `handover missing` should report for each tree; anything not listed is "ok".
EXPECTED = {
    "acme-export": {"data-return-certificate": "optional-absent"},
    "acme-export-incomplete": {
        "access-list": "invalid",            # header has no `mfa` column
        "hardware-inventory": "invalid",     # 1 CSV, the manifest asks for 3
        "ticket-history": "invalid",         # 12 tickets, the manifest asks for 150
        "client-data-exports": "invalid",    # a .xlsx among the open formats
        "restore-test": "missing",           # no restore test report at all
        "data-return-certificate": "optional-absent",
    },
}
MAX_BYTES = 2 * 1024 * 1024


def expand_braces(pattern):
    m = re.search(r"\{([^{}]*)\}", pattern)
    if not m:
        return [pattern]
    out = []
    for alt in m.group(1).split(","):
        out += expand_braces(pattern[:m.start()] + alt + pattern[m.end():])
    return out


def segment_regex(seg):
    return re.compile("^" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in seg) + "$", re.S)


def glob_matches(pattern, parts):
    segs = [s for s in pattern.split("/") if s not in ("", ".")]

    def match(i, j):
        if i == len(segs):
            return j == len(parts)
        if segs[i] == "**":
            return any(match(i + 1, k) for k in range(j, len(parts) + 1))
        return j < len(parts) and bool(segment_regex(segs[i]).match(parts[j])) and match(i + 1, j + 1)

    return match(0, 0)


def csv_header(path):
    with open(path, "rb") as f:
        text = f.read(65536).decode("utf-8")
    text = text.removeprefix("\ufeff")
    first = text.splitlines()[0] if text else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [c.strip().lower() for c in next(csv.reader(io.StringIO(first), delimiter=delimiter), [])]


def evaluate(d, files, tree):
    chosen = [f for f in files if any(glob_matches(p, f) for g in d["paths"] for p in expand_braces(unicodedata.normalize("NFC", g)))]
    required = d.get("required", True)
    if not chosen:
        return ("missing" if required else "optional-absent"), chosen, []
    reasons = []
    if len(chosen) < d.get("min-files", 1):
        reasons.append("%d files, at least %d expected" % (len(chosen), d.get("min-files", 1)))
    formats = {x.lower() for x in d.get("formats", [])}
    for f in chosen:
        ext = f[-1].rsplit(".", 1)[-1].lower() if "." in f[-1][1:] else ""
        if formats and ext not in formats:
            reasons.append("%s: format %r not allowed" % ("/".join(f), ext))
        if ext == "csv" and "csv" in d:
            header = csv_header(os.path.join(tree, *f))
            lacking = [c for c in d["csv"]["required-columns"] if c.lower() not in header]
            if lacking:
                reasons.append("%s: no column %s" % ("/".join(f), ", ".join(lacking)))
    if "max-age-days" in d:
        newest = max(os.stat(os.path.join(tree, *f)).st_mtime for f in chosen)
        if time.time() - newest > d["max-age-days"] * 86400:
            reasons.append("newest file older than %d days" % d["max-age-days"])
    return ("invalid" if reasons else "ok"), chosen, reasons


def main():
    failures = 0
    schema = json.load(open(SCHEMA, encoding="utf-8"))
    manifest = yaml.safe_load(open(MANIFEST, encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(manifest):
        print("schema: %s: %s" % ("/".join(map(str, error.absolute_path)), error.message))
        failures += 1
    for name, expected in EXPECTED.items():
        tree = os.path.join(HERE, name)
        files = []
        for dirpath, dirnames, filenames in os.walk(tree):
            for fn in filenames:
                path = os.path.join(dirpath, fn)
                if os.path.islink(path):
                    print("%s: symlink %s" % (name, path))
                    failures += 1
                if re.search(r'[<>:"\\|?*\x00-\x1f]', fn):
                    print("%s: name Windows forbids: %s" % (name, fn))
                    failures += 1
                rel = os.path.relpath(path, tree).split(os.sep)
                files.append([unicodedata.normalize("NFC", p) for p in rel])
        collected = set()
        print("== %s (%d files)" % (name, len(files)))
        for d in manifest["deliverables"]:
            status, chosen, reasons = evaluate(d, files, tree)
            collected.update(tuple(f) for f in chosen)
            want = expected.get(d["id"], "ok")
            mark = "  " if status == want else "!!"
            failures += status != want
            print("%s %-28s %-16s %3d files  %s" % (mark, d["id"], status, len(chosen), "; ".join(reasons)))
        for f in sorted(files):
            if tuple(f) not in collected:
                print("   not collected: %s" % "/".join(f))
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(HERE) for f in fs)
    print("Samples: %d bytes" % size)
    if size > MAX_BYTES:
        print("Samples is larger than 2 MB")
        failures += 1
    print("FAILED" if failures else "all as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
