"""serve.references: a policy with reference data (policies/group-exposure-v1, its ledger, group
limits and watch list given with --ref, bad rows set aside). Single records over HTTP get what
`credo run --ref ... --ref-rejects` gives them (the whole row for a request alone in its group;
the lookups' columns for the others, whose group pass sees only themselves), rejects with the
run's reason and detail; GET describes what was loaded; a changed reference file reloads the
policy, a refused one keeps the previous data serving; a reference not given is named. With
inotify (the reference folder is watched too) and with polling."""
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import Server, arm_alarm, check, finish, replace_file, wait_for  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(140)
DATA = os.path.join(src, "tests", "policies", "group-exposure-v1")
EVAL = "/v1/policies/group_exposure/evaluate"
RECORD_LEVEL = ["request_id", "customer_id", "group_id", "facilities_held", "customer_limits", "customer_utilised",
                "group_existing", "group_limit"]


def cell(value):
    return "" if value is None else value


def setup(mode_work):
    policies, refs = os.path.join(mode_work, "policies"), os.path.join(mode_work, "refs")
    for d in (policies, refs):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    shutil.copy(os.path.join(src, "policies", "group-exposure-v1.credo"), policies)
    for f in ("ledger.csv", "group-limits.csv", "watch-list.csv"):
        shutil.copy(os.path.join(DATA, f), refs)
    return policies, refs


def ref_options(refs, watch_list=True):
    options = ["--ref", f"facilities={refs}/ledger.csv", "--ref", f"group_facilities={refs}/ledger.csv",
               "--ref", f"group_exposure.group_limits={refs}/group-limits.csv"]
    return options + (["--ref", f"watch_list={refs}/watch-list.csv"] if watch_list else [])


def credo_run(refs, mode_work):
    out, rej, refrej = (os.path.join(mode_work, n) for n in ("out.csv", "rej.csv", "refrej.csv"))
    options = [o.replace("group_exposure.", "") for o in ref_options(refs)]
    subprocess.run([credo, "run", os.path.join(src, "policies", "group-exposure-v1.credo"), "--in",
                    os.path.join(DATA, "input.csv"), "--out", out, "--rejects", rej, "--ref-rejects", refrej, *options],
                   check=True, stderr=subprocess.DEVNULL)
    with open(out) as o, open(rej) as r:
        return {row["request_id"]: row for row in csv.DictReader(o)}, list(csv.DictReader(r))


def records():
    """Each well-formed input record as JSON text (amount as a JSON number when it is one)."""
    out = []
    with open(os.path.join(DATA, "input.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if None in row or None in row.values():
                continue
            amount = row["amount"]
            if amount and not amount.replace(".", "", 1).isdigit():
                continue  # no JSON number ("1,000.00"): the CSV's own reject
            fields = {k: v for k, v in row.items() if k != "amount" and v != ""}
            text = json.dumps(fields)[:-1] + (f',"amount":{amount}' if amount else "") + "}"
            out.append((row, text))
    return out


def run(mode):
    mode_work = os.path.join(work, mode)
    os.makedirs(mode_work, exist_ok=True)
    policies, refs = setup(mode_work)
    expected, rejects = credo_run(refs, mode_work)
    # (a repeated `unique` key is a batch's reject: each request here is a record alone)
    rejected = {r["request_id"]: r for r in rejects if not r["reason"].startswith("duplicate:")}
    rows = records()
    group_size = Counter(row["group_id"] for row, _ in rows)

    with Server(credo, policies, mode_work, "--watch", mode, "--ref-bad-rows", "set-aside", *ref_options(refs)) as s:
        status, _, body = s.get("/v1/policies/group_exposure")
        check(status == 200, f"{mode}: describe: {status} {body}")
        refs_loaded = {r["name"]: r for r in body.get("references", [])}
        check(list(refs_loaded) == ["facilities", "group_facilities", "group_limits", "watch_list"],
              f"{mode}: references described: {body.get('references')}")
        check(refs_loaded.get("group_limits", {}).get("file") == f"{refs}/group-limits.csv",
              f"{mode}: POLICY.NAME=FILE: {refs_loaded.get('group_limits')}")
        check(refs_loaded.get("facilities", {}).get("set_aside") == 7, f"{mode}: rows set aside: {refs_loaded}")
        check("reference facilities line 318 (key 'CX-2') set aside: out_of_range:limit" in s.stderr(),
              f"{mode}: set-aside rows are on stderr: {s.stderr()[-2000:]}")

        conn = s.connection()
        compared = whole = 0
        seen = set()
        for row, record in rows:
            rid = row["request_id"]
            if rid in seen or rejected.get(rid, {}).get("reason", "").startswith(("bad_quote", "column_count:")):
                continue  # a repeated `unique` key (only a batch knows it is one), a line the CSV reader refuses
            seen.add(rid)
            status, _, body = s.post(EVAL, record, conn=conn, exact=True)
            if rid in rejected and rejected[rid]["reason"].startswith("missing:"):
                check(status == 422 and body["error"]["code"] == "missing_field", f"{mode} {rid}: {status} {body}")
            elif rid in rejected:
                want = rejected[rid]
                check(status == 200 and body["outcome"] == "rejected" and body["reason"] == want["reason"]
                      and body["detail"] == want["detail"], f"{mode} {rid}: rejected as credo run does: {body} {want}")
            else:
                got = {k: cell(v) for k, v in body.get("outputs", {}).items()}
                want = expected[rid]
                if group_size[row["group_id"]] == 1:
                    check(got == want, f"{mode} {rid}: outputs differ from credo run:\n  got  {got}\n  want {want}")
                    whole += 1
                else:
                    check({k: got.get(k) for k in RECORD_LEVEL} == {k: want[k] for k in RECORD_LEVEL},
                          f"{mode} {rid}: the lookups differ from credo run:\n  got  {got}\n  want {want}")
            compared += 1
        conn.close()
        check(compared >= 160 and whole >= 20, f"{mode}: compared {compared} records, {whole} whole rows")

        # A changed watch list is read again: a customer put on it is referred (R01).
        row, record = next((r, t) for r, t in rows if expected.get(r["request_id"], {}).get("decision") == "APPROVE"
                           and group_size[r["group_id"]] == 1)
        with open(os.path.join(refs, "watch-list.csv")) as f:
            watch = f.read()
        replace_file(os.path.join(refs, "watch-list.csv"), watch + f"{row['customer_id']},new review\n")

        def referred():
            _, _, b = s.post(EVAL, record)
            return b.get("outputs", {}).get("decision") == "REFER" and b["outputs"].get("reason") == "R01"
        wait_for(f"{mode}: the new watch list", referred)
        check("(its reference data changed)" in s.stderr(), f"{mode}: the reload says why: {s.stderr()[-1500:]}")

        # A watch list without its `reason` column is refused: the previous data keeps serving.
        replace_file(os.path.join(refs, "watch-list.csv"), "customer_id\nC1\n")

        def refused():
            _, _, b = s.get("/v1/policies")
            p = next((p for p in b["policies"] if p["name"] == "group_exposure"), None)
            return p is not None and p["last_error"] is not None and "has no column 'reason'" in p["last_error"]["message"]
        wait_for(f"{mode}: the refused watch list", refused)
        check(referred(), f"{mode}: the previous reference data keeps serving")

    # A reference not given: the policy is not loaded, and the error says how to give it.
    with Server(credo, policies, mode_work, "--watch", "off", *ref_options(refs, watch_list=False)) as s:
        _, _, body = s.get("/v1/policies")
        messages = [f["last_error"]["message"] for f in body["not_loaded"]]
        check(messages == ["policy group_exposure reads reference data 'watch_list': give it with --ref "
                           "watch_list=FILE (or --ref group_exposure.watch_list=FILE)"], f"{mode}: not loaded: {messages}")
    # Bad rows not set aside (the default): refused, naming the row.
    with Server(credo, policies, mode_work, "--watch", "off", *ref_options(refs)) as s:
        _, _, body = s.get("/v1/policies")
        messages = [f["last_error"]["message"] for f in body["not_loaded"]]
        check(len(messages) == 1 and "line 318: out_of_range:limit" in messages[0], f"{mode}: bad rows: {messages}")


for mode in ("inotify", "poll"):
    run(mode)

# Option errors.
p = subprocess.run([credo, "serve", "--policies", work, "--ref", "watch_list"], capture_output=True, text=True)
check(p.returncode == 2 and "give the reference's name and a file" in p.stderr, f"--ref without a file: {p.stderr}")
p = subprocess.run([credo, "serve", "--policies", work, "--ref", "x=/no/such/file.csv"], capture_output=True, text=True)
check(p.returncode == 3 and "--ref x=/no/such/file.csv: not a readable file" in p.stderr, f"--ref missing file: {p.stderr}")
p = subprocess.run([credo, "serve", "--policies", work, "--ref-bad-rows", "skip"], capture_output=True, text=True)
check(p.returncode == 2 and "--ref-bad-rows needs refuse or set-aside" in p.stderr, f"--ref-bad-rows: {p.stderr}")
finish()
