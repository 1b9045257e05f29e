#include "runtime/arrow/arrow_run.h"

#include <algorithm>
#include <bit>
#include <future>
#include <new>
#include <stdexcept>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "runtime/arrow/arrow_input.h"
#include "runtime/arrow/arrow_output.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/exec/runner.h"
#include "runtime/exec/thread_pool.h"

namespace credo::arrow {
namespace {

using rt::Kind;
using Type = ColumnBuilder::Type;

constexpr int64_t kChunkRows = 4096;  // rows evaluated as one InputBatch (a task when parallel)

struct Reject {
  int64_t row;
  std::string reason, detail;
};

// One chunk of the batch on its way through: read, evaluated, its rejects.
struct Chunk {
  ReadBatch read;
  rt::StateBatch state;
  std::vector<Reject> rejects;
};

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

class ArrowRun {
 public:
  ArrowRun(rt::Evaluator& evaluator, const ArrowInput& input)
      : ev_(evaluator), info_(evaluator.info()), input_(input) {}

  // Reads and evaluates chunk `c`, and decides which of its rows are rejected and why: safe on
  // any thread, chunks in any order.
  void Process(Chunk& c, int64_t first) {
    int64_t count = std::min(kChunkRows, input_.rows() - first);
    input_.Read(first, count, c.read);
    ev_.Evaluate(c.read.input, c.state);
    for (size_t r = 0; r < c.state.rows; ++r) {
      int32_t status = c.state.status[r];
      int32_t fail = c.read.fail_field[r];
      if (fail >= 0) {
        const std::string& reason = exec::ParseRejectReason(info_, status, fail, c.read.fail_reason[r]);
        bool own = &reason == &c.read.fail_reason[r];
        AddReject(c, r, reason, own ? c.read.fail_detail[r] : CheckedValue(status, c.read.first + int64_t(r)));
        c.state.status[r] = -1;
      } else if (status > 0) {
        AddReject(c, r, info_.reasons[status].text, CheckedValue(status, c.read.first + int64_t(r)));
        c.state.status[r] = -1;
      }
    }
  }

  // In input order: unique keys (the first occurrence wins) and group ids.
  void Admit(Chunk& c) {
    const rt::InputBatch& in = c.read.input;
    if (!info_.unique_keys.empty()) {
      seen_.resize(info_.unique_keys.size());
      for (size_t r = 0; r < c.state.rows; ++r)
        if (c.state.status[r] == 0 && !Unique(c, r)) c.state.status[r] = -1;
    }
    if (info_.group_key < 0) return;
    const rt::Column& key = in.fields[info_.group_key];
    const rt::ValueType& type = info_.inputs[info_.group_key].type;
    c.read.input.group.assign(in.rows, -1);
    std::string text;
    for (size_t r = 0; r < in.rows; ++r) {
      if (!key.valid[r]) continue;
      text.clear();
      rt::AppendValue(info_, type, key.values[r], true, text);
      auto [it, added] = groups_.try_emplace(text, int32_t(groups_.size()));
      c.read.input.group[r] = it->second;
    }
  }

  void GroupPass(std::vector<Chunk>& chunks, size_t threads) {
    if (info_.group_key < 0) return;
    std::vector<const rt::InputBatch*> inputs;
    std::vector<rt::StateBatch*> states;
    for (auto& c : chunks) {
      inputs.push_back(&c.read.input);
      states.push_back(&c.state);
    }
    exec::RunGroupPass(ev_, groups_.size(), inputs, states, threads);
    for (auto& c : chunks)  // a group-pass error (an overflow) rejects the member
      for (size_t r = 0; r < c.state.rows; ++r)
        if (c.state.status[r] > 0) {
          AddReject(c, r, info_.reasons[c.state.status[r]].text, {});
          c.state.status[r] = -1;
        }
  }

  void WriteOutputs(const std::vector<Chunk>& chunks, ArrowSchema* schema, ArrowArray* array) const {
    StructBuilder out;
    AddOutputColumns(info_, out);
    size_t accepted = 0;
    for (const auto& c : chunks) accepted += size_t(std::count(c.state.status.begin(), c.state.status.end(), 0));
    for (size_t k = 0; k <= info_.outputs.size(); ++k) out.column(k).Reserve(accepted);
    std::string text;
    for (const auto& c : chunks)
      for (size_t r = 0; r < c.state.rows; ++r) {
        if (c.state.status[r] != 0) continue;
        out.column(0).AppendInt(c.read.first + int64_t(r));
        for (size_t k = 0; k < info_.outputs.size(); ++k) {
          int slot = info_.outputs[k].state;
          const rt::ValueType& t = info_.state[slot];
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
              rt::AppendValue(info_, t, v, true, text);
              column.AppendText(text);
          }
        }
      }
    out.Export(accepted, schema, array);
  }

  void WriteRejects(std::vector<Chunk>& chunks, ArrowSchema* schema, ArrowArray* array) const {
    std::vector<Reject> all;
    for (auto& c : chunks)
      for (auto& rj : c.rejects) all.push_back(std::move(rj));
    std::stable_sort(all.begin(), all.end(), [](const Reject& a, const Reject& b) { return a.row < b.row; });
    StructBuilder out;
    AddRejectColumns(out);
    for (size_t k = 0; k < 4; ++k) out.column(k).Reserve(all.size());
    for (const auto& rj : all) {
      out.column(0).AppendInt(rj.row);
      out.column(1).AppendText(info_.inputs.empty() ? std::string() : input_.CellText(0, rj.row));
      out.column(2).AppendText(rj.reason);
      if (rj.detail.empty()) out.column(3).AppendNull();
      else out.column(3).AppendText(rj.detail);
    }
    out.Export(all.size(), schema, array);
  }

 private:
  static void AddReject(Chunk& c, size_t r, std::string reason, std::string detail) {
    c.rejects.push_back({c.read.first + int64_t(r), std::move(reason), std::move(detail)});
  }

  // The value a field's own check rejected (its cell's text), else "".
  std::string CheckedValue(int32_t status, int64_t row) const {
    int field = status > 0 ? info_.reasons[status].field : -1;
    return field >= 0 ? input_.CellText(size_t(field), row) : std::string();
  }

  bool Unique(Chunk& c, size_t r) {
    for (size_t k = 0; k < info_.unique_keys.size(); ++k) {
      int f = info_.unique_keys[k];
      const rt::Column& col = c.read.input.fields[f];
      if (!col.valid[r]) continue;
      std::string key;
      rt::AppendValue(info_, info_.inputs[f].type, col.values[r], true, key);
      if (!seen_[k].insert(key).second) {
        AddReject(c, r, info_.rejects.Format(rt::RejectKind::Duplicate, info_.inputs[f].name), key);
        return false;
      }
    }
    return true;
  }

  rt::Evaluator& ev_;
  const rt::PolicyInfo& info_;
  const ArrowInput& input_;
  std::vector<std::unordered_set<std::string>> seen_;
  std::unordered_map<std::string, int32_t> groups_;
};

}  // namespace

RunStatus EvaluateArrow(rt::Evaluator& evaluator, const ArrowSchema& in_schema, const ArrowArray& in,
                        size_t threads, ArrowSchema* out_schema, ArrowArray* out, ArrowSchema* rejects_schema,
                        ArrowArray* rejects, std::string& error) {
  ArrowInput input;
  if (!input.Bind(evaluator.info(), in_schema, in, error)) return RunStatus::Schema;
  try {
    ArrowRun run(evaluator, input);
    std::vector<Chunk> chunks(size_t((input.rows() + kChunkRows - 1) / kChunkRows));
    threads = std::min(threads, chunks.size());
    if (threads <= 1) {
      for (size_t c = 0; c < chunks.size(); ++c) run.Process(chunks[c], int64_t(c) * kChunkRows);
    } else {
      exec::ThreadPool pool(threads);
      std::vector<std::future<void>> done;
      for (size_t c = 0; c < chunks.size(); ++c)
        done.push_back(pool.Submit([&run, &chunks, c] { run.Process(chunks[c], int64_t(c) * kChunkRows); }));
      for (auto& d : done) d.get();
    }
    for (auto& c : chunks) run.Admit(c);
    run.GroupPass(chunks, std::max<size_t>(threads, 1));
    // Both results are built before either is handed over, so a failure leaves neither written.
    ArrowSchema schema_a{}, schema_b{};
    ArrowArray array_a{}, array_b{};
    run.WriteOutputs(chunks, &schema_a, &array_a);
    try {
      run.WriteRejects(chunks, &schema_b, &array_b);
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
