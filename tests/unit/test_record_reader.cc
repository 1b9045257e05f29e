// exec::RecordReader: the records of CSV and JSON Lines as a run reads them — columns by name,
// extra columns found by name or missing, the file's line numbers — and explain::ReadRecords
// giving the same records from either format.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/driver/compile.h"
#include "compiler/explain/records.h"
#include "runtime/exec/record_reader.h"

namespace {
const char* kPolicy =
    "policy p version \"1\"\n"
    "input A {\n  id: string\n  income: money\n  age: int\n}\n"
    "output {\n  id\n  income\n}\n";

credo::rt::PolicyInfo Info() {
  credo::Compilation c = credo::CompileSource("p.credo", kPolicy);
  REQUIRE(c.ok());
  return c.program->info;
}

struct Read {
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
};

// Every row of `text` through a RecordReader, or the error of Start.
Read ReadAll(const credo::rt::PolicyInfo& info, std::string text, credo::exec::Format format,
             const credo::exec::ColumnOptions& options, const std::vector<std::string>& extra,
             std::vector<int>& extra_cells, std::vector<uint32_t>& column_of, std::string& error) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(fmemopen(text.data(), text.size(), "r"), std::fclose);
  REQUIRE(in);
  credo::exec::RecordReader reader(in.get(), info, format, options, extra);
  Read read;
  if (!reader.Start(error)) return read;
  column_of = reader.columns().column_of;
  for (size_t k = 0; k < extra.size(); ++k) extra_cells.push_back(reader.extra_cell(k));
  credo::io::TextBatch batch;
  while (reader.ReadBatch(2, batch) > 0)
    for (size_t r = 0; r < batch.rows(); ++r) {
      auto row = batch.row(r);
      read.rows.emplace_back(row.begin(), row.end());
      read.lines.push_back(batch.line[r]);
    }
  return read;
}
}  // namespace

TEST_CASE("record reader: CSV columns by name, extra columns, lines", "[record_reader]") {
  auto info = Info();
  std::vector<int> extra;
  std::vector<uint32_t> column_of;
  std::string error;
  Read read = ReadAll(info, "note,age,id,bad,income\n\"two\nlines\",30,a,1,10.00\nx,40,b,0,20.00\n",
                      credo::exec::Format::Csv, {}, {"bad", "branch"}, extra, column_of, error);
  REQUIRE(error.empty());
  CHECK(column_of == std::vector<uint32_t>{2, 4, 1});
  CHECK(extra == std::vector<int>{3, -1});  // branch: no such column
  REQUIRE(read.rows.size() == 2);
  CHECK(read.lines == std::vector<int64_t>{2, 4});  // the first record spans lines 2 and 3
  CHECK(read.rows[1][size_t(extra[0])] == "0");

  // --strict: the exact header, in order.
  ReadAll(info, "age,id,income\n30,a,10.00\n", credo::exec::Format::Csv, {.strict = true, .keep = {}}, {}, extra,
          column_of, error);
  CHECK(!error.empty());
  error.clear();
  ReadAll(info, "", credo::exec::Format::Csv, {}, {}, extra, column_of, error);
  CHECK(error == "the input is empty: it needs a header line");
}

TEST_CASE("record reader: JSON Lines keys, extra keys after the inputs, physical lines", "[record_reader]") {
  auto info = Info();
  std::vector<int> extra;
  std::vector<uint32_t> column_of;
  std::string error;
  Read read = ReadAll(info,
                      "\n{\"age\": 30, \"bad\": \"1\", \"id\": \"a\", \"income\": \"10.00\", \"x\": [1]}\n"
                      "\n{\"id\": \"b\", \"income\": null}\n",
                      credo::exec::Format::Jsonl, {}, {"bad", "id"}, extra, column_of, error);
  REQUIRE(error.empty());
  CHECK(column_of == std::vector<uint32_t>{0, 1, 2});
  CHECK(extra == std::vector<int>{3, 0});  // an extra that is an input reads the input's cell
  REQUIRE(read.rows.size() == 2);
  CHECK(read.lines == std::vector<int64_t>{2, 4});  // blank lines are no records but count
  CHECK(read.rows[0] == std::vector<std::string>{"a", "10.00", "30", "1"});
  CHECK(read.rows[1] == std::vector<std::string>{"b", "", "", ""});
}

TEST_CASE("record reader: explain::ReadRecords reads the same records from CSV and JSON Lines", "[record_reader]") {
  auto info = Info();
  credo::explain::Records csv, jsonl;
  std::string error;
  REQUIRE(credo::explain::ReadRecords(info, "age,extra,income,id\n30,z,10.00,a\n,z,x,b\n", csv, error));
  credo::explain::ReadOptions how{.format = credo::exec::Format::Jsonl, .columns = {}};
  REQUIRE(credo::explain::ReadRecords(info,
                                      "\n{\"id\": \"a\", \"income\": \"10.00\", \"age\": 30}\n"
                                      "{\"id\": \"b\", \"income\": \"x\", \"extra\": {}}\n",
                                      how, jsonl, error));
  REQUIRE(csv.size() == 2);
  REQUIRE(jsonl.size() == 2);
  CHECK(csv.cells == jsonl.cells);
  CHECK(csv.ids == jsonl.ids);
  CHECK(csv.parse_reason == jsonl.parse_reason);
  CHECK(csv.parse_reason[1] == "unparsable:income");
  CHECK(jsonl.line == std::vector<int64_t>{2, 3});
  CHECK(csv.batch.fields[1].values == jsonl.batch.fields[1].values);
}

TEST_CASE("record reader: explain::ReadRecords keeps a short row's cells under their own header names",
          "[record_reader]") {
  auto info = Info();
  credo::explain::Records records;
  std::string error;
  // The header has 4 columns; the second row has 2 cells: age and extra, no income or id.
  REQUIRE(credo::explain::ReadRecords(info, "age,extra,income,id\n30,z,10.00,a\n41,y\n", records, error));
  REQUIRE(records.size() == 2);
  using Cell = std::optional<std::string>;
  CHECK(records.cells[0] == std::vector<Cell>{"a", "10.00", "30"});  // id, income, age: the policy's order
  CHECK(records.cells[1] == std::vector<Cell>{std::nullopt, std::nullopt, "41"});
  CHECK(records.row_cells == std::vector<uint32_t>{4, 2});
  CHECK(records.whole == std::vector<uint8_t>{1, 0});
  CHECK(records.parse_reason[1] == "column_count:2");
  CHECK(records.how.format == credo::exec::Format::Csv);
}
