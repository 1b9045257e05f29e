#!/usr/bin/env python3
"""portfolio.browser: the HTML pages of `credo compare --report` (SME v1 against
examples/sme-credit-v2) and `credo report --baseline --outcome` (SME v1 over the example
portfolio, a generated baseline) loaded in headless Chromium (tests/doc/chromium.py).

Per page: it loads with no console error, exception or outside request, has no script and no
external resource, and every chart is drawn: each svg.chart holds as many .mark elements as its
data-marks says (more than none), at least one of them with an area, and the svg itself has a
size on the page. The charts the page must have are there, and the swap set's cells add up to
every record of the portfolio (none lost), the migration's to the records both policies accepted.

usage: report_browser.py CREDO CREDO_GEN_SME SOURCE_DIR WORK_DIR   (exit 0 pass, 1 fail, 77 skip)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "doc"))
from chromium import SKIP, check_pages, chromium_or_skip, empty_dir, load, self_contained, verdict  # noqa: E402

DOM_PROBE = r"""(() => {
  const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
    const marks = [...svg.querySelectorAll('.mark')];
    const box = svg.getBoundingClientRect();
    return {
      id: svg.dataset.chart, expected: Number(svg.dataset.marks), marks: marks.length,
      drawn: marks.filter(m => { const b = m.getBBox(); return b.width > 0 && b.height > 0; }).length,
      width: box.width, height: box.height,
      cells: [...svg.querySelectorAll('text.cell')].map(t => t.textContent),
    };
  });
  return JSON.stringify({
    title: document.title, charts,
    scripts: document.scripts.length,
    links: document.querySelectorAll('[src], link[href]').length,
  });
})()"""


def check_page(browser, session, path, want_charts, sums):
    dom, problems = load(browser, session, "file://" + path, DOM_PROBE)
    if not dom:
        return problems
    problems += self_contained(dom)
    charts = {c["id"]: c for c in dom["charts"]}
    if len(charts) != len(dom["charts"]):
        problems.append("two charts share an id")
    for want in want_charts:
        if want not in charts:
            problems.append(f"no chart '{want}' (charts: {sorted(charts)})")
    for c in dom["charts"]:
        if c["marks"] != c["expected"] or c["marks"] == 0:
            problems.append(f"chart {c['id']}: {c['marks']} marks drawn, data-marks says {c['expected']}")
        if c["drawn"] == 0:
            problems.append(f"chart {c['id']}: no mark has an area")
        if c["width"] <= 0 or c["height"] <= 0:
            problems.append(f"chart {c['id']}: not laid out ({c['width']}x{c['height']})")
    for chart, total in sums.items():
        if chart in charts:
            got = sum(int(t) for t in charts[chart]["cells"] if t.isdigit())
            if got != total:
                problems.append(f"chart {chart}: its cells add up to {got}, not {total}")
    return [f"{os.path.basename(path)}: {p}" for p in problems]


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    credo, gen, source, work = sys.argv[1:]
    exe = chromium_or_skip()
    if not exe:
        return SKIP
    empty_dir(work)
    v1 = os.path.join(source, "policies", "sme-credit-v1.credo")
    v2 = os.path.join(source, "examples", "sme-credit-v2.credo")
    portfolio = os.path.join(source, "examples", "sme-portfolio.csv")
    baseline = os.path.join(work, "baseline.csv")
    compare_page, report_page = os.path.join(work, "compare.html"), os.path.join(work, "report.html")
    steps = [
        [gen, "--rows", "3000", "--seed", "11", "--out", baseline],
        [credo, "compare", v1, v2, "--in", portfolio, "--json", "--report", compare_page],
        [credo, "report", v1, "--in", portfolio, "--baseline", baseline, "--outcome", "defaults_24m", "--json",
         "--out", report_page],
    ]
    outputs = []
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"FAIL: {' '.join(step[:3])} exited {done.returncode}: {done.stderr[:300]}")
            return 1
        outputs.append(done.stdout)
    comparison, report = json.loads(outputs[1]), json.loads(outputs[2])
    both = sum(c["count"] for c in comparison["grade_migration"]["cells"])
    characteristics = len(report["summary"]["characteristics"])
    if characteristics == 0 or not report.get("stability"):
        print("FAIL: the report has no characteristics or no stability section")
        return 1

    def check(browser, session):
        problems = check_page(
            browser, session, compare_page,
            ["swap-set", "migration", "score", "decisions", "grades", "decision-reasons", "score-reasons", "limits"],
            {"swap-set": comparison["champion"]["records"], "migration": both})
        return problems + check_page(
            browser, session, report_page,
            ["score", "decisions", "grades", "decision-reasons", "score-reasons", "limits"] +
            [f"csi-{k}" for k in range(1, characteristics + 1)] + [f"bins-{k}" for k in range(1, characteristics + 1)],
            {})

    problems = check_pages(exe, work, check)
    return verdict(problems, f"ok: compare and report pages drawn in {os.path.basename(exe)} without errors")


if __name__ == "__main__":
    sys.exit(main())
