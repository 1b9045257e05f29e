"""credo.dask: evaluate a Dask DataFrame with a policy, partition by partition, on a `distributed`
cluster (or any Dask scheduler). docs/scale-out.md is the guide.

    import credo.dask, dask, dask.dataframe as dd
    ddf = dd.read_csv("/shared/portfolio-*.csv", dtype=str, keep_default_na=False)
    outputs, rejects = credo.dask.evaluate(ddf, "policies/sme-credit-v1.credo")
    outputs, rejects = dask.compute(outputs, rejects)   # one pass computes both

How the results equal ``credo run`` on the whole data:
- Identity: every row gets ``input_partition`` and ``input_row`` (its partition in the input and
  its position there), carried into outputs and rejects, so results can be joined back to the
  input (``with_row_identity`` adds the same columns to it) and sorted back into input order.
- Group pass: a policy with ``group by KEY`` needs every group whole in one partition. The rows
  with a key are shuffled by it (``ddf.shuffle(on=KEY)``: hash partitioning, one all-to-all
  exchange of those rows); the rows without a key form no group and stay where they are.
- ``unique`` keys: a policy with unique keys and no group pass is shuffled by its first unique
  key, so duplicates meet. Any other unique key is checked across partitions before evaluating
  (one extra pass over that column): a value in two partitions raises ValueError rather than
  letting both through, since ``credo run`` would reject the later one.
- Within a partition, rows are evaluated in input order (sorted by the identity columns), so
  "the first occurrence wins" and group member order are those of the input.
- Workers get the policy's text and compile it once per worker process, cached by its hash.
"""

import hashlib as _hashlib
import threading as _threading

import numpy as _np
import pandas as _pd

import dask as _dask
import dask.dataframe as _dd

import credo as _credo

PARTITION = "input_partition"
ROW = "input_row"

_cache = {}                 # policy hash → compiled Policy, one per worker process
_cache_lock = _threading.Lock()
_compiles = 0               # how many compilations this process did (compiled_in_process())


def evaluate(ddf, policy, engine="jit"):
    """Map the policy over ``ddf``'s partitions. ``policy`` is a path, policy text or a compiled
    credo.Policy. Returns ``(outputs, rejects)``, two lazy Dask DataFrames sharing one graph:
    compute them together (``dask.compute(outputs, rejects)``, or persist) so each partition is
    evaluated once. Outputs: the input's index, ``input_partition``, ``input_row``, then the
    policy's outputs; rejects: the index, the two identity columns, id, reason, detail, field."""
    if not isinstance(ddf, _dd.DataFrame):
        raise TypeError(f"credo.dask.evaluate wants a dask DataFrame, not {type(ddf).__name__}")
    if not isinstance(policy, _credo.Policy):
        policy = _credo.compile(policy, engine=engine)
    # The reference data goes with the policy (file paths must be readable on the workers).
    spec = (policy.hash, policy.text, policy.source_name, policy.engine, policy._references,
            policy._set_aside_bad_rows)
    if PARTITION not in ddf.columns or ROW not in ddf.columns:
        ddf = with_row_identity(ddf)

    key = policy.group_key or (policy.unique_keys[0] if policy.unique_keys else None)
    if key is not None and key in ddf.columns:
        ddf = _colocate(ddf, key)
    others = [k for k in policy.unique_keys if k != key and k in ddf.columns]
    if others:
        _refuse_split_duplicates(ddf, others)

    out_meta, rej_meta = _frames(policy, ddf._meta, _evaluate_positions(policy, ddf._meta))
    parts = ddf.to_delayed()
    spec = _dask.delayed(spec, pure=True, traverse=False)  # one node of the graph: sent once per worker
    results = [_dask.delayed(_evaluate_partition, nout=2, pure=True)(part, spec) for part in parts]
    outputs = _dd.from_delayed([r[0] for r in results], meta=out_meta, verify_meta=False)
    rejects = _dd.from_delayed([r[1] for r in results], meta=rej_meta, verify_meta=False)
    return outputs, rejects


def with_row_identity(ddf):
    """``ddf`` with two int64 columns naming each row: input_partition and input_row."""
    def add(part, partition_info=None):
        number = partition_info["number"] if partition_info else 0
        return part.assign(**{PARTITION: _np.full(len(part), number, dtype=_np.int64),
                              ROW: _np.arange(len(part), dtype=_np.int64)})
    meta = ddf._meta.assign(**{PARTITION: _np.array([], dtype=_np.int64), ROW: _np.array([], dtype=_np.int64)})
    return ddf.map_partitions(add, meta=meta)


def compiled_in_process():
    """{"compiles": N, "hashes": [...]}: what this process compiled (run it on workers with
    ``client.run(credo.dask.compiled_in_process)``)."""
    with _cache_lock:
        return {"compiles": _compiles, "hashes": sorted(p.hash for p in _cache.values())}


# ---- placing rows ------------------------------------------------------------------------------

def _has_key(column):
    return column.notna() & (column.astype(str) != "")


def _colocate(ddf, key):
    """Every row with a value of ``key`` in the partition of that value (hash-partitioned); the
    rows without one keep their partitions."""
    present = ddf[key].map_partitions(_has_key, meta=(key, bool))
    keyed = ddf[present].shuffle(on=key, npartitions=ddf.npartitions, ignore_index=False)
    return _dd.concat([keyed, ddf[~present]], interleave_partitions=False)


def _refuse_split_duplicates(ddf, keys):
    """Raise when a value of a unique key occurs in two partitions (credo run would reject the
    later occurrence; a partition alone cannot know of the other)."""
    def located(part, partition_info=None):
        number = partition_info["number"] if partition_info else 0
        frame = part[keys].copy()
        frame["_partition"] = number
        return frame
    meta = ddf._meta[keys].assign(_partition=_np.array([], dtype=_np.int64))
    where = ddf.map_partitions(located, meta=meta)
    for k in keys:
        rows = where[[k, "_partition"]]
        rows = rows[rows[k].map_partitions(_has_key, meta=(k, bool))]
        spread = rows.groupby(k)["_partition"].nunique().compute()
        split = spread[spread > 1]
        if len(split):
            shown = ", ".join(map(str, list(split.index[:5])))
            raise ValueError(f"unique key '{k}': value(s) {shown} occur in more than one partition after the shuffle; "
                             f"credo.dask cannot tell which comes first there. Drop or fix the duplicates first "
                             f"(e.g. ddf.drop_duplicates(subset='{k}')), or evaluate in one partition")


# ---- on the workers ----------------------------------------------------------------------------

def _policy(spec):
    global _compiles
    policy_hash, text, source_name, engine, references, set_aside = spec
    # One compilation per policy and reference data (the same policy may run with other data).
    key = (policy_hash, _hashlib.sha256(repr((references, set_aside)).encode()).hexdigest()) if references else policy_hash
    with _cache_lock:
        policy = _cache.get(key)
        if policy is None:
            policy = _credo._compile_prepared(text, source_name, engine, references, set_aside)
            if policy.hash != policy_hash:
                raise RuntimeError(f"policy {source_name} compiled on this worker has hash {policy.hash}, "
                                   f"not {policy_hash}: are the workers' credo and the client's the same?")
            _cache[key] = policy
            _compiles += 1
    return policy


def _evaluate_partition(part, spec):
    policy = _policy(spec)
    part = part.sort_values([PARTITION, ROW], kind="stable")
    return _frames(policy, part, _evaluate_positions(policy, part))


def _evaluate_positions(policy, part):
    return policy._evaluate_arrays(part.drop(columns=[PARTITION, ROW], errors="ignore"), threads=1)


def _frames(policy, part, evaluated):
    """The outputs and rejects frames of one evaluated partition, with the identity columns."""
    outputs, input_rows, rejects = evaluated
    partitions = part[PARTITION].to_numpy(dtype=_np.int64)
    rows = part[ROW].to_numpy(dtype=_np.int64)
    identity = {PARTITION: partitions[input_rows], ROW: rows[input_rows]}
    out = _pd.DataFrame({**identity, **outputs}, index=part.index[input_rows])
    at = _np.array([r[0] for r in rejects], dtype=_np.int64)
    rej = _pd.DataFrame({PARTITION: partitions[at], ROW: rows[at],
                         **{name: _np.array([r[i] for r in rejects], dtype=object)
                            for i, name in enumerate(("id", "reason", "detail", "field"), start=1)}},
                        index=part.index[at])
    return out, rej
