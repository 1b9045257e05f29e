// gen_tables.cc — random decision tables and generalised lookup tables (gen_tables.h).
#include "gen_tables.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace credo::diff {

namespace {

std::string Quote(const std::string& s) {
  std::string t = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') t += '\\';
    t += ch;
  }
  return t + "\"";
}

std::string DateText(Rng& r) {
  return fmt::format("date(\"{:04}-{:02}-{:02}\")", r.Range(1995, 2030), r.Range(1, 12), r.Range(1, 28));
}

bool Ordered(GenKind k) { return k == GenKind::Int || k == GenKind::Dec || k == GenKind::Num || k == GenKind::Date; }

// A literal of an ordered column as cell text: ints for numbers (they fit every scale), dates.
std::string OrderedValue(TableGenContext& c, const GenType& t) {
  GenKind k = t.kind;
  if (k == GenKind::Date) return DateText(c.r);
  if (k == GenKind::Dec && t.scale >= 2 && c.r.Chance(40)) return fmt::format("{}.{:02}", c.r.Range(-50, 500), c.r.Range(0, 99));
  if (k == GenKind::Num && c.r.Chance(30)) return fmt::format("{}.5", c.r.Range(-50, 500));
  return fmt::format("{}", c.r.Chance(80) ? c.r.Range(-20, 200) : c.r.Range(-100000, 100000));
}

std::string Value(TableGenContext& c, const GenType& t) {
  switch (t.kind) {
    case GenKind::Bool: return c.r.Chance(50) ? "true" : "false";
    case GenKind::Str: return Quote(c.r.Pick(c.strings));
    case GenKind::Enum: return c.r.Pick(c.enums[size_t(t.en)].second);
    default: return OrderedValue(c, t);
  }
}

// A cell that some present value of the column matches (and, for an optional column, perhaps
// `missing`): never an empty set of values.
std::string Cell(TableGenContext& c, const GenType& t) {
  int v = int(c.r.Range(0, 9));
  if (v == 0) return c.r.Chance(50) ? "-" : "_";
  if (v == 1) return t.opt && c.r.Chance(60) ? "missing" : "present";
  if (Ordered(t.kind)) {
    static const char* kOps[] = {"<", "<=", ">", ">=", "==", "!="};
    if (v <= 4) return fmt::format("{} {}", kOps[c.r.Index(6)], OrderedValue(c, t));
    if (v <= 6 && t.kind != GenKind::Date) {  // an interval: bounds at least 2 apart, so never empty
      int64_t lo = c.r.Range(-20, 150), hi = lo + c.r.Range(2, 80);
      return fmt::format("{}{}, {}{}", c.r.Chance(50) ? "[" : "(", lo, hi, c.r.Chance(50) ? "]" : ")");
    }
    if (v <= 8) return fmt::format("{}{{{}, {}}}", c.r.Chance(25) ? "not " : "", OrderedValue(c, t), OrderedValue(c, t));
    return OrderedValue(c, t);
  }
  if (t.kind == GenKind::Enum) {
    const auto& values = c.enums[size_t(t.en)].second;
    std::vector<std::string> pick;
    for (const auto& x : values)
      if (c.r.Chance(40)) pick.push_back(x);
    if (pick.empty()) pick.push_back(c.r.Pick(values));
    bool negate = pick.size() < values.size() && c.r.Chance(30);
    if (pick.size() == 1 && !negate) return c.r.Chance(50) ? pick[0] : "== " + pick[0];
    return fmt::format("{}{{{}}}", negate ? "not " : "", fmt::join(pick, ", "));
  }
  if (t.kind == GenKind::Bool) {
    if (v <= 5) return c.r.Chance(50) ? "true" : "false";
    return c.r.Chance(50) ? "!= true" : "{false}";
  }
  // strings
  if (v <= 5) return Quote(c.r.Pick(c.strings));
  if (v == 6) return "!= " + Quote(c.r.Pick(c.strings));
  return fmt::format("{}{{{}, {}}}", c.r.Chance(30) ? "not " : "", Quote(c.r.Pick(c.strings)), Quote(c.r.Pick(c.strings)));
}

// `rows` cells that partition an ordered column's present values (row i below row i+1), at
// integer boundaries at least 2 apart: `< a`, `[a, b)`/`(a, b]`…, `>= z`.
std::vector<std::string> Partition(TableGenContext& c, const GenType& t, size_t rows) {
  if (rows == 1) return {c.r.Chance(50) ? "present" : "-"};
  std::vector<std::string> points;
  std::vector<bool> left;  // the boundary belongs to the row below it
  int64_t at = c.r.Range(-30, 60);
  for (size_t i = 0; i + 1 < rows; ++i) {
    if (t.kind == GenKind::Date) {
      int64_t year = 1995 + int64_t(i) * 3 + c.r.Range(0, 2);
      points.push_back(fmt::format("date(\"{:04}-{:02}-{:02}\")", year, c.r.Range(1, 12), c.r.Range(1, 28)));
    } else {
      points.push_back(fmt::format("{}", at));
      at += c.r.Range(2, c.r.Chance(20) ? 100000 : 40);
    }
    left.push_back(c.r.Chance(50));
  }
  std::vector<std::string> cells;
  for (size_t i = 0; i < rows; ++i) {
    if (i == 0) cells.push_back((left[0] ? "<= " : "< ") + points[0]);
    else if (i + 1 == rows) cells.push_back((left[i - 1] ? "> " : ">= ") + points[i - 1]);
    else if (c.r.Chance(20) && !left[i - 1] && left[i])
      cells.push_back(fmt::format("[{}, {}]", points[i - 1], points[i]));
    else
      cells.push_back(fmt::format("{}{}, {}{}", left[i - 1] ? "(" : "[", points[i - 1], points[i], left[i] ? "]" : ")"));
  }
  return cells;
}

GenType OutputType(TableGenContext& c, bool numeric) {
  int v = int(c.r.Range(0, numeric ? 2 : 6));
  switch (v) {
    case 0: return {GenKind::Int};
    case 1: return {GenKind::Dec, 2};
    case 2: return {GenKind::Num};
    case 3: return {GenKind::Str};
    case 4: return {GenKind::Bool};
    default: return {GenKind::Enum, 0, false, int(c.r.Index(c.enums.size()))};
  }
}

std::string OutputValue(TableGenContext& c, const GenType& t, bool constant) {
  if (!constant && c.r.Chance(30)) return c.expr(t.kind, false, t.en).text;
  switch (t.kind) {
    case GenKind::Int: return fmt::format("{}", c.r.Range(-100, 1000));
    case GenKind::Dec: return fmt::format("{}.{:02}", c.r.Range(-100, 100000), c.r.Range(0, 99));
    case GenKind::Num: return c.r.Chance(50) ? fmt::format("{}", c.r.Range(-5, 100)) : fmt::format("{}.25", c.r.Range(0, 9));
    default: return Value(c, t);
  }
}

}  // namespace

TableGenResult GenDecisionTable(TableGenContext& c) {
  TableGenResult out;
  std::string name = c.fresh("dt");
  enum P { First, Unique, Any, Priority, Collect, Sum, Min, Max, Count };
  static const char* kHit[] = {"first", "unique", "any", "priority by", "collect", "collect sum", "collect min", "collect max", "collect count"};
  P hit = P(c.r.Range(0, 8));
  bool collect = hit >= Collect;
  // inputs: the first is ordered (its cells partition it unless the table collects)
  size_t ncols = size_t(c.r.Range(1, 3));
  std::vector<GenExpr> inputs;
  static const GenKind kOrdered[] = {GenKind::Int, GenKind::Dec, GenKind::Num, GenKind::Date};
  inputs.push_back(c.expr(kOrdered[c.r.Index(4)], true, -1));
  static const GenKind kAny[] = {GenKind::Int, GenKind::Dec, GenKind::Num, GenKind::Date, GenKind::Bool, GenKind::Str, GenKind::Enum};
  while (inputs.size() < ncols) inputs.push_back(c.expr(kAny[c.r.Index(7)], true, -1));
  // outputs
  std::vector<GenType> outputs;
  size_t nout = hit == Count || hit == Collect ? size_t(c.r.Range(0, 1)) : size_t(c.r.Range(1, 2));
  for (size_t o = 0; o < nout; ++o) outputs.push_back(OutputType(c, o == 0 && hit >= Sum && hit <= Max));
  if (hit == Priority) outputs[0] = {GenKind::Enum, 0, false, int(c.r.Index(c.enums.size()))};
  bool big = c.r.Chance(6);
  size_t nrows = big ? size_t(c.r.Range(60, 90)) : size_t(c.r.Range(1, 6));
  bool has_else = collect ? c.r.Chance(40) : !inputs[0].type.opt && c.r.Chance(30) ? false : true;
  bool only_first = !collect && !has_else;  // totality: the partition alone covers every input
  std::vector<std::string> first = collect ? std::vector<std::string>{} : Partition(c, inputs[0].type, nrows);
  std::string text = fmt::format("\ntable {} hit {}{}{} {{\n  inputs ", name, kHit[hit],
                                 hit == Priority || (hit >= Sum && hit <= Max) ? " " : "",
                                 hit == Priority ? "o1" : hit >= Sum && hit <= Max ? "(o1)" : "");
  if (hit >= Sum && hit <= Max) text = fmt::format("\ntable {} hit collect {}(o1) {{\n  inputs ", name, hit == Sum ? "sum" : hit == Min ? "min" : "max");
  if (c.r.Chance(30)) text.insert(text.find(" {\n"), " \"a decision table\"");
  for (size_t i = 0; i < inputs.size(); ++i) text += fmt::format("{}i{} = {}", i ? " | " : "", i + 1, inputs[i].text);
  text += "\n  outputs";
  for (size_t o = 0; o < outputs.size(); ++o) text += fmt::format("{} o{}: {}", o ? " |" : "", o + 1, c.type_text(outputs[o]));
  text += "\n";
  for (size_t r = 0; r < nrows; ++r) {
    text += "  " + c.fresh("DR") + (c.r.Chance(20) ? " \"row\"" : "");
    for (size_t i = 0; i < inputs.size(); ++i)
      text += " | " + (i == 0 && !collect ? first[r] : only_first ? "-" : Cell(c, inputs[i].type));
    if (!outputs.empty()) {
      text += " =>";
      for (size_t o = 0; o < outputs.size(); ++o)
        text += (o ? " | " : " ") + OutputValue(c, outputs[o], hit == Any || (hit == Priority && o == 0));
    }
    text += "\n";
  }
  if (has_else) {
    text += "  else";
    if (!outputs.empty()) {
      text += " =>";
      for (size_t o = 0; o < outputs.size(); ++o) text += (o ? " | " : " ") + OutputValue(c, outputs[o], true);
    }
    text += "\n";
  }
  text += "}\n";
  out.text = text;
  // members
  out.atoms.push_back({name + ".row", {GenKind::Str}});
  out.atoms.push_back({name + ".count", {GenKind::Int}});
  out.atoms.push_back({name + ".matched", {GenKind::Bool}});
  if (nrows <= 64) out.codes_values.push_back(name + ".rows");
  for (size_t o = 0; o < outputs.size(); ++o) {
    if (collect && !(o == 0 && hit >= Sum && hit <= Max)) continue;
    GenType t = outputs[o];
    t.opt = (hit == Min || hit == Max) && !has_else;
    out.atoms.push_back({fmt::format("{}.o{}", name, o + 1), t});
  }
  // a let that uses the table, so that it is never unused
  const GenExpr& use = c.r.Pick(out.atoms);
  out.lets.push_back({c.fresh("v"), use});
  return out;
}

TableGenResult GenLookupTable(TableGenContext& c) {
  TableGenResult out;
  std::string name = c.fresh("lt");
  std::vector<GenExpr> keys;
  keys.push_back(c.expr(c.r.Chance(70) ? GenKind::Int : GenKind::Date, true, -1));
  static const GenKind kSecond[] = {GenKind::Str, GenKind::Enum, GenKind::Bool, GenKind::Int, GenKind::Num};
  if (c.r.Chance(60)) keys.push_back(c.expr(kSecond[c.r.Index(5)], true, -1));
  GenType value = OutputType(c, false);
  size_t nrows = size_t(c.r.Range(1, 6));
  std::vector<std::string> first = Partition(c, keys[0].type, nrows);
  bool has_else = c.r.Chance(75);
  bool else_missing = has_else && c.r.Chance(40);
  std::string key_types;
  for (size_t k = 0; k < keys.size(); ++k) {
    GenType t = keys[k].type;
    t.opt = false;
    key_types += (k ? ", " : "") + c.type_text(t);
  }
  std::string text = fmt::format("\ntable {}: {} -> {} {{\n", name, keys.size() > 1 ? "(" + key_types + ")" : key_types,
                                 c.type_text(value));
  for (size_t r = 0; r < nrows; ++r) {
    std::string cells = first[r];
    // `present` is no key cell of a tuple here (it would read as a name): `_` instead
    if (cells == "present" || cells == "-") cells = "_";
    if (keys.size() > 1) cells = "(" + cells + ", " + (has_else ? Cell(c, GenType{keys[1].type.kind, 0, false, keys[1].type.en}) : "_") + ")";
    text += "  " + cells + " => " + OutputValue(c, value, false) + "\n";
  }
  if (has_else) text += "  else => " + (else_missing ? std::string("missing") : OutputValue(c, value, true)) + "\n";
  text += "}\n";
  out.text = text;
  std::string args;
  bool opt = else_missing;
  for (size_t k = 0; k < keys.size(); ++k) {
    args += (k ? ", " : "") + keys[k].text;
    opt |= keys[k].type.opt;
  }
  GenType t = value;
  t.opt = opt;
  out.lets.push_back({c.fresh("v"), {fmt::format("{}[{}]", name, args), t}});
  return out;
}

}  // namespace credo::diff
