// oracle_text.cc — the AST oracle's lists of codes and text functions, written from
// docs/language.md ("Lists of codes", "Text") without the runtime's implementation: lists as
// vectors of code names, strings as vectors of characters.
#include <algorithm>
#include <cstdio>

#include "oracle_eval.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"

namespace credo::oracle {
namespace {

using ast::Expr;
using check::Builtin;

// UTF-8 characters: a byte that is not 10xxxxxx starts one (stray continuation bytes at the
// start are characters of their own).
std::vector<std::string> Characters(const std::string& s) {
  std::vector<std::string> out;
  for (char c : s) {
    bool continuation = (static_cast<unsigned char>(c) >> 6) == 2;
    if (continuation && !out.empty()) out.back() += c;
    else out.push_back(std::string(1, c));
  }
  return out;
}

bool IsSpace(char c) { return std::string_view(" \t\n\v\f\r").find(c) != std::string_view::npos; }

}  // namespace

std::vector<std::string> CodesOf(const Value& v) {
  if (v.listed) return v.list;
  std::vector<std::string> out;
  for (size_t b = 0; b < 64 && v.code_names; ++b)
    if (uint64_t(v.i) >> b & 1) out.push_back((*v.code_names)[b]);
  return out;
}

std::string FormatValue(const Value& v, const Type& t, const std::vector<check::EnumInfo>& enums) {
  std::string out;
  if (!v.present) return out;
  switch (v.base) {
    case Base::Bool: return v.i ? "true" : "false";
    case Base::Int: rt::AppendInteger(out, v.i); return out;
    case Base::Decimal: rt::AppendDecimal(out, v.i, v.scale); return out;
    case Base::Number: rt::AppendNumber(out, v.d); return out;
    case Base::String: return v.s;
    case Base::Date: {
      rt::CivilDate d = rt::CivilFromDays(v.i);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", static_cast<long long>(d.year), d.month, d.day);
      return buf;
    }
    case Base::Enum: return enums[t.enum_id].values[size_t(v.i)];
    case Base::Codes: {
      for (const auto& code : CodesOf(v)) out += (out.empty() ? "" : ";") + code;
      return out;
    }
    default: return out;
  }
}

Value ExprEval::ListOrText(const Expr& e, Builtin id) {
  std::vector<Value> args;
  Error all;
  bool present = true;
  size_t evaluated = id == Builtin::ContainsCode || id == Builtin::First ? 1 : e.args.size();
  for (size_t k = 0; k < evaluated; ++k) {
    args.push_back(Eval(*e.args[k]));
    all = Earlier(all, args.back().error);
    present &= args.back().present;
  }
  Value r = MissingValue(e.type);
  r.error = all;
  if (!present) return r;
  r.present = true;
  auto text = [&](std::string s) {
    r.base = Base::String;
    r.s = std::move(s);
    return r;
  };
  auto boolean = [&](bool b) {
    r.base = Base::Bool;
    r.i = b;
    return r;
  };
  auto integer = [&](int64_t i) {
    r.base = Base::Int;
    r.scale = 0;
    r.i = i;
    return r;
  };
  const std::string& s = args[0].s;
  switch (id) {
    case Builtin::CountList: return integer(int64_t(CodesOf(args[0]).size()));
    case Builtin::ContainsCode: {
      auto codes = CodesOf(args[0]);
      return boolean(std::find(codes.begin(), codes.end(), e.args[1]->text) != codes.end());
    }
    case Builtin::First: {
      auto codes = CodesOf(args[0]);
      if (codes.size() > size_t(e.args[1]->int_value)) codes.resize(size_t(e.args[1]->int_value));
      r.base = Base::Codes;
      r.listed = true;
      r.list = codes;
      return r;
    }
    case Builtin::Join: {
      std::string out;
      auto codes = CodesOf(args[0]);
      for (size_t k = 0; k < codes.size(); ++k) out += (k ? args[1].s : "") + codes[k];
      return text(out);
    }
    case Builtin::Length: return integer(int64_t(Characters(s).size()));
    case Builtin::Upper:
    case Builtin::Lower: {
      std::string out = s;
      const std::string from = id == Builtin::Upper ? "abcdefghijklmnopqrstuvwxyz" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
      const std::string to = id == Builtin::Upper ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "abcdefghijklmnopqrstuvwxyz";
      for (char& c : out)
        if (auto at = from.find(c); at != std::string::npos && c != 0) c = to[at];
      return text(out);
    }
    case Builtin::Trim: {
      size_t begin = 0, end = s.size();
      while (begin < end && IsSpace(s[begin])) ++begin;
      while (end > begin && IsSpace(s[end - 1])) --end;
      return text(s.substr(begin, end - begin));
    }
    case Builtin::StartsWith: return boolean(s.size() >= args[1].s.size() && s.compare(0, args[1].s.size(), args[1].s) == 0);
    case Builtin::EndsWith:
      return boolean(s.size() >= args[1].s.size() && s.compare(s.size() - args[1].s.size(), args[1].s.size(), args[1].s) == 0);
    case Builtin::Contains: return boolean(s.find(args[1].s) != std::string::npos);
    case Builtin::Substring: {
      // the characters at positions p, start <= p < start + count, 1 <= p <= length
      auto chars = Characters(s);
      std::string out;
      __int128 start = args[1].i, end = __int128(args[1].i) + args[2].i;
      for (size_t p = 1; p <= chars.size(); ++p)
        if (__int128(p) >= start && __int128(p) < end) out += chars[p - 1];
      return text(out);
    }
    case Builtin::Concat: {
      std::string out;
      for (const auto& a : args) out += a.s;
      return text(out);
    }
    case Builtin::Text: return text(FormatValue(args[0], e.args[0]->type, cp_.enums));
    default: break;
  }
  return r;
}

}  // namespace credo::oracle
