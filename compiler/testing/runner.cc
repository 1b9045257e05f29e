// Runs test units through exec::RunCsvText and checks their expectations. A unit's records are
// rows 2, 3, ... of its CSV (a test file's values never span lines), so a reject's line names
// its case; the accepted ones are the output rows, in order.
#include "compiler/testing/runner.h"

#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "runtime/exec/runner.h"
#include "runtime/io/csv.h"

namespace credo::testing {

namespace {

// The rows of CSV text (the header included), read by the CSV reader `credo run` uses.
std::vector<std::vector<std::string>> ReadCsvText(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  if (text.empty()) return rows;
  std::FILE* in = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
  if (!in) return rows;
  io::CsvReader reader(in);
  std::vector<std::string> header;
  if (reader.ReadHeader(header)) rows.push_back(header);
  io::TextBatch batch;
  while (reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      auto fields = batch.row(r);
      rows.emplace_back(fields.begin(), fields.end());
    }
  std::fclose(in);
  return rows;
}

void AppendRow(std::string& out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    io::AppendCsvField(out, cells[i]);
  }
  out += '\n';
}

}  // namespace

std::string UnitCsv(const rt::PolicyInfo& info, const BoundFile& file, const RunUnit& unit) {
  std::vector<std::string> header;
  for (const auto& f : info.inputs) header.push_back(f.name);
  std::string csv;
  AppendRow(csv, header);
  for (size_t c : unit.cases) AppendRow(csv, file.cases[c].cells);
  return csv;
}

UnitOutcome RunUnitCsv(rt::Evaluator& evaluator, const BoundFile& file, const RunUnit& unit) {
  UnitOutcome outcome;
  exec::RunOptions options;
  options.threads = 1;
  exec::TextRun run = exec::RunCsvText(evaluator, UnitCsv(evaluator.info(), file, unit), options);
  if (run.status != exec::RunStatus::Ok) {
    outcome.error = run.error;
    return outcome;
  }
  outcome.records.resize(unit.cases.size());
  auto rejects = ReadCsvText(run.rejects);
  for (size_t r = 1; r < rejects.size(); ++r) {
    size_t index = size_t(std::stoll(rejects[r][0])) - 2;  // line 2 is the first record
    if (index < outcome.records.size() && rejects[r].size() >= 3) outcome.records[index] = {true, rejects[r][2], {}};
  }
  auto rows = ReadCsvText(run.out);
  size_t next = 1;  // rows[0] is the header
  for (auto& record : outcome.records)
    if (!record.rejected && next < rows.size()) record.row = std::move(rows[next++]);
  for (const std::string& text : run.group_outputs) {
    auto group_rows = ReadCsvText(text);
    if (!group_rows.empty()) group_rows.erase(group_rows.begin());
    outcome.group_rows.push_back(std::move(group_rows));
  }
  return outcome;
}

namespace {

// The mismatches and diff of one case on one engine's outcome.
Failure CheckCase(const rt::PolicyInfo& info, const BoundCase& bound, const Outcome& got) {
  Failure f;
  const BoundCheck* reject = nullptr;
  for (const auto& check : bound.checks)
    if (check.expect->target == Expectation::Target::Reject) reject = &check;
  if (got.rejected) {
    if (!reject) {
      f.mismatches.push_back({"", "", got.reason, Mismatch::Got::Rejected});
    } else if (reject->expect->expected != got.reason) {
      f.mismatches.push_back({"reject", reject->expect->expected, got.reason, Mismatch::Got::Value});
    }
    if (!f.mismatches.empty()) {
      if (reject) f.diff.push_back({'-', "reject", reject->expect->expected});
      f.diff.push_back({'+', "reject", got.reason});
    }
    return f;
  }
  if (reject) {
    f.mismatches.push_back({"reject", reject->expect->expected, "", Mismatch::Got::Accepted});
    f.diff.push_back({'-', "reject", reject->expect->expected});
  }
  std::map<int, const Expectation*> expected;  // output column -> its expectation
  for (const auto& check : bound.checks)
    if (check.column >= 0) expected[check.column] = check.expect;
  for (const auto& [column, e] : expected) {
    const std::string& actual = got.row.at(size_t(column));
    if (actual != e->expected) f.mismatches.push_back({e->column, e->expected, actual, Mismatch::Got::Value});
  }
  if (f.mismatches.empty()) return f;
  for (size_t c = 0; c < info.outputs.size() && c < got.row.size(); ++c) {
    auto it = expected.find(int(c));
    if (it != expected.end() && it->second->expected != got.row[c]) {
      f.diff.push_back({'-', info.outputs[c].name, it->second->expected});
      f.diff.push_back({'+', info.outputs[c].name, got.row[c]});
    } else {
      f.diff.push_back({' ', info.outputs[c].name, got.row[c]});
    }
  }
  return f;
}

// The group block's own expectations: cells of per-group output rows, found by their key.
Failure CheckGroupRows(const rt::PolicyInfo& info, const RunUnit& unit, const UnitOutcome& got) {
  Failure f;
  // Each row an expectation names, once, for the diff: (output, key) -> row or null.
  std::map<std::pair<int, std::string>, const std::vector<std::string>*> rows;
  std::vector<std::pair<int, std::string>> row_order;
  for (const auto& check : unit.checks) {
    const Expectation& e = *check.expect;
    const std::vector<std::string>* row = nullptr;
    for (const auto& r : got.group_rows.at(size_t(check.output)))
      if (r.at(size_t(check.key_column)) == e.key) row = &r;
    auto key = std::make_pair(check.output, e.key);
    if (!rows.count(key)) row_order.push_back(key);
    rows[key] = row;
    if (!row) f.mismatches.push_back({e.Label(), e.expected, "", Mismatch::Got::NoRow});
    else if (row->at(size_t(check.column)) != e.expected)
      f.mismatches.push_back({e.Label(), e.expected, row->at(size_t(check.column)), Mismatch::Got::Value});
  }
  if (f.mismatches.empty()) return f;
  for (const auto& key : row_order) {
    const rt::GroupOutput& output = info.group_outputs[size_t(key.first)];
    const std::vector<std::string>* row = rows[key];
    auto label = [&](const std::string& column) { return fmt::format("{}[{}].{}", output.name, key.second, column); };
    for (size_t c = 0; c < output.columns.size(); ++c) {
      const Expectation* e = nullptr;
      for (const auto& check : unit.checks)
        if (check.output == key.first && check.expect->key == key.second && check.column == int(c)) e = check.expect;
      std::string actual = row && c < row->size() ? (*row)[c] : "";
      if (e && (!row || actual != e->expected)) {
        f.diff.push_back({'-', label(output.columns[c].name), e->expected});
        if (row) f.diff.push_back({'+', label(output.columns[c].name), actual});
      } else if (row) {
        f.diff.push_back({' ', label(output.columns[c].name), actual});
      }
    }
    if (!row) f.diff.push_back({'+', fmt::format("{}[{}]", output.name, key.second), "(no row)"});
  }
  return f;
}

// Whether two engines failed alike (the engine tag aside).
bool SameFailure(const Failure& a, const Failure& b) { return a.mismatches == b.mismatches && a.diff == b.diff; }

// One result from the per-engine failures: none, one shared by every engine (untagged), or one
// per engine that failed, tagged with its name.
void Merge(std::vector<Failure> per_engine, const std::vector<EngineOutcome>& outcomes, CaseResult& result) {
  bool any = false, alike = true;
  for (const auto& f : per_engine) any |= !f.mismatches.empty();
  for (const auto& f : per_engine) alike &= SameFailure(f, per_engine[0]);
  if (!any) return;
  if (alike) {
    result.failures.push_back(std::move(per_engine[0]));
    return;
  }
  for (size_t e = 0; e < per_engine.size(); ++e) {
    if (per_engine[e].mismatches.empty()) continue;
    per_engine[e].engine = outcomes[e].engine;
    result.failures.push_back(std::move(per_engine[e]));
  }
}

}  // namespace

std::vector<CaseResult> CheckUnit(const rt::PolicyInfo& info, const TestFile& tests, const BoundFile& file,
                                  const RunUnit& unit, const std::vector<EngineOutcome>& outcomes) {
  std::string group = unit.group >= 0 ? tests.groups[size_t(unit.group)].name : "";
  std::vector<CaseResult> results;
  for (size_t i = 0; i < unit.cases.size(); ++i) {
    const BoundCase& bound = file.cases[unit.cases[i]];
    CaseResult result{bound.def->name, group, false, bound.def->line, {}};
    std::vector<Failure> per_engine;
    for (const auto& o : outcomes) per_engine.push_back(CheckCase(info, bound, o.outcome.records.at(i)));
    Merge(std::move(per_engine), outcomes, result);
    results.push_back(std::move(result));
  }
  if (!unit.checks.empty()) {
    const GroupDef& g = tests.groups[size_t(unit.group)];
    CaseResult result{g.name, g.name, true, g.line, {}};
    std::vector<Failure> per_engine;
    for (const auto& o : outcomes) per_engine.push_back(CheckGroupRows(info, unit, o.outcome));
    Merge(std::move(per_engine), outcomes, result);
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace credo::testing
