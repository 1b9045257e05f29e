"""Shared by the tests/serve scripts: start `credo serve` on a free loopback port, talk to it
with http.client, and always stop it (a test that hangs is killed by its alarm, and the server
with it). Usage in a test: `with Server(credo, policy_dir, ...) as s: s.post(...)`."""
import csv
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time

FAILURES = []


def check(condition, what):
    if not condition:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)
    return condition


def wait_for(what, predicate, seconds=15):
    """Polls `predicate` until it holds; a failed check after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    check(False, f"timed out waiting for {what}")
    return False


def finish():
    if FAILURES:
        print(f"{len(FAILURES)} failures", file=sys.stderr)
        sys.exit(1)
    print("ok")
    sys.exit(0)


def arm_alarm(seconds):
    """Fails the test (and, through Server.__exit__, stops the server) if it runs too long."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"test took more than {seconds} s")
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)


class Server:
    def __init__(self, credo, policies, work, *options):
        self.args = [credo, "serve", "--policies", policies, "--listen", "127.0.0.1:0", *options]
        self.stderr_path = os.path.join(work, "server.err")
        self.proc = None
        self.port = None

    def __enter__(self):
        self.stderr_file = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(self.args, stdout=subprocess.PIPE, stderr=self.stderr_file, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 60)
        line = self.proc.stdout.readline() if ready else ""
        if "listening on http://127.0.0.1:" not in line:
            self.stop_now()
            raise RuntimeError(f"server did not start: {line!r} {self.stderr()}")
        self.port = int(line.rsplit(":", 1)[1])
        return self

    def __exit__(self, *exc):
        self.stop_now()
        return False

    def stop_now(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.proc:
            self.stderr_file.close()

    def terminate(self, timeout=30):
        """SIGTERM, then the exit code (killed after `timeout` s)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "hung"

    def stderr(self):
        self.stderr_file.flush()
        with open(self.stderr_path) as f:
            return f.read()

    def connection(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None, conn=None, exact=False):
        """(status, headers, parsed JSON or text). `exact`: numbers kept as their JSON text."""
        own = conn is None
        conn = conn or self.connection()
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        hdrs = {"Content-Type": "application/json"} if body is not None else {}
        hdrs.update(headers or {})
        conn.request(method, path, body=body, headers=hdrs)
        response = conn.getresponse()
        data = response.read().decode()
        if own:
            conn.close()
        kind = response.getheader("Content-Type") or ""
        hooks = {"parse_float": str, "parse_int": str} if exact else {}
        parsed = json.loads(data, **hooks) if kind.startswith("application/json") else data
        return response.status, dict(response.getheaders()), parsed

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)


def copy_policies(src, work):
    """A private policy folder (the tests change files in it)."""
    folder = os.path.join(work, "policies")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    for name in os.listdir(os.path.join(src, "policies")):
        path = os.path.join(src, "policies", name)
        # a policy with reference data needs --ref options (tests/serve/references.py): left out
        if name.endswith(".credo") and not re.search(r"^reference ", open(path).read(), re.M):
            shutil.copy(path, folder)
    return folder


def replace_file(path, text):
    """Atomic replace, as a deployment does: write beside it, then rename over it."""
    tmp = path + ".tmp-new"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


NUMERIC = ("int", "money", "decimal", "percent", "number")


def sme_records(src, limit=None, require=None):
    """SME portfolio rows as JSON texts of their fields, numbers written as in the CSV (exact);
    empty cells left out. `require(row)` filters."""
    with open(os.path.join(src, "policies", "sme-credit-v1.credo")) as f:
        policy = f.read()
    out = []
    with open(os.path.join(src, "examples", "sme-portfolio.csv")) as f:
        for row in csv.DictReader(f):
            if None in row or None in row.values():  # a malformed line (too many or too few cells)
                continue
            if require and not require(row):
                continue
            parts = []
            for name, cell in row.items():
                if cell == "":
                    continue
                number = cell.replace(".", "", 1).lstrip("-").isdigit()
                if number:  # JSON has no leading zeros ("0026000.00" in the CSV is 26000.00)
                    sign, digits = ("-", cell[1:]) if cell.startswith("-") else ("", cell)
                    digits = digits.lstrip("0")
                    cell = sign + ("0" + digits if digits == "" or digits.startswith(".") else digits)
                parts.append(f'"{name}":{cell}' if number and name not in ("customer_id", "group_id")
                             else f'"{name}":{json.dumps(cell)}')
            out.append((row, "{" + ",".join(parts) + "}"))
            if limit and len(out) >= limit:
                break
    return out


# One SME record every check of this suite can use: accepted, grade B, no group.
SME_RECORD = ('{"customer_id":"C0000001","industry":"construction","years_in_business":5,"revenue":1908590.00,'
              '"net_income":304152.90,"current_assets":1231570.00,"total_assets":1804195.00,'
              '"total_liabilities":993534.10,"operating_cash_flow":105021.29,"interest_expense":72679.10,'
              '"bureau_score":663,"max_days_past_due_12m":0,"defaults_24m":0,"existing_exposure":0.00,'
              '"requested_amount":277367.75}')
