"""credo: compile a credit policy and evaluate pandas DataFrames or single records with it.

    import credo, pandas as pd
    policy = credo.compile("policies/sme-credit-v1.credo")
    outputs, rejects = policy.evaluate(pd.read_csv("examples/sme-portfolio.csv", dtype=str))

docs/python.md is the guide. Types of the output columns: money and decimals are
``decimal.Decimal`` (exact, an object column), ints pandas ``Int64``, numbers ``float64`` (NaN
when missing), bools pandas ``boolean``, dates ``datetime.date`` (an object column), enums,
strings and code lists ``str`` (code lists joined with ';' as ``credo run`` writes them);
missing is None / <NA>.
"""

import datetime as _datetime
import decimal as _decimal
import json as _json
import math as _math
import os as _os

import numpy as _np
import pandas as _pd

from . import _credo

__all__ = ["compile", "compile_text", "Policy", "CompileError", "ReferenceDataError", "JsonLines", "to_csv",
           "engine_version"]

_MAX_THREADS = 256


class CompileError(Exception):
    """The policy did not check. ``diagnostics`` is a list of dicts (severity, code, file, line,
    column, message, hint, rendered); the message is every diagnostic as ``credo check`` prints it."""

    def __init__(self, message, diagnostics):
        super().__init__(message)
        self.diagnostics = diagnostics


class ReferenceDataError(CompileError):
    """The policy checked, but its reference data was refused: a reference not given, or given
    but not declared, a file unreadable or without a declared column, a bad row not set aside.
    The message says which (``diagnostics`` holds the policy's warnings, if any)."""


class JsonLines:
    """Reference data as JSON Lines text (str or bytes, gzip-compressed bytes too), one object
    per line: ``references={"watch_list": credo.JsonLines(text)}``."""

    def __init__(self, text):
        self.text = text


def _reference_list(references):
    """The ``references=`` mapping as the extension takes it: [(name, kind, data)].

    A value is a file path (a str without a newline, or a path object: CSV, or JSON Lines when
    the name ends .jsonl/.ndjson, either gzip-compressed); a str with a newline, or bytes, is a
    CSV file's content; ``JsonLines(text)`` is JSON Lines content; a pandas DataFrame is rows,
    its columns the header, each cell read as the CSV cell ``str(value)`` (None/NaN: missing)."""
    out = []
    for name, value in (references or {}).items():
        if isinstance(value, JsonLines):
            text = value.text
            out.append((name, "jsonl", text.encode("utf-8") if isinstance(text, str) else bytes(text)))
        elif isinstance(value, _pd.DataFrame):
            def cell(v):
                return "" if v is None or (isinstance(v, float) and _math.isnan(v)) or v is _pd.NA else str(v)
            header = [str(c) for c in value.columns]
            rows = [[cell(v) for v in row] for row in value.itertuples(index=False, name=None)]
            out.append((name, "rows", (header, rows)))
        elif isinstance(value, (bytes, bytearray)):
            out.append((name, "csv", bytes(value)))
        elif isinstance(value, str) and "\n" in value:
            out.append((name, "csv", value.encode("utf-8")))
        elif isinstance(value, (str, _os.PathLike)):
            out.append((name, "file", _os.fspath(value)))
        else:
            raise TypeError(f"reference {name!r}: give a file path, CSV text or bytes, credo.JsonLines(text) or a "
                            f"pandas DataFrame, not {type(value).__name__}")
    return out


def _compiled(result):
    compiled, diagnostics, error, rendered, reference_rejects, reference_error = result
    if compiled is None:
        if reference_error:
            raise ReferenceDataError(error, diagnostics)
        raise CompileError(rendered.rstrip("\n") or error, diagnostics)
    return compiled, diagnostics, reference_rejects


def engine_version(engine="jit"):
    """What produces decisions, e.g. "credo 0.1.0 jit credo-jit-3"."""
    return _credo.engine_version(engine)


def compile(policy, engine="jit", name=None, references=None, set_aside_bad_rows=False):
    """Compile a policy from a file path (a string without a newline, or a path object) or from
    its text (a string with a newline). ``name`` is the path diagnostics show for text (imports
    resolve relative to it). Raises CompileError when it does not check or cannot be read.

    ``references``: the data of each reference the policy declares, by name (docs/python.md,
    "Reference data"): a file path, CSV text or bytes, ``JsonLines(text)`` or a DataFrame, read
    and checked as ``credo run --ref NAME=FILE`` reads a file. A reference row that fails its
    checks raises ReferenceDataError, unless ``set_aside_bad_rows`` (as ``--ref-rejects``): then
    it is left out and listed in ``Policy.reference_rejects``."""
    if not isinstance(policy, str):
        policy = _os.fspath(policy)
    if "\n" in policy:
        return compile_text(policy, name=name or "<policy>", engine=engine, references=references,
                            set_aside_bad_rows=set_aside_bad_rows)
    refs = _reference_list(references)
    compiled, diagnostics, reference_rejects = _compiled(
        _credo.compile_file(policy, engine, refs, bool(set_aside_bad_rows)))
    with open(policy, encoding="utf-8") as f:  # kept, so that Dask can ship it to workers
        text = f.read()
    return Policy(compiled, text, policy, engine, diagnostics, refs, bool(set_aside_bad_rows), reference_rejects)


def compile_text(text, name="<policy>", engine="jit", references=None, set_aside_bad_rows=False):
    """Compile policy text (``name``: the path diagnostics show; imports resolve relative to it).
    ``references`` and ``set_aside_bad_rows`` as for compile()."""
    return _compile_prepared(text, name, engine, _reference_list(references), bool(set_aside_bad_rows))


def _compile_prepared(text, name, engine, refs, set_aside_bad_rows):
    """compile_text with the references already as _reference_list gives them (credo.dask)."""
    compiled, diagnostics, reference_rejects = _compiled(
        _credo.compile_text(text, name, engine, refs, set_aside_bad_rows))
    return Policy(compiled, text, name, engine, diagnostics, refs, set_aside_bad_rows, reference_rejects)


class Policy:
    """A compiled policy; safe to use from many threads at once (evaluation releases the GIL)."""

    def __init__(self, compiled, text, source_name, engine, diagnostics, references=(), set_aside_bad_rows=False,
                 reference_rejects=()):
        self._compiled = compiled
        self._references = list(references)    # as the extension took them: Dask ships them too
        self._set_aside_bad_rows = set_aside_bad_rows
        # The reference rows set aside (set_aside_bad_rows), as credo run --ref-rejects writes them.
        self.reference_rejects = _pd.DataFrame(list(reference_rejects), columns=["reference", "line", "key", "reason"])
        self._description = compiled.describe()
        self._input_kinds = {f["name"]: f["kind"] for f in self._description["inputs"]}
        self.text = text                # the source, as compiled
        self.source_name = source_name  # its path, or the name given for text
        self.engine = engine
        self.warnings = [d for d in diagnostics if d["severity"] == "warning"]

    name = property(lambda self: self._description["name"])
    version = property(lambda self: self._description["version"])
    title = property(lambda self: self._description["title"])
    hash = property(lambda self: self._description["hash"], doc="content hash (16 hex digits)")
    group_key = property(lambda self: self._description["group_key"], doc="the group pass's key field, or None")
    unique_keys = property(lambda self: list(self._description["unique_keys"]))
    references = property(lambda self: [dict(r) for r in self._description["references"]],
                          doc="the references declared: name, title, key, many, fields; rows, rejected, keys loaded")
    engine_version = property(lambda self: self._description["engine_version"])

    @property
    def inputs(self):
        """[(name, type)] in column order; ``describe()`` has the details."""
        return [(f["name"], f["type"]) for f in self._description["inputs"]]

    @property
    def outputs(self):
        """[(name, type)] in output order."""
        return [(f["name"], f["type"]) for f in self._description["outputs"]]

    def describe(self):
        """Everything known about the policy, as a dict (a copy)."""
        return _json.loads(_json.dumps(self._description))

    def __repr__(self):
        return f"<credo.Policy {self.name} {self.version} {self.hash}>"

    # ---- DataFrames -----------------------------------------------------------------------

    def evaluate(self, df, threads=1):
        """Evaluate every row of ``df`` (columns matched by name, any order, extra ones ignored),
        then the group pass and ``unique`` keys over the whole frame, as ``credo run`` does.

        Returns ``(outputs, rejects)``: outputs has the output columns, indexed by the index of
        the input row each came from; rejects has one row per rejected record, indexed the same
        way, with columns row (0-based position in df), id (its first field as text), reason
        (exactly as credo run writes it), detail (in words) and field.
        ``threads`` (1..256, 0 = all cores) splits the work inside one call."""
        outputs, input_rows, rejects = self._evaluate_arrays(df, threads)
        outputs = _pd.DataFrame(outputs, index=df.index[input_rows])
        rows = _np.array([r[0] for r in rejects], dtype=_np.int64)
        rejects = _pd.DataFrame({"row": rows, **{name: _np.array([r[i] for r in rejects], dtype=object)
                                                 for i, name in enumerate(("id", "reason", "detail", "field"), start=1)}},
                                index=df.index[rows])
        return outputs, rejects

    def _evaluate_arrays(self, df, threads):
        """({output: column array}, input positions of the output rows, [(row, id, reason, detail, field)])."""
        if not isinstance(df, _pd.DataFrame):
            raise TypeError(f"evaluate wants a pandas DataFrame, not {type(df).__name__}")
        threads = _check_threads(threads)
        present = set(map(str, df.columns))
        absent = [f["name"] for f in self._description["inputs"] if f["name"] not in present and not f["optional"]]
        if absent:
            raise ValueError("missing column(s): " + ", ".join(absent))
        columns = []
        for field in self._description["inputs"]:
            if field["name"] in present:
                column = df[field["name"]]
                if isinstance(column, _pd.DataFrame):
                    raise ValueError(f"column '{field['name']}' appears more than once")
                columns.append((field["name"],) + _column_for(column) + (_cell_text,))
        out_columns, input_rows, rejects = self._compiled.evaluate_columns(
            columns, len(df), threads, _decimal.Decimal, _datetime.date.fromordinal)
        outputs = {name: _output_series(kind, values, valid) for name, kind, (values, valid) in out_columns}
        return outputs, input_rows, rejects

    # ---- one record -----------------------------------------------------------------------

    def evaluate_one(self, record):
        """Evaluate one record (a dict of field → value; absent or None is missing).

        Returns ``{"outcome": "accepted", "outputs": {name: value}}`` or, for a record the policy
        rejects, ``{"outcome": "rejected", "reason": ..., "detail": ..., "field": ...}`` with the
        reason ``credo run`` writes. Raises ValueError naming the field for a bad request (an
        unknown field, a value of the wrong type). A policy with a group pass runs it over this
        record alone."""
        outcome, outputs, reason, detail, field = self._compiled.evaluate_one(
            _record_fields(record, self._input_kinds), _decimal.Decimal, _datetime.date.fromordinal)
        if outcome == "accepted":
            return {"outcome": outcome, "outputs": outputs}
        return {"outcome": outcome, "reason": reason, "detail": detail, "field": field}

    def explain(self, record, format="json"):
        """Why the record gets its outputs: the credo.explain/1 object as a dict
        (``format="json"``), or the text ``credo explain`` prints (``format="text"``)."""
        if format not in ("json", "text"):
            raise ValueError("format must be 'json' or 'text'")
        json_text, text = self._compiled.explain(_record_fields(record, self._input_kinds))
        return _json.loads(json_text) if format == "json" else text


def _check_threads(threads):
    if isinstance(threads, bool) or not isinstance(threads, (int, _np.integer)) or not 0 <= threads <= _MAX_THREADS:
        raise ValueError(f"threads must be an integer from 0 (all cores) to {_MAX_THREADS}, not {threads!r}")
    return int(threads)


# ---- input columns: (kind, values, valid) for _credo.evaluate_columns --------------------------

def _column_for(series):
    """A Series as one of the column kinds the extension reads: int64, float64, bool and date
    (days) arrays with a validity mask, or text (an object array of str/None, other objects
    converted through _cell_text)."""
    dtype = series.dtype
    if isinstance(dtype, _pd.CategoricalDtype):
        return "text", series.astype(object).to_numpy(dtype=object), None
    if _pd.api.types.is_bool_dtype(dtype):
        valid = ~series.isna().to_numpy()
        return "bool", series.fillna(False).to_numpy(dtype=_np.int64), valid.astype(_np.uint8)
    if _pd.api.types.is_unsigned_integer_dtype(dtype) and dtype.itemsize == 8:  # may not fit int64: by its text
        return "text", series.astype(object).to_numpy(dtype=object), None
    if _pd.api.types.is_integer_dtype(dtype):
        valid = ~series.isna().to_numpy()
        return "int64", series.fillna(0).to_numpy(dtype=_np.int64), valid.astype(_np.uint8)
    if _pd.api.types.is_float_dtype(dtype):
        return "float64", series.to_numpy(dtype=_np.float64, na_value=_np.nan), None
    if _pd.api.types.is_datetime64_any_dtype(dtype):
        values = series.dt.tz_localize(None) if getattr(series.dt, "tz", None) is not None else series
        days = values.dt.floor("D")
        if bool(((days != values) & values.notna()).any()):  # a time of day: read as its text (a date field rejects it)
            return "text", values.astype(str).where(values.notna(), None).to_numpy(dtype=object), None
        valid = values.notna().to_numpy()
        ns = values.to_numpy(dtype="datetime64[ns]").astype(_np.int64)
        return "date", _np.where(valid, ns // 86_400_000_000_000, 0), valid.astype(_np.uint8)
    return "text", series.to_numpy(dtype=object), None


def _cell_text(value):
    """The CSV cell text of a value that is not a str (None = missing)."""
    if value is None or value is _pd.NA or value is _pd.NaT:
        return None
    if isinstance(value, (bool, _np.bool_)):
        return "true" if value else "false"
    if isinstance(value, _decimal.Decimal):
        return None if value.is_nan() else format(value, "f")
    if isinstance(value, (float, _np.floating)):
        return None if _math.isnan(value) else _float_text(float(value))
    if isinstance(value, (int, _np.integer)):
        return str(int(value))
    if isinstance(value, _datetime.datetime):
        return value.date().isoformat() if value.time() == _datetime.time() else value.isoformat()
    if isinstance(value, _datetime.date):
        return value.isoformat()
    return str(value)


def _float_text(x):
    """The shortest text that reads back as x, without an exponent (5.0 is "5", 1e16 is "10000000000000000")."""
    return _np.format_float_positional(x, trim="-")


# ---- one record: [(name, tag, value)] ----------------------------------------------------------

def _record_fields(record, kinds):
    """[(name, tag, value)] for _credo; ``kinds``: field name → kind (a float is a double for a
    number field and its text for any other)."""
    if not isinstance(record, dict):
        raise TypeError(f"a record is a dict of field → value, not {type(record).__name__}")
    fields = []
    for name, value in record.items():
        if not isinstance(name, str):
            raise ValueError(f"field names are strings, not {name!r}")
        tag, value = _record_value(name, value)
        if tag == "float" and kinds.get(name) != "number":
            tag, value = "text", _float_text(value)
        fields.append((name, tag, value))
    return fields


def _record_value(name, value):
    if value is None or value is _pd.NA or value is _pd.NaT:
        return "missing", None
    if isinstance(value, (bool, _np.bool_)):
        return "bool", bool(value)
    if isinstance(value, (int, _np.integer)):
        value = int(value)
        return ("int", value) if -2**63 <= value < 2**63 else ("text", str(value))  # out of range: rejected as the cell would be
    if isinstance(value, (float, _np.floating)):
        return ("missing", None) if _math.isnan(value) else ("float", float(value))
    if isinstance(value, str):
        return "text", value
    if isinstance(value, _decimal.Decimal):
        return "text", format(value, "f")
    if isinstance(value, _datetime.datetime):
        if value.time() != _datetime.time():
            raise ValueError(f"field '{name}': {value!r} has a time of day; a date is wanted")
        value = value.date()
    if isinstance(value, _datetime.date):
        return "date", value.toordinal() - 719163
    raise ValueError(f"field '{name}': cannot read a {type(value).__name__} ({value!r})")


# ---- output columns ----------------------------------------------------------------------------

def _output_series(kind, values, valid):
    mask = valid == 0
    if kind == "integer":
        return _pd.arrays.IntegerArray(values, mask)
    if kind == "boolean":
        return _pd.arrays.BooleanArray(values != 0, mask)
    return values  # float64 with NaN, or objects with None


def to_csv(outputs, path_or_buf=None):
    """Write an outputs DataFrame as ``credo run`` writes its output CSV (no index; bools
    true/false; missing empty; decimals as they are). Returns the text when no path is given."""
    frame = outputs.copy()
    for name in frame.columns:
        if _pd.api.types.is_bool_dtype(frame[name].dtype):
            frame[name] = frame[name].map({True: "true", False: "false"}, na_action="ignore")
    return frame.to_csv(path_or_buf, index=False, lineterminator="\n")
