"""serve.reload: the policy file is replaced (a good version, a bad one, a good one again) while
client threads fire continuously. Every request gets a 200 answered entirely by one version (its
version, hash and outputs agree), versions only move forward, none is lost, the bad version is
never served and its diagnostics are shown; with inotify and with polling."""
import os
import threading
import time
import sys

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import SME_RECORD, Server, arm_alarm, check, copy_policies, finish, replace_file, wait_for  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(140)
EVAL = "/v1/policies/sme_credit/evaluate"
# C0000001 is grade B: max_limit = floor(revenue 1908590.00 × factor, 1000.00).
MAX_LIMIT = {"1.0": "343000.00", "1.1": "381000.00", "1.3": "419000.00"}


def version_text(original, version, factor_b):
    text = original.replace('version "1.0"', f'version "{version}"', 1)
    return text.replace("B => 0.18", f"B => {factor_b}", 1)


def run(mode):
    mode_work = os.path.join(work, mode)
    os.makedirs(mode_work, exist_ok=True)
    policies = copy_policies(src, mode_work)
    sme_path = os.path.join(policies, "sme-credit-v1.credo")
    with open(sme_path) as f:
        original = f.read()
    with Server(credo, policies, mode_work, "--threads", "6", "--watch", mode) as s:
        stop = threading.Event()
        results = [[] for _ in range(4)]  # per thread: (version, hash, max_limit) in order
        problems = []
        sent = [0] * 4

        def client(k):
            conn = s.connection()
            while not stop.is_set():
                body = SME_RECORD if k % 2 == 0 else f"[{SME_RECORD},{SME_RECORD}]"
                sent[k] += 1
                try:
                    status, _, reply = s.post(EVAL, body, conn=conn, exact=True)
                except Exception as e:  # a lost request
                    problems.append(f"thread {k}: {e!r}")
                    conn.close()
                    conn = s.connection()
                    continue
                if status != 200:
                    problems.append(f"thread {k}: status {status} {reply}")
                    continue
                answers = reply["results"] if "results" in reply else [reply]
                limits = {a["outputs"]["max_limit"] for a in answers}
                results[k].append((reply["version"], reply["hash"], limits))
            conn.close()

        threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        served = lambda: {v for r in results for v, _, _ in r}  # noqa: E731
        time.sleep(0.4)
        replace_file(sme_path, version_text(original, "1.1", "0.20"))
        wait_for("version 1.1 to be served", lambda: "1.1" in served())
        time.sleep(0.3)

        # A bad version, written in place (not renamed): it fails to check and is not loaded.
        with open(sme_path, "w") as f:
            f.write(version_text(original, "1.2", "0.21").replace("let max_limit =", "let max_limit ==", 1))

        def sme_error():
            _, _, listing = s.get("/v1/policies")
            entry = next((p for p in listing["policies"] if p["name"] == "sme_credit"), None)
            return entry and entry["last_error"] and entry["version"] == "1.1"
        wait_for("the bad version's error on GET /v1/policies", sme_error)
        time.sleep(0.3)
        replace_file(sme_path, version_text(original, "1.3", "0.22"))
        wait_for("version 1.3 to be served", lambda: "1.3" in served())
        time.sleep(0.3)
        stop.set()
        for t in threads:
            t.join(30)

        check(not problems, f"{mode}: every request answered with 200: {problems[:5]}")
        received = sum(len(r) for r in results)
        check(received == sum(sent) and received > 100, f"{mode}: sent {sum(sent)}, answered {received}")
        hashes = {}
        order = ["1.0", "1.1", "1.3"]
        for k, r in enumerate(results):
            last = 0
            for version, hash_, limits in r:
                check(version in MAX_LIMIT, f"{mode}: served version {version} (the bad 1.2 must never be)")
                if version not in MAX_LIMIT:
                    break
                check(limits == {MAX_LIMIT[version]}, f"{mode}: version {version} answered max_limit {limits}")
                check(hashes.setdefault(version, hash_) == hash_, f"{mode}: version {version} with two hashes")
                check(order.index(version) >= last, f"{mode}: thread {k} went back to version {version}")
                last = order.index(version)
        check(set(served()) == set(order), f"{mode}: versions served {served()}")
        check(len(set(hashes.values())) == 3, f"{mode}: each version has its own hash")

        # The error was shown with its diagnostics while 1.1 served; now it is gone.
        _, _, listing = s.get("/v1/policies")
        entry = next(p for p in listing["policies"] if p["name"] == "sme_credit")
        check(entry["version"] == "1.3" and entry["last_error"] is None, f"{mode}: listing after the fix: {entry}")
        log = s.stderr()
        check("failed to check" in log and "previous version keeps serving" in log and "E0" in log,
              f"{mode}: the bad version's diagnostics are on stderr")
        _, _, text = s.get("/metrics")
        metric = lambda name: float(next(l for l in text.splitlines() if l.startswith(name + " ")).split()[1])  # noqa
        check(metric("credo_policy_reloads_total") >= 2, f"{mode}: reloads counted")
        check(metric("credo_policy_reload_failures_total") >= 1, f"{mode}: failures counted")

        # A new policy file appears; a removed one is no longer served.
        with open(os.path.join(policies, "retail-card-v1.credo")) as f:
            card = f.read().replace("policy retail_card ", "policy retail_card_b ", 1)
        replace_file(os.path.join(policies, "card-b.credo"), card)
        wait_for("a new policy to be listed", lambda: s.get("/v1/policies/retail_card_b")[0] == 200)
        os.remove(os.path.join(policies, "card-b.credo"))
        wait_for("a removed policy to go", lambda: s.get("/v1/policies/retail_card_b")[0] == 404)
        check(s.terminate() == 0, f"{mode}: SIGTERM: exit 0")


run("inotify")
run("poll")
finish()
