"""serve.bad_requests: every kind of bad request gets a 4xx with a JSON error naming the field,
bad options are refused with exit 2, and the server is still healthy afterwards."""
import os
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from serve_lib import SME_RECORD, Server, arm_alarm, check, copy_policies, finish  # noqa: E402

credo, src, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
arm_alarm(120)
policies = copy_policies(src, work)

# Options out of bounds are refused before anything starts.
for args, text in [(["--threads", "0"], "--threads"), (["--threads", "257"], "--threads"),
                   (["--max-body", "10"], "--max-body"), (["--max-records", "0"], "--max-records"),
                   (["--listen", "127.0.0.1"], "--listen"), (["--listen", "127.0.0.1:70000"], "--listen"),
                   (["--engine", "fast"], "--engine"), (["--watch", "sometimes"], "--watch"),
                   (["--log-queue", "0"], "--log-queue"), (["--bogus"], "unknown option")]:
    r = subprocess.run([credo, "serve", "--policies", policies, *args], capture_output=True, text=True, timeout=30)
    check(r.returncode == 2 and text in r.stderr, f"serve {args}: exit {r.returncode} {r.stderr[:200]}")
r = subprocess.run([credo, "serve"], capture_output=True, text=True, timeout=30)
check(r.returncode == 2 and "--policies" in r.stderr, f"serve without --policies: {r.returncode}")
r = subprocess.run([credo, "serve", "--policies", os.path.join(work, "nowhere")], capture_output=True, text=True,
                   timeout=30)
check(r.returncode == 3 and "not a folder" in r.stderr, f"serve on a missing folder: {r.returncode} {r.stderr}")
r = subprocess.run([credo, "serve", "--help"], capture_output=True, text=True, timeout=30)
check(r.returncode == 0 and "POST /v1/policies/NAME/evaluate" in r.stdout, "serve --help")

EVAL = "/v1/policies/sme_credit/evaluate"


def expect_error(status, code, field, method, path, body=None, headers=None, s=None):
    got, _, reply = s.request(method, path, body, headers)
    error = reply.get("error", {}) if isinstance(reply, dict) else {}
    ok = check(got == status and error.get("code") == code and error.get("message"),
               f"{method} {path} {str(body)[:60]!r}: {got} {reply}, want {status} {code}")
    if ok and field is not None:
        check(error.get("field") == field, f"{code}: field {error.get('field')!r}, want {field!r}")


with Server(credo, policies, work, "--max-body", "4096", "--max-records", "5", "--threads", "2") as s:
    e = lambda *a, **k: expect_error(*a, s=s, **k)  # noqa: E731
    e(400, "malformed_json", None, "POST", EVAL, '{"customer_id": "C1", "revenue": 12')
    e(400, "malformed_json", None, "POST", EVAL, '{"customer_id": "C1",}')
    e(400, "wrong_type", "revenue", "POST", EVAL, SME_RECORD.replace('"revenue":1908590.00', '"revenue":"lots"'))
    e(400, "wrong_type", "industry", "POST", EVAL, SME_RECORD.replace('"industry":"construction"', '"industry":7'))
    e(400, "wrong_type", "revenue", "POST", EVAL, SME_RECORD.replace('"revenue":1908590.00', '"revenue":{"a":1}'))
    e(400, "unknown_field", "revnue", "POST", EVAL, SME_RECORD.replace('"revenue"', '"revnue"'))
    e(400, "duplicate_field", "bureau_score", "POST", EVAL, SME_RECORD[:-1] + ',"bureau_score":700}')
    e(422, "missing_field", "revenue", "POST", EVAL, SME_RECORD.replace('"revenue":1908590.00,', ''))
    e(422, "missing_field", "revenue", "POST", EVAL, SME_RECORD.replace('"revenue":1908590.00', '"revenue":null'))
    e(400, "not_an_object", None, "POST", EVAL, '42')
    e(400, "not_an_object", None, "POST", EVAL, '[1, 2]')
    e(400, "empty_body", None, "POST", EVAL, '')
    # In an array, one bad record fails the request and names its index.
    bad = SME_RECORD.replace('"revenue"', '"revnue"')
    got, _, reply = s.post(EVAL, f"[{SME_RECORD},{bad}]")
    check(got == 400 and reply["error"]["field"] == "revnue" and "record 1" in reply["error"]["message"],
          f"array with a bad record: {got} {reply}")
    e(413, "too_many_records", None, "POST", EVAL, "[" + ",".join([SME_RECORD] * 6) + "]")
    e(413, "body_too_large", None, "POST", EVAL, '{"customer_id":"' + "x" * 5000 + '"}')
    e(404, "unknown_policy", None, "POST", "/v1/policies/no_such_policy/evaluate", SME_RECORD)
    e(404, "unknown_policy", None, "GET", "/v1/policies/no_such_policy")
    e(404, "not_found", None, "GET", "/v2/anything")
    e(405, "method_not_allowed", None, "GET", EVAL)
    e(405, "method_not_allowed", None, "DELETE", "/v1/policies")
    e(405, "method_not_allowed", None, "POST", "/healthz", "{}")
    e(415, "unsupported_media_type", None, "POST", EVAL, SME_RECORD, headers={"Content-Type": "text/csv"})
    e(400, "wrong_type", "customer_id", "POST", "/v1/policies/sme_credit/explain",
      SME_RECORD.replace('"customer_id":"C0000001"', '"customer_id":5'))
    e(400, "not_an_object", None, "POST", "/v1/policies/sme_credit/explain", "[]")

    # Garbage that is not HTTP, and a connection dropped mid-body: nothing crashes.
    for junk in [b"\x00\x01\x02 not http\r\n\r\n", b"POST " + EVAL.encode() + b" HTTP/1.1\r\nContent-Length: 100\r\n"
                 b"Content-Type: application/json\r\n\r\n{\"customer_id\""]:
        with socket.create_connection(("127.0.0.1", s.port), timeout=10) as sock:
            sock.sendall(junk)
            sock.shutdown(socket.SHUT_WR)
            try:
                sock.recv(4096)
            except OSError:
                pass
    got, _, reply = s.post(EVAL, SME_RECORD)
    check(got == 200 and reply["outcome"] == "accepted", f"still serving after bad requests: {got}")
    got, _, text = s.get("/metrics")
    check('route="evaluate",status="400"' in text and 'route="other",status="404"' in text,
          "bad requests are counted by status")
    check(s.proc.poll() is None, "the server is still running")
    check(s.terminate() == 0, "SIGTERM: exit 0")
finish()
