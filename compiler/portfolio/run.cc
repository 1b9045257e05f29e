// run.cc — RunPortfolio (portfolio.h): the engine's run of a whole input, joined back to its
// records, and the bin each record fell into from the interpreter's trace.
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>

#include <fmt/format.h>

#include "compiler/explain/records.h"
#include "compiler/interp/trace.h"
#include "compiler/portfolio/portfolio.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::portfolio {
namespace {

// Every record of CSV text, header first, as the runner's reader splits it. With `select`, each
// row keeps only the columns it picks from the header (a column of -1 reads as "").
using Select = std::function<std::vector<int>(const std::vector<std::string>&)>;
bool ReadCsv(std::string_view text, std::vector<std::string>& header, std::vector<std::vector<std::string>>& rows,
             std::vector<int64_t>* lines = nullptr, const Select& select = nullptr) {
  std::FILE* in = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  if (!in) return text.empty();
  io::CsvReader reader(in);
  bool ok = reader.ReadHeader(header);
  std::vector<int> keep;
  if (ok && select) keep = select(header);
  io::TextBatch batch;
  while (ok && reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      auto row = batch.row(r);
      if (select) {
        std::vector<std::string> picked;
        for (int c : keep) picked.emplace_back(c >= 0 && size_t(c) < row.size() ? row[size_t(c)] : "");
        rows.push_back(std::move(picked));
      } else {
        rows.emplace_back(row.begin(), row.end());
      }
      if (lines) lines->push_back(batch.line[r]);
    }
  std::fclose(in);
  return ok || text.empty();
}

int ColumnOf(const std::vector<std::string>& header, std::string_view name) {
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c] == name) return int(c);
  return -1;
}

// Rows [begin, end) of `batch` as a batch of their own (strings stay in the same arenas).
rt::InputBatch Slice(const rt::InputBatch& batch, size_t begin, size_t end) {
  rt::InputBatch part;
  part.rows = end - begin;
  part.strings = batch.strings;
  for (const auto& field : batch.fields) {
    rt::Column c;
    c.values.assign(field.values.begin() + long(begin), field.values.begin() + long(end));
    c.valid.assign(field.valid.begin() + long(begin), field.valid.begin() + long(end));
    part.fields.push_back(std::move(c));
  }
  return part;
}

// Each scorecard characteristic's bin and points per accepted record. The bins come from the
// trace of a program lowered with probes, in slices of rows so the trace's memory stays bounded
// (a characteristic depends on its record alone, never on the group pass).
void TraceBins(const Compilation& policy, const explain::Records& records, Run& run) {
  const auto& probes = policy.program->probes;
  struct Place {
    int32_t probe;
    std::vector<int32_t> bins;
    bool number_points;
  };
  std::vector<Place> places;
  const auto& cards = policy.checked->ast().scorecards;
  for (size_t p = 0; p < probes.size(); ++p) {
    if (probes[p].kind != ir::ProbeKind::Characteristic) continue;
    Characteristic ch;
    ch.code = probes[p].name;
    Place place{int32_t(p), {}, false};
    if (probes[p].parent >= 0) ch.card = probes[size_t(probes[p].parent)].name;
    for (size_t k = 0; k < cards.size(); ++k) {
      if (cards[k].name.text != ch.card) continue;
      const auto& scaling = policy.checked->scalings[k];
      place.number_points = scaling.scaled && scaling.rounding != check::Scaling::PerBin;
      for (const auto& c : cards[k].characteristics)
        if (c.code.text == ch.code) ch.title = c.title;
    }
    for (size_t b = p + 1; b < probes.size(); ++b)
      if (probes[b].kind == ir::ProbeKind::Bin && probes[b].parent == int32_t(p)) {
        place.bins.push_back(int32_t(b));
        ch.bins.push_back(probes[b].text);
      }
    ch.bin.assign(records.size(), -1);
    ch.points.assign(records.size(), 0);
    run.characteristics.push_back(std::move(ch));
    places.push_back(std::move(place));
  }
  if (places.empty()) return;
  constexpr size_t kSlice = 2048;
  for (size_t begin = 0; begin < records.size(); begin += kSlice) {
    size_t end = std::min(records.size(), begin + kSlice);
    std::vector<uint8_t> unparsed(records.unparsed.begin() + long(begin), records.unparsed.begin() + long(end));
    Trace trace = TraceBatch(*policy.program, Slice(records.batch, begin, end), unparsed);
    for (size_t k = 0; k < places.size(); ++k) {
      Characteristic& ch = run.characteristics[k];
      const ir::Probe& probe = probes[size_t(places[k].probe)];
      for (size_t r = begin; r < end; ++r) {
        if (!run.accepted(r) || trace.record_status[r - begin] != 0) continue;
        for (size_t b = 0; b < places[k].bins.size(); ++b) {
          int32_t hit = probes[size_t(places[k].bins[b])].hit;
          if (hit >= 0 && trace.Present(hit, r - begin) && trace.Value(hit, r - begin)) {
            ch.bin[r] = int16_t(b);
            break;
          }
        }
        if (probe.value >= 0 && trace.Present(probe.value, r - begin)) {
          int64_t bits = trace.Value(probe.value, r - begin);
          if (places[k].number_points) {
            double d;
            std::memcpy(&d, &bits, 8);
            bits = int64_t(d < 0 ? d - 0.5 : d + 0.5);
          }
          ch.points[r] = bits;
        }
      }
    }
  }
}

}  // namespace

const std::string& Run::Cell(size_t r, int column) const {
  static const std::string kNone;
  if (column < 0 || r >= cells.size() || size_t(column) >= cells[r].size()) return kNone;
  return cells[r][size_t(column)];
}

bool RunPortfolio(const Compilation& policy, std::string path, std::string_view csv, const RunOptions& options,
                  Run& run, std::string& error, bool& input_error) {
  const rt::PolicyInfo& info = policy.program->info;
  input_error = false;
  run = Run{};
  run.path = std::move(path);
  run.name = info.name;
  run.version = info.version;
  if (!DetectRoles(policy, options.roles, run.roles, error)) return false;
  for (const auto& field : info.inputs) run.inputs.push_back(field.name);
  auto values_of = [&](int column) {
    if (column < 0) return std::vector<std::string>{};
    const rt::ValueType& type = info.state[size_t(info.outputs[size_t(column)].state)];
    return type.kind == rt::Kind::Enum ? info.enums[size_t(type.names)].values : std::vector<std::string>{};
  };
  run.decision_values = values_of(run.roles.decision);
  run.grade_values = values_of(run.roles.grade);

  // The engine's run, as `credo run` compiles and runs it (without probes); it also decides
  // whether the input fits the policy.
  Compilation plain = CompileSource(policy.source->path(), policy.source->text());
  if (!plain.ok()) {
    error = "internal error: the policy compiled with probes but not without";
    return false;
  }
  auto evaluator = MakeEvaluator(std::move(*plain.program), options.engine, &error);
  if (!evaluator) return false;
  exec::TextRun text = exec::RunCsvText(*evaluator, csv, {});
  if (text.status != exec::RunStatus::Ok) {
    input_error = text.status == exec::RunStatus::BadInput;
    error = text.error;
    return false;
  }

  // The records as the runner's reader splits them: the line each starts on, its id and
  // outcome cells, found by their header names.
  std::vector<std::string> header;
  int id_col = -1, outcome_col = -1;
  std::vector<int64_t> lines;
  {
    std::vector<std::vector<std::string>> rows;
    ReadCsv(csv, header, rows, &lines, [&](const std::vector<std::string>& h) {
      if (run.roles.id_field >= 0) id_col = ColumnOf(h, info.inputs[size_t(run.roles.id_field)].name);
      if (!options.outcome.empty()) outcome_col = ColumnOf(h, options.outcome);
      return std::vector<int>{id_col, outcome_col};
    });
    if (!options.outcome.empty() && outcome_col < 0) {
      error = fmt::format("--outcome {}: the input has no such column", options.outcome);
      input_error = true;
      return false;
    }
    for (auto& row : rows) {
      run.id.push_back(std::move(row[0]));
      if (outcome_col >= 0) run.outcome.push_back(std::move(row[1]));
    }
  }

  // Join: rejects name their record by line; the output rows are the other records, in order.
  std::vector<std::vector<std::string>> out_rows, reject_rows;
  std::vector<std::string> reject_header;
  if (!ReadCsv(text.out, run.columns, out_rows) || !ReadCsv(text.rejects, reject_header, reject_rows)) {
    error = "internal error: the run's output could not be read back";
    return false;
  }
  text = exec::TextRun{};  // its text is parsed: free it before the bins are traced
  int line_col = ColumnOf(reject_header, "line"), reason_col = ColumnOf(reject_header, "reason");
  std::map<int64_t, std::string> rejected;
  for (const auto& row : reject_rows)
    if (line_col >= 0 && reason_col >= 0 && size_t(std::max(line_col, reason_col)) < row.size())
      rejected[std::stoll(row[size_t(line_col)])] = row[size_t(reason_col)];
  size_t n = lines.size(), next = 0;
  run.line = std::move(lines);
  run.reject.resize(n);
  run.cells.resize(n);
  for (size_t r = 0; r < n; ++r) {
    if (auto it = rejected.find(run.line[r]); it != rejected.end()) {
      run.reject[r] = it->second.empty() ? "(rejected)" : it->second;
    } else if (next < out_rows.size()) {
      run.cells[r] = std::move(out_rows[next++]);
    } else {
      error = fmt::format("internal error: record {} (line {}) is neither in the output nor in the rejects", r + 1,
                          run.line[r]);
      return false;
    }
  }
  if (next != out_rows.size() || rejected.size() + next != n) {
    error = fmt::format("internal error: the run wrote {} output and {} reject rows for {} records", out_rows.size(),
                        rejected.size(), n);
    return false;
  }

  if (options.bins) {
    explain::Records records;
    if (!explain::ReadRecords(info, csv, records, error)) {
      input_error = true;
      return false;
    }
    if (records.size() != n) {
      error = fmt::format("internal error: {} records traced, {} run", records.size(), n);
      return false;
    }
    TraceBins(policy, records, run);
  }
  return true;
}

}  // namespace credo::portfolio
