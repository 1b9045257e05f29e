#include "tests/cabi/csv_to_arrow.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <regex>

#include "runtime/io/csv.h"
#include "tests/cabi/arrow_build.h"

namespace cabi_test {

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

namespace {

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

std::string ToArrow(const credo_policy* policy, const Csv& csv, const Variant& variant, ArrowSchema* schema,
                    ArrowArray* array) {
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
  Export(std::move(columns), int64_t(csv.rows.size()), schema, array);
  return "";
}

}  // namespace cabi_test
