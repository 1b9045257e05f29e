// ast_oracle.cc — the AST oracle's records and blocks: reading a row ("How a CSV row is read"),
// input validation, rule sets, scorecards, bands, the decision, warnings, the group pass and the
// output, each as docs/language.md describes it, one record (or member) at a time.
#include "ast_oracle.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "compiler/base/source.h"
#include "compiler/syntax/parser.h"
#include "oracle_eval.h"
#include "runtime/core/batch.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/io/csv.h"

namespace credo::oracle {
namespace {

using ast::Expr;
using ast::ExprKind;
using check::MemberKind;
using check::SymbolKind;

// A `YYYY-MM-DD` cell that names a real day.
bool ParseDate(std::string_view s, int64_t& days) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t k : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[k] < '0' || s[k] > '9') return false;
  auto number = [&](size_t at, size_t n) {
    int64_t v = 0;
    for (size_t k = at; k < at + n; ++k) v = v * 10 + (s[k] - '0');
    return v;
  };
  int64_t y = number(0, 4);
  int m = int(number(5, 2)), d = int(number(8, 2));
  if (m < 1 || m > 12 || d < 1 || d > rt::DaysInMonth(y, m)) return false;
  days = rt::DaysFromCivil(y, m, d);
  return true;
}

bool ParseBool(std::string_view s, bool& b) {
  static const char* kTrue[] = {"true", "TRUE", "True", "yes", "YES", "Yes", "Y", "y", "1"};
  static const char* kFalse[] = {"false", "FALSE", "False", "no", "NO", "No", "N", "n", "0"};
  for (const char* t : kTrue)
    if (s == t) return b = true, true;
  for (const char* f : kFalse)
    if (s == f) return b = false, true;
  return false;
}

struct Record {
  int64_t line = 0;
  std::string id;  // the first cell's text
  std::map<Key, Value> values;
  std::map<size_t, Value> columns;  // output columns written as expressions, by position
  std::unique_ptr<ErrorSink> sink;
  bool accepted = false;
  std::string group;  // the group key's text; empty = in no group
  std::vector<std::vector<Value>> group_columns;  // per `output NAME per group`: this member's cells
};

class Oracle {
 public:
  Oracle(const check::CheckedPolicy& cp, ErrorRule rule) : cp_(cp), ast_(cp.ast()), rule_(rule) {}

  OracleRun Run(const std::string& csv) {
    OracleRun run;
    std::FILE* in = fmemopen(const_cast<char*>(csv.data()), csv.size(), "r");
    if (!in) return run.error = "cannot read the input", run;
    io::CsvReader reader(in);
    std::vector<std::string> header;
    const auto& fields = ast_.inputs[0].fields;
    bool fits = reader.ReadHeader(header) && header.size() == fields.size();
    for (size_t f = 0; fits && f < fields.size(); ++f) fits = header[f] == fields[f].name.text;
    if (!fits) {
      std::fclose(in);
      return run.error = "the input's header does not list the input fields", run;
    }
    io::TextBatch batch;
    while (reader.ReadBatch(4096, batch) > 0)
      for (size_t r = 0; r < batch.rows(); ++r) ReadRecord(batch, r);
    std::fclose(in);
    if (!ast_.groups.empty()) GroupPass();
    run.ok = true;
    run.out = Output();
    run.rejects = Rejects();
    for (size_t o = 0; o < ast_.group_outputs.size(); ++o) run.group_outputs.push_back(GroupOutput(o));
    return run;
  }

 private:
  // ---- a record ---------------------------------------------------------------------------------

  Env RecordEnv(Record& rec) {
    Env env;
    env.record = [&rec](const Key& k) -> const Value& { return rec.values.at(k); };
    // In the record output a group `let` is missing until the group pass gives the member its value.
    env.group_let = [&rec](int s) -> const Value& { return rec.values.at({s, -1, -1}); };
    return env;
  }

  void ReadRecord(const io::TextBatch& batch, size_t r) {
    records_.emplace_back();
    Record& rec = records_.back();
    rec.line = batch.line[r];
    auto cells = batch.row(r);
    rec.id = cells.empty() ? "" : std::string(cells[0]);
    rec.sink = std::make_unique<ErrorSink>(rule_);
    rec.sink->text = [this](const std::string& kind, const std::string& name) { return Text(kind, name); };
    const auto& fields = ast_.inputs[0].fields;
    if (!batch.error[r].empty()) return Reject(rec, Text("bad_quote", ""));
    if (cells.size() != fields.size()) return Reject(rec, Text("field_count", std::to_string(cells.size())));
    int parse_failure = -1;
    std::string parse_reason;
    for (size_t f = 0; f < fields.size(); ++f) {
      const Type& t = cp_.symbols[cp_.field_symbols[f]].type;
      Value v = MissingValue(t);
      if (parse_failure < 0) parse_reason = ParseCell(fields[f], t, cells[f], v);
      if (parse_failure < 0 && !parse_reason.empty()) parse_failure = int(f), v = MissingValue(t);
      rec.values[{cp_.field_symbols[f], -1, -1}] = v;
    }
    ErrorSink& sink = *rec.sink;
    ExprEval eval(cp_, sink);
    Env env = RecordEnv(rec);
    // Each field's `where`, left to right; with a parse failure only the fields before it count.
    size_t checked = parse_failure < 0 ? fields.size() : size_t(parse_failure);
    for (size_t f = 0; f < checked; ++f) {
      if (!fields[f].where || !rec.values[{cp_.field_symbols[f], -1, -1}].present) continue;
      Value ok = eval.Eval(*fields[f].where, env, fields[f].name.text);
      sink.Use(ok);
      if (ok.present && !ok.i)
        sink.Fail(fields[f].reason.empty() ? Text("out_of_range", fields[f].name.text) : fields[f].reason, int(f));
    }
    if (parse_failure >= 0) {
      const Error& first = sink.first();
      bool earlier = first.set() && first.field >= 0 && first.field < parse_failure;
      return Reject(rec, earlier ? first.reason : parse_reason);
    }
    for (const auto& check : ast_.inputs[0].checks) {
      Value ok = eval.Eval(*check.condition, env, "check");
      sink.Use(ok);
      if (!ok.i) sink.Fail(Text("inconsistent", check.reason), -1);
    }
    // A failed `where` or `check` comes before anything computed from the record.
    if (sink.first().validation) return Reject(rec, sink.first().reason);
    for (int s : cp_.record_order) Compute(rec, eval, env, s);
    for (int s : cp_.group_lets)
      if (s >= 0) rec.values[{s, -1, -1}] = MissingValue(cp_.symbols[size_t(s)].type.Optional(true));
    ComputeColumns(rec, eval, env);
    if (sink.first().set()) return Reject(rec, sink.first().reason);
    if (!Unique(rec)) return;
    rec.accepted = true;
    if (group_field_ < 0 && !ast_.groups.empty())
      for (size_t f = 0; f < fields.size(); ++f)
        if (fields[f].name.text == ast_.groups[0].key.text) group_field_ = int(f);
    if (group_field_ >= 0) {
      const Value& key = rec.values[{cp_.field_symbols[size_t(group_field_)], -1, -1}];
      if (key.present) rec.group = key.s, in_group_.push_back(records_.size() - 1);
    }
  }

  // "" when the cell reads as the field's type (into v), else the reject reason.
  std::string ParseCell(const ast::FieldDecl& field, const Type& t, std::string_view cell, Value& v) {
    const std::string& name = field.name.text;
    if (cell.empty()) return t.optional ? "" : Text("missing", name);
    v.present = true;
    rt::ParseStatus status = rt::ParseStatus::Ok;
    switch (t.base) {
      case Base::String:
        v.s = std::string(cell);
        break;
      case Base::Int:
        status = rt::ParseInteger(cell, rt::PolicyInfo::kIntLimit, &v.i);
        break;
      case Base::Decimal:
        if (field.type.name.text == "percent") {  // a percentage, 4 digits, optional '%': the fraction at scale 6
          std::string_view digits = !cell.empty() && cell.back() == '%' ? cell.substr(0, cell.size() - 1) : cell;
          status = rt::ParseDecimal(digits, 4, 10'000'000'000'000, &v.i);
        } else {
          status = rt::ParseDecimal(cell, t.scale, 1'000'000'000'000'000, &v.i);
        }
        break;
      case Base::Number:
        status = rt::ParseNumber(cell, &v.d);
        break;
      case Base::Bool: {
        bool b = false;
        if (!ParseBool(cell, b)) status = rt::ParseStatus::Unparsable;
        v.i = b;
        break;
      }
      case Base::Date:
        if (!ParseDate(cell, v.i)) status = rt::ParseStatus::Unparsable;
        break;
      case Base::Enum: {
        const auto& values = cp_.enums[t.enum_id].values;
        auto it = std::find(values.begin(), values.end(), cell);
        if (it == values.end()) return Text("not_in_list", name);
        v.i = it - values.begin();
        break;
      }
      default:
        status = rt::ParseStatus::Unparsable;
        break;
    }
    if (status == rt::ParseStatus::Unparsable) return Text("unparsable", name);
    if (status == rt::ParseStatus::OutOfRange) return Text("out_of_range", name);
    return "";
  }

  // The reject text of `kind` about `subject`: the policy's `rejects` block, else today's words
  // (docs/language.md, "The policy's own reject texts").
  std::string Text(const std::string& kind, const std::string& subject) const {
    static const std::map<std::string, std::pair<std::string, std::string>> kDefaults = {
        {"bad_quote", {"", "bad_quote"}},           {"field_count", {"count", "column_count:{count}"}},
        {"missing", {"field", "missing:{field}"}},  {"unparsable", {"field", "unparsable:{field}"}},
        {"not_in_list", {"field", "unknown:{field}"}}, {"out_of_range", {"field", "out_of_range:{field}"}},
        {"inconsistent", {"check", "{check}"}},     {"duplicate", {"field", "duplicate:{field}"}},
        {"overflow", {"name", "overflow:{name}"}},  {"date_range", {"name", "date_range:{name}"}}};
    auto [placeholder, text] = kDefaults.at(kind);
    for (const auto& block : ast_.rejects)
      for (const auto& t : block.texts)
        if (t.kind.text == kind) text = t.text;
    if (placeholder.empty()) return text;
    std::string mark = "{" + placeholder + "}", out;
    for (size_t at = 0;;) {
      size_t next = text.find(mark, at);
      out += text.substr(at, next == std::string::npos ? std::string::npos : next - at);
      if (next == std::string::npos) return out;
      out += subject;
      at = next + mark.size();
    }
  }

  void Reject(Record& rec, const std::string& reason) {
    rec.accepted = false;
    rejects_.push_back({rec.line, rec.id, reason});
  }

  // `unique` fields: a value printed as an earlier accepted row's is a duplicate.
  bool Unique(Record& rec) {
    const auto& input = ast_.inputs[0];
    for (size_t u = 0; u < input.unique.size(); ++u)
      for (size_t f = 0; f < input.fields.size(); ++f) {
        if (input.fields[f].name.text != input.unique[u].text) continue;
        const Type& t = cp_.symbols[cp_.field_symbols[f]].type;
        const Value& v = rec.values[{cp_.field_symbols[f], -1, -1}];
        if (!v.present) continue;
        if (!seen_[u].insert(Format(v, t)).second) {
          Reject(rec, Text("duplicate", input.fields[f].name.text));
          return false;
        }
      }
    return true;
  }

  // ---- the record-level declarations --------------------------------------------------------------

  void Compute(Record& rec, ExprEval& eval, const Env& env, int s) {
    const check::Symbol& sym = cp_.symbols[s];
    ErrorSink& sink = *rec.sink;
    auto& values = rec.values;
    switch (sym.kind) {
      case SymbolKind::Let:  // every declared value is used
        values[{s, -1, -1}] = eval.EvalAs(*ast_.lets[sym.decl].value, sym.type, env, sym.name);
        sink.Use(values[{s, -1, -1}]);
        break;
      case SymbolKind::RuleSet: {
        const ast::RuleSet& set = ast_.rule_sets[sym.decl];
        static const char* kEffects[] = {"decline", "refer", "flag"};
        bool fired = false, effect[3] = {false, false, false};
        int64_t count = 0, codes = 0;
        std::string first;
        for (size_t r = 0; r < set.rules.size(); ++r) {  // every rule, for every record
          Value hit = eval.Eval(*set.rules[r].when, env, set.rules[r].code.text);
          sink.Use(hit);
          bool h = hit.present && hit.i;
          values[{s, int(MemberKind::RuleHit), int(r)}] = BoolValue(h);
          if (!h) continue;
          if (!fired) first = set.rules[r].code.text;
          fired = true;
          ++count;
          codes |= int64_t(1) << r;
          for (int k = 0; k < 3; ++k) effect[k] |= set.rules[r].effect.text == kEffects[k];
        }
        values[{s, int(MemberKind::RulesFired), -1}] = BoolValue(fired);
        values[{s, int(MemberKind::RulesFirst), -1}] = StringValue(first);
        values[{s, int(MemberKind::RulesCount), -1}] = IntValue(count);
        Value c = IntValue(codes);
        c.base = Base::Codes;
        c.code_names = &RuleCodes(sym.decl);
        values[{s, int(MemberKind::RulesCodes), -1}] = c;
        for (int k = 0; k < 3; ++k) values[{s, int(MemberKind::RulesEffect), k}] = BoolValue(effect[k]);
        break;
      }
      case SymbolKind::Scorecard:
        Scorecard(rec, eval, env, s);
        break;
      case SymbolKind::DecisionTable:
        EvalDecisionTable(cp_, eval, env, sink, values, s, table_codes_[s]);
        break;
      case SymbolKind::Band: {
        const ast::Band& band = ast_.bands[sym.decl];
        values[{s, -1, -1}] = eval.Bins(*band.subject, band.bins, sym.type, env, sym.name);
        sink.Use(values[{s, -1, -1}]);
        break;
      }
      case SymbolKind::Decision: {
        const ast::Decision& d = ast_.decisions[sym.decl];
        const auto& outcomes = cp_.enums[sym.type.enum_id].values;
        const ast::DecisionArm* taken = nullptr;
        Value reason;
        // Each arm is computed; the conditions tried are used, then the taken arm's reason.
        for (const auto& arm : d.arms) {
          Value holds = arm.condition ? eval.Eval(*arm.condition, env, sym.name) : BoolValue(true);
          Value why = arm.reason ? eval.EvalAs(*arm.reason, Type::Of(Base::String), env, sym.name) : StringValue("");
          if (taken) continue;
          sink.Use(holds);
          if (holds.present && holds.i) taken = &arm, reason = why;  // missing: false (`missing means false`)
        }
        sink.Use(reason);
        Value outcome = IntValue(std::find(outcomes.begin(), outcomes.end(), taken->outcome.text) - outcomes.begin());
        outcome.base = Base::Enum;
        values[{s, -1, -1}] = outcome;
        values[{s, int(MemberKind::DecisionReason), -1}] = reason;
        break;
      }
      case SymbolKind::Warnings: {
        int64_t codes = 0;
        if (!ast_.warnings.empty())
          for (size_t w = 0; w < ast_.warnings[0].warnings.size(); ++w) {
            Value when = eval.Eval(*ast_.warnings[0].warnings[w].when, env, sym.name);
            sink.Use(when);
            if (when.present && when.i) codes |= int64_t(1) << w;  // missing: false (`missing means false`)
          }
        Value c = IntValue(codes);
        c.base = Base::Codes;
        c.code_names = &cp_.warning_codes;
        values[{s, -1, -1}] = c;
        break;
      }
      default:
        break;
    }
  }

  // A scaled (WOE) scorecard, by docs/language.md "Scaled scorecards": the points table from the
  // written scaling, intercept, weights and WOE (not the compiler's table), then the score, odds,
  // PD and reasons (largest shortfall against the best bin first, ties in declaration order).
  void ScaledScorecard(Record& rec, ExprEval& eval, const Env& env, int s, const ast::Scorecard& card) {
    auto number = [](const ast::BinValue& v) { return double(v.scaled) / double(rt::Pow10(v.scale)); };
    double factor = number(card.scaling->pdo) / std::log(2.0);
    double offset = number(card.scaling->base) - factor * std::log(number(card.scaling->odds));
    double intercept = card.intercept ? number(*card.intercept) : 0.0;
    double n = double(card.characteristics.size());
    std::string rounding = card.rounding ? card.rounding->text : "per_bin";
    bool per_bin = rounding == "per_bin";
    auto points_of = [&](double beta, double woe) { return (beta * woe + intercept / n) * factor + offset / n; };
    Value total = per_bin ? IntValue(0) : NumberValue(0.0);
    struct Shortfall {
      double amount;
      std::string code;
    };
    std::vector<Shortfall> shortfalls;
    for (size_t c = 0; c < card.characteristics.size(); ++c) {
      const auto& ch = card.characteristics[c];
      double beta = number(*ch.weight);
      double best = -INFINITY;
      for (const auto& bin : ch.bins) {
        int64_t scaled;
        int scale;
        LiteralOf(*bin.result, scaled, scale);
        best = std::max(best, points_of(beta, double(scaled) / double(rt::Pow10(scale))));
      }
      Value woe = eval.Bins(*ch.subject, ch.bins, Type::Of(Base::Number), env, ch.code.text);
      double exact = points_of(beta, woe.d);
      Value points = per_bin ? IntValue(int64_t(std::round(exact))) : NumberValue(exact);
      points.error = woe.error;
      rec.values[{s, int(MemberKind::ScorePoints), int(c)}] = points;
      rec.sink->Use(points);
      if (per_bin) total.i += points.i;
      else total.d += points.d;
      total.error = Earlier(total.error, points.error);
      double shortfall = per_bin ? double(int64_t(std::round(best)) - points.i) : best - exact;
      if (shortfall > 0) shortfalls.push_back({shortfall, ch.code.text});
    }
    if (rounding == "total") {
      Error e = total.error;
      total = IntValue(int64_t(std::round(total.d)));
      total.error = e;
    }
    rec.values[{s, int(MemberKind::ScoreTotal), -1}] = total;
    double score = total.base == Base::Number ? total.d : double(total.i);
    Value odds = NumberValue(std::exp((score - offset) / factor));
    odds.error = total.error;
    if (std::isinf(odds.d)) {
      odds.d = 0;
      odds.error = Earlier(odds.error, rec.sink->Raise(cp_.symbols[s].name + ".odds"));
    }
    rec.sink->Use(odds);
    Value pd = NumberValue(1.0 / (1.0 + odds.d));
    pd.error = odds.error;
    rec.sink->Use(pd);
    rec.values[{s, int(MemberKind::ScoreOdds), -1}] = odds;
    rec.values[{s, int(MemberKind::ScorePd), -1}] = pd;
    StoreReasons(rec, s, card, shortfalls, total.error);
  }

  // `.reason(i)` and `.reasons` of scorecard s: the characteristics with a positive shortfall,
  // largest first, equal ones in declaration order; `shortfalls` holds {amount, code} in
  // declaration order (int points or double points, as the scorecard computes them).
  template <typename Shortfall>
  void StoreReasons(Record& rec, int s, const ast::Scorecard& card, std::vector<Shortfall>& shortfalls, Error error) {
    std::stable_sort(shortfalls.begin(), shortfalls.end(),
                     [](const Shortfall& a, const Shortfall& b) { return a.amount > b.amount; });
    int ranks = card.reasons > 0 ? card.reasons : int(card.characteristics.size());
    for (int rank = 1; rank <= ranks; ++rank) {
      Value reason = StringValue(size_t(rank) <= shortfalls.size() ? shortfalls[size_t(rank - 1)].code : "");
      reason.error = error;
      rec.values[{s, int(MemberKind::ScoreReason), rank}] = reason;
    }
    Value reasons;
    reasons.base = Base::Codes;
    reasons.listed = true;
    for (size_t k = 0; k < shortfalls.size() && int(k) < ranks; ++k) reasons.list.push_back(shortfalls[k].code);
    reasons.error = error;
    rec.values[{s, int(MemberKind::ScoreReasons), ranks}] = reasons;
  }

  void Scorecard(Record& rec, ExprEval& eval, const Env& env, int s) {
    const check::Symbol& sym = cp_.symbols[s];
    const ast::Scorecard& card = ast_.scorecards[sym.decl];
    if (card.scaling) return ScaledScorecard(rec, eval, env, s, card);
    const auto& info = cp_.scorecards[sym.decl];
    Value total = IntValue(card.baseline.value_or(0));
    struct Shortfall {
      int64_t amount;
      std::string code;
    };
    std::vector<Shortfall> shortfalls;
    for (size_t c = 0; c < card.characteristics.size(); ++c) {
      const auto& ch = card.characteristics[c];
      Value points = eval.Bins(*ch.subject, ch.bins, Type::Of(Base::Int), env, ch.code.text);
      rec.values[{s, int(MemberKind::ScorePoints), int(c)}] = points;
      rec.sink->Use(points);
      total.i += points.i;
      total.error = Earlier(total.error, points.error);
      if (info[c].max_points - points.i > 0) shortfalls.push_back({info[c].max_points - points.i, ch.code.text});
    }
    rec.values[{s, int(MemberKind::ScoreTotal), -1}] = total;
    StoreReasons(rec, s, card, shortfalls, total.error);
  }

  std::map<int, std::vector<std::string>> table_codes_;  // decision table symbol → its row codes

  const std::vector<std::string>& RuleCodes(int set) {
    auto& names = rule_codes_[set];
    if (names.empty())
      for (const auto& r : ast_.rule_sets[size_t(set)].rules) names.push_back(r.code.text);
    return names;
  }

  static bool IsStoredValue(const Expr& e) {
    return (e.kind == ExprKind::NameRef && !e.resolved.enum_value) || e.kind == ExprKind::Member;
  }

  // The output columns: a value shown as it stands, or an expression computed (again, after the
  // group pass, for a member). Every column's value is used.
  void ComputeColumns(Record& rec, ExprEval& eval, const Env& env) {
    const auto& items = ast_.outputs[0].items;
    for (size_t c = 0; c < items.size(); ++c) {
      const Expr& e = *items[c].value;
      if (IsStoredValue(e)) {
        rec.sink->Use(eval.Eval(e, env, items[c].name.text));
        continue;
      }
      rec.columns[c] = eval.EvalAs(e, e.type, env, items[c].name.text);
      rec.sink->Use(rec.columns[c]);
    }
  }

  static Value BoolValue(bool b) {
    Value v;
    v.base = Base::Bool;
    v.i = b;
    return v;
  }
  static Value IntValue(int64_t i) {
    Value v;
    v.i = i;
    return v;
  }
  static Value NumberValue(double d) {
    Value v;
    v.base = Base::Number;
    v.d = d;
    return v;
  }
  static Value StringValue(std::string s) {
    Value v;
    v.base = Base::String;
    v.s = std::move(s);
    return v;
  }

  // ---- the group pass -----------------------------------------------------------------------------

  void GroupPass();
  std::string GroupOutput(size_t o) const;
  bool UsesGroupLet(const Expr& e) const {
    if (e.kind == ExprKind::NameRef && !e.resolved.enum_value && e.resolved.symbol >= 0 &&
        cp_.symbols[size_t(e.resolved.symbol)].kind == SymbolKind::GroupLet)
      return true;
    for (const auto& a : e.args)
      if (UsesGroupLet(*a)) return true;
    return false;
  }
  void Reduce(const Expr& a, const std::string& what, const std::vector<size_t>& group_of, size_t groups,
              const std::function<Env(size_t)>& env_of, std::vector<std::map<const Expr*, Value>>& out);
  void Update(const ast::GroupStmt& stmt, Record& rec, ExprEval& eval, const Env& env);

  // ---- output -----------------------------------------------------------------------------------

  std::string Format(const Value& v, const Type& t) const { return FormatValue(v, t, cp_.enums); }

  std::string Output() const {
    std::string out;
    const auto& items = ast_.outputs[0].items;
    for (size_t c = 0; c < items.size(); ++c) {
      if (c) out += ',';
      io::AppendCsvField(out, items[c].name.text);
    }
    out += '\n';
    for (const Record& rec : records_) {
      if (!rec.accepted) continue;
      for (size_t c = 0; c < items.size(); ++c) {
        const Expr& e = *items[c].value;
        if (c) out += ',';
        const Value& v = IsStoredValue(e) ? rec.values.at(StoredKey(e)) : rec.columns.at(c);
        io::AppendCsvField(out, Format(v, e.type));
      }
      out += '\n';
    }
    return out;
  }

  static Key StoredKey(const Expr& e) {
    if (e.kind == ExprKind::NameRef) return {e.resolved.symbol, -1, -1};
    return {e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index};
  }

  std::string Rejects() {
    std::stable_sort(rejects_.begin(), rejects_.end(),
                     [](const RejectRow& a, const RejectRow& b) { return a.line < b.line; });
    std::string out = "line,";
    out += ast_.inputs[0].fields.empty() ? "id" : ast_.inputs[0].fields[0].name.text;
    out += ",reason\n";
    for (const auto& rj : rejects_) {
      out += std::to_string(rj.line) + ",";
      io::AppendCsvField(out, rj.id);
      out += ',';
      io::AppendCsvField(out, rj.reason);
      out += '\n';
    }
    return out;
  }

  struct RejectRow {
    int64_t line;
    std::string id, reason;
  };

  const check::CheckedPolicy& cp_;
  const ast::Policy& ast_;
  ErrorRule rule_;
  std::vector<Record> records_;
  std::vector<size_t> in_group_;  // accepted records with a group key, in input order
  int group_field_ = -1;
  std::vector<RejectRow> rejects_;
  std::map<size_t, std::set<std::string>> seen_;  // per `unique` item: the values printed
  std::map<int, std::vector<std::string>> rule_codes_;
};

// ---- the group pass ---------------------------------------------------------------------------------

// The aggregates of one group statement, outermost only (they do not nest).
void CollectAggregates(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::Call && check::IsAggregate(static_cast<check::Builtin>(e.resolved.index))) {
    out.push_back(&e);
    return;
  }
  for (const auto& a : e.args) CollectAggregates(*a, out);
}

// The members are the accepted records with a group key, in input order. Statements run in
// order; each is evaluated for every member against the values from before it (its aggregates
// first, over the whole group), then its changes apply.
void Oracle::GroupPass() {
  const ast::GroupBlock& block = ast_.groups[0];
  size_t m = in_group_.size();
  std::map<std::string, size_t> ids;
  std::vector<size_t> group_of(m);
  for (size_t k = 0; k < m; ++k) group_of[k] = ids.emplace(records_[in_group_[k]].group, ids.size()).first->second;
  std::vector<std::map<int, Value>> lets(m);
  std::vector<std::map<const Expr*, Value>> aggregates(m);
  auto env_of = [&](size_t k) {
    Env env = RecordEnv(records_[in_group_[k]]);
    env.group_let = [&lets, k](int s) -> const Value& { return lets[k].at(s); };
    env.aggregate = [&aggregates, k](const Expr& e) { return aggregates[k].at(&e); };
    return env;
  };
  bool sets = false;  // a `set` or a `warn` changes what output expressions compute
  for (const auto& stmt : block.stmts) sets |= !stmt.actions.empty();
  for (const auto& item : ast_.outputs[0].items) sets |= !IsStoredValue(*item.value) && UsesGroupLet(*item.value);
  for (size_t i = 0; i < block.stmts.size(); ++i) {
    const ast::GroupStmt& stmt = block.stmts[i];
    std::string what = stmt.kind == ast::GroupStmt::Let ? stmt.name.text : "group";
    std::vector<const Expr*> found;
    CollectAggregates(*stmt.expr, found);
    for (const auto& a : stmt.actions) {
      if (a.value) CollectAggregates(*a.value, found);
      if (a.reason) CollectAggregates(*a.reason, found);
    }
    for (const Expr* a : found) Reduce(*a, what, group_of, ids.size(), env_of, aggregates);
    for (size_t k = 0; k < m; ++k) {
      Record& rec = records_[in_group_[k]];
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      if (stmt.kind == ast::GroupStmt::Let) {
        int s = cp_.group_lets[i];
        rec.sink->Use(lets[k][s] = eval.Eval(*stmt.expr, env, what));
        rec.values[{s, -1, -1}] = lets[k][s];  // shown by the record output
      } else

        Update(stmt, rec, eval, env);
    }
  }
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    if (sets) {  // output expressions see the values the pass left
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      const auto& items = ast_.outputs[0].items;
      for (auto& [c, value] : rec.columns) {
        value = eval.EvalAs(*items[c].value, items[c].value->type, env, items[c].name.text);
        rec.sink->Use(value);
      }
    }
  }
  // Per-group outputs, in declaration order: their aggregates over the members' final values,
  // then every column for every member (the same value for each: the checker sees to it).
  for (const auto& out : ast_.group_outputs) {
    std::vector<const Expr*> found;
    for (const auto& item : out.items) {
      size_t before = found.size();
      CollectAggregates(*item.value, found);
      for (size_t a = before; a < found.size(); ++a) Reduce(*found[a], item.name.text, group_of, ids.size(), env_of, aggregates);
    }
    for (size_t k = 0; k < m; ++k) {
      Record& rec = records_[in_group_[k]];
      ExprEval eval(cp_, *rec.sink);
      Env env = env_of(k);
      auto& cells = rec.group_columns.emplace_back();
      for (const auto& item : out.items) {
        cells.push_back(eval.EvalAs(*item.value, item.value->type, env, item.name.text));
        rec.sink->Use(cells.back());
      }
    }
  }
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    if (rec.sink->first().set()) Reject(rec, rec.sink->first().reason);
  }
}

// Per-group output `o`: a row per group with an accepted member (after the group pass), from
// its first accepted member, in that member's input order, stably sorted by the declared keys
// (missing last in either direction).
std::string Oracle::GroupOutput(size_t o) const {
  const ast::OutputBlock& block = ast_.group_outputs[o];
  std::string text;
  for (size_t c = 0; c < block.items.size(); ++c) {
    if (c) text += ',';
    io::AppendCsvField(text, block.items[c].name.text);
  }
  text += '\n';
  std::vector<const Record*> rows;
  std::set<std::string> seen;
  for (size_t k : in_group_) {
    const Record& rec = records_[k];
    if (rec.accepted && seen.insert(rec.group).second) rows.push_back(&rec);
  }
  std::vector<std::pair<size_t, bool>> keys;
  for (const auto& key : block.order)
    for (size_t c = 0; c < block.items.size(); ++c)
      if (block.items[c].name.text == key.column.text) keys.push_back({c, key.descending});
  auto compare = [](const Value& a, const Value& b) {
    if (a.base == Base::Number) return a.d < b.d ? -1 : a.d > b.d ? 1 : 0;
    if (a.base == Base::String) return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
    return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const Record* a, const Record* b) {
    for (auto [c, descending] : keys) {
      const Value& va = a->group_columns[o][c];
      const Value& vb = b->group_columns[o][c];
      if (va.present != vb.present) return va.present;
      if (!va.present) continue;
      int r = compare(va, vb);
      if (r != 0) return descending ? r > 0 : r < 0;
    }
    return false;
  });
  for (const Record* rec : rows) {
    for (size_t c = 0; c < block.items.size(); ++c) {
      if (c) text += ',';
      io::AppendCsvField(text, Format(rec->group_columns[o][c], block.items[c].value->type));
    }
    text += '\n';
  }
  return text;
}

// One aggregate over every group. Each member's argument is computed, but only the members not
// yet rejected take part; the first error among their arguments (in input order), else a `sum`
// that overflows, is an error of the group's value: it counts for the members that use it.
void Oracle::Reduce(const Expr& a, const std::string& what, const std::vector<size_t>& group_of, size_t groups,
                    const std::function<Env(size_t)>& env_of, std::vector<std::map<const Expr*, Value>>& out) {
  using check::Builtin;
  auto id = static_cast<Builtin>(a.resolved.index);
  size_t m = group_of.size();
  std::vector<Value> args(m);
  std::vector<bool> kept(m);
  for (size_t k = 0; k < m; ++k) {
    Record& rec = records_[in_group_[k]];
    kept[k] = !rec.sink->first().set();
    ExprEval eval(cp_, *rec.sink);
    args[k] = eval.Eval(*a.args[0], env_of(k), what);
  }
  struct Acc {
    Value v;
    bool seen = false, overflow = false;
    int64_t count = 0, members = 0;
    Error error;
  };
  Value zero = MissingValue(a.args[0]->type);
  zero.present = true;
  std::vector<Acc> acc(groups, Acc{zero, false, false, 0, 0, {}});
  for (size_t k = 0; k < m; ++k) {
    if (!kept[k]) continue;
    Acc& g = acc[group_of[k]];
    const Value& x = args[k];
    if (!g.error.set()) g.error = x.error;
    ++g.members;
    g.count += x.i != 0;
    if (id == Builtin::Sum) {
      if (x.base == Base::Number)
        g.v.d += x.d, g.overflow |= !std::isfinite(g.v.d);  // no inf or NaN reaches a record
      else
        g.overflow |= __builtin_add_overflow(g.v.i, x.i, &g.v.i);
    } else if (id == Builtin::MinOf || id == Builtin::MaxOf) {
      bool less = x.base == Base::Number ? x.d < g.v.d : x.i < g.v.i;
      bool more = x.base == Base::Number ? x.d > g.v.d : x.i > g.v.i;
      if (!g.seen || (id == Builtin::MinOf ? less : more)) g.v = x;
      g.seen = true;
    }
  }
  for (size_t k = 0; k < m; ++k) {
    const Acc& g = acc[group_of[k]];
    int64_t own = args[k].i != 0;
    Value v;
    switch (id) {
      case Builtin::Sum:
      case Builtin::MinOf:
      case Builtin::MaxOf:
        v = g.v;
        break;
      case Builtin::Count:
        v = IntValue(g.count);
        break;
      case Builtin::CountOther:
        v = IntValue(g.count - own);
        break;
      case Builtin::Any:
        v = BoolValue(g.count > 0);
        break;
      case Builtin::All:
        v = BoolValue(g.count == g.members);
        break;
      case Builtin::AnyOther:
        v = BoolValue(g.count - own > 0);
        break;
      default:
        break;
    }
    v.error = g.error.set() ? g.error : g.overflow ? records_[in_group_[k]].sink->Raise(what) : Error{};
    out[k][&a] = v;
  }
}

// A `when` statement for one member: its condition is used; its actions are computed, and used
// and applied only when the condition holds. `set decision` without `because` clears the reason.
void Oracle::Update(const ast::GroupStmt& stmt, Record& rec, ExprEval& eval, const Env& env) {
  ErrorSink& sink = *rec.sink;
  Value when = eval.Eval(*stmt.expr, env, "group");
  sink.Use(when);
  bool applies = when.i != 0;
  std::vector<std::pair<Key, Value>> writes;
  Key warnings{cp_.warnings_symbol, -1, -1};
  Value codes = cp_.warnings_symbol >= 0 ? rec.values.at(warnings) : Value{};
  for (const auto& action : stmt.actions) {
    if (action.kind == ast::GroupAction::Warn) {
      auto bit =
          std::find(cp_.warning_codes.begin(), cp_.warning_codes.end(), action.target.text) - cp_.warning_codes.begin();
      if (applies) codes.i |= int64_t(1) << bit, writes.push_back({warnings, codes});
      continue;
    }
    int s = -1;
    for (size_t k = 0; k < cp_.symbols.size(); ++k)
      if (cp_.symbols[k].name == action.target.text && cp_.symbols[k].kind != SymbolKind::GroupLet) s = int(k);
    Value v = eval.EvalAs(*action.value, cp_.symbols[size_t(s)].type, env, "group");
    bool decision = cp_.symbols[size_t(s)].kind == SymbolKind::Decision;
    Value reason = action.reason ? eval.EvalAs(*action.reason, Type::Of(Base::String), env, "group") : StringValue("");
    if (!applies) continue;
    sink.Use(v);
    writes.push_back({{s, -1, -1}, v});
    if (decision) {  // a new outcome, and its reason: the `because`, or none
      sink.Use(reason);
      writes.push_back({{s, int(MemberKind::DecisionReason), -1}, reason});
    }
  }
  for (auto& [key, value] : writes) rec.values[key] = value;
}

}  // namespace

OracleRun RunOracle(const std::string& policy, const std::string& csv, ErrorRule rule) {
  OracleRun run;
  SourceFile source("policy.credo", policy);
  Diagnostics diags;
  auto parsed = Parse(source, diags);
  std::optional<check::CheckedPolicy> checked;
  if (parsed) checked = check::Check(std::move(parsed), source, diags);
  if (!checked) {
    run.error = diags.Render(source);
    return run;
  }
  return Oracle(*checked, rule).Run(csv);
}

}  // namespace credo::oracle
