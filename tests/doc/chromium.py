"""Headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe), standard
library only: shared by the browser tests (tests/doc/browser_test.py, tests/portfolio/report_browser.py).

A page is loaded with every request but its own file refused and reported, and everything the
page reports while loading (console errors and warnings, exceptions, log errors) is a problem.
The checks every self-contained page must pass and the run of a test (skip without Chromium,
one browser session for all pages, the problems printed) are here too.
"""
import fcntl
import json
import os
import select
import shutil
import subprocess
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


def open_session(browser):
    """A new tab with the Page, Runtime and Log domains on, and every outside request paused
    (then failed and reported by Browser.read)."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        browser.call(domain + ".enable", {}, session)
    browser.call("Fetch.enable", {"patterns": [{"urlPattern": "http*"}, {"urlPattern": "data:*"}]}, session)
    return session


def load(browser, session, url, probe):
    """Loads `url`, runs the JavaScript expression `probe` (which returns a JSON string) and
    returns (its parsed value, the problems reported while loading)."""
    problems = []
    browser.events = []
    browser.call("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired", session)
    result = browser.call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session)
    if "exceptionDetails" in result:
        problems.append(f"the DOM probe failed: {result['exceptionDetails'].get('text')}")
        return {}, problems
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
    return dom, problems


# ---- a browser test's run ------------------------------------------------------------------------

def chromium_or_skip():
    """The Chromium to drive, or None after saying why the test skips (exit SKIP then)."""
    exe = find_chromium()
    if not exe:
        print("SKIP: no Chromium (install Debian's `chromium`, as tools/setup.sh does)")
    return exe


def empty_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def self_contained(dom):
    """The problems of a page that must work offline, from its probe's `scripts` (the number of
    scripts) and `links` (elements with src, stylesheet links): it has neither."""
    if dom["scripts"] or dom["links"]:
        return [f"{dom['scripts']} scripts and {dom['links']} external resources"]
    return []


def check_pages(exe, work, check):
    """Runs check(browser, session), which returns problems, in one Chromium session with its
    profile in `work`; a session that fails is one more problem."""
    browser = Browser(exe, os.path.join(work, "profile"))
    problems = []
    try:
        session = open_session(browser)
        problems += check(browser, session)
    except (TimeoutError, RuntimeError) as e:
        problems.append(f"browser session failed: {e}")
    finally:
        browser.close()
    return problems


def verdict(problems, ok):
    """Prints each problem as a FAIL line, or `ok` when there is none; the exit code (1 or 0)."""
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(ok)
    return 0
