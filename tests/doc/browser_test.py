#!/usr/bin/env python3
"""doc.browser: `credo doc --html` of every policy in policies/, loaded in headless Chromium.

Drives one Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe, standard
library only) and, per page, requires: it loads; no console error, no exception, no failed
request (the page is self-contained: every request but the page itself is refused and counted);
and the DOM holds the tables the policy calls for: the rule codes in table.rules, every
characteristic in table.bins, a table.decision for a decision, one table.decision-table per
decision table, the input and output columns, and the content hash in the header.

usage: browser_test.py CREDO SOURCE_DIR WORK_DIR    (exit 0 pass, 1 fail, 77 skip: no Chromium)
"""
import os
import re
import subprocess
import sys

from chromium import SKIP, check_pages, chromium_or_skip, empty_dir, load, self_contained, verdict


def expectations(policy_text):
    """What the document of a policy must show, read from the policy's own text."""
    code = r"[A-Z][A-Z0-9_]*[0-9]"
    return {
        "rules": re.findall(rf"^\s*({code})\s+\"[^\"]*\"\s+when\b", policy_text, re.M),
        "characteristics": re.findall(rf"^\s*({code})\s+\"[^\"]*\"\s+[^{{\n]+\{{\s*$", policy_text, re.M),
        "table_rows": re.findall(rf"^\s*({code})\s+\"[^\"]*\"\s*\|", policy_text, re.M),
        "decision_tables": len(re.findall(r"^table\s+\w+\s+hit\b", policy_text, re.M)),
        "decision": bool(re.search(r"^decision\b", policy_text, re.M)),
        "fields": re.findall(r"^\s+(\w+):\s", re.search(r"^input\s+\w+\s*\{(.*?)^\}", policy_text, re.M | re.S)[1], re.M),
    }


# Run in the page: what the document shows, for the checks below.
DOM_PROBE = r"""(() => {
  const cells = sel => [...document.querySelectorAll(sel)].map(c => c.textContent.trim());
  return JSON.stringify({
    title: document.title,
    hash: (document.querySelector('dl.facts')?.textContent.match(/[0-9a-f]{16}/) || [''])[0],
    tables: [...document.querySelectorAll('table')].map(t => t.className),
    rules: cells('table.rules tbody tr td:first-child, table.warnings tbody tr td:first-child'),
    bins: cells('table.bins tbody tr td:first-child'),
    table_rows: cells('table.decision-table tbody tr td:first-child'),
    inputs: cells('table.inputs tbody tr td:nth-child(2)'),
    scripts: document.scripts.length,
    links: [...document.querySelectorAll('[src], link[href]')].length,
    headings: document.querySelectorAll('h2, h3').length,
  });
})()"""


def check_page(browser, session, url, expect, name):
    dom, problems = load(browser, session, url, DOM_PROBE)
    if not dom:
        return [f"{name}: {p}" for p in problems]
    if not dom["title"].startswith("Policy "):
        problems.append(f"title is {dom['title']!r}")
    if not re.fullmatch(r"[0-9a-f]{16}", dom["hash"]):
        problems.append("no content hash in the header")
    problems += self_contained(dom)
    for kind, present in (("inputs", True), ("outputs", True), ("enums", True), ("decision", expect["decision"])):
        if present and kind not in dom["tables"]:
            problems.append(f"no table.{kind}")
    if dom["tables"].count("decision-table") != expect["decision_tables"]:
        problems.append(f"{dom['tables'].count('decision-table')} decision tables, not {expect['decision_tables']}")
    for key, shown in (("rules", "rules"), ("characteristics", "bins"), ("table_rows", "table_rows")):
        missing = [c for c in expect[key] if c not in dom[shown]]
        if missing:
            problems.append(f"{key} not in their tables: {missing}")
    if dom["inputs"] != expect["fields"]:
        problems.append(f"input columns {dom['inputs']} are not the policy's {expect['fields']}")
    return [f"{name}: {p}" for p in problems]


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    credo, source, work = sys.argv[1:]
    exe = chromium_or_skip()
    if not exe:
        return SKIP
    empty_dir(work)
    policies = sorted(f for f in os.listdir(os.path.join(source, "policies")) if f.endswith(".credo"))
    pages = []
    for policy in policies:
        path = os.path.join(source, "policies", policy)
        page = os.path.join(work, policy.replace(".credo", ".html"))
        done = subprocess.run([credo, "doc", path, "--html", "--out", page], capture_output=True, text=True)
        if done.returncode != 0:
            print(f"FAIL: credo doc {policy} exited {done.returncode}: {done.stderr[:300]}")
            return 1
        with open(path, encoding="utf-8") as f:
            pages.append((policy, "file://" + page, expectations(f.read())))

    def check(browser, session):
        return [p for name, url, expect in pages for p in check_page(browser, session, url, expect, name)]

    problems = check_pages(exe, work, check)
    return verdict(problems, f"ok: {len(pages)} policy documents loaded in {os.path.basename(exe)} without errors")


if __name__ == "__main__":
    sys.exit(main())
