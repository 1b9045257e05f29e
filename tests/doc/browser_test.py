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
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import time

SKIP = 77
TIMEOUT = 20.0  # seconds for the whole browser session


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One Chromium process; protocol messages are JSON separated by NUL on fds 3 (in) and 4 (out)."""

    def __init__(self, exe, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():  # in the child: the pipe ends Chromium expects on fds 3 and 4
            # Through copies above 4, so that neither end is overwritten before it is moved;
            # dup2 makes the targets inheritable (os.pipe's ends are close-on-exec).
            read_end = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            write_end = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--user-data-dir=" + profile, "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=wire)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.deadline = time.monotonic() + TIMEOUT

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        return self.next_id

    def read(self):
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(message)
        if message.get("method") == "Fetch.requestPaused":  # refuse it at once, or the page never loads
            self.send("Fetch.failRequest", {"requestId": message["params"]["requestId"], "errorReason": "BlockedByClient"},
                      message.get("sessionId"))
        return message

    def call(self, method, params=None, session=None):
        wanted = self.send(method, params, session)
        while True:
            message = self.read()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method, session):
        for i, event in enumerate(self.events):
            if event.get("method") == method and event.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            message = self.read()
            if message.get("method") == method and message.get("sessionId") == session:
                return message
            self.events.append(message)

    def close(self):
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()


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
    problems = []
    browser.events = []
    browser.call("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired", session)
    result = browser.call("Runtime.evaluate", {"expression": DOM_PROBE, "returnByValue": True}, session)
    dom = json.loads(result["result"]["value"])
    # Anything reported while loading: console errors, exceptions, log errors, blocked requests.
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params['exceptionDetails']
            problems.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            problems.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
        elif method == "Log.entryAdded" and params["entry"].get("level") in ("error", "warning"):
            problems.append(f"log {params['entry']['level']}: {params['entry'].get('text')}")
        elif method == "Fetch.requestPaused":
            problems.append(f"the page requested {params['request']['url']}")
    if not dom["title"].startswith("Policy "):
        problems.append(f"title is {dom['title']!r}")
    if not re.fullmatch(r"[0-9a-f]{16}", dom["hash"]):
        problems.append("no content hash in the header")
    if dom["scripts"] or dom["links"]:
        problems.append(f"{dom['scripts']} scripts and {dom['links']} external resources")
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
    exe = find_chromium()
    if not exe:
        print("SKIP: no Chromium (install Debian's `chromium`, as tools/setup.sh does)")
        return SKIP
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
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

    browser = Browser(exe, os.path.join(work, "profile"))
    problems = []
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.call(domain + ".enable", {}, session)
        # Every request but the page's own file is paused (and then failed and reported).
        browser.call("Fetch.enable", {"patterns": [{"urlPattern": "http*"}, {"urlPattern": "data:*"}]}, session)
        for name, url, expect in pages:
            problems += check_page(browser, session, url, expect, name)
    except (TimeoutError, RuntimeError) as e:
        problems.append(f"browser session failed: {e}")
    finally:
        browser.close()
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"ok: {len(pages)} policy documents loaded in {os.path.basename(exe)} without errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
