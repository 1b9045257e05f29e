#include "tests/cabi/csv_equal.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "runtime/io/csv.h"
#include "tests/cabi/csv_to_arrow.h"
#include "tests/cabi/read_results.h"

namespace cabi_test {
namespace {


// A rejects file's first `n` fields of a line.
std::string FirstFields(const std::string& line, int n) {
  bool quoted = false;
  int commas = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    else if (line[i] == ',' && !quoted && ++commas == n) return line.substr(0, i);
  }
  return line;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string CompareWithRun(const credo_policy* policy, const std::string& input_csv, const std::string& expected_csv,
                           const std::string& expected_rejects, const Variant& variant) {
  Csv csv = ReadCsv(input_csv);
  if (csv.header.empty()) return "cannot read " + input_csv;
  ArrowSchema in_schema;
  ArrowArray in;
  std::string error = ToArrow(policy, csv, variant, &in_schema, &in);
  if (!error.empty()) return error;
  int64_t rows = int64_t(csv.rows.size());
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
  // The rejects, with each row's line in the file, and their detail when the expected file has
  // credo run's detail column (a repeated key's first "row N" named by its line, as the run does)
  // and the columns are text: a typed column's cell shows as its Arrow value ("7" for "7.00").
  std::string want_out = ReadFile(expected_csv), want_rejects, expected_text = ReadFile(expected_rejects);
  const bool detail =
      !variant.typed && expected_text.substr(0, expected_text.find('\n')).ends_with(",reason,detail");
  std::string rejects = fmt::format("line,{},reason{}\n", csv.header[0], detail ? ",detail" : "");
  for (int64_t r = 0; r < res.rejects.length; ++r) {
    int64_t row = std::stoll(Cell(res.rejects_schema.children[0], res.rejects.children[0], r));
    rejects += std::to_string(csv.lines[size_t(row)]) + ",";
    credo::io::AppendCsvField(rejects, Cell(res.rejects_schema.children[1], res.rejects.children[1], r));
    rejects += ',';
    credo::io::AppendCsvField(rejects, Cell(res.rejects_schema.children[2], res.rejects.children[2], r));
    if (detail) {
      std::string words = Cell(res.rejects_schema.children[3], res.rejects.children[3], r);
      if (size_t at = words.find(" on row "); at != std::string::npos)
        words = words.substr(0, at) + " on line " + std::to_string(csv.lines[std::stoul(words.substr(at + 8))]);
      rejects += ',';
      credo::io::AppendCsvField(rejects, words);
    }
    rejects += '\n';
  }
  std::istringstream lines(expected_text);
  for (std::string line; std::getline(lines, line);) {
    bool left_out = std::isdigit(static_cast<unsigned char>(line[0])) && csv.malformed.count(std::stoll(line));
    if (!left_out) want_rejects += FirstFields(line, detail ? 4 : 3) + "\n";
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
