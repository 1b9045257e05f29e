// The C++ API gives what `credo run` gives: for every repository policy with committed run
// files, on both engines, a Batch of the input's columns writes expected.csv and rejects.csv
// exactly, and each record evaluated alone (from CSV text, typed values and JSON) gets the run's
// row or reject — or, when its outcome depends on other records (a group of several, a `unique`
// key that repeats), what a batch of that record alone gets.
#include <catch2/catch.hpp>

#include <credo/credo.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <regex>

#include "runtime/io/csv.h"
#include "tests/unit/api_cases.h"

namespace {

using credo::testdata::CsvLine;
using credo::testdata::CsvRows;
using credo::testdata::ReadCsvRows;
using credo::testdata::ReadText;


// The output row `credo run` writes for an accepted result.
std::string OutputRow(const credo::Result& r) {
  std::vector<std::string> cells;
  for (size_t o = 0; o < r.size(); ++o) cells.push_back(r.get(o).to_string());
  return CsvLine(cells);
}

// What a single evaluation is compared by: the output row, or the reject reason.
std::string Outcome(const credo::Result& r) {
  if (r.accepted()) return "accepted " + OutputRow(r);
  if (r.outcome() == credo::Outcome::rejected) return "rejected " + r.reason();
  return "error " + r.reason();
}

std::string Outcome(const credo::BatchResult& b) {
  if (!b.ok()) return "error " + b.error;
  if (b.rows() == 1) {
    std::string csv = b.to_csv();
    csv.pop_back();
    return "accepted " + csv.substr(csv.find('\n') + 1);
  }
  return b.rejects.empty() ? "nothing" : "rejected " + b.rejects[0].reason;
}

// `text` as a JSON value of a field of kind `kind`, or false when JSON has no such value for it
// (a numeric cell that is not a JSON number, a bool spelt other than true/false).
bool JsonValue(const std::string& text, credo::ValueKind kind, std::string& out) {
  using K = credo::ValueKind;
  static const std::regex number(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  if (text.empty()) {
    out += "null";
    return true;
  }
  if (kind == K::integer || kind == K::decimal || kind == K::number) {
    // Numbers beyond a double's range (1e400) are request errors in JSON (test_api.cc).
    if (!std::regex_match(text, number) || !std::isfinite(std::strtod(text.c_str(), nullptr))) return false;
    out += text;
    return true;
  }
  if (kind == K::boolean) {
    if (text != "true" && text != "false") return false;
    out += text;
    return true;
  }
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    if (c == '\r') {
      out += "\\r";
      continue;
    }
    out += c;
  }
  out += '"';
  return true;
}

// The record from typed values where a cell reads as one (decimals, ints, dates, strings, enum
// names), from text otherwise.
void SetTyped(credo::Record& rec, const credo::Description& d, const std::vector<std::string>& cells) {
  using K = credo::ValueKind;
  for (size_t f = 0; f < cells.size(); ++f) {
    const std::string& cell = cells[f];
    const credo::InputInfo& in = d.inputs[f];
    if (cell.empty()) {
      rec.set(f, credo::Missing{});
      continue;
    }
    if (in.kind == K::decimal && !in.percent) {
      if (auto dec = credo::Decimal::parse(cell)) {
        rec.set(f, *dec);
        continue;
      }
    } else if (in.kind == K::integer) {
      int64_t v;
      auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec == std::errc() && end == cell.data() + cell.size() && cell[0] != '+') {
        rec.set(f, v);
        continue;
      }
    } else if (in.kind == K::date) {
      if (auto date = credo::Date::parse(cell)) {
        rec.set(f, *date);
        continue;
      }
    } else if (in.kind == K::string || in.kind == K::enumeration) {
      rec.set(f, std::string_view(cell));
      continue;
    } else if (in.kind == K::boolean && (cell == "true" || cell == "false")) {
      rec.set(f, cell == "true");
      continue;
    }
    rec.set_text(f, cell);
  }
}

// Records whose outcome depends on other records of the file: a group key or a `unique` key
// whose value appears more than once.
std::vector<bool> DependsOnOthers(const credo::Description& d, const CsvRows& rows) {
  std::vector<size_t> keys;
  for (size_t f = 0; f < d.inputs.size(); ++f) {
    bool group = d.group_key && *d.group_key == d.inputs[f].name;
    bool unique = std::find(d.unique_keys.begin(), d.unique_keys.end(), d.inputs[f].name) != d.unique_keys.end();
    if (group || unique) keys.push_back(f);
  }
  std::vector<bool> depends(rows.size(), false);
  for (size_t f : keys) {
    std::map<std::string, int> count;
    for (size_t r = 0; r < rows.size(); ++r)
      if (!rows.malformed[r] && !rows.cells[r][f].empty()) ++count[rows.cells[r][f]];
    for (size_t r = 0; r < rows.size(); ++r)
      if (!rows.malformed[r] && !rows.cells[r][f].empty() && count[rows.cells[r][f]] > 1) depends[r] = true;
  }
  return depends;
}

void CheckCase(const credo::testdata::RunCase& c, credo::Engine engine, size_t& json_compared) {
  INFO("policy " << c.name() << (engine == credo::Engine::jit ? " (jit)" : " (interpreter)"));
  credo::CompileOptions options{.engine = engine};
  // Reference data as the run was given it (--ref NAME=FILE --ref-rejects: bad rows set aside).
  for (const auto& [name, file] : c.references) options.references[name] = credo::ReferenceData::file(file);
  options.set_aside_bad_reference_rows = true;
  credo::CompileResult compiled = credo::Policy::compile_file(c.policy.string(), options);
  INFO(compiled.error);
  REQUIRE(compiled.ok());
  const credo::Policy& policy = *compiled.policy;
  const credo::Description& d = policy.describe();
  CsvRows rows = ReadCsvRows(c.input);
  std::vector<std::string> names;
  for (const auto& in : d.inputs) names.push_back(in.name);
  if (rows.header != names) return;  // the run refuses such an input as a whole (tests/cli cover it)

  // The run's rejects, by line.
  CsvRows rejects = ReadCsvRows(c.rejects);
  std::map<int64_t, std::string> reject_at;  // line → reason
  std::map<int64_t, std::string> reject_id;
  for (const auto& cells : rejects.cells) {
    reject_at[std::stoll(cells[0])] = cells[2];
    reject_id[std::stoll(cells[0])] = cells[1];
  }

  // ---- the whole input as one batch, columns of text -------------------------------------------
  std::vector<size_t> batch_rows;  // batch row → input record
  for (size_t r = 0; r < rows.size(); ++r)
    if (!rows.malformed[r]) batch_rows.push_back(r);
  std::vector<std::vector<std::string_view>> columns(names.size());
  for (size_t r : batch_rows)
    for (size_t f = 0; f < names.size(); ++f) columns[f].push_back(rows.cells[r][f]);
  credo::Batch batch(policy);
  for (size_t f = 0; f < names.size(); ++f) batch.set_text(names[f], columns[f]);
  REQUIRE(batch.error() == "");
  for (size_t threads : {size_t(1), size_t(2)}) {
    credo::BatchResult out = policy.evaluate(batch, threads);
    REQUIRE(out.ok());
    CHECK(out.to_csv() == ReadText(c.expected));
    std::string got = "line," + d.inputs[0].name + ",reason\n", want = got;
    std::map<int64_t, std::string> got_rows;
    for (const auto& rj : out.rejects)
      got_rows[rows.line[batch_rows[rj.row]]] = CsvLine({rj.id, rj.reason});
    for (const auto& [line, reason] : reject_at) {
      size_t r = std::find(rows.line.begin(), rows.line.end(), line) - rows.line.begin();
      if (r < rows.size() && rows.malformed[r]) continue;  // a CSV-level reject: no batch row
      want += std::to_string(line) + "," + CsvLine({reject_id[line], reason}) + "\n";
    }
    for (const auto& [line, row] : got_rows) got += std::to_string(line) + "," + row + "\n";
    CHECK(got == want);
    CHECK(out.rows() + out.rejects.size() == batch_rows.size());
  }

  // ---- each record alone ---------------------------------------------------------------------------
  std::vector<std::string> expected_rows;
  {
    CsvRows expected = ReadCsvRows(c.expected);
    for (const auto& cells : expected.cells) expected_rows.push_back(CsvLine(cells));
  }
  std::vector<bool> depends = DependsOnOthers(d, rows);
  size_t accepted = 0;
  credo::Result text_result, typed_result, json_result;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows.malformed[r]) continue;
    INFO("line " << rows.line[r]);
    const auto& cells = rows.cells[r];
    credo::Record rec = policy.record();
    for (size_t f = 0; f < cells.size(); ++f) rec.set_text(f, cells[f]);
    policy.evaluate(rec, text_result);
    bool run_accepted = !reject_at.count(rows.line[r]);
    std::string run = run_accepted ? "accepted " + expected_rows.at(accepted) : "rejected " + reject_at[rows.line[r]];
    if (run_accepted) ++accepted;
    if (!depends[r]) {
      CHECK(Outcome(text_result) == run);
    } else {  // alone, as a batch of one: a group of one, no earlier key
      credo::Batch one(policy);
      one.add(rec);
      CHECK(Outcome(text_result) == Outcome(policy.evaluate(one)));
    }

    credo::Record typed = policy.record();
    SetTyped(typed, d, cells);
    policy.evaluate(typed, typed_result);
    CHECK(typed_result.to_json() == text_result.to_json());

    std::string json = "{";
    bool representable = true;
    for (size_t f = 0; f < cells.size() && representable; ++f) {
      if (f) json += ',';
      json += '"' + names[f] + "\":";
      representable = JsonValue(cells[f], d.inputs[f].kind, json);
    }
    json += '}';
    if (!representable) continue;
    ++json_compared;
    policy.evaluate_json(json, json_result);
    INFO(json);
    CHECK(json_result.to_json() == text_result.to_json());
  }
  CHECK(accepted == expected_rows.size());
}

}  // namespace

TEST_CASE("api: batches and single records give what credo run gives, for every policy", "[api]") {
  auto cases = credo::testdata::RunCases();
  REQUIRE(cases.size() >= 7);
  size_t json_compared = 0;
  for (const auto& c : cases)
    for (credo::Engine engine : {credo::Engine::jit, credo::Engine::interpreter}) CheckCase(c, engine, json_compared);
  CHECK(json_compared > 10000);  // most records have a JSON form
}
