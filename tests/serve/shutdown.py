"""serve.shutdown: SIGTERM while large requests are being evaluated: the server stops accepting,
every request in flight gets its complete answer, the decision log holds each of their
decisions, and the exit code is 0."""
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import SME_RECORD, Server, arm_alarm, check, copy_policies, finish  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(120)
policies = copy_policies(src, work)
log_path = os.path.join(work, "decisions.jsonl")
if os.path.exists(log_path):
    os.remove(log_path)
RECORDS = 20000
body = "[" + ",".join(SME_RECORD.replace("C0000001", f"C{i:07d}") for i in range(RECORDS)) + "]"

with Server(credo, policies, work, "--decision-log", log_path, "--max-records", "100000", "--max-body", "67108864",
            "--threads", "4") as s:
    # How long one such request takes here, so that SIGTERM surely lands while three are running.
    start = time.time()
    status, _, reply = s.post("/v1/policies/sme_credit/evaluate", body)
    one = time.time() - start
    check(status == 200 and len(reply["results"]) == RECORDS, f"a large request: {status}")

    replies = [None] * 3

    def client(k):
        try:
            replies[k] = s.post("/v1/policies/sme_credit/evaluate", body, headers={"X-Request-Id": f"late-{k}"})
        except Exception as e:
            replies[k] = ("lost", repr(e), None)
    threads = [threading.Thread(target=client, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    time.sleep(min(0.3, one / 3))
    code = s.terminate(timeout=60)
    for t in threads:
        t.join(60)
    check(code == 0, f"exit {code} after SIGTERM")
    for k, r in enumerate(replies):
        check(r is not None and r[0] == 200 and len(r[2]["results"]) == RECORDS,
              f"request {k} in flight at SIGTERM answered completely: {str(r)[:200]}")
    log = s.stderr()
    check("finishing the requests in flight" in log and "stopped" in log, f"stderr says it drained: {log[-300:]}")
    refused = False
    try:
        socket.create_connection(("127.0.0.1", s.port), timeout=5).close()
    except OSError:
        refused = True
    check(refused, "nothing listens after the exit")

with open(log_path) as f:
    ids = [json.loads(line)["request_id"] for line in f]
late = [i for i in ids if i.startswith("late-")]
check(len(ids) == 4 * RECORDS and len(late) == 3 * RECORDS,
      f"the log has every decision of the drained requests: {len(ids)} lines, {len(late)} late")
print(f"one request of {RECORDS} records: {one:.2f} s")

# A decision log that cannot be written (a full disk: /dev/full) never loses a line silently:
# requests wait once the queue is full, /healthz says failing (503), and at SIGTERM the server
# gives up after a few seconds, says how many lines were not written and exits 3.
with Server(credo, policies, work, "--decision-log", "/dev/full", "--log-queue", "2") as s:
    status, _, reply = s.post("/v1/policies/sme_credit/evaluate", SME_RECORD)
    check(status == 200, f"a decision while the queue has room: {status}")
    deadline = time.time() + 10
    while time.time() < deadline and s.get("/healthz")[0] != 503:
        time.sleep(0.05)
    status, _, health = s.get("/healthz")
    check(status == 503 and health["status"] == "failing" and "decision log" in health["error"],
          f"healthz while the log fails: {status} {health}")
    code = s.terminate(timeout=60)
    check(code == 3, f"exit {code} when decision log lines were lost at shutdown")
    check("could not be written" in s.stderr(), f"stderr counts the lost lines: {s.stderr()[-300:]}")
finish()
