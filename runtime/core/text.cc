#include "runtime/core/text.h"

#include <algorithm>
#include <bit>
#include <cstdio>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::rt {

// ---- lists ----------------------------------------------------------------------------------------

int64_t ListCount(uint64_t list, bool ranked) {
  if (!ranked) return std::popcount(list);
  return (std::bit_width(list) + 7) / 8;  // entries fill the low bytes without a gap
}

bool ListContains(uint64_t list, bool ranked, int64_t code) {
  if (!ranked) return code >= 0 && code < 64 && (list >> code & 1);
  uint64_t want = uint64_t(code + 1) & 0xFF;
  bool found = false;
  for (int i = 0; i < kMaxRanked; ++i) found |= (list >> (8 * i) & 0xFF) == want;
  return found && code >= 0 && code < 255;
}

uint64_t ListFirst(uint64_t list, bool ranked, int64_t n) {
  if (ranked) return n >= kMaxRanked ? list : n <= 0 ? 0 : list & ((uint64_t(1) << (8 * n)) - 1);
  uint64_t out = 0, rest = list;
  for (int64_t k = 0; k < std::min<int64_t>(n, 64); ++k) {  // the lowest remaining code, n times
    uint64_t low = rest & (~rest + 1);
    out |= low;
    rest ^= low;
  }
  return out;
}

uint64_t RankedList(const int* codes, int n) {
  uint64_t out = 0;
  for (int i = 0; i < n && i < kMaxRanked; ++i) out |= uint64_t(codes[i] + 1) << (8 * i);
  return out;
}

void AppendCodes(const std::vector<std::string>& names, uint64_t list, bool ranked, std::string_view sep,
                 std::string& out) {
  bool first = true;
  auto add = [&](size_t code) {
    if (code >= names.size()) return;
    if (!first) out += sep;
    out += names[code];
    first = false;
  };
  if (ranked) {
    for (int i = 0; i < kMaxRanked; ++i)
      if (uint64_t entry = list >> (8 * i) & 0xFF) add(entry - 1);
    return;
  }
  for (size_t b = 0; b < 64; ++b)
    if (list >> b & 1) add(b);
}

// ---- values as text --------------------------------------------------------------------------------

void AppendDate(std::string& out, int64_t days) {
  CivilDate d = CivilFromDays(days);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", int(d.year), int(d.month), int(d.day));
  out += text;
}

void AppendValue(const PolicyInfo& info, const ValueType& type, int64_t value, bool valid, std::string& out) {
  if (!valid) return;
  switch (type.kind) {
    case Kind::Bool: out += value ? "true" : "false"; break;
    case Kind::Int: AppendInteger(out, value); break;
    case Kind::Number: AppendNumber(out, std::bit_cast<double>(value)); break;
    case Kind::Decimal: AppendDecimal(out, value, type.scale); break;
    case Kind::String: if (value) out += StrOf(value)->view(); break;
    case Kind::Date: if (InDateRange(value)) AppendDate(out, value); break;
    case Kind::Enum: {
      if (type.names < 0 || size_t(type.names) >= info.enums.size()) break;
      const auto& values = info.enums[type.names].values;
      if (value >= 0 && size_t(value) < values.size()) out += values[value];
      break;
    }
    case Kind::Codes:
      if (type.names >= 0 && size_t(type.names) < info.code_sets.size())
        AppendCodes(info.code_sets[type.names], uint64_t(value), type.ranked, ";", out);
      break;
  }
}

// ---- text functions -------------------------------------------------------------------------------

namespace {

std::string_view View(int64_t bits) { return bits ? StrOf(bits)->view() : std::string_view(); }
bool Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool Space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// A character starts at the first byte and at every later byte that is not 10xxxxxx.
bool Starts(std::string_view s, size_t at) { return at == 0 || !Continuation(s[at]); }

// The byte offset of character `p` (0-based) of s, or s.size() when s has fewer.
size_t Offset(std::string_view s, int64_t p) {
  size_t at = 0;
  for (; at < s.size(); ++at)
    if (Starts(s, at) && p-- == 0) return at;
  return s.size();
}

}  // namespace

int64_t Utf8Length(std::string_view s) {
  int64_t n = 0;
  for (size_t at = 0; at < s.size(); ++at) n += Starts(s, at);
  return n;
}

std::string_view Substring(std::string_view s, int64_t start, int64_t count) {
  // positions [start, start + count) ∩ [1, ∞), without overflow
  __int128 from = std::max<__int128>(start, 1), to = __int128(start) + count;
  if (count <= 0 || to <= from) return {};
  int64_t length = Utf8Length(s);
  if (from > length) return {};
  size_t begin = Offset(s, int64_t(from - 1));
  size_t end = to > length ? s.size() : Offset(s, int64_t(to - 1));
  return s.substr(begin, end - begin);
}

int64_t Text(TextFn fn, const ValueType& type, int64_t a, int64_t b, int64_t c, const TextEnv& env) {
  auto make = [&](std::string_view s) { return StrBits(env.arena->Add(s)); };
  std::string_view x = type.kind == Kind::String ? View(a) : std::string_view();
  bool b_is_text = fn == TextFn::StartsWith || fn == TextFn::EndsWith || fn == TextFn::Contains ||
                   fn == TextFn::Concat || fn == TextFn::Join;  // Substring's b is a number
  std::string_view y = b_is_text ? View(b) : std::string_view();
  switch (fn) {
    case TextFn::Length: return Utf8Length(x);
    case TextFn::Upper:
    case TextFn::Lower: {
      std::string s(x);
      for (char& ch : s)
        if (fn == TextFn::Upper ? (ch >= 'a' && ch <= 'z') : (ch >= 'A' && ch <= 'Z')) ch = char(ch ^ 0x20);
      return make(s);
    }
    case TextFn::Trim: {
      size_t begin = 0, end = x.size();
      while (begin < end && Space(x[begin])) ++begin;
      while (end > begin && Space(x[end - 1])) --end;
      return make(x.substr(begin, end - begin));
    }
    case TextFn::StartsWith: return x.starts_with(y);
    case TextFn::EndsWith: return x.ends_with(y);
    case TextFn::Contains: return x.find(y) != std::string_view::npos;
    case TextFn::Substring: return make(Substring(x, b, c));
    case TextFn::Concat: {
      std::string s(x);
      s += y;
      return make(s);
    }
    case TextFn::Join: {
      std::string s;
      if (type.names >= 0 && size_t(type.names) < env.info->code_sets.size())
        AppendCodes(env.info->code_sets[type.names], uint64_t(a), type.ranked, y, s);
      return make(s);
    }
    case TextFn::Format: {
      std::string s;
      AppendValue(*env.info, type, a, true, s);
      return make(s);
    }
  }
  return 0;
}

}  // namespace credo::rt
