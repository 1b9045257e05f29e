#include "gen_lists.h"

#include <fmt/format.h>

namespace credo::diff {
namespace {

// Separators and parts worth testing: empty, quotes and commas (the output quotes them), UTF-8.
const char* kParts[] = {"", ";", ", ", "\\\"", "a", "é", "日本", " ", "ab", "A"};

std::string Quote(const char* s) { return fmt::format("\"{}\"", s); }

// A list expression: a list of the policy, or first(list, N) of one.
bool PickList(ListGenHost& h, std::string& text, const ListSource*& source) {
  if (h.lists.empty()) return false;
  source = &h.lists[h.r.Index(h.lists.size())];
  text = source->text;
  if (h.r.Chance(25) && !source->codes.empty())  // N below the codes' number: no W0020
    text = fmt::format("first({}, {})", text, h.r.Range(0, int64_t(source->codes.size()) - 1));
  return true;
}

}  // namespace

GenText GenListOrTextInt(ListGenHost& h, int d) {
  std::string list;
  const ListSource* src = nullptr;
  if (h.r.Chance(50) && PickList(h, list, src)) return {"count(" + list + ")", false};
  GenText s = h.str(d - 1);
  return {"length(" + s.s + ")", s.opt};
}

GenText GenListOrTextBool(ListGenHost& h, int d) {
  std::string list;
  const ListSource* src = nullptr;
  if (h.r.Chance(50) && PickList(h, list, src) && !src->codes.empty())
    return {fmt::format("contains({}, {})", list, src->codes[h.r.Index(src->codes.size())]), false};
  static const char* kFns[] = {"starts_with", "ends_with", "contains"};
  GenText a = h.str(d - 1);
  GenText b = h.r.Chance(50) ? GenText{Quote(kParts[h.r.Index(std::size(kParts))]), false} : h.str(d - 1);
  return {fmt::format("{}({}, {})", kFns[h.r.Index(3)], a.s, b.s), a.opt || b.opt};
}

GenText GenListOrTextStr(ListGenHost& h, int d) {
  std::string list;
  const ListSource* src = nullptr;
  switch (h.r.Range(0, 7)) {
    case 0:
      if (PickList(h, list, src)) return {fmt::format("join({}, {})", list, Quote(kParts[h.r.Index(std::size(kParts))])), false};
      [[fallthrough]];
    case 1: {
      static const char* kFns[] = {"upper", "lower", "trim"};
      GenText a = h.str(d - 1);
      return {fmt::format("{}({})", kFns[h.r.Index(3)], a.s), a.opt};
    }
    case 2: {
      GenText a = h.str(d - 1);
      GenText start = h.r.Chance(60) ? GenText{std::to_string(h.r.Range(-2, 6)), false} : h.integer(d - 1);
      GenText count = h.r.Chance(60) ? GenText{std::to_string(h.r.Range(-1, 5)), false} : h.integer(d - 1);
      return {fmt::format("substring({}, {}, {})", a.s, start.s, count.s), a.opt || start.opt || count.opt};
    }
    case 3: {
      GenText a = h.str(d - 1), b = h.str(d - 1);
      return {fmt::format("({} + {})", a.s, b.s), a.opt || b.opt};
    }
    case 4: {
      int n = int(h.r.Range(2, 4));
      std::string s = "concat(";
      bool opt = false;
      for (int k = 0; k < n; ++k) {
        GenText a = h.r.Chance(30) ? GenText{Quote(kParts[h.r.Index(std::size(kParts))]), false} : h.str(d - 1);
        s += (k ? ", " : "") + a.s;
        opt |= a.opt;
      }
      return {s + ")", opt};
    }
    case 5:
      if (PickList(h, list, src)) return {"text(" + list + ")", false};
      [[fallthrough]];
    default: {
      GenText a = h.any(d - 1);
      return {"text(" + a.s + ")", a.opt};
    }
  }
}

}  // namespace credo::diff
