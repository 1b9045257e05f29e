// policy_gen_decision.cc — PolicyGen's blocks from the decision on (policy_gen_impl.h): the
// decision, warnings, the group pass (lets, `when` actions, `set` and `warn`), the output block
// with its group columns, and per-group outputs (gen_outputs.cc).
#include "policy_gen_impl.h"

#include <cstring>

#include "gen_exprs.h"
#include "gen_outputs.h"

namespace credo::diff::policy_gen_detail {

void PolicyGen::GenDecision() {
  out_ += "\ndecision: Outcome {\n";
  bool missing_false = r_.Chance(25);
  if (missing_false) out_ += gen_exprs::kMissingFalseLine;
  int arms = int(r_.Range(1, 5));
  std::set<std::string> seen;
  for (int i = 0; i < arms; ++i) {
    // A first arm `x is missing => ...`. Later arms could know x is present (docs/language.md),
    // but the checker does not narrow across arms at present: they keep x optional, which is
    // valid either way.
    const Sym* x = i == 0 && r_.Chance(25) ? NarrowCandidate() : nullptr;
    Ex c = x ? Make(x->name + (r_.Chance(50) ? " is missing" : " is not present"), T(B::Bool))
             : GenBool(int(r_.Range(1, 3)), missing_false);
    // The checker compares arm conditions by structure (E0405): `(a)` is `a`, `1_000` is
    // `1000`, `is not present` is `is missing`. Dropping parentheses and separators may also
    // merge two different conditions; that only skips an arm.
    std::string key;
    for (char ch : c.s)
      if (ch != '(' && ch != ')' && ch != '_' && ch != ' ') key += ch;
    for (auto [from, to] : {std::pair{"isnotpresent", "ismissing"}, std::pair{"isnotmissing", "ispresent"}})
      for (size_t at; (at = key.find(from)) != std::string::npos;) key.replace(at, std::strlen(from), to);
    if (c.s == "false" || !seen.insert(key).second) continue;
    std::string arm = "  " + c.s + " => " + r_.Pick(enums_[decision_enum_].values);
    if (r_.Chance(70)) arm += " because " + GenStr(1, false).s;
    out_ += arm + "\n";
  }
  std::string arm = "  else => " + r_.Pick(enums_[decision_enum_].values);
  if (r_.Chance(50)) arm += " because " + GenStr(1, false).s;
  out_ += arm + "\n}\n";
  syms_.push_back({"decision", EnumT(decision_enum_), false, false, false, -1});
  atoms_.push_back({"decision.reason", T(B::Str)});
}

void PolicyGen::GenWarnings() {
  out_ += "\nwarnings {\n";
  bool missing_false = r_.Chance(25);
  if (missing_false) out_ += gen_exprs::kMissingFalseLine;
  int n = int(r_.Range(1, 4));
  for (int i = 0; i < n; ++i) {
    std::string code = Fresh("W");
    out_ += "  " + code + (r_.Chance(40) ? " \"a warning\"" : "") + " when " + GenBool(int(r_.Range(1, 2)), missing_false).s + "\n";
    warning_codes_.push_back(code);
  }
  out_ += "}\n";
  has_warnings_ = true;
  lists_.push_back({"warnings", warning_codes_});
}

void PolicyGen::GenGroup() {
  out_ += "\ngroup by grp {\n";
  in_group_ = true;
  int stmts = int(r_.Range(2, 5));
  std::vector<const Sym*> targets;
  for (auto& s : syms_)
    if (s.settable || s.name == "decision") targets.push_back(&s);
  for (int i = 0; i < stmts; ++i) {
    agg_ok_ = true;
    if (r_.Chance(40)) {
      std::string name = Fresh("g_");
      Cls c = r_.Chance(60) ? Cls::Exact : r_.Chance(50) ? Cls::Num : Cls::Bool;
      bool uniform = r_.Chance(35);  // a plain aggregate: per-group outputs may show it
      Ex e = uniform ? GenAggregate() : GenOf(c, 2, true);
      out_ += "  let " + name + " = " + e.s + "\n";
      group_syms_.push_back({name, e.t, false, false, false, -1});
      if (uniform) uniform_lets_.push_back(name);
      continue;
    }
    // The checker does not narrow the actions by the condition (docs/language.md once said it
    // did); generating them without its facts is valid either way.
    Ex cond = GenBool(2, false);
    std::vector<std::string> actions;
    int n = int(r_.Range(1, 3));
    for (int a = 0; a < n; ++a) {
      if (r_.Chance(30) || targets.empty()) {
        std::string code = r_.Chance(30) && !warning_codes_.empty() ? r_.Pick(warning_codes_) : Fresh("G");
        if (std::find(warning_codes_.begin(), warning_codes_.end(), code) == warning_codes_.end()) warning_codes_.push_back(code);
        actions.push_back("warn " + code + (r_.Chance(40) ? " \"group warning\"" : ""));
        has_warnings_ = true;
        continue;
      }
      const Sym& target = *targets[r_.Index(targets.size())];
      if (target.name == "decision") {
        std::string s = "set decision = " + GenEnum(decision_enum_, 1, false).s;
        if (r_.Chance(60)) s += " because " + GenStr(1, false).s;
        actions.push_back(s);
      } else {
        std::optional<Ex> risky = r_.Chance(20) ? OverflowingFit(target.t) : std::nullopt;
        actions.push_back("set " + target.name + " = " + (risky ? risky->s : GenFit(target.t, 2).s));
      }
    }
    out_ += "  when " + cond.s + "\n    => ";
    for (size_t a = 0; a < actions.size(); ++a) out_ += (a ? ",\n       " : "") + actions[a];
    out_ += "\n";
  }
  agg_ok_ = false;
  in_group_ = false;
  out_ += "}\n";
  if (has_warnings_) {  // the output may test the codes the pass warns
    auto it = std::find_if(lists_.begin(), lists_.end(), [](const ListSource& l) { return l.text == "warnings"; });
    if (it == lists_.end()) lists_.push_back({"warnings", warning_codes_});
    else it->codes = warning_codes_;
  }
}

void PolicyGen::GenOutput() {
  out_ += "\noutput {\n  id\n";
  std::set<std::string> columns = {"id"};
  int n = int(r_.Range(6, 16));
  for (int i = 0; i < n; ++i) {
    int v = int(r_.Range(0, 9));
    std::string item;
    if (v <= 2) {
      const Sym& s = r_.Pick(syms_);
      if (columns.insert(s.name).second) item = s.name;
    } else if (v <= 4 && !atoms_.empty()) {
      const Atom& a = r_.Pick(atoms_);
      std::string col = Fresh("o");
      columns.insert(col);
      item = col + " = " + a.text;
    } else if (v == 5 && !codes_values_.empty()) {
      std::string col = Fresh("o");
      columns.insert(col);
      item = col + " = " + r_.Pick(codes_values_);
    } else if (v == 6 && has_warnings_) {
      if (columns.insert("warnings").second) item = "warnings";
    } else {
      std::string col = Fresh("o");
      columns.insert(col);
      item = col + " = " + GenOf(RandomCls(), 2, true).s;
    }
    if (!item.empty()) out_ += (r_.Chance(30) ? ", " : "  ") + item + "\n";
  }
  if (!group_syms_.empty()) GenGroupValueColumns(columns);
  // Every let appears somewhere, so none draws the unused warning and all are computed.
  for (auto& s : syms_)
    if (s.settable && columns.insert(s.name).second) out_ += "  " + s.name + "\n";
  out_ += "}\n";
}

// A top-level aggregate over the members' values: the same value for every member.
Ex PolicyGen::GenAggregate() {
  bool saved = agg_ok_;
  agg_ok_ = false;
  Ex e;
  static const char* kNumeric[] = {"sum", "min_of", "max_of"};
  switch (r_.Index(4)) {
    case 0: {
      Ex a = GenExact(1, false);
      e = CallOf(kNumeric[r_.Index(3)], {a}, a.t.Opt(false));
      break;
    }
    case 1: e = CallOf(kNumeric[r_.Index(3)], {GenNum(1, false)}, T(B::Num)); break;
    case 2: e = CallOf(r_.Chance(50) ? "any" : "all", {GenBool(1, false)}, T(B::Bool)); break;
    default: e = CallOf("count", {GenBool(1, false)}, T(B::Int)); break;
  }
  agg_ok_ = saved;
  return e;
}

// Group lets in the record output (issue 10, item 8): missing for a record in no group, so
// optional when the key is.
void PolicyGen::GenGroupValueColumns(std::set<std::string>& columns) {
  bool key_optional = false;
  for (const auto& s : syms_)
    if (s.name == "grp") key_optional = s.t.opt;
  std::vector<Sym> saved = group_syms_;
  for (auto& g : group_syms_) g.t.opt |= key_optional;
  for (const auto& g : group_syms_)
    if (r_.Chance(40) && columns.insert(g.name).second) out_ += "  " + g.name + "\n";
  in_group_ = true;  // group lets visible; agg_ok_ is false: no aggregates here
  int n = int(r_.Range(0, 2));
  for (int i = 0; i < n; ++i) {
    std::string col = Fresh("o");
    columns.insert(col);
    out_ += "  " + col + " = " + GenOf(RandomCls(), 2, true).s + "\n";
  }
  in_group_ = false;
  group_syms_ = saved;
}

void PolicyGen::GenGroupOutputsHook() {
  GroupOutputParts parts;
  parts.key = "grp";
  parts.uniform_lets = uniform_lets_;
  parts.aggregate = [this] { return GenAggregate().s; };
  parts.fresh = [this](const char* prefix) { return Fresh(prefix); };
  in_group_ = true;
  out_ += GenGroupOutputs(r_, parts);
  in_group_ = false;
}

}  // namespace credo::diff::policy_gen_detail
