#!/usr/bin/env python3
"""Regenerates two derived parts of docs/language.md: the Contents list (from the `## ` headings)
and the code table under "Diagnostic codes" (one row per code of compiler/base/diagnostic_kinds.def,
in code order; a row's wording is kept where the table has one, else the .def summary is used).
Run from the repository root after adding a section or a diagnostic: python3 tools/docs_index.py"""
import re, sys

DOC, DEF = "docs/language.md", "compiler/base/diagnostic_kinds.def"
text = open(DOC, encoding="utf-8").read()
lines = text.split("\n")

def anchor(title):  # GitHub's heading anchors
    a = title.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")

headings = [l[3:] for l in lines if l.startswith("## ") and l[3:] != "Contents"]
toc = [f"{i}. [{h}](#{anchor(h)})" for i, h in enumerate(headings, 1)]
start = lines.index("## Contents") + 2
end = start
while end < len(lines) and re.match(r"\d+\. \[", lines[end]): end += 1
lines[start:end] = toc

codes = re.findall(r'^CREDO_DIAG\((\w+), \w+, \w+, "(.*)"\)', open(DEF, encoding="utf-8").read(), re.M)
diag = lines.index("## Diagnostic codes")
head = next(i for i in range(diag, len(lines)) if lines[i] == "| code | meaning |")
first, last = head + 2, head + 2
while last < len(lines) and lines[last].startswith("| "): last += 1
have = {}
for row in lines[first:last]:
    m = re.match(r"\| (\w+) \| (.*) \|$", row)
    if m: have[m.group(1)] = m.group(2)
order = lambda c: (c[0][0] != "E", c[0])  # errors, then warnings, each by number
rows = [f"| {c} | {have.get(c, s)} |" for c, s in sorted(codes, key=order)]
lines[first:last] = rows
open(DOC, "w", encoding="utf-8").write("\n".join(lines))
print(f"{DOC}: {len(toc)} sections, {len(rows)} codes")
