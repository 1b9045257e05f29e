// _credo.cc — the compiled half of the Python module: the public C++ API (credo/credo.hpp) seen
// from Python. It stays thin: column conversion that must be fast (strings, numbers, output
// cells) is here; everything about pandas (dtypes, indexes, DataFrames) is in __init__.py.
//
// Columns come in as (name, kind, values, valid) with kind one of "text" (object array of str or
// None; anything else goes through the `text_of` callback), "int64", "float64", "bool", "date"
// (int64 days); valid is a uint8 array or None. A column is handed to the field in its own type
// when the types agree (int64 → int field, float64 → number, bool → bool, days → date) and as CSV
// cell text otherwise, so every value is read exactly as `credo run` reads the same cell.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "credo/credo.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace {

const char* KindName(credo::ValueKind kind) {
  switch (kind) {
    case credo::ValueKind::missing: return "missing";
    case credo::ValueKind::boolean: return "boolean";
    case credo::ValueKind::integer: return "integer";
    case credo::ValueKind::number: return "number";
    case credo::ValueKind::decimal: return "decimal";
    case credo::ValueKind::string: return "string";
    case credo::ValueKind::date: return "date";
    case credo::ValueKind::enumeration: return "enum";
    case credo::ValueKind::codes: return "codes";
  }
  return "string";
}

std::string DoubleText(double v) {
  char buf[400];
  // The shortest text that reads back, without an exponent (1e16 is "10000000000000000").
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed);
  if (ec != std::errc()) return "nan";  // beyond 64 characters: unreadable as any field but a number
  return std::string(buf, end);
}

py::dict DescriptionDict(const credo::Description& d) {
  py::list inputs, outputs;
  for (const auto& in : d.inputs)
    inputs.append(py::dict("name"_a = in.name, "type"_a = in.type, "kind"_a = KindName(in.kind),
                           "scale"_a = in.scale, "optional"_a = in.optional, "percent"_a = in.percent,
                           "enum_values"_a = in.enum_values, "where"_a = in.where,
                           "where_reason"_a = in.where_reason));
  for (const auto& out : d.outputs)
    outputs.append(py::dict("name"_a = out.name, "type"_a = out.type, "kind"_a = KindName(out.kind),
                            "scale"_a = out.scale, "optional"_a = out.optional,
                            "enum_values"_a = out.enum_values));
  py::list references;
  for (const auto& r : d.references)
    references.append(py::dict("name"_a = r.name, "title"_a = r.title, "key"_a = r.key, "many"_a = r.many,
                               "fields"_a = r.fields, "rows"_a = r.rows, "rejected"_a = r.rejected, "keys"_a = r.keys));
  py::object group_key = d.group_key ? py::object(py::str(*d.group_key)) : py::object(py::none());
  return py::dict("name"_a = d.name, "version"_a = d.version, "title"_a = d.title, "file"_a = d.file,
                  "hash"_a = d.hash, "inputs"_a = inputs, "outputs"_a = outputs, "group_key"_a = group_key,
                  "unique_keys"_a = d.unique_keys, "references"_a = references, "engine_version"_a = d.engine_version);
}

py::tuple CompileResultTuple(credo::CompileResult r) {
  py::list diagnostics;
  for (const auto& d : r.diagnostics)
    diagnostics.append(py::dict("severity"_a = d.severity == credo::Severity::error ? "error" : "warning",
                                "code"_a = d.code, "file"_a = d.file, "line"_a = d.line, "column"_a = d.column,
                                "message"_a = d.message, "hint"_a = d.hint, "rendered"_a = d.rendered));
  py::list reference_rejects;
  for (const auto& rj : r.reference_rejects) reference_rejects.append(py::make_tuple(rj.reference, rj.line, rj.key, rj.reason));
  py::object policy = r.policy ? py::cast(std::move(*r.policy)) : py::object(py::none());
  return py::make_tuple(policy, diagnostics, r.error, r.rendered, reference_rejects, r.reference_error);
}

credo::CompileOptions Options(const std::string& engine) {
  credo::CompileOptions options;
  if (engine == "jit") options.engine = credo::Engine::jit;
  else if (engine == "interpreter") options.engine = credo::Engine::interpreter;
  else throw py::value_error("engine must be 'jit' or 'interpreter', not '" + engine + "'");
  return options;
}

// references: [(name, kind, data)] with kind "file" (data: the path), "csv" or "jsonl" (data:
// bytes), or "rows" (data: (header, rows), lists of str) — credo/__init__.py makes them.
credo::CompileOptions Options(const std::string& engine, const std::vector<py::tuple>& references, bool set_aside) {
  credo::CompileOptions options = Options(engine);
  options.set_aside_bad_reference_rows = set_aside;
  for (const auto& r : references) {
    std::string name = r[0].cast<std::string>(), kind = r[1].cast<std::string>();
    credo::ReferenceData data;
    if (kind == "file") data = credo::ReferenceData::file(r[2].cast<std::string>());
    else if (kind == "csv") data = credo::ReferenceData::csv(r[2].cast<py::bytes>());
    else if (kind == "jsonl") data = credo::ReferenceData::json_lines(r[2].cast<py::bytes>());
    else if (kind == "rows") {
      py::tuple table = r[2].cast<py::tuple>();
      data = credo::ReferenceData::rows(table[0].cast<std::vector<std::string>>(),
                                        table[1].cast<std::vector<std::vector<std::string>>>());
    } else {
      throw py::value_error("reference '" + name + "': unknown kind '" + kind + "'");
    }
    options.references[name] = std::move(data);
  }
  return options;
}

// ---- input columns ------------------------------------------------------------------------------

std::vector<uint8_t> ValidBytes(const py::object& valid, size_t rows) {
  if (valid.is_none()) return {};
  auto a = py::array_t<uint8_t, py::array::c_style | py::array::forcecast>::ensure(valid);
  if (!a || size_t(a.size()) != rows) throw py::value_error("validity mask has the wrong length");
  return std::vector<uint8_t>(a.data(), a.data() + rows);
}

bool IsValid(const std::vector<uint8_t>& valid, size_t r) { return valid.empty() || valid[r]; }

// Text cells: str as is; None and NaN missing; anything else through text_of (None: missing).
void SetTextColumn(credo::Batch& batch, const std::string& name, const py::array& values,
                   const py::function& text_of) {
  if (values.dtype().kind() != 'O') throw py::value_error("column '" + name + "': text cells must be an object array");
  size_t rows = values.size();
  py::array contiguous = py::array::ensure(values, py::array::c_style);
  if (!contiguous) throw py::error_already_set();
  auto cells = static_cast<PyObject* const*>(contiguous.data());
  std::vector<std::string_view> views(rows);
  std::vector<uint8_t> valid(rows, 1);
  std::vector<py::object> converted;  // keeps converted cells' strings alive until set_text copies them
  converted.reserve(16);
  for (size_t r = 0; r < rows; ++r) {
    PyObject* cell = cells[r];
    if (!cell || !PyUnicode_Check(cell)) {
      if (!cell || cell == Py_None || (PyFloat_Check(cell) && std::isnan(PyFloat_AS_DOUBLE(cell)))) {
        valid[r] = 0;
        continue;
      }
      py::object text = text_of(py::handle(cell));
      if (text.is_none()) {
        valid[r] = 0;
        continue;
      }
      if (!PyUnicode_Check(text.ptr())) throw py::type_error("text_of must return str or None");
      converted.push_back(std::move(text));
      cell = converted.back().ptr();
    }
    Py_ssize_t size = 0;
    const char* utf8 = PyUnicode_AsUTF8AndSize(cell, &size);
    if (!utf8) throw py::error_already_set();
    views[r] = std::string_view(utf8, size_t(size));
  }
  batch.set_text(name, views, valid);
}

void SetTextCells(credo::Batch& batch, const std::string& name, const std::vector<std::string>& texts,
                  const std::vector<uint8_t>& valid) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  batch.set_text(name, views, valid);
}

void SetColumn(credo::Batch& batch, const credo::InputInfo& field, const std::string& kind, const py::array& values,
               const py::object& valid_mask, const py::function& text_of) {
  const std::string& name = field.name;
  size_t rows = values.size();
  if (kind == "text") return SetTextColumn(batch, name, values, text_of);
  std::vector<uint8_t> valid = ValidBytes(valid_mask, rows);
  std::vector<std::string> texts;
  auto as_text = [&](auto&& cell_text) {
    texts.resize(rows);
    for (size_t r = 0; r < rows; ++r)
      if (IsValid(valid, r)) texts[r] = cell_text(r);
    SetTextCells(batch, name, texts, valid);
  };
  if (kind == "int64" || kind == "bool" || kind == "date") {
    auto a = py::array_t<int64_t, py::array::c_style | py::array::forcecast>::ensure(values);
    if (!a) throw py::value_error("column '" + name + "': expected integers");
    std::span<const int64_t> ints(a.data(), rows);
    bool same = (kind == "int64" && field.kind == credo::ValueKind::integer) ||
                (kind == "bool" && field.kind == credo::ValueKind::boolean) ||
                (kind == "date" && field.kind == credo::ValueKind::date);
    if (same) {
      batch.set_int64(name, ints, valid);
    } else if (kind == "int64") {
      as_text([&](size_t r) { return std::to_string(ints[r]); });
    } else if (kind == "bool") {
      as_text([&](size_t r) { return std::string(ints[r] ? "true" : "false"); });
    } else {
      as_text([&](size_t r) { return credo::Date{int32_t(ints[r])}.to_string(); });
    }
    return;
  }
  if (kind == "float64") {
    auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(values);
    if (!a) throw py::value_error("column '" + name + "': expected floats");
    std::span<const double> numbers(a.data(), rows);
    if (valid.empty()) valid.assign(rows, 1);
    for (size_t r = 0; r < rows; ++r)
      if (std::isnan(numbers[r])) valid[r] = 0;
    if (field.kind == credo::ValueKind::number) batch.set_double(name, numbers, valid);
    else as_text([&](size_t r) { return DoubleText(numbers[r]); });
    return;
  }
  throw py::value_error("column '" + name + "': unknown column kind '" + kind + "'");
}

// ---- output columns -----------------------------------------------------------------------------

// One output column as (values, valid): int64 for integer, boolean (0/1); float64 for number;
// object arrays of decimal.Decimal, datetime.date or str for the rest (None where missing).
py::tuple OutputColumn(const credo::OutputColumnData& c, const py::object& decimal_type,
                       const py::object& date_from_ordinal) {
  size_t rows = c.valid.size();
  py::array_t<uint8_t> valid(rows);
  std::copy(c.valid.begin(), c.valid.end(), valid.mutable_data());
  switch (c.kind) {
    case credo::ValueKind::integer:
    case credo::ValueKind::boolean: {
      py::array_t<int64_t> ints(rows);
      std::copy(c.ints.begin(), c.ints.end(), ints.mutable_data());
      return py::make_tuple(ints, valid);
    }
    case credo::ValueKind::number: {
      py::array_t<double> numbers(rows);
      double* out = numbers.mutable_data();
      for (size_t r = 0; r < rows; ++r) out[r] = c.valid[r] ? c.numbers[r] : NAN;
      return py::make_tuple(numbers, valid);
    }
    default: break;
  }
  py::array cells(py::dtype("O"), std::vector<py::ssize_t>{py::ssize_t(rows)});
  auto slots = static_cast<PyObject**>(cells.mutable_data());
  auto put = [&](size_t r, py::object value) {  // the array owns one reference per slot
    PyObject* old = slots[r];
    slots[r] = value.release().ptr();
    Py_XDECREF(old);
  };
  std::vector<py::str> enum_names;  // one str object per enum value, shared by every cell
  for (const auto& v : c.enum_values) enum_names.emplace_back(v);
  for (size_t r = 0; r < rows; ++r) {
    if (!c.valid[r]) {
      put(r, py::none());
      continue;
    }
    switch (c.kind) {
      case credo::ValueKind::decimal:
        put(r, decimal_type(credo::Decimal{c.ints[r], c.scale}.to_string()));
        break;
      case credo::ValueKind::date:
        put(r, date_from_ordinal(c.ints[r] + 719163));  // 0001-01-01 is ordinal 1; 1970-01-01 is 719163
        break;
      case credo::ValueKind::enumeration:
        if (c.ints[r] >= 0 && size_t(c.ints[r]) < enum_names.size()) put(r, enum_names[c.ints[r]]);
        else put(r, py::str(c.get(r).to_string()));
        break;
      default:
        put(r, py::str(c.strings[r]));
        break;
    }
  }
  return py::make_tuple(cells, valid);
}

py::object PyValue(const credo::Value& v, const py::object& decimal_type, const py::object& date_from_ordinal) {
  switch (v.kind()) {
    case credo::ValueKind::missing: return py::none();
    case credo::ValueKind::boolean: return py::bool_(std::get<bool>(v));
    case credo::ValueKind::integer: return py::int_(std::get<int64_t>(v));
    case credo::ValueKind::number: return py::float_(std::get<double>(v));
    case credo::ValueKind::decimal: return decimal_type(std::get<credo::Decimal>(v).to_string());
    case credo::ValueKind::date: return date_from_ordinal(std::get<credo::Date>(v).days + 719163);
    case credo::ValueKind::enumeration: return py::str(std::get<credo::Enum>(v).name);
    case credo::ValueKind::string: return py::str(std::get<std::string>(v));
    case credo::ValueKind::codes: return py::str(v.to_string());
  }
  return py::none();
}

// ---- one record ---------------------------------------------------------------------------------

// Fields as (name, tag, value): tag "missing", "bool", "int", "float", "text" or "date" (days).
credo::Record MakeRecord(const credo::Policy& policy, const std::vector<py::tuple>& fields) {
  credo::Record record = policy.record();
  for (const auto& f : fields) {
    std::string name = f[0].cast<std::string>();
    std::string tag = f[1].cast<std::string>();
    if (tag == "missing") record.set(name, credo::Missing{});
    else if (tag == "bool") record.set(name, f[2].cast<bool>());
    else if (tag == "int") record.set(name, f[2].cast<int64_t>());
    else if (tag == "float") record.set(name, f[2].cast<double>());
    else if (tag == "date") record.set(name, credo::Date{f[2].cast<int32_t>()});
    else record.set_text(name, f[2].cast<std::string>());
  }
  if (!record.error().empty()) throw py::value_error(record.error());
  return record;
}

}  // namespace

PYBIND11_MODULE(_credo, m) {
  m.doc() = "credo's compiled core; use the `credo` package (python/credo/__init__.py)";
  m.def("engine_version", [](const std::string& engine) { return credo::engine_version(Options(engine).engine); });

  py::class_<credo::Policy>(m, "Policy")
      .def("describe", [](const credo::Policy& p) { return DescriptionDict(p.describe()); })
      // columns: [(name, kind, values, valid, text_of)]; returns (columns, input_rows, rejects)
      // or raises ValueError for a request error. The GIL is released while the batch runs.
      .def("evaluate_columns",
           [](const credo::Policy& p, const std::vector<py::tuple>& columns, size_t rows, size_t threads,
              const py::object& decimal_type, const py::object& date_from_ordinal) {
             credo::Batch batch(p);
             const auto& inputs = p.describe().inputs;
             for (const auto& col : columns) {
               std::string name = col[0].cast<std::string>();
               auto field = std::find_if(inputs.begin(), inputs.end(), [&](const auto& in) { return in.name == name; });
               if (field == inputs.end()) throw py::value_error("unknown field '" + name + "'");
               py::array values = col[2].cast<py::array>();
               if (size_t(values.size()) != rows) throw py::value_error("column '" + name + "' has the wrong length");
               SetColumn(batch, *field, col[1].cast<std::string>(), values, col[3], col[4].cast<py::function>());
             }
             if (!batch.error().empty()) throw py::value_error(batch.error());
             credo::BatchResult result;
             {
               py::gil_scoped_release release;
               result = p.evaluate(batch, threads);
             }
             if (!result.ok()) throw py::value_error(result.error);
             py::list out_columns;
             for (const auto& c : result.columns)
               out_columns.append(py::make_tuple(c.name, KindName(c.kind), OutputColumn(c, decimal_type, date_from_ordinal)));
             py::array_t<int64_t> input_rows(result.input_rows.size());
             std::copy(result.input_rows.begin(), result.input_rows.end(), input_rows.mutable_data());
             py::list rejects;
             for (const auto& r : result.rejects) rejects.append(py::make_tuple(r.row, r.id, r.reason, r.detail, r.field));
             return py::make_tuple(out_columns, input_rows, rejects);
           },
           "columns"_a, "rows"_a, "threads"_a, "decimal_type"_a, "date_from_ordinal"_a)
      // fields: [(name, tag, value)]; returns (outcome, outputs dict, reason, detail, field).
      .def("evaluate_one",
           [](const credo::Policy& p, const std::vector<py::tuple>& fields, const py::object& decimal_type,
              const py::object& date_from_ordinal) {
             credo::Record record = MakeRecord(p, fields);
             credo::Result result;
             {
               py::gil_scoped_release release;
               p.evaluate(record, result);
             }
             if (result.outcome() == credo::Outcome::error) throw py::value_error(result.reason());
             py::dict outputs;
             if (result.accepted())
               for (size_t i = 0; i < result.size(); ++i)
                 outputs[py::str(p.describe().outputs[i].name)] = PyValue(result.get(i), decimal_type, date_from_ordinal);
             return py::make_tuple(result.accepted() ? "accepted" : "rejected", outputs, result.reason(),
                                   result.detail(), result.field());
           })
      // fields as for evaluate_one; returns (json, text).
      .def("explain", [](const credo::Policy& p, const std::vector<py::tuple>& fields) {
        credo::Record record = MakeRecord(p, fields);
        credo::Explanation e;
        {
          py::gil_scoped_release release;
          e = p.explain(record);
        }
        if (!e.ok()) throw py::value_error(e.error);
        return py::make_tuple(e.json, e.text);
      });

  // Compiling (the JIT's code generation included) runs without the GIL too.
  m.def("compile_text", [](const std::string& text, const std::string& name, const std::string& engine,
                           const std::vector<py::tuple>& references, bool set_aside) {
    credo::CompileOptions options = Options(engine, references, set_aside);
    credo::CompileResult result;
    {
      py::gil_scoped_release release;
      result = credo::Policy::compile_text(text, name, options);
    }
    return CompileResultTuple(std::move(result));
  });
  m.def("compile_file", [](const std::string& path, const std::string& engine,
                           const std::vector<py::tuple>& references, bool set_aside) {
    credo::CompileOptions options = Options(engine, references, set_aside);
    credo::CompileResult result;
    {
      py::gil_scoped_release release;
      result = credo::Policy::compile_file(path, options);
    }
    return CompileResultTuple(std::move(result));
  });
}
