"""ctest python.dask: credo.dask on a LocalCluster of two worker processes equals `credo run`.

    PYTHONPATH=build/python python3 tests/python/test_dask.py CREDO SOURCE_DIR WORK_DIR

examples/sme-portfolio.csv is dealt round-robin into four CSV files, so that every corporate group
is split across partitions; credo.dask.evaluate must shuffle the groups whole and give, after
sorting by id, credo run's output byte for byte and its rejects, with rows in = outputs + rejects
(+ the one row pandas cannot split into the header's columns, which credo run rejects as
column_count). Exits 77 (skipped) when dask or distributed is not importable.
"""

import collections
import csv
import os
import subprocess
import sys

try:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster
except ImportError as e:
    print(f"SKIP: dask/distributed not importable ({e}); install python3-dask python3-distributed")
    sys.exit(77)

import credo
import credo.dask

PARTS = 4
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def sorted_by_id(csv_text):
    header, *rows = csv_text.splitlines(keepends=True)
    return header + "".join(sorted(rows, key=lambda line: line.split(",", 1)[0]))


def main():
    global CREDO, SRC, WORK, SME, SME_CSV
    CREDO, SRC, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    SME = os.path.join(SRC, "policies/sme-credit-v1.credo")
    SME_CSV = os.path.join(SRC, "examples/sme-portfolio.csv")
    out_path, rej_path = os.path.join(WORK, "sme.out.csv"), os.path.join(WORK, "sme.rejects.csv")
    subprocess.run([CREDO, "run", SME, "--in", SME_CSV, "--out", out_path, "--rejects", rej_path], check=True,
                   stdout=subprocess.DEVNULL)
    expected_out = open(out_path).read()
    expected_rejects = collections.Counter(tuple(r[1:3]) for r in list(csv.reader(open(rej_path)))[1:])

    # Deal the records round-robin into PARTS files; note where each group lands and the bad rows.
    with open(SME_CSV, newline="") as f:
        rows = list(csv.reader(f))
    header, records = rows[0], rows[1:]
    files = [os.path.join(WORK, f"part-{i}.csv") for i in range(PARTS)]
    parts = [[] for _ in files]
    for i, record in enumerate(records):
        parts[i % PARTS].append(record)
    for path, part in zip(files, parts):
        with open(path, "w", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(part)
    group_parts = collections.defaultdict(set)
    for p, part in enumerate(parts):
        for record in part:
            if len(record) == len(header) and record[1]:
                group_parts[record[1]].add(p)
    check(sum(len(s) > 1 for s in group_parts.values()) >= 10, "groups are split across the input partitions")
    refused = [(r[0], f"column_count:{len(r)}") for r in records if len(r) != len(header)]

    ddf = dd.read_csv(files, dtype=str, keep_default_na=False, blocksize=None, on_bad_lines="skip")
    check(ddf.npartitions == PARTS, f"{ddf.npartitions} partitions")

    cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                           host="127.0.0.1", silence_logs=40)
    try:
        with Client(cluster) as client:
            policy = credo.compile(SME)
            outputs, rejects = credo.dask.evaluate(ddf, policy)
            out, rej = dask.compute(outputs, rejects)
            columns = [name for name, _ in policy.outputs]
            got = credo.to_csv(out[columns].sort_values("customer_id", kind="stable"))
            check(got == sorted_by_id(expected_out), "outputs sorted by id equal credo run's byte for byte")
            got_rejects = collections.Counter(zip(rej["id"], rej["reason"])) + collections.Counter(refused)
            check(got_rejects == expected_rejects, f"rejects equal credo run's: {got_rejects} vs {expected_rejects}")
            check(len(records) == len(out) + len(rej) + len(refused),
                  f"rows in {len(records)} = outputs {len(out)} + rejects {len(rej)} + refused by pandas {len(refused)}")
            # The identity columns lead back to the input row.
            for frame in (out.head(50), rej):
                for part, row, ident in zip(frame["input_partition"], frame["input_row"],
                                            frame["customer_id"] if "customer_id" in frame else frame["id"]):
                    kept = [r for r in parts[part] if len(r) == len(header)]
                    check(kept[row][0] == ident, f"partition {part} row {row} is {kept[row][0]}, not {ident}")
            compiled = client.run(credo.dask.compiled_in_process)
            check(len(compiled) == 2 and all(c["compiles"] == 1 and c["hashes"] == [policy.hash]
                                             for c in compiled.values() if c["compiles"]),
                  f"each worker compiled the policy at most once: {compiled}")
            check(sum(c["compiles"] for c in compiled.values()) >= 1, "the workers compiled it")

            # A path and text work too; text that does not check fails on the client, before any work.
            o2, _ = dask.compute(*credo.dask.evaluate(ddf, SME))
            check(len(o2) == len(out), "evaluate with a path")
            try:
                credo.dask.evaluate(ddf, "policy x version \"1\" \"t\"\ninput { a: nosuch }\n")
                check(False, "a policy that does not check raises CompileError")
            except credo.CompileError as e:
                check("error[" in str(e), f"CompileError: {e}")
            accounts(policy_path=os.path.join(SRC, "policies/account-review-v1.credo"))
    finally:
        cluster.close()


def accounts(policy_path):
    """A policy with a group pass and a unique key (account-review): a duplicate account id in two
    partitions after the shuffle is refused; without duplicates the result equals credo run's."""
    with open(os.path.join(SRC, "tests/policies/account-review-v1/input.csv"), newline="") as f:
        header, *records = list(csv.reader(f))
    records = [r for r in records if len(r) == len(header) and not any(c in cell for cell in r for c in '"\r\n')]
    first = {}
    for r in records:
        first.setdefault(r[0], r)
    unique = [r for r in records if first[r[0]] is r]
    check(len(unique) < len(records), "the account data has duplicate account ids")

    def write(rows, name, parts):
        paths = [os.path.join(WORK, f"{name}-{i}.csv") for i in range(parts)]
        for i, path in enumerate(paths):
            with open(path, "w", newline="") as f:
                writer = csv.writer(f, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows[i::parts])
        return dd.read_csv(paths, dtype=str, keep_default_na=False, blocksize=None)

    try:
        credo.dask.evaluate(write(records, "accounts-dup", 3), policy_path)
        check(False, "duplicates of a unique key in two partitions are refused")
    except ValueError as e:
        check("account_id" in str(e), f"the refusal names the key: {e}")

    whole = os.path.join(WORK, "accounts-unique.csv")
    with open(whole, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(unique)
    out_path, rej_path = os.path.join(WORK, "accounts.out.csv"), os.path.join(WORK, "accounts.rejects.csv")
    subprocess.run([CREDO, "run", policy_path, "--in", whole, "--out", out_path, "--rejects", rej_path], check=True,
                   stdout=subprocess.DEVNULL)
    outputs, rejects = credo.dask.evaluate(write(unique, "accounts", 3), policy_path)
    out, rej = dask.compute(outputs, rejects)
    columns = [name for name, _ in credo.compile(policy_path).outputs]
    check(credo.to_csv(out[columns].sort_values("account_id")) == sorted_by_id(open(out_path).read()),
          "account-review (group pass, unique key, dates, bools): outputs equal credo run's")
    expected = collections.Counter(tuple(r[1:3]) for r in list(csv.reader(open(rej_path)))[1:])
    check(collections.Counter(zip(rej["id"], rej["reason"])) == expected, "account-review: rejects equal credo run's")
    check(len(out) + len(rej) == len(unique), "account-review: rows in = outputs + rejects")


if __name__ == "__main__":  # the worker processes are spawned: they import this file too
    main()
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("python.dask: all checks passed")
