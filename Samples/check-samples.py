#!/usr/bin/env python3
"""Checks the samples independently of handover: schema, globs, rules, expected outcome.

Run from the repository root: python3 Samples/check-samples.py
Needs PyYAML and jsonschema. It reads the manifest the way the manifest format describes it
(globs with * ? ** {a,b}, min-files, formats, csv required-columns with their aliases, compared
without case, accents or apostrophe shapes, with , ; or tab, a UTF-8 BOM or Windows-1252, and
header-row; xlsx required-columns on a sheet's first row; attestations and their evidence;
max-age-days against today) and compares each deliverable's status with what the samples are
meant to show, so that an edit that breaks a sample is caught here first.
"""
import csv, io, json, os, re, sys, time, unicodedata, zipfile
import xml.etree.ElementTree as ET

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Each tree and the manifest it is checked against.
MANIFESTS = {
    "acme-export": "acme-manifest.yaml",
    "acme-export-incomplete": "acme-manifest.yaml",
    "export-fr": "export-fr-manifest.yaml",
}
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
    "export-fr": {},                         # French locale: Windows-1252, BOM, xlsx, attestations
}
# Files the samples keep on purpose that no deliverable selects.
SYSTEM_FILES = {"Thumbs.db"}
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


def normalised(name):
    """A column name as people read it: no case, accents, apostrophe shapes, _ or -."""
    name = name.replace("\u2019", "'").replace("_", " ").replace("-", " ").replace("\u00a0", " ")
    name = "".join(c for c in unicodedata.normalize("NFD", name.lower()) if unicodedata.category(c) != "Mn")
    return " ".join(name.split())


def csv_header(path, row=1):
    with open(path, "rb") as f:
        data = f.read(65536)
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    lines = text.splitlines()
    line = lines[row - 1] if len(lines) >= row else ""
    delimiter = max([";", ",", "\t"], key=line.count)
    return {normalised(c) for c in next(csv.reader(io.StringIO(line), delimiter=delimiter), [])}


def xlsx_first_row(path, sheet_name):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as book:
        names = book.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = ["".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])) for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", ns)]
        sheets = ET.fromstring(book.read("xl/workbook.xml")).findall("m:sheets/m:sheet", ns)
        index = next((i for i, s in enumerate(sheets) if normalised(s.get("name")) == normalised(sheet_name or sheets[0].get("name"))), 0)
        row = ET.fromstring(book.read("xl/worksheets/sheet%d.xml" % (index + 1))).find("m:sheetData/m:row", ns)
        cells = []
        for c in row if row is not None else []:
            if c.get("t") == "s":
                cells.append(shared[int(c.find("m:v", ns).text)])
            else:
                cells.append("".join(t.text or "" for t in c.iter("{%s}t" % ns["m"])) or (c.findtext("m:v", "", ns)))
        return {normalised(c) for c in cells}


def lacking(columns, header):
    out = []
    for column in columns:
        names = [column] if isinstance(column, str) else [column["name"]] + list(column.get("aliases", []))
        if not any(normalised(n) in header for n in names):
            out.append(names[0])
    return out


def globs_of(d):
    if d.get("kind") == "attestation":
        evidence = d["evidence"]
        return [evidence["path"]] if isinstance(evidence, dict) else ["attestations/%s.txt" % d["id"]]
    return d["paths"]


def evaluate(d, files, tree):
    chosen = [f for f in files if any(glob_matches(p, f) for g in globs_of(d) for p in expand_braces(unicodedata.normalize("NFC", g)))]
    required = d.get("required", True)
    if not chosen:
        return ("missing" if required else "optional-absent"), chosen, []
    reasons = []
    if len(chosen) < d.get("min-files", 1):
        reasons.append("%d files, at least %d expected" % (len(chosen), d.get("min-files", 1)))
    formats = {x.lower() for x in d.get("formats", ["txt"] if d.get("evidence") == "statement" else [])}
    for f in chosen:
        ext = f[-1].rsplit(".", 1)[-1].lower() if "." in f[-1][1:] else ""
        if formats and ext not in formats:
            reasons.append("%s: format %r not allowed" % ("/".join(f), ext))
        if os.path.getsize(os.path.join(tree, *f)) == 0:
            reasons.append("%s: empty" % "/".join(f))
        if ext == "csv" and "csv" in d:
            header = csv_header(os.path.join(tree, *f), d["csv"].get("header-row", 1))
            absent = lacking(d["csv"]["required-columns"], header)
            if absent:
                reasons.append("%s: no column %s" % ("/".join(f), ", ".join(absent)))
        if ext == "xlsx" and "xlsx" in d:
            absent = lacking(d["xlsx"]["required-columns"], xlsx_first_row(os.path.join(tree, *f), d["xlsx"].get("sheet")))
            if absent:
                reasons.append("%s: no column %s in its first row" % ("/".join(f), ", ".join(absent)))
    if "max-age-days" in d:
        newest = max(os.stat(os.path.join(tree, *f)).st_mtime for f in chosen)
        if time.time() - newest > d["max-age-days"] * 86400:
            reasons.append("newest file older than %d days" % d["max-age-days"])
    return ("invalid" if reasons else "ok"), chosen, reasons


def main():
    failures = 0
    schema = json.load(open(SCHEMA, encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    manifests = {}
    for file in sorted(set(MANIFESTS.values())):
        manifests[file] = yaml.safe_load(open(os.path.join(HERE, file), encoding="utf-8"))
        for error in validator.iter_errors(manifests[file]):
            print("schema: %s: %s: %s" % (file, "/".join(map(str, error.absolute_path)), error.message))
            failures += 1
    for name, expected in EXPECTED.items():
        manifest = manifests[MANIFESTS[name]]
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
                print("   not collected: %s%s" % ("/".join(f), " (system file)" if f[-1] in SYSTEM_FILES else ""))
    size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(HERE) for f in fs)
    print("Samples: %d bytes" % size)
    if size > MAX_BYTES:
        print("Samples is larger than 2 MB")
        failures += 1
    print("FAILED" if failures else "all as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
