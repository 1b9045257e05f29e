// api_cases.h — the repository's policies with their inputs and the files `credo run` gives for
// them (expected.csv, rejects.csv), read for the tests of the C++ API (test_api_*.cc).
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "runtime/io/csv.h"
#include "tests/unit/repository_policies.h"

namespace credo::testdata {

// One CSV line of `cells`, quoted as credo writes them.
inline std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c) out += ',';
    io::AppendCsvField(out, cells[c]);
  }
  return out;
}

// A CSV file as `credo run` reads it: the header, then each record's cells and starting line;
// `malformed` marks a record the run rejects before reading its fields (a bad quote, or a
// number of fields other than the header's).
struct CsvRows {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> cells;
  std::vector<int64_t> line;
  std::vector<bool> malformed;
  size_t size() const { return line.size(); }
};

inline CsvRows ReadCsvRows(const std::filesystem::path& path) {
  CsvRows rows;
  std::FILE* in = std::fopen(path.c_str(), "rb");
  if (!in) return rows;
  io::CsvReader reader(in);
  reader.ReadHeader(rows.header);
  io::TextBatch text;
  while (reader.ReadBatch(4096, text) > 0)
    for (size_t r = 0; r < text.rows(); ++r) {
      auto fields = text.row(r);
      rows.cells.emplace_back(fields.begin(), fields.end());
      rows.line.push_back(text.line[r]);
      rows.malformed.push_back(!text.error[r].empty() || fields.size() != rows.header.size());
    }
  std::fclose(in);
  return rows;
}

// A policy with its input and the run's output and rejects files.
struct RunCase {
  std::filesystem::path policy, input, expected, rejects;
  std::map<std::string, std::string> references;  // reference name → file, as `credo run --ref` takes them
  std::string name() const { return policy.parent_path().filename().string() + "/" + policy.filename().string(); }
};

inline std::vector<RunCase> RunCases() {
  std::vector<RunCase> cases;
  for (const PolicyCase& c : RepositoryPolicies()) {
    if (c.input.empty()) continue;
    RunCase rc{c.policy, c.input, {}, {}, c.references};
    if (c.input.filename() == "input.csv") {
      rc.expected = c.input.parent_path() / "expected.csv";
      rc.rejects = c.input.parent_path() / "rejects.csv";
    } else {  // examples/sme-portfolio.csv
      rc.expected = c.input.parent_path() / (c.input.stem().string() + ".expected.csv");
      rc.rejects = c.input.parent_path() / (c.input.stem().string() + ".rejects.csv");
    }
    if (std::filesystem::exists(rc.expected) && std::filesystem::exists(rc.rejects)) cases.push_back(rc);
  }
  return cases;
}

}  // namespace credo::testdata
