#include "runtime/arrow/arrow_run.h"

#include <algorithm>
#include <bit>
#include <new>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "runtime/arrow/arrow_input.h"
#include "runtime/arrow/arrow_output.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/exec/batch_run.h"
#include "runtime/exec/reject_detail.h"

namespace credo::arrow {
namespace {

using rt::Kind;
using Type = ColumnBuilder::Type;

Type OutputType(const rt::ValueType& type) {
  switch (type.kind) {
    case Kind::Int: return Type::Int64;
    case Kind::Number: return Type::Float64;
    case Kind::Decimal: return Type::Decimal128;
    case Kind::Date: return Type::Date32;
    case Kind::Bool: return Type::Bool;
    default: return Type::Utf8;  // strings, enums (by name), code lists (as credo run writes them)
  }
}

void AddOutputColumns(const rt::PolicyInfo& info, StructBuilder& out) {
  out.Add("input_row", Type::Int64, false);
  for (const auto& o : info.outputs) {
    const rt::ValueType& t = info.state[o.state];
    out.Add(o.name, OutputType(t), t.optional, t.scale);
  }
}

void AddRejectColumns(StructBuilder& out) {
  out.Add("input_row", Type::Int64, false);
  out.Add("id", Type::Utf8, false);
  out.Add("reason", Type::Utf8, false);
  out.Add("detail", Type::Utf8, true);
}

void WriteOutputs(const rt::PolicyInfo& info, const exec::BatchRun& run, ArrowSchema* schema, ArrowArray* array) {
  StructBuilder out;
  AddOutputColumns(info, out);
  for (size_t k = 0; k <= info.outputs.size(); ++k) out.column(k).Reserve(run.accepted);
  std::string text;
  for (const auto& c : run.chunks)
    for (size_t r = 0; r < c.state.rows; ++r) {
      if (c.state.status[r] != 0) continue;
      out.column(0).AppendInt(c.read.first + int64_t(r));
      for (size_t k = 0; k < info.outputs.size(); ++k) {
        int slot = info.outputs[k].state;
        const rt::ValueType& t = info.state[slot];
        const rt::Column& col = c.state.slots[slot];
        ColumnBuilder& column = out.column(k + 1);
        int64_t v = col.values[r];
        if (t.optional && !col.valid[r]) {
          column.AppendNull();
          continue;
        }
        switch (t.kind) {
          case Kind::Number: column.AppendDouble(std::bit_cast<double>(v)); break;
          case Kind::Date:  // credo run writes no date outside 0000..9999: an empty cell
            if (rt::InDateRange(v)) column.AppendInt(v);
            else column.AppendNull();
            break;
          case Kind::Int:
          case Kind::Decimal:
          case Kind::Bool: column.AppendInt(v); break;
          default:
            text.clear();
            rt::AppendValue(info, t, v, true, text);
            column.AppendText(text);
        }
      }
    }
  out.Export(run.accepted, schema, array);
}

// The rejects; a reject's detail is credo run's detail column's words (null when there are none).
void WriteRejects(const rt::PolicyInfo& info, const ArrowInput& input, const exec::BatchRun& run,
                  ArrowSchema* schema, ArrowArray* array) {
  StructBuilder out;
  AddRejectColumns(out);
  for (size_t k = 0; k < 4; ++k) out.column(k).Reserve(run.rejects.size());
  auto cell = [&](size_t field, int64_t row) { return input.CellText(field, row); };
  for (const auto& rj : run.rejects) {
    out.column(0).AppendInt(rj.row);
    out.column(1).AppendText(info.inputs.empty() ? std::string() : input.CellText(0, rj.row));
    out.column(2).AppendText(rj.reason);
    std::string detail = exec::BatchRejectDetail(info, run, rj, cell);
    if (detail.empty()) out.column(3).AppendNull();
    else out.column(3).AppendText(detail);
  }
  out.Export(run.rejects.size(), schema, array);
}

}  // namespace

RunStatus EvaluateArrow(rt::Evaluator& evaluator, const ArrowSchema& in_schema, const ArrowArray& in,
                        size_t threads, ArrowSchema* out_schema, ArrowArray* out, ArrowSchema* rejects_schema,
                        ArrowArray* rejects, std::string& error) {
  ArrowInput input;
  if (!input.Bind(evaluator.info(), in_schema, in, error)) return RunStatus::Schema;
  try {
    exec::BatchRun run = exec::RunBatch(evaluator, input, threads);
    // Both results are built before either is handed over, so a failure leaves neither written.
    ArrowSchema schema_a{}, schema_b{};
    ArrowArray array_a{}, array_b{};
    WriteOutputs(evaluator.info(), run, &schema_a, &array_a);
    try {
      WriteRejects(evaluator.info(), input, run, &schema_b, &array_b);
    } catch (...) {
      schema_a.release(&schema_a);
      array_a.release(&array_a);
      throw;
    }
    *out_schema = schema_a;
    *out = array_a;
    *rejects_schema = schema_b;
    *rejects = array_b;
    return RunStatus::Ok;
  } catch (const std::system_error& e) {
    error = fmt::format("cannot start the worker threads: {}", e.what());
  } catch (const std::bad_alloc&) {
    error = "out of memory while evaluating the batch";
  } catch (const std::length_error& e) {
    error = fmt::format("the batch is too large: {}", e.what());
  }
  return RunStatus::Resource;
}

void InputSchema(const rt::PolicyInfo& info, ArrowSchema* out) {
  StructBuilder columns;
  for (const auto& field : info.inputs) {
    const rt::ValueType& t = field.type;
    // A percent field reads a percentage (12.5 means 12.5 %), as its CSV cell does.
    int scale = field.percent ? rt::kPercentDigits : t.scale;
    columns.Add(field.name, OutputType(t), t.optional, scale);
  }
  columns.ExportSchema(out);
}

void OutputSchema(const rt::PolicyInfo& info, ArrowSchema* out) {
  StructBuilder columns;
  AddOutputColumns(info, columns);
  columns.ExportSchema(out);
}

void RejectsSchema(ArrowSchema* out) {
  StructBuilder columns;
  AddRejectColumns(columns);
  columns.ExportSchema(out);
}

}  // namespace credo::arrow
