#!/usr/bin/env python3
"""Throughput of credo.dask over generated SME rows with 1 and 2 worker processes (docs/scale-out.md).

    PYTHONPATH=build/python /usr/bin/python3 bench/dask_throughput.py --build build --rows 1000000

Generates the rows once with build/tools/credo-gen-sme (kept in --work), then for each worker
count starts a LocalCluster (processes, one thread each, 127.0.0.1), and times the whole pipeline
as a cluster would run it: read the CSV in blocks, shuffle the grouped rows by group_id, evaluate
every partition, count outputs and rejects on the workers. `credo run` on the same file (one
thread) is timed as the single-process reference. Prints records/s.
"""

import argparse
import os
import subprocess
import sys
import time

import dask
import dask.dataframe as dd
from distributed import Client, LocalCluster

import credo
import credo.dask


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="the build directory (credo, tools/credo-gen-sme)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to generate (1000..50000000)")
    parser.add_argument("--partitions", type=int, default=16, help="CSV blocks, i.e. input partitions (1..4096)")
    parser.add_argument("--workers", default="1,2", help="worker counts to time, comma-separated (1..64 each)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per worker count; the best is reported (1..10)")
    parser.add_argument("--work", default=None, help="folder for the generated CSV (default BUILD/bench-dask)")
    args = parser.parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    if not 1000 <= args.rows <= 50_000_000 or not 1 <= args.partitions <= 4096 or not 1 <= args.repeat <= 10 \
            or not all(1 <= w <= 64 for w in workers):
        parser.error("a value is out of its range (see --help)")

    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    policy_path = os.path.join(source, "policies/sme-credit-v1.credo")
    work = args.work or os.path.join(args.build, "bench-dask")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, f"sme-{args.rows}.csv")
    if not os.path.exists(data):
        subprocess.run([os.path.join(args.build, "tools/credo-gen-sme"), "--rows", str(args.rows), "--seed", "11",
                        "--out", data], check=True)
    size = os.path.getsize(data)
    print(f"{args.rows} SME rows, {size / 1e6:.0f} MB, {args.partitions} partitions; "
          f"{os.cpu_count()} cores on this machine, load average {os.getloadavg()[0]:.1f}")

    start = time.perf_counter()
    subprocess.run([os.path.join(args.build, "credo"), "run", policy_path, "--in", data, "--threads", "1",
                    "--out", os.path.join(work, "run.out.csv"), "--rejects", os.path.join(work, "run.rejects.csv")],
                   check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    print(f"credo run, 1 thread (reference):     {args.rows / seconds:>10,.0f} records/s  ({seconds:.2f} s)")

    policy = credo.compile(policy_path)
    for n in workers:
        cluster = LocalCluster(n_workers=n, processes=True, threads_per_worker=1, dashboard_address=None,
                               host="127.0.0.1", silence_logs=40)
        try:
            with Client(cluster) as client:
                client.wait_for_workers(n)
                best = None
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    ddf = dd.read_csv(data, dtype=str, keep_default_na=False, blocksize=size // args.partitions + 1,
                                      on_bad_lines="skip")
                    outputs, rejects = credo.dask.evaluate(ddf, policy)
                    counts = dask.compute(outputs.shape[0], rejects.shape[0])  # one graph: each partition evaluated once
                    seconds = time.perf_counter() - start
                    best = seconds if best is None else min(best, seconds)
                    if sum(counts) > args.rows:
                        sys.exit(f"{sum(counts)} results for {args.rows} rows")
                print(f"credo.dask, {n} worker(s) x 1 thread: {args.rows / best:>10,.0f} records/s  ({best:.2f} s; "
                      f"{counts[0]} outputs, {counts[1]} rejects, {args.rows - sum(counts)} lines pandas skipped)")
        finally:
            cluster.close()


if __name__ == "__main__":
    main()
