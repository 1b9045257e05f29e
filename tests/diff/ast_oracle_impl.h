// ast_oracle_impl.h — the AST oracle's Oracle class and its records (internal to the oracle;
// ast_oracle.h is the interface). Its members are defined by concern: ast_oracle.cc (the run,
// reading and validating rows, the output and rejects), ast_oracle_blocks.cc (rule sets,
// scorecards, bands, the decision, warnings: one record's values) and ast_oracle_group.cc (the
// group pass).
#pragma once

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

using ast::Expr;
using ast::ExprKind;
using check::MemberKind;
using check::SymbolKind;

// A `YYYY-MM-DD` cell that names a real day.
bool ParseDate(std::string_view s, int64_t& days);
bool ParseBool(std::string_view s, bool& b);

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

  OracleRun Run(const std::string& csv);

 private:
  // ---- a record ---------------------------------------------------------------------------------

  Env RecordEnv(Record& rec) {
    Env env;
    env.record = [&rec](const Key& k) -> const Value& { return rec.values.at(k); };
    // In the record output a group `let` is missing until the group pass gives the member its value.
    env.group_let = [&rec](int s) -> const Value& { return rec.values.at({s, -1, -1}); };
    return env;
  }

  void ReadRecord(const io::TextBatch& batch, size_t r);

  // "" when the cell reads as the field's type (into v), else the reject reason.
  std::string ParseCell(const ast::FieldDecl& field, const Type& t, std::string_view cell, Value& v);

  // The reject text of `kind` about `subject`: the policy's `rejects` block, else today's words
  // (docs/language.md, "The policy's own reject texts").
  std::string Text(const std::string& kind, const std::string& subject) const;

  void Reject(Record& rec, const std::string& reason) {
    rec.accepted = false;
    rejects_.push_back({rec.line, rec.id, reason});
  }

  // `unique` fields: a value printed as an earlier accepted row's is a duplicate.
  bool Unique(Record& rec);

  // ---- the record-level declarations --------------------------------------------------------------

  void Compute(Record& rec, ExprEval& eval, const Env& env, int s);

  // A scaled (WOE) scorecard, by docs/language.md "Scaled scorecards": the points table from the
  // written scaling, intercept, weights and WOE (not the compiler's table), then the score, odds,
  // PD and reasons (largest shortfall against the best bin first, ties in declaration order).
  void ScaledScorecard(Record& rec, ExprEval& eval, const Env& env, int s, const ast::Scorecard& card);

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

  void Scorecard(Record& rec, ExprEval& eval, const Env& env, int s);

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
  void ComputeColumns(Record& rec, ExprEval& eval, const Env& env);

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
  bool UsesGroupLet(const Expr& e) const;
  void Reduce(const Expr& a, const std::string& what, const std::vector<size_t>& group_of, size_t groups,
              const std::function<Env(size_t)>& env_of, std::vector<std::map<const Expr*, Value>>& out);
  void Update(const ast::GroupStmt& stmt, Record& rec, ExprEval& eval, const Env& env);

  // ---- output -----------------------------------------------------------------------------------

  std::string Format(const Value& v, const Type& t) const { return FormatValue(v, t, cp_.enums); }

  std::string Output() const;

  static Key StoredKey(const Expr& e) {
    if (e.kind == ExprKind::NameRef) return {e.resolved.symbol, -1, -1};
    return {e.args[0]->resolved.symbol, e.resolved.member, e.resolved.index};
  }

  std::string Rejects();

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

}  // namespace credo::oracle
