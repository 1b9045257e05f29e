// JSON Lines rows, gzip streams and the column map (issue 13, item 1): the pieces `credo run`
// puts between a file and ParseField.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "runtime/exec/columns.h"
#include "runtime/io/gzip.h"
#include "runtime/io/jsonl.h"

using namespace credo;

namespace {

std::FILE* Memory(std::string& text) { return fmemopen(text.data(), text.size(), "r"); }

// Every row of `jsonl` as its cells (a bad row: "!" then its cells, the last one the why).
std::vector<std::vector<std::string>> Rows(std::string jsonl, const std::vector<std::string>& keys, size_t batch = 2) {
  std::FILE* f = Memory(jsonl);
  io::JsonlReader reader(f, keys);
  io::TextBatch text;
  std::vector<std::vector<std::string>> rows;
  while (reader.ReadBatch(batch, text) > 0)
    for (size_t r = 0; r < text.rows(); ++r) {
      std::vector<std::string> row;
      if (!text.error[r].empty()) row.push_back("!");
      for (auto cell : text.row(r)) row.emplace_back(cell);
      row.push_back("@" + std::to_string(text.line[r]));
      rows.push_back(row);
    }
  std::fclose(f);
  return rows;
}

}  // namespace

TEST_CASE("a JSON line becomes the cells of the keys asked for, numbers as their exact text") {
  auto rows = Rows(
      "{\"b\": 12345678901234567.10, \"a\": \"x\\\"y\\u00e9\\ud83d\\ude00\", \"z\": {\"deep\": [1, {\"k\": null}]}}\n"
      "\n"
      "{\"a\": null, \"b\": true}\r\n"
      "{\"b\": \"\", \"a\": -0.5e3}",
      {"a", "b"});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string>{"x\"y\xc3\xa9\xf0\x9f\x98\x80", "12345678901234567.10", "@1"});
  CHECK(rows[1] == std::vector<std::string>{"", "true", "@3"});  // a blank line is no record
  CHECK(rows[2] == std::vector<std::string>{"-0.5e3", "", "@4"});
}

TEST_CASE("a line that is not one JSON object is a bad row that says why and keeps what it read") {
  auto rows = Rows("{\"a\": \"ok\", \"b\": 01}\n[1]\n{\"a\": 1} x\n{\"a\": {\"n\": 1}}\n{\"a\": \"\\x\"}\n{\"a\": 1,}\n", {"a", "b"});
  REQUIRE(rows.size() == 6);
  CHECK(rows[0][0] == "!");
  CHECK(rows[0][1] == "ok");  // read before the bad number
  CHECK(rows[0][3].find("expected ',' or '}'") != std::string::npos);
  CHECK(rows[1][3].find("one JSON object") != std::string::npos);
  CHECK(rows[2][3].find("text after the object") != std::string::npos);
  CHECK(rows[3][3].find("an object or an array") != std::string::npos);
  CHECK(rows[4][3].find("bad escape") != std::string::npos);
  CHECK(rows[5][3].find("expected a string") != std::string::npos);
}

TEST_CASE("gzip input is found by its magic bytes and read whole; other input passes unchanged") {
  std::string plain = "a,b\n1,2\n";
  for (int k = 0; k < 5000; ++k) plain += std::to_string(k) + ",x\n";
  // Two gzip members, one after the other, as `cat a.gz b.gz` makes.
  std::string packed;
  for (int member = 0; member < 2; ++member) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(compressBound(uLong(plain.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(plain.data());
    z.avail_in = uInt(plain.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = uInt(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    packed.append(out.data(), z.total_out);
    deflateEnd(&z);
  }
  auto read_all = [](std::string bytes, std::string& error) {
    std::FILE* raw = fmemopen(bytes.data(), bytes.size(), "r");
    io::InputStream in;
    std::string text;
    if (in.Open(raw, error)) {
      char buf[4096];
      for (size_t n; (n = std::fread(buf, 1, sizeof buf, in.file())) > 0;) text.append(buf, n);
      if (std::ferror(in.file())) error = in.error_text();
    }
    std::fclose(raw);
    return text;
  };
  std::string error;
  CHECK(read_all(packed, error) == plain + plain);
  CHECK(error.empty());
  CHECK(read_all(plain, error) == plain);
  read_all(packed.substr(0, packed.size() / 3), error);
  CHECK(error.find("truncated") != std::string::npos);
}

TEST_CASE("the column map finds fields by name and names what is missing") {
  rt::PolicyInfo info;
  info.inputs.push_back({"id", {rt::Kind::String}});
  info.inputs.push_back({"revenue", {rt::Kind::Decimal, 2}});
  info.outputs.push_back({"decision", 0});
  exec::ColumnMap map;
  std::string error;
  REQUIRE(exec::MapColumns(info, {"branch", "revenue", "id"}, {false, {"branch"}}, map, error));
  CHECK(map.width == 3);
  CHECK(map.column_of == std::vector<uint32_t>{2, 1});
  CHECK(map.kept == std::vector<uint32_t>{0});
  CHECK_FALSE(exec::MapColumns(info, {"id", "Revenue "}, {}, map, error));
  CHECK(error.find("missing column(s): revenue (did you mean 'Revenue '?)") != std::string::npos);
  CHECK_FALSE(exec::MapColumns(info, {"id", "revenue", "id"}, {}, map, error));
  CHECK(error.find("given more than once: id") != std::string::npos);
  CHECK_FALSE(exec::MapColumns(info, {"revenue", "id"}, {true, {}}, map, error));  // --strict
  CHECK_FALSE(exec::MapColumns(info, {"id", "revenue"}, {false, {"decision"}}, map, error));
  CHECK(error.find("has a column 'decision' already") != std::string::npos);
}
