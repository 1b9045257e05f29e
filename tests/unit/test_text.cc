// Lists of codes and text functions of runtime/core/text.h, which both engines call.
#include <catch2/catch.hpp>
#include <string>

#include "runtime/core/text.h"

using namespace credo::rt;

namespace {

std::string AsText(int64_t bits) { return std::string(StrOf(bits)->view()); }

struct Env {
  StringArena arena;
  PolicyInfo info;
  TextEnv env() { return {&arena, &info}; }
  int64_t S(std::string_view s) { return StrBits(arena.Add(s)); }
};

}  // namespace

TEST_CASE("set lists: count, contains, first in bit order") {
  uint64_t list = 0b101101;  // codes 0, 2, 3, 5
  CHECK(ListCount(list, false) == 4);
  CHECK(ListContains(list, false, 2));
  CHECK_FALSE(ListContains(list, false, 1));
  CHECK_FALSE(ListContains(list, false, -1));
  CHECK(ListFirst(list, false, 0) == 0);
  CHECK(ListFirst(list, false, 2) == 0b101);
  CHECK(ListFirst(list, false, 9) == list);
  CHECK(ListFirst(~uint64_t(0), false, 64) == ~uint64_t(0));
}

TEST_CASE("ranked lists keep rank order, up to 8 entries") {
  int codes[] = {4, 0, 7};
  uint64_t list = RankedList(codes, 3);
  CHECK(ListCount(list, true) == 3);
  CHECK(ListCount(0, true) == 0);
  CHECK(ListContains(list, true, 0));
  CHECK(ListContains(list, true, 7));
  CHECK_FALSE(ListContains(list, true, 1));
  CHECK_FALSE(ListContains(list, true, -1));  // -1 + 1 = 0 is the "no entry" byte
  CHECK(ListFirst(list, true, 1) == RankedList(codes, 1));
  CHECK(ListFirst(list, true, 8) == list);
  int eight[] = {254, 1, 2, 3, 4, 5, 6, 7};
  uint64_t full = RankedList(eight, 8);
  CHECK(ListCount(full, true) == 8);
  CHECK(ListContains(full, true, 254));
  std::vector<std::string> names(255, "x");
  names[254] = "LAST";
  names[1] = "B";
  std::string out;
  AppendCodes(names, ListFirst(full, true, 2), true, ", ", out);
  CHECK(out == "LAST, B");
}

TEST_CASE("characters are UTF-8 code points; substring is SQL's") {
  CHECK(Utf8Length("") == 0);
  CHECK(Utf8Length("Zoë") == 3);
  CHECK(Utf8Length("日本") == 2);
  CHECK(Utf8Length("\x80\x80") == 1);  // not UTF-8: the first byte starts a character, the next joins it
  CHECK(Substring("\x80\x80" "a", 2, 1) == "a");
  CHECK(Substring("abcdef", 2, 3) == "bcd");
  CHECK(Substring("abc", 0, 2) == "a");
  CHECK(Substring("abc", -5, 2) == "");
  CHECK(Substring("abc", 3, 10) == "c");
  CHECK(Substring("abc", 4, 1) == "");
  CHECK(Substring("abc", 1, 0) == "");
  CHECK(Substring("abc", 2, -1) == "");
  CHECK(Substring("a日本b", 2, 2) == "日本");
  CHECK(Substring("abc", INT64_MAX, INT64_MAX) == "");
  CHECK(Substring("abc", INT64_MIN, INT64_MAX) == "");
  CHECK(Substring("abc", 1, INT64_MAX) == "abc");
}

TEST_CASE("text functions") {
  Env e;
  ValueType str{Kind::String};
  auto text = [&](TextFn fn, int64_t a, int64_t b = 0, int64_t c = 0) { return Text(fn, str, a, b, c, e.env()); };
  CHECK(AsText(text(TextFn::Upper, e.S("Zoë ab"))) == "ZOë AB");
  CHECK(AsText(text(TextFn::Lower, e.S("ÉMILE"))) == "Émile");
  CHECK(AsText(text(TextFn::Trim, e.S(" \t x y \r\n"))) == "x y");
  CHECK(AsText(text(TextFn::Trim, e.S("   "))) == "");
  CHECK(text(TextFn::StartsWith, e.S("abc"), e.S("ab")) == 1);
  CHECK(text(TextFn::StartsWith, e.S("abc"), e.S("")) == 1);
  CHECK(text(TextFn::EndsWith, e.S("abc"), e.S("abcd")) == 0);
  CHECK(text(TextFn::Contains, e.S("a,b"), e.S(",")) == 1);
  CHECK(AsText(text(TextFn::Concat, e.S("a"), e.S("é"))) == "aé");
  CHECK(AsText(text(TextFn::Substring, e.S("Zoë!"), 3, 2)) == "ë!");
  CHECK(text(TextFn::Length, 0) == 0);  // a zero string operand reads as ""
}

TEST_CASE("text(x) prints as the output does; join uses the separator") {
  Env e;
  e.info.enums.push_back({"Grade", {"A", "B"}});
  e.info.code_sets.push_back({"K01", "K02", "K03"});
  auto format = [&](ValueType t, int64_t v) { return AsText(Text(TextFn::Format, t, v, 0, 0, e.env())); };
  CHECK(format({Kind::Decimal, 2}, 150050) == "1500.50");
  CHECK(format({Kind::Bool}, 1) == "true");
  CHECK(format({Kind::Int}, -12) == "-12");
  CHECK(format({Kind::Enum, 0, false, 0}, 1) == "B");
  CHECK(format({Kind::Date}, 19905) == "2024-07-01");
  CHECK(format({Kind::Codes, 0, false, 0}, 0b101) == "K01;K03");
  ValueType ranked{Kind::Codes, 0, false, 0, true};
  int codes[] = {2, 0};
  CHECK(format(ranked, int64_t(RankedList(codes, 2))) == "K03;K01");
  CHECK(AsText(Text(TextFn::Join, ranked, int64_t(RankedList(codes, 2)), e.S(" > "), 0, e.env())) == "K03 > K01");
  CHECK(AsText(Text(TextFn::Join, ranked, 0, e.S(" > "), 0, e.env())) == "");
  CHECK(UnpackType(PackType(ranked)).ranked);
  CHECK(UnpackType(PackType(ranked)).names == 0);
  CHECK(UnpackType(PackType({Kind::Decimal, 4, true})).scale == 4);
}
