// run.cc — RunPortfolio (portfolio.h): the engine's run of a whole input, joined back to its
// records, and the bin each record fell into from the interpreter's trace.
#include <cstdio>
#include <cstring>
#include <functional>
#include <span>
#include <map>

#include <fmt/format.h>

#include "compiler/explain/records.h"
#include "compiler/interp/trace.h"
#include "compiler/portfolio/portfolio.h"
#include "runtime/exec/record_reader.h"
#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::portfolio {
namespace {

// Reads the run's own CSV output (or rejects) text: the header, then each record's fields.
// False when the text has no header.
using RowFn = std::function<void(std::span<const std::string_view> row, int64_t line)>;
bool ReadCsv(std::string_view text, std::vector<std::string>& header, const RowFn& row_fn) {
  std::FILE* in = text.empty() ? nullptr : fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  if (!in) return false;
  io::CsvReader reader(in);
  bool ok = reader.ReadHeader(header);
  io::TextBatch batch;
  while (ok && reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) row_fn(batch.row(r), batch.line[r]);
  std::fclose(in);
  return ok;
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
void TraceBins(const Compilation& policy, const explain::Records& records,
               const std::shared_ptr<const rt::References>& references, Run& run) {
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
    Trace trace = TraceBatch(*policy.program, Slice(records.batch, begin, end), unparsed, references);
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

// The references `program` declares, from options.references (null when it declares none).
// Rows that fail their checks are set aside, and counted in `stats`.
bool LoadPortfolioReferences(const ir::Program& program, const RunOptions& options,
                             std::shared_ptr<const rt::References>& references, std::vector<ReferenceLoadStats>& stats,
                             std::string& error, RunFailure& failure) {
  if (program.info.references.empty()) return true;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> discard(std::fopen("/dev/null", "wb"), std::fclose);
  if (!discard) {
    error = "cannot open /dev/null for the reference rows set aside";
    failure = RunFailure::Read;
    return false;
  }
  bool io_failure = false;
  references = LoadReferences(program, options.references, discard.get(), stats, error, &io_failure);
  if (references) return true;
  failure = io_failure ? RunFailure::Read : RunFailure::Reference;
  return false;
}

// The records of `text` as the run's reader splits and numbers them (exec::RecordReader): into
// `lines` the line each starts on, into run.id and run.outcome its id and outcome cells, found by
// name (a CSV header's, a JSON Lines record's keys). False with `error` when the input does not
// fit: no outcome column in a CSV header, no record with the outcome key in JSON Lines.
bool ReadRecordKeys(const rt::PolicyInfo& info, std::string_view text, const RunOptions& options,
                    const exec::ColumnOptions& columns, std::vector<int64_t>& lines, Run& run, std::string& error) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(fmemopen(const_cast<char*>(text.data()), text.size(), "r"),
                                                    std::fclose);
  if (!in) {
    error = "cannot read the input from memory";
    return false;
  }
  std::vector<std::string> extra;
  if (!options.outcome.empty()) extra.push_back(options.outcome);
  exec::RecordReader reader(in.get(), info, options.format, columns, extra);
  if (!reader.Start(error)) return false;  // (the engine's run read the same header)
  int id_cell = run.roles.id_field >= 0 ? int(reader.columns().column_of[size_t(run.roles.id_field)]) : -1;
  int outcome_cell = options.outcome.empty() ? -1 : reader.extra_cell(0);
  if (!options.outcome.empty() && outcome_cell < 0) {
    error = fmt::format("--outcome {}: the input has no such column", options.outcome);
    return false;
  }
  auto cell = [](std::span<const std::string_view> row, int c) {
    return c >= 0 && size_t(c) < row.size() ? std::string(row[size_t(c)]) : std::string();
  };
  bool any_outcome = false;
  io::TextBatch batch;
  while (reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      lines.push_back(batch.line[r]);
      run.id.push_back(cell(batch.row(r), id_cell));
      if (outcome_cell >= 0) {
        run.outcome.push_back(cell(batch.row(r), outcome_cell));
        any_outcome = any_outcome || !run.outcome.back().empty();
      }
    }
  // JSON Lines has no header: a key no record has is the missing column.
  if (options.format == exec::Format::Jsonl && outcome_cell >= 0 && !any_outcome) {
    error = fmt::format("--outcome {}: no record of the input has the key '{}'", options.outcome, options.outcome);
    return false;
  }
  return true;
}

}  // namespace

std::string_view Run::Cell(size_t r, int column) const {
  if (column < 0 || size_t(column) >= columns.size() || r >= first_cell.size() || first_cell[r] < 0) return {};
  size_t at = size_t(first_cell[r]) + size_t(column);
  uint64_t begin = at == 0 ? 0 : cell_end[at - 1];
  return std::string_view(cell_text).substr(begin, cell_end[at] - begin);
}

bool RunPortfolio(const Compilation& policy, std::string path, std::string_view text, const RunOptions& options,
                  Run& run, std::string& error, RunFailure& failure) {
  const rt::PolicyInfo& info = policy.program->info;
  failure = RunFailure::Policy;
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
  if (text.empty()) {
    error = options.format == exec::Format::Csv ? "the input is empty: it needs a header line"
                                                : "the input is empty: it has no records";
    failure = RunFailure::Input;
    return false;
  }

  // The engine's run, as `credo run` compiles and runs it (without probes); it also decides
  // whether the input fits the policy. Each program loads the reference data for itself: their
  // lookups read columns of their own.
  Compilation plain = CompileSource(policy.source->path(), policy.source->text());
  if (!plain.ok()) {
    error = "internal error: the policy compiled with probes but not without";
    failure = RunFailure::Internal;
    return false;
  }
  std::shared_ptr<const rt::References> plain_references, probed_references;
  if (!LoadPortfolioReferences(*plain.program, options, plain_references, run.references, error, failure)) return false;
  auto evaluator = MakeEvaluator(std::move(*plain.program), options.engine, &error);
  if (!evaluator) return false;
  evaluator->SetReferences(plain_references);
  exec::RunOptions run_options;
  run_options.in_format = options.format;
  run_options.columns.strict = options.strict;
  exec::TextRun engine_run = exec::RunCsvText(*evaluator, text, run_options);
  if (engine_run.status != exec::RunStatus::Ok) {
    failure = engine_run.status == exec::RunStatus::BadInput ? RunFailure::Input : RunFailure::Policy;
    error = engine_run.error;
    return false;
  }

  // The records as the run's reader splits and numbers them.
  std::vector<int64_t> lines;
  if (!ReadRecordKeys(info, text, options, run_options.columns, lines, run, error)) {
    failure = RunFailure::Input;
    return false;
  }

  // Join: rejects name their record by line; the output rows are the other records, in order.
  std::vector<std::string> reject_header;
  std::map<int64_t, std::string> rejected;
  int line_col = -1, reason_col = -1;
  ReadCsv(engine_run.rejects, reject_header, [&](std::span<const std::string_view> row, int64_t) {
    if (line_col < 0) line_col = ColumnOf(reject_header, "line"), reason_col = ColumnOf(reject_header, "reason");
    if (line_col >= 0 && reason_col >= 0 && size_t(std::max(line_col, reason_col)) < row.size())
      rejected[std::strtoll(std::string(row[size_t(line_col)]).c_str(), nullptr, 10)] = row[size_t(reason_col)];
  });
  size_t n = lines.size();
  run.line = std::move(lines);
  run.reject.resize(n);
  run.first_cell.assign(n, -1);
  size_t next = 0, written = 0;
  bool lost = false;
  auto skip_rejected = [&] {
    while (next < n && rejected.count(run.line[next])) {
      const std::string& why = rejected[run.line[next]];
      run.reject[next++] = why.empty() ? "(rejected)" : why;
    }
  };
  ReadCsv(engine_run.out, run.columns, [&](std::span<const std::string_view> row, int64_t) {
    skip_rejected();
    ++written;
    if (next >= n) {
      lost = true;
      return;
    }
    run.first_cell[next++] = int64_t(run.cell_end.size());
    for (std::string_view c : row) {
      run.cell_text += c;
      run.cell_end.push_back(run.cell_text.size());
    }
  });
  skip_rejected();
  engine_run = exec::TextRun{};  // read: free its text before the bins are traced
  if (lost || next != n || written + rejected.size() != n) {
    error = fmt::format("internal error: the run wrote {} output and {} reject rows for {} records", written,
                        rejected.size(), n);
    failure = RunFailure::Internal;
    return false;
  }

  if (options.bins) {
    std::vector<ReferenceLoadStats> again;  // the same rows set aside as for the engine's program
    if (!LoadPortfolioReferences(*policy.program, options, probed_references, again, error, failure)) return false;
    explain::Records records;
    explain::ReadOptions how{.format = options.format, .columns = run_options.columns};
    if (!explain::ReadRecords(info, text, how, records, error)) {
      failure = RunFailure::Input;
      return false;
    }
    if (records.size() != n) {
      error = fmt::format("internal error: {} records traced, {} run", records.size(), n);
      failure = RunFailure::Internal;
      return false;
    }
    TraceBins(policy, records, probed_references, run);
  }
  return true;
}

}  // namespace credo::portfolio
