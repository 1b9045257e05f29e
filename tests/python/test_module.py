"""ctest python.module: the Python module against `credo run`, with the system Python.

    PYTHONPATH=build/python python3 tests/python/test_module.py CREDO SOURCE_DIR WORK_DIR

Every record of examples/sme-portfolio.csv through evaluate() gives credo run's outputs (as CSV
text) and rejects; typed columns give the same as text ones; evaluate_one, explain, the errors,
and evaluation from two Python threads at once with the GIL released.
"""

import csv
import decimal
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pandas as pd

import credo

CREDO, SRC, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
SME = os.path.join(SRC, "policies/sme-credit-v1.credo")
SME_CSV = os.path.join(SRC, "examples/sme-portfolio.csv")
ACCOUNTS = os.path.join(SRC, "policies/account-review-v1.credo")
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def credo_run(policy, csv_path, name, fields=3):
    """credo run's output text, and its rejects' first `fields` columns (line, id, reason, detail)."""
    out, rej = os.path.join(WORK, name + ".out.csv"), os.path.join(WORK, name + ".rejects.csv")
    subprocess.run([CREDO, "run", policy, "--in", csv_path, "--out", out, "--rejects", rej], check=True,
                   stdout=subprocess.DEVNULL)
    with open(out) as o, open(rej, newline="") as r:
        return o.read(), "".join(",".join(row[:fields]) + "\n" for row in csv.reader(r))


def run_detail(detail, line_of_row):
    """A module reject's detail as credo run words it: a repeated key's first "row N" is a line."""
    at = detail.find(" on row ")
    return detail if at < 0 else f"{detail[:at]} on line {line_of_row(int(detail[at + 8:]))}"


def record_lines(csv_path):
    """id → line of each record (csv module), and the records pandas cannot split into the header's columns."""
    lines, bad = {}, []
    with open(csv_path, newline="") as f:
        reader = csv.reader(f)
        width = len(next(reader))
        for row in reader:
            lines[row[0]] = reader.line_num
            if len(row) != width:
                bad.append((reader.line_num, row[0], f"column_count:{len(row)}"))
    return lines, bad


def rejects_csv(policy, rejects, lines, bad):
    """Our rejects plus the rows pandas refused, as credo run writes rejects.csv."""
    rows = [(lines[i], i, r) for i, r in zip(rejects["id"], rejects["reason"])] + bad
    id_name = policy.inputs[0][0]
    return f"line,{id_name},reason\n" + "".join(f"{line},{i},{r}\n" for line, i, r in sorted(rows))


# ---- the SME portfolio, every record, text columns -----------------------------------------------
sme = credo.compile(SME)
check(sme.name == "sme_credit" and sme.version == "1.0" and len(sme.hash) == 16, f"describe: {sme!r}")
check(sme.inputs[0] == ("customer_id", "string") and ("revenue", "money") in sme.inputs, f"inputs: {sme.inputs}")
check([n for n, _ in sme.outputs][:4] == ["customer_id", "score", "grade", "decision"], f"outputs: {sme.outputs}")
check(sme.group_key == "group_id", f"group key: {sme.group_key}")

expected_out, expected_rej = credo_run(SME, SME_CSV, "sme")
lines, bad = record_lines(SME_CSV)
refused = []
df = pd.read_csv(SME_CSV, dtype=str, keep_default_na=False, engine="python",
                 on_bad_lines=lambda fields: refused.append(fields))
outputs, rejects = sme.evaluate(df)
check(credo.to_csv(outputs) == expected_out, "sme: outputs equal credo run's, as CSV")
check(rejects_csv(sme, rejects, lines, bad) == expected_rej, "sme: rejects equal credo run's")
check([f[0] for f in refused] == [b[1] for b in bad], f"pandas refused exactly the column_count rows: {refused}")
check(len(df) == len(outputs) + len(rejects), "rows in = outputs + rejects")
check(list(outputs.index) == [i for i in df.index if i not in set(rejects.index)], "outputs keep the input's index")
check(list(outputs.columns) == [n for n, _ in sme.outputs], "output columns in output order")
check(isinstance(outputs["max_limit"].iloc[0], decimal.Decimal), "money is decimal.Decimal")
check(str(outputs["score"].dtype) == "Int64", f"ints are Int64, not {outputs['score'].dtype}")
check(rejects.columns.tolist() == ["row", "id", "reason", "detail", "field"], f"reject columns {rejects.columns}")
bureau = rejects[rejects["reason"] == "out_of_range:bureau_score"]
check(len(bureau) == 1 and bureau["field"].iloc[0] == "bureau_score" and "bureau_score" in bureau["detail"].iloc[0],
      f"reject detail and field: {bureau.to_dict('records')}")

# Another index and another column order, extra columns: the same outputs, indexed like the input.
shuffled = df.iloc[::-1][list(reversed(df.columns))].assign(note="ignored")
shuffled.index = [f"r{i}" for i in range(len(shuffled))]
out2, rej2 = sme.evaluate(shuffled)
check(sorted(credo.to_csv(out2).splitlines()) == sorted(expected_out.splitlines()),
      "row order, column order, index and extra columns do not matter (group pass included)")
check(out2.index[0] == "r0" or out2.index[0] in set(shuffled.index), "outputs indexed by the input's labels")
check(set(rej2.index) <= set(shuffled.index), "rejects indexed by the input's labels")

# Threads inside one call: the same result.
out4, rej4 = sme.evaluate(df, threads=2)
check(credo.to_csv(out4) == expected_out and rej4["reason"].tolist() == rejects["reason"].tolist(), "threads=2")

# ---- typed columns: what pd.read_csv infers, and explicit types -----------------------------------
typed = pd.read_csv(SME_CSV, engine="python", on_bad_lines="skip")
check(typed["bureau_score"].dtype == "float64" and typed["defaults_24m"].dtype == "int64", "inferred dtypes")
out_t, rej_t = sme.evaluate(typed)
check(credo.to_csv(out_t) == expected_out, "typed (inferred) columns: the same outputs")
# pandas reads C0002047's revenue "1e3" as 1000.0, where credo reads the text as unparsable: that
# row then gets the reason its revenue as "1000" gives.
as_read = df[df["customer_id"] == "C0002047"].assign(revenue="1000")
expected_reasons = rejects["reason"].where(rejects["id"] != "C0002047", sme.evaluate(as_read)[1]["reason"].iloc[0])
check(rej_t["reason"].tolist() == expected_reasons.tolist(), f"typed (inferred) columns: the same reject reasons")

clean = df[~df.index.isin(rejects.index)]
explicit = pd.DataFrame({
    "customer_id": clean["customer_id"].astype("string"),
    "group_id": clean["group_id"].where(clean["group_id"] != "", None),
    "industry": clean["industry"].astype("category"),
    "years_in_business": pd.array([int(v) if v else None for v in clean["years_in_business"]], dtype="Int64"),
    "bureau_score": pd.array([int(v) if v else None for v in clean["bureau_score"]], dtype="Int64"),
    **{c: clean[c].map(lambda s: decimal.Decimal(s) if s else None) for c in
       ["revenue", "net_income", "current_assets", "current_liabilities", "total_assets", "total_liabilities",
        "operating_cash_flow", "interest_expense", "requested_amount"]},
    "max_days_past_due_12m": clean["max_days_past_due_12m"].astype("int64"),
    "defaults_24m": clean["defaults_24m"].astype("int32"),
    "existing_exposure": clean["existing_exposure"].astype("float64"),
})
out_e, rej_e = sme.evaluate(explicit)
check(len(rej_e) == 0 and credo.to_csv(out_e) == expected_out,
      "explicit dtypes (string, category, int64, Int64, Decimal, float64, int32): the same outputs")

# Dates, bools and a unique key: account-review over the rows pandas reads as the CSV does.
accounts = credo.compile(ACCOUNTS)
clean_path = os.path.join(WORK, "accounts-clean.csv")
with open(os.path.join(SRC, "tests/policies/account-review-v1/input.csv"), newline="") as f, \
        open(clean_path, "w", newline="") as out:
    rows = list(csv.reader(f))
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        if len(row) == len(rows[0]) and not any(c in cell for cell in row for c in '"\r\n'):
            writer.writerow(row)
acc_out, acc_rej = credo_run(ACCOUNTS, clean_path, "accounts", fields=4)
acc_lines, _ = record_lines(clean_path)
acc_text = pd.read_csv(clean_path, dtype=str, keep_default_na=False)
o, r = accounts.evaluate(acc_text)
check(credo.to_csv(o) == acc_out, "account-review: outputs equal credo run's")
# (the csv module joined without quoting, as the run's rows were read above)
by_line = sorted(zip(r["row"] + 2, r["id"], r["reason"], (run_detail(d, lambda row: row + 2) for d in r["detail"])))
check("line,account_id,reason,detail\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in by_line) == acc_rej,
      "account-review: rejects (row + 2 is the line) equal credo run's, their detail texts and duplicates included")
acc_ok = acc_text[~acc_text.index.isin(r.index)].copy()  # the accepted rows: the same groups, no duplicates
for c in ["review_date", "opened_date"]:
    acc_ok[c] = pd.to_datetime(acc_ok[c])
truth = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "1": True, "0": False}
acc_ok["watch_list"] = acc_ok["watch_list"].str.lower().map(truth)  # docs/language.md: how credo reads bools
acc_ok["days_past_due"] = acc_ok["days_past_due"].astype("int64")
acc_ok["bureau_score"] = pd.array([int(v) if v else None for v in acc_ok["bureau_score"]], dtype="Int64")
check(str(acc_ok["review_date"].dtype).startswith("datetime64") and acc_ok["watch_list"].dtype == bool,
      f"typed account columns: {acc_ok.dtypes.to_dict()}")
o_t, r_t = accounts.evaluate(acc_ok)
check(len(r_t) == 0 and credo.to_csv(o_t) == credo.to_csv(o), "datetime64 dates, bool and int columns: the same outputs")
with_time = acc_ok.head(3).copy()
with_time["review_date"] = with_time["review_date"] + pd.Timedelta(hours=1)
_, r_time = accounts.evaluate(with_time)
check(r_time["reason"].tolist() == ["unparsable:review_date"] * 3, f"a time of day is not a date: {r_time['reason'].tolist()}")

# ---- one record ----------------------------------------------------------------------------------
for i in range(0, 60):
    record = {k: v for k, v in df.iloc[i].items()}
    one = sme.evaluate_one(record)
    label = df.index[i]
    if label in rejects.index:
        check(one == {"outcome": "rejected", "reason": rejects.loc[label, "reason"], "detail": rejects.loc[label, "detail"],
                      "field": rejects.loc[label, "field"]}, f"evaluate_one rejected row {i}: {one}")
    elif not record["group_id"]:  # a group member's outputs depend on its group; evaluate_one is a group of one
        expected = {k: (None if pd.isna(v) else v) for k, v in outputs.loc[label].items()}
        check(one == {"outcome": "accepted", "outputs": expected}, f"evaluate_one row {i}: {one} != {expected}")
typed_one = sme.evaluate_one({"customer_id": "X1", "industry": "retail", "years_in_business": 7, "revenue": 1_500_000,
                              "net_income": decimal.Decimal("120000.50"), "current_assets": 400000.25,
                              "current_liabilities": None, "total_assets": "900000", "total_liabilities": np.float64(300000),
                              "operating_cash_flow": 90000, "interest_expense": 1000, "bureau_score": np.int64(700),
                              "max_days_past_due_12m": 0, "defaults_24m": 0, "existing_exposure": 0,
                              "requested_amount": "100000.00"})
check(typed_one["outcome"] == "accepted" and typed_one["outputs"]["customer_id"] == "X1", f"typed record: {typed_one}")
missing = sme.evaluate_one({"customer_id": "X2"})
check(missing["outcome"] == "rejected" and missing["reason"].startswith("missing:"), f"missing fields: {missing}")
for bad_record, field in [({"customer_id": "X", "revnue": "1"}, "revnue"), ({"customer_id": 5}, "customer_id"),
                          ({"customer_id": "X", "revenue": object()}, "revenue"),
                          ({"customer_id": "X", "revenue": [1]}, "revenue")]:
    try:
        sme.evaluate_one(bad_record)
        check(False, f"{bad_record} is a bad request")
    except ValueError as e:
        check(field in str(e), f"the error names {field}: {e}")

# ---- explain -------------------------------------------------------------------------------------
record = {k: v for k, v in df.iloc[0].items()}
explained = sme.explain(record)
check(isinstance(explained, dict) and explained.get("schema") == "credo.explain/1", f"explain json: {list(explained)[:5]}")
text = sme.explain(record, format="text")
check(isinstance(text, str) and "decision" in text.lower(), "explain text")
try:
    sme.explain({"nope": 1})
    check(False, "explain of an unknown field")
except ValueError as e:
    check("nope" in str(e), f"explain error names the field: {e}")

# ---- errors --------------------------------------------------------------------------------------
try:
    credo.compile('policy broken version "1" "x"\n\ninput {\n  a: money\n}\noutput {\n  b: money = a + nosuch\n}\n',
                  name="broken.credo")
    check(False, "a policy that does not check raises CompileError")
except credo.CompileError as e:
    check(e.diagnostics and all({"code", "line", "column", "message", "severity"} <= set(d) for d in e.diagnostics),
          f"diagnostics as dicts: {e.diagnostics}")
    check("broken.credo:" in str(e) and "error[" in str(e), f"the message is the rendered text: {e}")
try:
    credo.compile(os.path.join(WORK, "no-such.credo"))
    check(False, "an unreadable file raises CompileError")
except credo.CompileError as e:
    check("no-such.credo" in str(e), f"unreadable file: {e}")
for call, what in [(lambda: sme.evaluate(df.drop(columns=["revenue"])), "revenue"),
                   (lambda: sme.evaluate(df, threads=1000), "threads"),
                   (lambda: sme.evaluate([1, 2]), "DataFrame"),
                   (lambda: credo.compile(SME, engine="fast"), "engine")]:
    try:
        call()
        check(False, f"refused: {what}")
    except (ValueError, TypeError) as e:
        check(what in str(e), f"the error says {what}: {e}")
empty_out, empty_rej = sme.evaluate(df.head(0))
check(len(empty_out) == 0 and len(empty_rej) == 0 and list(empty_out.columns) == [n for n, _ in sme.outputs], "empty frame")

# ---- two Python threads at once, the GIL released while the batch runs ---------------------------
big = pd.concat([df] * 8, ignore_index=True)
big["customer_id"] = big["customer_id"] + "-" + (big.index // len(df)).astype(str)
reference = credo.to_csv(sme.evaluate(big)[0])
results = [None, None]


def evaluate_in_thread(i):
    results[i] = credo.to_csv(sme.evaluate(big)[0])


threads = [threading.Thread(target=evaluate_in_thread, args=(i,)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check(results[0] == reference and results[1] == reference, "two threads evaluating at once get the same outputs")

# While one thread is inside the C++ batch, another keeps running Python: its longest stall must be
# well under the time the batch takes (with the GIL held it would be the whole batch).
typed_big = pd.concat([explicit] * 12, ignore_index=True)
for c in typed_big.columns:
    if typed_big[c].dtype == object:
        typed_big[c] = typed_big[c].map(lambda v: None if v is None else str(v))
start = time.perf_counter()
sme.evaluate(typed_big)
alone = time.perf_counter() - start
stalls, done = [], threading.Event()


def heartbeat():
    last = time.perf_counter()
    while not done.is_set():
        now = time.perf_counter()
        stalls.append(now - last)
        last = now


beat = threading.Thread(target=heartbeat)
sys.setswitchinterval(0.001)
beat.start()
start = time.perf_counter()
sme.evaluate(typed_big)
during = time.perf_counter() - start
done.set()
beat.join()
print(f"GIL: batch of {len(typed_big)} rows {alone * 1000:.0f} ms alone, {during * 1000:.0f} ms beside a Python "
      f"thread, whose longest stall was {max(stalls) * 1000:.1f} ms over {len(stalls)} beats")
check(max(stalls) < 0.5 * during, "a Python thread runs while the batch does (the GIL is released)")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("python.module: all checks passed")
