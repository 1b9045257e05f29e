"""serve.decision_log: one JSON line per decision (arrays too) with everything replay needs,
written under back-pressure (a queue of one line) from concurrent clients and none dropped;
`credo replay` finds no difference, then, after the policy changes, reports each decision that
differs field by field, and the hash change."""
import json
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import Server, arm_alarm, check, copy_policies, finish, replace_file, sme_records  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(140)
policies = copy_policies(src, work)
log_path = os.path.join(work, "decisions.jsonl")
if os.path.exists(log_path):
    os.remove(log_path)
EVAL = "/v1/policies/sme_credit/evaluate"

records = [r for _, r in sme_records(src, limit=400)]
answered = {}  # request id → number of decisions in its reply
lock = threading.Lock()
errors = []

with Server(credo, policies, work, "--decision-log", log_path, "--log-queue", "1", "--log-fired", "--threads", "4") as s:
    def client(k):
        conn = s.connection()
        for i in range(k, len(records), 4):
            body = records[i] if i % 10 else "[" + ",".join(records[i:i + 3]) + "]"
            rid = f"t{k}-{i}"
            status, _, reply = s.post(EVAL, body, headers={"X-Request-Id": rid}, conn=conn)
            if status == 200:
                with lock:
                    answered[rid] = len(reply.get("results", [reply]))
            elif status != 422:
                errors.append((status, reply))
        conn.close()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    check(not errors, f"unexpected statuses: {errors[:3]}")
    check(s.terminate() == 0, "SIGTERM: exit 0 after the log is written")

with open(log_path) as f:
    lines = f.read().splitlines()
decisions = sum(answered.values())
check(len(lines) == decisions and decisions > 400, f"{len(lines)} log lines for {decisions} decisions")
per_request = {}
for line in lines:
    d = json.loads(line)
    for key in ("time", "request_id", "policy", "version", "hash", "file", "engine", "input", "outcome"):
        check(key in d, f"log line without {key}: {line[:200]}")
    per_request[d["request_id"]] = per_request.get(d["request_id"], 0) + 1
    if d["outcome"] == "accepted":
        check("outputs" in d and "fired" in d and any(f["kind"] == "decision" for f in d["fired"]),
              f"an accepted decision logs its outputs and what fired: {line[:300]}")
    else:
        check(d["reason"] and d["detail"], f"a rejected decision logs its reason: {line[:300]}")
check(per_request == answered, "every reply's decisions are in the log, under its request id")

# Replay: the same policy gives the same decisions.
r = subprocess.run([credo, "replay", log_path], capture_output=True, text=True, timeout=120)
check(r.returncode == 0 and f"replayed {decisions} decisions: 0 differ" in r.stdout,
      f"replay, unchanged policy: {r.returncode} {r.stdout[:300]} {r.stderr[:300]}")
r = subprocess.run([credo, "replay", log_path, "--policies", policies, "--json"], capture_output=True, text=True,
                   timeout=120)
report = json.loads(r.stdout) if r.returncode == 0 else {}
check(report.get("differing") == 0 and report.get("decisions") == decisions, f"replay --json: {r.stdout[:300]}")

# The policy changes (grade B's limit factor): replay reports exactly the changed decisions.
sme_path = os.path.join(policies, "sme-credit-v1.credo")
with open(sme_path) as f:
    original = f.read()
replace_file(sme_path, original.replace("B => 0.18", "B => 0.20", 1))
r = subprocess.run([credo, "replay", log_path, "--policies", policies, "--json"], capture_output=True, text=True,
                   timeout=120)
check(r.returncode == 1, f"replay, changed policy: exit {r.returncode} {r.stderr[:300]}")
report = json.loads(r.stdout)
changed = [d for d in report["reported"] if d.get("differences")]
check(report["differing"] == len(changed) > 0, f"differing decisions reported: {report['differing']}")
check(report["hash_changed"] and report["hash_changed"][0]["decisions"] == decisions, "the hash change is reported")
for d in changed:
    fields = {x["field"] for x in d["differences"]}
    check("outputs.max_limit" in fields and d["hash_changed"], f"a changed decision: {d}")
    grades = [json.loads(line) for line in lines if json.loads(line)["request_id"] == d["request_id"]]
    check(any(g.get("outputs", {}).get("grade") == "B" for g in grades), "only grade B decisions changed")
accepted_b = sum(1 for line in lines if json.loads(line).get("outputs", {}).get("grade") == "B")
check(0 < len(changed) <= accepted_b, f"{len(changed)} changed, {accepted_b} grade B decisions")
r = subprocess.run([credo, "replay", log_path, "--policies", policies], capture_output=True, text=True, timeout=120)
check(r.returncode == 1 and "outputs.max_limit: logged" in r.stdout and "hash" in r.stdout,
      f"text report: {r.stdout[:400]}")
# --policy FILE: the original as a candidate file gives no difference again.
candidate = os.path.join(work, "candidate.credo")
with open(candidate, "w") as f:
    f.write(original)
r = subprocess.run([credo, "replay", log_path, "--policy", candidate], capture_output=True, text=True, timeout=120)
check(r.returncode == 0, f"replay --policy with the logged version: {r.returncode} {r.stdout[-300:]}")

# A line that is not a decision is reported, not skipped; bad usage is exit 2, no log exit 3.
with open(os.path.join(work, "broken.jsonl"), "w") as f:
    f.write(lines[0] + "\n{not json\n")
r = subprocess.run([credo, "replay", os.path.join(work, "broken.jsonl")], capture_output=True, text=True, timeout=60)
check(r.returncode == 1 and "line 2" in r.stdout and "not replayed" in r.stdout, f"broken line: {r.stdout}")
r = subprocess.run([credo, "replay"], capture_output=True, text=True, timeout=60)
check(r.returncode == 2, "replay without a log: usage error")
r = subprocess.run([credo, "replay", log_path, "--policy", candidate, "--policies", policies], capture_output=True,
                   text=True, timeout=60)
check(r.returncode == 2, "replay with two policy sources: usage error")
r = subprocess.run([credo, "replay", os.path.join(work, "no-such.jsonl")], capture_output=True, text=True, timeout=60)
check(r.returncode == 3, "replay of a missing log: exit 3")
finish()
