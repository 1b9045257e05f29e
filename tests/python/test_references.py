"""ctest python.references: reference data through the Python module, against `credo run --ref`.

    PYTHONPATH=build/python python3 tests/python/test_references.py CREDO SOURCE_DIR WORK_DIR

policies/group-exposure-v1 with its ledger, group limits and watch list given as files, CSV
text, bytes, DataFrames and JSON Lines, on both engines: the outputs, the rejects with their
detail texts and the reference rows set aside equal credo run's; then a record alone, explain,
the description, credo.dask with reference data, and the errors.
"""

import csv
import io
import os
import subprocess
import sys

import pandas as pd

import credo

CREDO, SRC, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
POLICY = os.path.join(SRC, "policies/group-exposure-v1.credo")
DIR = os.path.join(SRC, "tests/policies/group-exposure-v1")
FILES = {"facilities": "ledger.csv", "group_facilities": "ledger.csv", "group_limits": "group-limits.csv",
         "watch_list": "watch-list.csv"}
FILES = {name: os.path.join(DIR, f) for name, f in FILES.items()}
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def read(path):
    with open(path, newline="") as f:
        return f.read()


def credo_run(engine):
    out, rej, refrej = (os.path.join(WORK, f"{engine}.{n}.csv") for n in ("out", "rej", "refrej"))
    refs = [a for name, f in FILES.items() for a in ("--ref", f"{name}={f}")]
    subprocess.run([CREDO, "run", POLICY, f"--engine={engine}", "--in", os.path.join(DIR, "input.csv"), "--out", out,
                    "--rejects", rej, "--ref-rejects", refrej, *refs], check=True, stderr=subprocess.DEVNULL)
    return read(out), list(csv.reader(io.StringIO(read(rej))))[1:], read(refrej)


# The input as pandas reads it; the rows it cannot split (a bad quote, a wrong count of cells)
# are credo run's CSV-level rejects, which the module never sees.
refused = []
df = pd.read_csv(os.path.join(DIR, "input.csv"), dtype=str, keep_default_na=False, engine="python",
                 on_bad_lines=lambda fields: refused.append(fields))
lines = []  # per row of df: its line in the file
with open(os.path.join(DIR, "input.csv"), newline="") as f:
    reader = csv.reader(f)
    width = len(next(reader))
    for row in reader:
        if len(row) == width:
            lines.append(reader.line_num)
lines = lines[:len(df)]


def module_rejects(rejects):
    """The module's rejects as credo run's rows (id, reason, detail), a duplicate's first "row N"
    named by its line (the rows before the first malformed one have the lines `lines` says)."""
    out = []
    for rid, reason, detail in zip(rejects["id"], rejects["reason"], rejects["detail"]):
        at = detail.find(" on row ")
        if at >= 0:
            detail = f"{detail[:at]} on line {lines[int(detail[at + 8:])]}"
        out.append([rid, reason, detail])
    return out


def reference_rejects(policy, leave_out=()):
    """The rows set aside as --ref-rejects writes them, less the lines in `leave_out`."""
    return [[r, str(line), k, why] for r, line, k, why in policy.reference_rejects.itertuples(index=False)
            if str(line) not in leave_out]


ledger_df = pd.read_csv(FILES["facilities"], dtype=str, keep_default_na=False)
ways = {
    "files": dict(FILES),
    "csv text": {name: read(f) for name, f in FILES.items()},
    "bytes": {name: read(f).encode() for name, f in FILES.items()},
    "data frames": {name: pd.read_csv(f, dtype=str, keep_default_na=False) for name, f in FILES.items()},
}
for engine in ("interp", "jit"):
    run_out, run_rej, run_refrej = credo_run(engine)
    csv_level = ("bad_quote", "column_count:")  # rows pandas leaves out
    run_rej = [r[1:] for r in run_rej if not r[2].startswith(csv_level)]
    run_refrej = list(csv.reader(io.StringIO(run_refrej)))[1:]
    # A DataFrame has no short row: pandas fills the cells a short line lacks.
    short = {line for _, line, _, why in run_refrej if why.startswith("column_count:")}
    for way, refs in ways.items():
        policy = credo.compile(POLICY, engine="jit" if engine == "jit" else "interpreter", references=refs,
                               set_aside_bad_rows=True)
        outputs, rejects = policy.evaluate(df)
        check(credo.to_csv(outputs) == run_out, f"{engine}, {way}: outputs equal credo run's")
        got = module_rejects(rejects)
        check(got == run_rej, f"{engine}, {way}: rejects and their details equal credo run's:\n{got}\n{run_rej}")
        leave_out = short if way == "data frames" else ()
        want = [r for r in run_refrej if r[1] not in leave_out]
        check(reference_rejects(policy, leave_out) == want,
              f"{engine}, {way}: reference rows set aside equal --ref-rejects:\n{reference_rejects(policy)}")

# JSON Lines text, and a DataFrame with other types (ints, None) read through str().
policy = credo.compile(POLICY, references={**FILES, "watch_list": credo.JsonLines(
    '{"customer_id":"C000-1","reason":"fraud review"}\n')}, set_aside_bad_rows=True)
check(policy.references[3]["rows"] == 1, f"JSON Lines watch list: {policy.references[3]}")
frame = pd.DataFrame({"customer_id": ["C000-1", "C000-2"], "reason": ["fraud review", None]})
policy = credo.compile(POLICY, references={**FILES, "watch_list": frame}, set_aside_bad_rows=True)
check(policy.references[3]["rows"] == 2 and policy.references[3]["rejected"] == 1,
      f"a None cell is missing (a required field: set aside): {policy.references[3]}")

# A record alone, and explain, read the data; the description lists the references.
policy = credo.compile(POLICY, references=FILES, set_aside_bad_rows=True)
one = policy.evaluate_one({"request_id": "Q1", "customer_id": "C000-1", "group_id": "G000", "grade": "A",
                           "amount": "1000.00"})
check(one["outcome"] == "accepted" and one["outputs"]["facilities_held"] > 0, f"one record: {one}")
text = policy.explain({"request_id": "Q1", "customer_id": "C000-1", "group_id": "G000", "grade": "A",
                       "amount": "1000.00"}, format="text")
check("group_limits[group_id].limit = 2800000.00" in text, f"explain shows the lookups: {text[:2000]}")
names = [r["name"] for r in policy.references]
check(names == ["facilities", "group_facilities", "group_limits", "watch_list"], f"references: {names}")
check(policy.references[0]["many"] and policy.references[0]["key"] == "customer_id", f"{policy.references[0]}")

# credo.dask ships the reference data with the policy.
try:
    import dask
    import dask.dataframe as dd
    import credo.dask
    unique = df.drop_duplicates(subset="request_id")  # credo.dask refuses a unique key split across partitions
    ddf = dd.from_pandas(unique, npartitions=3)
    outputs, rejects = dask.compute(*credo.dask.evaluate(ddf, policy))
    want, _ = policy.evaluate(unique)
    got = outputs.sort_values(["input_partition", "input_row"]).drop(columns=["input_partition", "input_row"])
    check(credo.to_csv(got.reset_index(drop=True)) == credo.to_csv(want.reset_index(drop=True)),
          "credo.dask with reference data gives the module's outputs")
except ImportError:
    print("dask not installed: credo.dask not checked")


# Errors.
def refused_with(words, **kwargs):
    try:
        credo.compile(POLICY, **kwargs)
    except credo.ReferenceDataError as e:
        check(words in str(e), f"error says {words!r}: {e}")
        check(isinstance(e, credo.CompileError), "ReferenceDataError is a CompileError")
        return
    check(False, f"no ReferenceDataError for {kwargs}")


some = {k: v for k, v in FILES.items() if k != "watch_list"}
refused_with("the policy reads reference data 'watch_list', which was not given", references=some)
refused_with("the policy has no reference 'ledger'", references={**FILES, "ledger": FILES["facilities"]})
refused_with("line ", references=FILES)  # a bad row, not set aside
refused_with("set bad reference rows aside", references=FILES)
refused_with("cannot read", references={**FILES, "watch_list": os.path.join(WORK, "none.csv")}, set_aside_bad_rows=True)
refused_with("has no column 'reason'", references={**FILES, "watch_list": "customer_id\nC1\n"},
             set_aside_bad_rows=True)
try:
    credo.compile(POLICY, references={**FILES, "watch_list": 42})
    check(False, "a number is no reference data")
except TypeError as e:
    check("watch_list" in str(e), f"type error names the reference: {e}")

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("all Python reference checks passed")
