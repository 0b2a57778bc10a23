#!/usr/bin/env python3
"""PostgreSQL's own parser as the oracle for preflight's parse-error (a dev tool).

Usage: scripts/pg-oracle.py [--bin target/release/preflight] DIR [DIR…]

Runs preflight over every `.sql` file under DIR (read as PostgreSQL: `--dialect postgres`,
so every file is judged by the grammar the oracle knows), then asks PostgreSQL's parser
(the `pglast` package: `pip install pglast`) about

  * every statement preflight calls `parse-error`: does PostgreSQL accept it? Those it
    accepts are listed (preflight's gaps, to fix);
  * every file: does PostgreSQL accept the whole file (psql meta-command lines and
    `COPY … FROM stdin` data removed)? The summary gives parse-error files among them.

Exit 0 always; it prints a report.
"""

import argparse
import json
import os
import re
import subprocess
import sys

try:
    import pglast
except ImportError:  # pragma: no cover
    sys.exit("pg-oracle: needs pglast (pip install pglast)")


def sql_files(dirs):
    for d in dirs:
        if os.path.isfile(d):
            yield d
            continue
        for root, _, names in os.walk(d):
            for n in sorted(names):
                if n.endswith(".sql"):
                    yield os.path.join(root, n)


def psql_to_sql(text):
    """Drop psql meta-command lines and COPY … FROM stdin data (not SQL)."""
    out, in_copy = [], False
    for line in text.split("\n"):
        if in_copy:
            out.append("")
            if line.rstrip() == "\\.":
                in_copy = False
            continue
        if line.lstrip().startswith("\\"):
            low = line.lower()
            if low.lstrip().startswith("\\copy") and " from stdin" in low:
                in_copy = True
            out.append("")
            continue
        out.append(line)
        if re.search(r"(?i)\bcopy\b.*\bfrom\s+stdin\b.*;\s*$", line):
            in_copy = True
    return "\n".join(out)


def accepts(sql):
    try:
        pglast.parser.parse_sql(sql)
        return True
    except Exception:  # pglast.parser.ParseError and friends
        return False


def cut(text, d):
    """The statement text a diagnostic spans (1-based lines, char columns)."""
    lines = text.split("\n")
    a, b = d["line"] - 1, d["end_line"] - 1
    if a == b:
        return lines[a][d["column"] - 1 : d["end_column"] - 1]
    part = [lines[a][d["column"] - 1 :]] + lines[a + 1 : b] + [lines[b][: d["end_column"] - 1]]
    return "\n".join(part)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/preflight")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    files = list(sql_files(args.dirs))
    diags = {}
    # one run per batch of files, read as PostgreSQL
    for i in range(0, len(files), 500):
        batch = files[i : i + 500]
        r = subprocess.run(
            [args.bin, "check", "--no-config", "--dialect", "postgres", "--format", "json",
             "--fail-on", "never", "--select", "parse-error", *batch],
            capture_output=True, text=True,
        )
        doc = json.loads(r.stdout)
        for d in doc["diagnostics"]:
            diags.setdefault(d["file"], []).append(d)
    accepted_files = pe_in_accepted = 0
    gaps = []
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        ok = accepts(psql_to_sql(text))
        accepted_files += ok
        ds = diags.get(f, [])
        if ok and ds:
            pe_in_accepted += 1
        for d in ds:
            stmt = cut(text, d)
            if accepts(psql_to_sql(stmt)):
                gaps.append((f, d["line"], d["message"], stmt))
    print(f"files: {len(files)}; PostgreSQL accepts {accepted_files}")
    print(f"files with parse-error: {len(diags)} ({100.0 * len(diags) / max(1, len(files)):.2f} %)")
    print(
        f"parse-error in files PostgreSQL accepts: {pe_in_accepted} "
        f"({100.0 * pe_in_accepted / max(1, accepted_files):.2f} % of them)"
    )
    print(f"statements PostgreSQL accepts that preflight calls parse-error: {len(gaps)}")
    for f, line, msg, stmt in gaps:
        first = " ".join(stmt.split())[:120]
        print(f"  {f}:{line}: {first}")
        print(f"      {msg[:160]}")


if __name__ == "__main__":
    main()
