// The CSV output rows (exec::OutputRows::Format, its fast writers rt::digits and io::NeedsQuotes)
// against the reference: every cell rt::AppendValue's text through io::AppendCsvField.
#include <bit>
#include <climits>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "runtime/core/decimal.h"
#include "runtime/core/digits.h"
#include "runtime/core/text.h"
#include "runtime/exec/output_rows.h"
#include "runtime/io/csv.h"

namespace {

using credo::rt::Kind;
using credo::rt::ValueType;
namespace rt = credo::rt;
namespace io = credo::io;
namespace exec = credo::exec;

// Integers at the edges: 0, ±(10^k - 1), ±10^k, INT64_MIN/MAX, and random ones of every length.
std::vector<int64_t> EdgeIntegers() {
  std::vector<int64_t> v = {0, 1, -1, 5, -5, 50, -50, INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1};
  for (int k = 1; k <= 18; ++k) {
    const int64_t p = rt::Pow10(k);
    for (int64_t x : {p - 1, p, p + 1}) v.insert(v.end(), {x, -x});
  }
  std::mt19937_64 rng(42);
  for (int i = 0; i < 200; ++i) v.push_back(int64_t(rng()) >> (rng() % 63));
  return v;
}

std::string Reference(int64_t v) {
  std::string s;
  rt::AppendInteger(s, v);
  return s;
}

std::string ReferenceDecimal(int64_t v, int scale) {
  std::string s;
  rt::AppendDecimal(s, v, scale);
  return s;
}

}  // namespace

TEST_CASE("digits: integers and decimals as rt::AppendInteger and rt::WriteDecimal write them", "[output]") {
  for (int64_t v : EdgeIntegers()) {
    char buf[64];
    INFO(v);
    CHECK(std::string(buf, rt::digits::WriteInteger(buf, v)) == Reference(v));
    CHECK(std::string(buf, rt::digits::WriteUnsigned(buf, uint64_t(v))) == std::to_string(uint64_t(v)));
    for (int scale : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 18, 19, 20, 21}) {
      INFO(scale);
      char* end = rt::digits::WriteDecimal(buf, v, scale);
      CHECK(end - buf <= rt::digits::DecimalBytes(scale));
      CHECK(std::string(buf, end) == ReferenceDecimal(v, scale));
    }
  }
  char buf[32];
  CHECK(std::string(buf, rt::digits::WriteDecimal(buf, -5, 2)) == "-0.05");
  CHECK(std::string(buf, rt::digits::WriteDecimal(buf, -1, 9)) == "-0.000000001");
  CHECK(std::string(buf, rt::digits::WriteDecimal(buf, INT64_MIN, 0)) == "-9223372036854775808");
  CHECK(std::string(buf, rt::digits::WriteDecimal(buf, INT64_MIN, 19)) == "-0.9223372036854775808");
}

TEST_CASE("NeedsQuotes: every length, the special byte at every position", "[output]") {
  auto naive = [](std::string_view s) {
    return s.find_first_of(std::string_view(",\"\r\n", 4)) != std::string_view::npos;
  };
  for (size_t n = 0; n <= 40; ++n) {
    std::string plain(n, 'x');
    CHECK_FALSE(io::NeedsQuotes(plain));
    for (size_t at = 0; at < n; ++at)
      for (char c : {',', '"', '\r', '\n', '\x80', '\xff', '\0', '+', '!', '#'}) {
        std::string s = plain;
        s[at] = c;
        INFO(n << " " << at << " " << int(c));
        CHECK(io::NeedsQuotes(s) == naive(s));
      }
  }
  // A byte just past the field is not looked at.
  const std::string padded = "abc,def";
  CHECK_FALSE(io::NeedsQuotes(std::string_view(padded.data(), 3)));
}

namespace {

// A policy's worth of output columns of every kind, one state slot each.
struct Table {
  rt::PolicyInfo info;
  exec::Pending pending;
  std::vector<std::string> kept_names;

  int AddColumn(const std::string& name, ValueType type) {
    info.state.push_back(type);
    info.state_names.push_back(name);
    info.outputs.push_back({name, int(info.state.size()) - 1});
    return int(info.state.size()) - 1;
  }
};

// Row r as the reference writes it.
std::string ReferenceRow(const Table& t, size_t r) {
  std::string row;
  for (const auto& kept : t.pending.kept) {
    io::AppendCsvField(row, kept[r]->view());
    row += ',';
  }
  for (size_t c = 0; c < t.info.outputs.size(); ++c) {
    const int slot = t.info.outputs[c].state;
    const ValueType& type = t.info.state[slot];
    const rt::Column& col = t.pending.state.slots[slot];
    std::string cell;
    rt::AppendValue(t.info, type, col.values[r], !type.optional || col.valid[r], cell);
    if (c) row += ',';
    io::AppendCsvField(row, cell);
  }
  return row + '\n';
}

}  // namespace

TEST_CASE("OutputRows::Format: every kind of cell at its edges, as the reference writes it", "[output]") {
  Table t;
  auto strings = std::make_shared<rt::StringArena>();
  t.info.enums.push_back({"odd", {"plain", "a,b", "say \"hi\"", "line\nbreak", "cr\r", "a-rather-long-enum-value-past-16"}});
  t.info.code_sets.push_back({"C01", "C02", "LONGER_CODE_NAME_03", "W4"});
  std::vector<std::string> texts = {"", "plain", "a,b", "a\"b", "\"", "\r", "\n", "x\r\ny", "12345678", "1234567,",
                                    ",2345678", "123456789", "1234567890123456", "123456789012345,", "12345678901234567",
                                    "a much longer string without anything to quote in it at all",
                                    "a much longer string, with a comma and a \"quote\" in it", std::string(5000, 'L'),
                                    std::string(3000, '"'), "tail\"", " spaced "};
  std::mt19937_64 rng(7);
  const std::vector<int64_t> ints = EdgeIntegers();
  const size_t rows = 600;

  std::vector<int> slots;
  slots.push_back(t.AddColumn("id", {Kind::String}));
  slots.push_back(t.AddColumn("n", {Kind::Int}));
  slots.push_back(t.AddColumn("maybe n", {Kind::Int, 0, true}));
  for (int scale = 0; scale <= 9; ++scale) slots.push_back(t.AddColumn("d" + std::to_string(scale), {Kind::Decimal, int8_t(scale)}));
  slots.push_back(t.AddColumn("d18", {Kind::Decimal, 18, true}));
  slots.push_back(t.AddColumn("text", {Kind::String, 0, true}));
  slots.push_back(t.AddColumn("e", {Kind::Enum, 0, false, 0}));
  slots.push_back(t.AddColumn("maybe e", {Kind::Enum, 0, true, 0}));
  slots.push_back(t.AddColumn("b", {Kind::Bool}));
  slots.push_back(t.AddColumn("set", {Kind::Codes, 0, false, 0, false}));
  slots.push_back(t.AddColumn("ranked", {Kind::Codes, 0, true, 0, true}));
  slots.push_back(t.AddColumn("x", {Kind::Number, 0, true}));
  slots.push_back(t.AddColumn("day", {Kind::Date, 0, true}));
  slots.push_back(t.AddColumn("last", {Kind::String}));

  rt::StateBatch& state = t.pending.state;
  state.rows = rows;
  state.slots.resize(t.info.state.size());
  state.status.assign(rows, 0);
  state.strings = strings;
  auto pick_text = [&]() -> int64_t { return rt::StrBits(strings->Add(texts[rng() % texts.size()])); };
  const std::vector<double> numbers = {0.0, -0.0, 0.1, -2.5, 1e21, 1e-7, 123456.789, -1e300};
  for (size_t s = 0; s < state.slots.size(); ++s) {
    const ValueType& type = t.info.state[s];
    rt::Column& col = state.slots[s];
    col.values.resize(rows);
    col.valid.assign(type.optional ? rows : 0, 1);
    for (size_t r = 0; r < rows; ++r) {
      int64_t& v = col.values[r];
      switch (type.kind) {
        case Kind::Int: case Kind::Decimal: v = ints[(r + s) % ints.size()]; break;
        case Kind::String: v = r % 37 == 5 ? 0 : pick_text(); break;  // 0: the empty string
        case Kind::Enum: v = int64_t(rng() % 6); break;
        case Kind::Bool: v = int64_t(rng() % 3); break;  // any non-zero is true
        case Kind::Codes:
          if (!type.ranked) v = int64_t(rng() & 0x1F);  // bit 4: no such code, skipped
          else v = int64_t(rt::RankedList(std::vector<int>{int(rng() % 4), int(rng() % 4), 3}.data(), int(r % 4)));
          break;
        case Kind::Number: v = std::bit_cast<int64_t>(numbers[r % numbers.size()]); break;
        case Kind::Date: v = r % 9 == 0 ? int64_t(1) << 40 : int64_t(rng() % 40000) - 10000; break;  // 1<<40: out of range
      }
      if (type.optional && rng() % 4 == 0) col.valid[r] = 0;
    }
  }
  for (size_t r = 0; r < rows; r += 7) state.status[r] = 1;  // rejected: no row
  // Two --keep columns, the input's text as it was.
  t.pending.kept.resize(2);
  for (auto& kept : t.pending.kept)
    for (size_t r = 0; r < rows; ++r) kept.push_back(strings->Add(texts[rng() % texts.size()]));

  std::string expected;
  std::vector<size_t> expected_ends;
  for (size_t r = 0; r < rows; ++r) {
    if (state.status[r] != 0) continue;
    expected += ReferenceRow(t, r);
    expected_ends.push_back(expected.size());
  }

  exec::RunOptions options;
  exec::OutputRows out(t.info, options);
  out.SetKeptNames({"k1", "k,2"});
  std::string text = "already there\n";
  std::vector<size_t> ends;
  out.Format(t.pending, text, &ends);
  REQUIRE(text.substr(0, 14) == "already there\n");
  CHECK(text.substr(14) == expected);
  REQUIRE(ends.size() == expected_ends.size());
  for (size_t k = 0; k < ends.size(); ++k) CHECK(ends[k] == expected_ends[k] + 14);

  // Without --keep columns and without row ends.
  t.pending.kept.clear();
  expected.clear();
  for (size_t r = 0; r < rows; ++r)
    if (state.status[r] == 0) expected += ReferenceRow(t, r);
  exec::OutputRows plain(t.info, options);
  text.clear();
  plain.Format(t.pending, text);
  CHECK(text == expected);
}

TEST_CASE("OutputRows::Format: rows too wide to guess at are measured first", "[output]") {
  // 40 string columns: more than a row buffer's room for 40 strings of kShortText bytes, so
  // every row is bounded exactly before it is written.
  Table t;
  auto strings = std::make_shared<rt::StringArena>();
  for (int c = 0; c < 40; ++c) t.AddColumn("s" + std::to_string(c), {Kind::String, 0, c % 3 == 0});
  const std::vector<std::string> texts = {"", "short", "with,comma", std::string(70, 'x'), std::string(200, '"')};
  const size_t rows = 50;
  rt::StateBatch& state = t.pending.state;
  state.rows = rows;
  state.status.assign(rows, 0);
  state.slots.resize(t.info.state.size());
  std::mt19937_64 rng(3);
  for (size_t s = 0; s < state.slots.size(); ++s) {
    rt::Column& col = state.slots[s];
    for (size_t r = 0; r < rows; ++r) col.values.push_back(rt::StrBits(strings->Add(texts[rng() % texts.size()])));
    if (t.info.state[s].optional)
      for (size_t r = 0; r < rows; ++r) col.valid.push_back(uint8_t(rng() % 2));
  }
  std::string expected;
  for (size_t r = 0; r < rows; ++r) expected += ReferenceRow(t, r);
  exec::RunOptions options;
  exec::OutputRows out(t.info, options);
  std::string text;
  out.Format(t.pending, text);
  CHECK(text == expected);
}
