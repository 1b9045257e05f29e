"""serve.endpoints: every endpoint of `credo serve` answers as docs/serve.md says, and single
records over HTTP get exactly the outputs `credo run` gives (the SME portfolio's ungrouped rows,
numbers compared as text)."""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import SME_RECORD, Server, arm_alarm, check, copy_policies, finish, sme_records  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(120)
policies = copy_policies(src, work)


def cell(value):
    """A JSON output value (numbers as text) as `credo run` writes the CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


with open(os.path.join(src, "examples", "sme-portfolio.expected.csv")) as f:
    expected = {row["customer_id"]: row for row in csv.DictReader(f)}
with open(os.path.join(src, "examples", "sme-portfolio.rejects.csv")) as f:
    rejected = {row["customer_id"]: row["reason"] for row in csv.DictReader(f)}

with Server(credo, policies, work, "--threads", "2") as s:
    status, _, body = s.get("/healthz")
    check(status == 200 and body == {"status": "ok", "policies_loaded": 7}, f"healthz: {status} {body}")

    status, _, body = s.get("/v1/policies")
    names = sorted(p["name"] for p in body["policies"])
    check(status == 200 and len(names) == 7 and "sme_credit" in names, f"policies: {names}")
    sme = next(p for p in body["policies"] if p["name"] == "sme_credit")
    for key in ("version", "hash", "file", "loaded_at", "engine", "title"):
        check(sme.get(key), f"policy list has no {key}: {sme}")
    check(sme["last_error"] is None and body["not_loaded"] == [], f"no errors expected: {body}")

    status, _, body = s.get("/v1/policies/sme_credit")
    check(status == 200 and body["hash"] == sme["hash"], f"describe: {status}")
    inputs = {i["name"]: i for i in body["inputs"]}
    check(inputs["revenue"]["type"] == "money" and "industry" in inputs, f"inputs: {list(inputs)}")
    check(any(o["name"] == "decision" for o in body["outputs"]), "describe lists outputs")

    # One record at a time, on one keep-alive connection, against credo run's files.
    conn = s.connection()
    compared = 0
    for row, record in sme_records(src, limit=600, require=lambda r: r["group_id"] == ""):
        status, headers, body = s.post("/v1/policies/sme_credit/evaluate", record, conn=conn, exact=True)
        cid = row["customer_id"]
        if cid in rejected and rejected[cid].startswith("missing:"):
            field = rejected[cid].split(":", 1)[1]
            check(status == 422 and body["error"]["code"] == "missing_field" and body["error"]["field"] == field,
                  f"{cid}: a missing required field is a 422 naming it: {status} {body}")
        elif cid in rejected:
            check(status == 200 and body["outcome"] == "rejected" and body["reason"] == rejected[cid]
                  and body["detail"], f"{cid}: rejected as credo run does: {status} {body}")
        else:
            want = expected[cid]
            got = {k: cell(v) for k, v in body.get("outputs", {}).items()}
            check(status == 200 and body["outcome"] == "accepted" and got == want,
                  f"{cid}: outputs differ from credo run:\n  got  {got}\n  want {want}")
        check(body.get("policy", "sme_credit") == "sme_credit" or status != 200, "reply names its policy")
        compared += 1
    conn.close()
    check(compared >= 500, f"compared only {compared} records")

    # An array: one result per record, in order; one version for all.
    batch = [r for _, r in sme_records(src, limit=50, require=lambda r: r["group_id"] == "" and
                                       r["customer_id"] not in rejected)]
    status, _, body = s.post("/v1/policies/sme_credit/evaluate", "[" + ",".join(batch) + "]", exact=True)
    check(status == 200 and len(body["results"]) == 50 and body["version"] == "1.0", f"array: {status}")
    check([r["outputs"]["customer_id"] for r in body["results"]] ==
          [json.loads(r)["customer_id"] for r in batch], "array results are in request order")

    # Request ids: the client's, or a fresh one; trace adds what fired.
    status, headers, body = s.post("/v1/policies/sme_credit/evaluate", SME_RECORD, headers={"X-Request-Id": "abc-1"})
    check(body["request_id"] == "abc-1" and headers.get("X-Request-Id") == "abc-1", f"request id: {body}")
    check("fired" not in body, "no trace unless asked")
    status, _, other = s.post("/v1/policies/sme_credit/evaluate", SME_RECORD)
    check(other["request_id"] and other["request_id"] != "abc-1", "a generated request id")
    status, _, traced = s.post("/v1/policies/sme_credit/evaluate?trace=true", SME_RECORD)
    kinds = {f["kind"] for f in traced.get("fired", [])}
    check(status == 200 and "decision" in kinds and "reason" in kinds, f"trace: {traced.get('fired')}")
    check(traced["outputs"] == body["outputs"], "trace changes no output")

    # Explain: the credo.explain/1 document of the record.
    status, _, body = s.post("/v1/policies/sme_credit/explain", SME_RECORD)
    check(status == 200 and body["explanation"]["schema"] == "credo.explain/1" and body["version"] == "1.0",
          f"explain: {status} {str(body)[:200]}")
    check(body["explanation"]["policy"]["hash"] == sme["hash"], "explain names the hash")

    # Other policies answer too.
    status, _, body = s.post("/v1/policies/retail_card/evaluate", "{}")
    check(status in (200, 422), f"retail_card answers: {status} {body}")

    # Metrics: Prometheus text with requests by route and status, latency histogram, decisions
    # by outcome, reloads, policies loaded.
    status, headers, text = s.get("/metrics")
    check(status == 200 and headers["Content-Type"].startswith("text/plain"), f"metrics: {status} {headers}")
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    check(samples.get('credo_http_requests_total{route="evaluate",status="200"}', 0) >= 300,
          "evaluate 200s are counted")
    check(samples.get('credo_http_requests_total{route="evaluate",status="422"}', 0) >= 1, "422s are counted")
    check(samples.get('credo_decisions_total{policy="sme_credit",outcome="APPROVE"}', 0) >= 1, "APPROVE counted")
    check(samples.get('credo_decisions_total{policy="sme_credit",outcome="rejected"}', 0) >= 1, "rejects counted")
    check(samples.get('credo_http_request_duration_seconds_bucket{route="evaluate",le="+Inf"}') ==
          samples.get('credo_http_request_duration_seconds_count{route="evaluate"}'), "histogram count = +Inf bucket")
    check(samples.get("credo_policies_loaded") == 7, "policies loaded gauge")
    check(samples.get("credo_policy_reloads_total") == 0 and samples.get("credo_policy_reload_failures_total") == 0,
          "no reloads yet")
    check(s.terminate() == 0, "SIGTERM stops the server with exit 0")
finish()
