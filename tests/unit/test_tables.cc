// The decision-table cell algebra (compiler/check/cells.h) and the run-time matcher
// (runtime/core/dtable.h): segments of a value, cells as sets of segments, counterexamples.
#include <catch2/catch.hpp>

#include <bit>
#include <string>

#include "compiler/check/cells.h"
#include "compiler/check/checker.h"
#include "runtime/core/batch.h"

using namespace credo;

namespace {

ast::BinValue Num(int64_t scaled, int scale = 0) {
  ast::BinValue v;
  v.kind = ast::BinValue::Number;
  v.scaled = scaled;
  v.scale = scale;
  return v;
}

check::CellModel Cell(const check::ColumnModel& col, ast::Cell::Kind kind, std::vector<ast::BinValue> values,
                      ast::CompareOp op = ast::CompareOp::Eq) {
  check::CellModel c;
  c.kind = kind;
  c.op = op;
  for (auto& v : values) {
    c.values.emplace_back();
    REQUIRE(col.Key(v, c.values.back()).empty());
  }
  return c;
}

}  // namespace

TEST_CASE("an int column's segments: points and the stretches between them", "[unit][tables]") {
  check::ColumnModel col;
  REQUIRE(check::ColumnKindOf(Type::Of(Base::Int, true), {}, col));
  auto ge90 = Cell(col, ast::Cell::Compare, {Num(90)}, ast::CompareOp::Ge);
  check::CellModel range;  // [30, 90)
  range.kind = ast::Cell::Interval;
  range.lo_closed = true;
  range.hi_closed = false;
  REQUIRE(col.Key(Num(30), range.lo).empty());
  REQUIRE(col.Key(Num(90), range.hi).empty());
  col.AddPoints(ge90);
  col.AddPoints(range);
  col.Finish();
  // (-inf, 30) {30} (30, 90) {90} (90, inf), then missing
  REQUIRE(col.column.segments == 5);
  CHECK(col.column.Segment(29, true) == 0);
  CHECK(col.column.Segment(30, true) == 1);
  CHECK(col.column.Segment(89, true) == 2);
  CHECK(col.column.Segment(90, true) == 3);
  CHECK(col.column.Segment(91, true) == 4);
  CHECK(col.column.Segment(0, false) == 5);
  CHECK_FALSE(col.Matches(range, 0));
  CHECK(col.Matches(range, 1));
  CHECK(col.Matches(range, 2));
  CHECK_FALSE(col.Matches(range, 3));
  CHECK(col.Matches(ge90, 3));
  CHECK(col.Matches(ge90, 4));
  CHECK_FALSE(col.Matches(ge90, 5));  // only `-` and `missing` match missing
  CHECK(col.Example(2) == "31");
  CHECK(col.Example(0) == "29");
  CHECK(col.Example(5) == "missing");
  CHECK(col.Domain().size() == 6);
}

TEST_CASE("an empty stretch between adjacent ints is no counterexample", "[unit][tables]") {
  check::ColumnModel col;
  REQUIRE(check::ColumnKindOf(Type::Of(Base::Int), {}, col));
  check::CellModel a = Cell(col, ast::Cell::Set, {Num(3), Num(4)});
  col.AddPoints(a);
  col.Finish();
  // (-inf, 3) {3} (3, 4) {4} (4, inf): (3, 4) holds no int
  CHECK(col.empty[2]);
  CHECK(col.Domain() == std::vector<int32_t>{0, 1, 3, 4});
}

TEST_CASE("number, string and enum columns", "[unit][tables]") {
  check::ColumnModel num;
  REQUIRE(check::ColumnKindOf(Type::Of(Base::Number), {}, num));
  auto lt = Cell(num, ast::Cell::Compare, {Num(9, 1)}, ast::CompareOp::Lt);  // < 0.9
  num.AddPoints(lt);
  num.Finish();
  CHECK(num.column.Segment(std::bit_cast<int64_t>(0.5), true) == 0);
  CHECK(num.column.Segment(std::bit_cast<int64_t>(0.9), true) == 1);
  CHECK(num.column.Segment(std::bit_cast<int64_t>(-0.0), true) == 0);
  CHECK(num.Example(0) == "0");
  CHECK(num.Example(2) == "1");

  check::ColumnModel str;
  REQUIRE(check::ColumnKindOf(Type::Of(Base::String), {}, str));
  ast::BinValue card;
  card.kind = ast::BinValue::String;
  card.text = "card";
  auto is_card = Cell(str, ast::Cell::Value, {card});
  str.AddPoints(is_card);
  str.Finish();
  rt::StringArena arena;
  CHECK(str.column.Segment(rt::StrBits(arena.Add("card")), true) == 0);
  CHECK(str.column.Segment(rt::StrBits(arena.Add("loan")), true) == 1);  // any other string
  CHECK(str.Example(1) == "\"other\"");

  std::vector<check::EnumInfo> enums = {{"Grade", {"A", "B", "C"}}};
  check::ColumnModel grade;
  REQUIRE(check::ColumnKindOf(Type::EnumOf(0), enums, grade));
  ast::BinValue a;
  a.kind = ast::BinValue::Name;
  a.text = "A";
  auto not_a = Cell(grade, ast::Cell::Set, {a});
  not_a.negated = true;
  grade.Finish();
  CHECK_FALSE(grade.Matches(not_a, 0));
  CHECK(grade.Matches(not_a, 1));
  CHECK_FALSE(grade.Matches(not_a, 3));  // `not {…}` does not match missing
  CHECK(grade.Example(2) == "C");
}

TEST_CASE("the matcher: the chosen row is the lowest bit of the AND, in bit order", "[unit][tables]") {
  rt::CompiledTable t;
  t.rows = 3;
  t.words = 1;
  t.has_else = true;
  t.order = {2, 0, 1};  // priority order: row 2 first
  rt::TableColumn c;
  c.kind = rt::TableColumn::Direct;
  c.segments = 2;
  c.masks = {0b011, 0b110, 0b000};  // segment 0: bits 0, 1; segment 1: bits 1, 2; missing: none
  t.columns.push_back(c);
  int64_t v = 0;
  uint8_t ok = 1;
  CHECK(rt::TableRow(t, rt::TableMode::Row, &v, &ok) == 2);   // bit 0 = row 2
  CHECK(rt::TableRow(t, rt::TableMode::Count, &v, &ok) == 2);
  CHECK(rt::TableRow(t, rt::TableMode::Rows, &v, &ok) == 0b101);  // rows 2 and 0, in row order
  v = 1;
  CHECK(rt::TableRow(t, rt::TableMode::Row, &v, &ok) == 0);   // bit 1 = row 0
  ok = 0;
  CHECK(rt::TableRow(t, rt::TableMode::Row, &v, &ok) == 3);   // none: else
  CHECK(rt::TableRow(t, rt::TableMode::Matched, &v, &ok) == 0);
}
