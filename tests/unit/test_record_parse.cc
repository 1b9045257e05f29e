// RecordParser (runtime/exec/record_parse.h) against ParseBatch, the reference: the same records,
// read whole by ReadRecordText or split by ReadBatch, must give the same fields, failures, ids and
// kept cells, for random cells of every kind, good and bad, in any column order.
#include <catch2/catch.hpp>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "compiler/driver/compile.h"
#include "runtime/exec/columns.h"
#include "runtime/exec/record_parse.h"
#include "runtime/io/csv.h"

namespace {

const char* kPolicy = R"(policy p version "1"
enum Color { red, green, r, re, redd, manufacturing, manufacturing_x, manufacturinh, technology_services, technologyservices }
input A {
  id: string
  n: int
  m: money?
  d: decimal(4)
  x: number?
  c: Color?
  b: bool?
  p: percent?
  t: date?
  s: string?
  k: int?
}
output { id, n }
)";

// One random cell: usually a good one for column `kind`, sometimes anything.
std::string Cell(std::mt19937_64& rng, char kind) {
  static const char* kOdd[] = {"",     "-",    "5.",   ".5",   "+1",  " 1",   "1 ",   "1e3",  "-0",   "007",
                               "1.2345", "12.345", "99999999999999999999", "123456789012345678", "9999999999999.99",
                               "\r",   "a\rb", "red",  "true", "2024-02-30", "12.5%", "x", "0.0001", "-0.00"};
  if (rng() % 8 == 0) return kOdd[rng() % (sizeof kOdd / sizeof *kOdd)];
  auto digits = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += char('0' + rng() % 10);
    return s;
  };
  std::string sign = rng() % 5 == 0 ? "-" : "";
  switch (kind) {
    case 'i': return sign + digits(1 + int(rng() % 17));
    case 'm': return sign + digits(1 + int(rng() % 14)) + (rng() % 3 ? "." + digits(1 + int(rng() % 2)) : "");
    case 'd': return sign + digits(1 + int(rng() % 15)) + (rng() % 2 ? "." + digits(1 + int(rng() % 5)) : "");
    case 'x': return sign + digits(1 + int(rng() % 6)) + "." + digits(1 + int(rng() % 3));
    case 'c': {  // names of every length, some sharing their first 8 bytes, and near misses
      static const char* kNames[] = {"red", "green", "r", "re", "redd", "manufacturing", "manufacturing_x", "manufacturinh",
                                     "technology_services", "technologyservices", "manufacturin", "manufacturingx",
                                     "Red", "greens", "technology_service", "rd"};
      return kNames[rng() % (sizeof kNames / sizeof *kNames)];
    }
    case 'b': return rng() % 2 ? "yes" : "N";
    case 'p': return digits(1 + int(rng() % 3)) + (rng() % 2 ? "%" : "");
    case 't': return "2024-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 10);
    default: return "s" + digits(int(rng() % 12));
  }
}

struct Parsed {
  std::vector<std::vector<int64_t>> values;  // strings as their text's length and first byte
  std::vector<std::vector<uint8_t>> valid;
  std::vector<int32_t> field;
  std::vector<std::string> reason, detail, ids;
  std::vector<int64_t> lines;
  std::vector<std::vector<std::string>> kept;
};

Parsed Summary(const credo::rt::PolicyInfo& info, const credo::exec::Pending& p) {
  Parsed s;
  for (size_t f = 0; f < info.inputs.size(); ++f) {
    std::vector<int64_t> values;
    for (size_t r = 0; r < p.input.rows; ++r) {
      int64_t v = p.input.fields[f].values[r];
      if (info.inputs[f].type.kind == credo::rt::Kind::String) {
        std::string_view text = credo::rt::StrOf(v)->view();
        v = int64_t(std::hash<std::string_view>{}(text));
      }
      values.push_back(v);
    }
    s.values.push_back(values);
    s.valid.push_back(p.input.fields[f].valid);
  }
  s.field = p.parse_field;
  for (size_t r = 0; r < p.parse_field.size(); ++r) {  // read only for the rows that failed
    s.reason.push_back(p.parse_field[r] >= 0 ? p.parse_reason.at(r) : "");
    s.detail.push_back(p.parse_field[r] >= 0 ? p.parse_detail.at(r) : "");
  }
  for (const auto* id : p.ids) s.ids.emplace_back(id->view());
  s.lines = p.lines;
  for (const auto& column : p.kept) {
    s.kept.emplace_back();
    for (const auto* cell : column) s.kept.back().emplace_back(cell->view());
  }
  return s;
}

}  // namespace

TEST_CASE("record parser: whole records parse as ParseBatch parses them split", "[csv]") {
  credo::Compilation c = credo::CompileSource("test.credo", kPolicy);
  INFO(c.diagnostics.Render(*c.source));
  REQUIRE(c.ok());
  const credo::rt::PolicyInfo& info = c.program->info;
  const std::string kinds = "imdxcbptsi";  // per input after id: n m d x c b p t s k
  std::mt19937_64 rng(11);
  for (int round = 0; round < 60; ++round) {
    // The header: the policy's columns in a random order, sometimes with extra ones.
    std::vector<std::string> header;
    for (const auto& in : info.inputs) header.push_back(in.name);
    if (round % 2) header.push_back("branch");
    if (round % 3) header.insert(header.begin() + long(rng() % header.size()), "extra");
    std::shuffle(header.begin(), header.end(), rng);
    credo::exec::ColumnOptions options;
    if (round % 2) options.keep = {"branch", "m"};
    credo::exec::ColumnMap columns;
    std::string error;
    const bool mapped = credo::exec::MapColumns(info, header, options, columns, error);
    INFO(error);
    REQUIRE(mapped);
    std::string content;
    const size_t records = 1 + rng() % 400;
    for (size_t r = 0; r < records; ++r) {
      // Some records with too few or too many cells, and empty lines (one empty cell), also
      // right after a short record, where a record's end could be taken for the next one's.
      static const int kWidthChange[] = {0, 0, 0, 0, 0, 0, 0, -1, 1, -100};
      const int change = kWidthChange[rng() % 10];
      const size_t width = change == -100 ? 0 : size_t(int(header.size()) + change);
      for (size_t col = 0; col < width; ++col) {
        if (col) content += ',';
        const std::string& name = col < header.size() ? header[col] : "extra";
        size_t input = 0;
        while (input < info.inputs.size() && info.inputs[input].name != name) ++input;
        content += input == 0 ? "C" + std::to_string(r)
                   : input < info.inputs.size() ? Cell(rng, kinds[input - 1])
                                                : Cell(rng, 's');
      }
      if (r + 1 < records || rng() % 2) content += rng() % 4 ? "\n" : "\r\n";
      else if (rng() % 2) content += '\r';  // CR at end of input
    }
    const size_t max_rows = 1 + rng() % 300;
    INFO("round " << round << " max_rows " << max_rows);
    std::FILE* split_in = fmemopen(content.data(), content.size(), "r");
    std::FILE* whole_in = fmemopen(content.data(), content.size(), "r");
    credo::io::CsvReader split(split_in), whole(whole_in);
    credo::exec::RecordParser parser(info, columns);
    credo::io::TextBatch text;
    credo::io::RecordText lines;
    size_t batches = 0;
    for (;;) {
      size_t taken = whole.ReadRecordText(max_rows, lines);
      if (taken == 0) break;
      REQUIRE(split.ReadBatch(taken, text) == taken);
      credo::exec::Pending expected, got;
      credo::exec::ParseBatch(info, columns, text, expected);
      parser.Parse(lines, got);
      Parsed e = Summary(info, expected), g = Summary(info, got);
      CHECK(g.values == e.values);
      CHECK(g.valid == e.valid);
      CHECK(g.field == e.field);
      CHECK(g.reason == e.reason);
      CHECK(g.detail == e.detail);
      CHECK(g.ids == e.ids);
      CHECK(g.lines == e.lines);
      CHECK(g.kept == e.kept);
      ++batches;
    }
    CHECK(batches > 0);
    CHECK(split.ReadBatch(1, text) == 0);  // both read the whole input
    std::fclose(split_in);
    std::fclose(whole_in);
  }
}

TEST_CASE("record parser: an enum cell is the value its whole text names, or no value", "[csv]") {
  // Names of every length, some sharing their first 8 bytes; each is tried as it is and with one
  // byte changed, missing or added, which must not name a value.
  const std::vector<std::string> names = {"r",          "re",          "red",          "redd",         "green",
                                          "greenish",   "greenisha",   "manufacturing", "manufacturinh", "manufacturing_x",
                                          "technology", "technology_services", "technologyservices"};
  std::string policy = "policy p version \"1\"\nenum Kind {";
  for (size_t v = 0; v < names.size(); ++v) policy += (v ? ", " : " ") + names[v];
  policy += " }\ninput A {\n  id: string\n  k: Kind\n}\noutput { id }\n";
  credo::Compilation c = credo::CompileSource("test.credo", policy);
  INFO(c.diagnostics.Render(*c.source));
  REQUIRE(c.ok());
  const credo::rt::PolicyInfo& info = c.program->info;
  std::vector<std::pair<std::string, int64_t>> cells;  // text, the value it names or -1
  for (size_t v = 0; v < names.size(); ++v) {
    const std::string& name = names[v];
    cells.emplace_back(name, int64_t(v));
    for (size_t at = 0; at < name.size(); ++at) {
      std::string changed = name;
      changed[at] = char(changed[at] == 'x' ? 'y' : 'x');
      cells.emplace_back(changed, -1);
    }
    cells.emplace_back(name.substr(0, name.size() - 1), -1);
    cells.emplace_back(name + "s", -1);
  }
  for (auto& [text, value] : cells)  // a near miss may be another name
    for (size_t v = 0; v < names.size(); ++v)
      if (text == names[v]) value = int64_t(v);
  std::string content;
  for (size_t r = 0; r < cells.size(); ++r) content += "C" + std::to_string(r) + "," + cells[r].first + "\n";
  credo::exec::ColumnMap columns;
  std::string error;
  REQUIRE(credo::exec::MapColumns(info, {"id", "k"}, {}, columns, error));
  std::FILE* in = fmemopen(content.data(), content.size(), "r");
  credo::io::CsvReader reader(in);
  credo::io::RecordText lines;
  REQUIRE(reader.ReadRecordText(cells.size(), lines) == cells.size());
  credo::exec::Pending p;
  credo::exec::RecordParser(info, columns).Parse(lines, p);
  for (size_t r = 0; r < cells.size(); ++r) {
    INFO(cells[r].first);
    if (cells[r].second >= 0) {
      CHECK(p.parse_field[r] == -1);
      CHECK(p.input.fields[1].values[r] == cells[r].second);
    } else {
      CHECK(p.parse_field[r] == 1);
    }
  }
  std::fclose(in);
}
