#include "tests/cabi/csv_equal.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/io/csv.h"
#include "tests/cabi/arrow_build.h"
#include "tests/cabi/read_results.h"

namespace cabi_test {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  std::set<int64_t> malformed;  // lines of rows left out
};

Csv ReadCsv(const std::string& path) {
  Csv csv;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return csv;
  credo::io::CsvReader reader(f);
  reader.ReadHeader(csv.header);
  credo::io::TextBatch batch;
  while (reader.ReadBatch(4096, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      auto fields = batch.row(r);
      if (!batch.error[r].empty() || fields.size() != csv.header.size()) {
        csv.malformed.insert(batch.line[r]);
        continue;
      }
      csv.rows.emplace_back(fields.begin(), fields.end());
      csv.lines.push_back(batch.line[r]);
    }
  std::fclose(f);
  return csv;
}

// A cell's typed value for `format`, or false when it has none that reads the same.
bool Typed(const std::string& format, const std::string& cell, __int128& v, double& d) {
  static const std::regex integer("-?[0-9]{1,18}"), decimal("-?[0-9]{1,20}(\\.[0-9]{1,12})?"),
      number("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?"), date("[0-9]{4}-[0-9]{2}-[0-9]{2}");
  if (format == "l") {
    if (!std::regex_match(cell, integer)) return false;
    v = std::stoll(cell);
    return true;
  }
  if (format.starts_with("d:")) {
    int scale = std::stoi(format.substr(format.find(',') + 1));
    if (!std::regex_match(cell, decimal)) return false;
    size_t point = cell.find('.');
    int digits = point == std::string::npos ? 0 : int(cell.size() - point - 1);
    if (digits > scale) return false;
    std::string whole = cell;
    if (point != std::string::npos) whole.erase(point, 1);
    bool negative = whole[0] == '-';
    v = 0;
    for (char c : whole)
      if (c != '-') v = v * 10 + (c - '0');
    for (int k = digits; k < scale; ++k) v *= 10;
    if (negative) v = -v;
    return true;
  }
  if (format == "g") {
    if (!std::regex_match(cell, number)) return false;
    d = std::strtod(cell.c_str(), nullptr);
    return std::isfinite(d);
  }
  if (format == "tdD") {
    if (!std::regex_match(cell, date)) return false;
    std::chrono::year_month_day ymd{std::chrono::year(std::stoi(cell.substr(0, 4))),
                                    std::chrono::month(unsigned(std::stoi(cell.substr(5, 2)))),
                                    std::chrono::day(unsigned(std::stoi(cell.substr(8, 2))))};
    if (!ymd.ok()) return false;
    v = std::chrono::sys_days(ymd).time_since_epoch().count();
    return true;
  }
  if (format == "b") {
    static const std::set<std::string> yes = {"true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"},
                                        no = {"false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"};
    if (!yes.count(cell) && !no.count(cell)) return false;
    v = yes.count(cell) ? 1 : 0;
    return true;
  }
  return false;
}

Column BuildColumn(const Csv& csv, size_t c, const std::string& preferred, const Variant& variant) {
  int64_t pad = variant.alternate ? 3 : 0;
  std::string format = "u";
  if (variant.typed && preferred != "u") {
    bool all = true;
    __int128 v;
    double d;
    bool small = true;
    for (const auto& row : csv.rows) {
      if (row[c].empty()) continue;
      if (!Typed(preferred, row[c], v, d)) {
        all = false;
        break;
      }
      small &= v >= INT32_MIN && v <= INT32_MAX;
    }
    if (all) format = variant.alternate && preferred == "l" && small ? "i" : preferred;
  }
  if (format == "u" && variant.alternate) format = "U";
  ColumnBuilder b(csv.header[c], format, pad);
  for (const auto& row : csv.rows) {
    const std::string& cell = row[c];
    __int128 v = 0;
    double d = 0;
    if (format == "u" || format == "U") {
      if (cell.empty() && variant.alternate) b.Null();  // a null and an empty string read alike
      else b.Text(cell);
    } else if (cell.empty()) {
      b.Null();
    } else {
      Typed(format == "i" ? "l" : format, cell, v, d);
      if (format == "g") b.Double(d);
      else b.Int(v);
    }
  }
  return b.Finish();
}

}  // namespace

std::string CompareWithRun(const credo_policy* policy, const std::string& input_csv, const std::string& expected_csv,
                           const std::string& expected_rejects, const Variant& variant) {
  Csv csv = ReadCsv(input_csv);
  if (csv.header.empty()) return "cannot read " + input_csv;
  ArrowSchema wanted;
  if (credo_policy_input_schema(policy, &wanted) != CREDO_OK) return credo_last_error();
  std::vector<Column> columns;
  for (size_t c = 0; c < csv.header.size(); ++c) {
    std::string preferred = "u";
    for (int64_t k = 0; k < wanted.n_children; ++k)
      if (csv.header[c] == wanted.children[k]->name) preferred = wanted.children[k]->format;
    columns.push_back(BuildColumn(csv, c, preferred, variant));
  }
  wanted.release(&wanted);
  if (variant.alternate) std::reverse(columns.begin(), columns.end());
  int64_t rows = int64_t(csv.rows.size());
  ArrowSchema in_schema;
  ArrowArray in;
  Export(std::move(columns), rows, &in_schema, &in);
  Results res;
  Evaluate(policy, &in_schema, &in, variant.threads, res);
  in.release(&in);
  in_schema.release(&in_schema);
  if (res.status != CREDO_OK) return fmt::format("{}: {}", credo_status_name(res.status), credo_last_error());
  if (res.out.length + res.rejects.length != rows)
    return fmt::format("{} rows in, {} outputs + {} rejects", rows, res.out.length, res.rejects.length);

  // The outputs as credo run writes them.
  std::string out;
  for (int64_t c = 1; c < res.out_schema.n_children; ++c) {
    if (c > 1) out += ',';
    credo::io::AppendCsvField(out, res.out_schema.children[c]->name);
  }
  out += '\n';
  for (int64_t r = 0; r < res.out.length; ++r) {
    for (int64_t c = 1; c < res.out_schema.n_children; ++c) {
      if (c > 1) out += ',';
      credo::io::AppendCsvField(out, Cell(res.out_schema.children[c], res.out.children[c], r));
    }
    out += '\n';
  }
  // The rejects, with each row's line in the file.
  std::string rejects = fmt::format("line,{},reason\n", csv.header[0]);
  for (int64_t r = 0; r < res.rejects.length; ++r) {
    int64_t row = std::stoll(Cell(res.rejects_schema.children[0], res.rejects.children[0], r));
    rejects += std::to_string(csv.lines[size_t(row)]) + ",";
    credo::io::AppendCsvField(rejects, Cell(res.rejects_schema.children[1], res.rejects.children[1], r));
    rejects += ',';
    credo::io::AppendCsvField(rejects, Cell(res.rejects_schema.children[2], res.rejects.children[2], r));
    rejects += '\n';
  }
  std::string want_out = ReadFile(expected_csv), want_rejects;
  std::istringstream lines(ReadFile(expected_rejects));
  for (std::string line; std::getline(lines, line);) {
    bool left_out = std::isdigit(static_cast<unsigned char>(line[0])) && csv.malformed.count(std::stoll(line));
    if (!left_out) want_rejects += line + "\n";
  }
  auto first_difference = [](const std::string& a, const std::string& b) {
    size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
    size_t line_start = a.rfind('\n', i == 0 ? 0 : i - 1);
    line_start = line_start == std::string::npos ? 0 : line_start + 1;
    return fmt::format("at byte {}: got \"{}\", expected \"{}\"", i, a.substr(line_start, 160),
                       b.substr(line_start, 160));
  };
  if (out != want_out) return "outputs differ from " + expected_csv + " " + first_difference(out, want_out);
  if (rejects != want_rejects) return "rejects differ from " + expected_rejects + " " + first_difference(rejects, want_rejects);
  return "";
}

}  // namespace cabi_test
