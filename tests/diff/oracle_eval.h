// oracle_eval.h — the AST oracle's values and its expression evaluator (see ast_oracle.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "ast_oracle.h"
#include "compiler/check/checker.h"

namespace credo::oracle {

// A per-record error: `rank` orders errors in program order (lower is earlier).
struct Error {
  int64_t rank = -1;
  std::string reason;
  int field = -1;           // a field's `where` failure: the field (for the parse-failure rule)
  bool validation = false;  // a failed `where` or `check`, not an arithmetic error
  bool set() const { return rank >= 0; }
};
inline const Error& Earlier(const Error& a, const Error& b) {
  if (!a.set()) return b;
  if (!b.set()) return a;
  return a.rank <= b.rank ? a : b;
}

// A value of a checked type. Exact values are `i` scaled by 10^scale; bools, enums (ordinal),
// dates (days) and codes (bit set) are in `i`; numbers in `d`.
struct Value {
  Base base = Base::Int;
  int scale = 0;
  bool present = true;
  int64_t i = 0;
  double d = 0;
  std::string s;
  const std::vector<std::string>* code_names = nullptr;  // Codes: the names of the bits
  bool listed = false;                                   // Codes: the codes are `list`, in order (not bits)
  std::vector<std::string> list;
  Error error;                                           // WhereUsed: the earliest error this value depends on
};

Value MissingValue(const Type& t);

// A list's codes in its order: `list`, or the set bits' names in bit order.
std::vector<std::string> CodesOf(const Value& v);
// A value as the output prints it ("" when missing), by the rules of docs/language.md, "Output".
std::string FormatValue(const Value& v, const Type& t, const std::vector<check::EnumInfo>& enums);

// A record value the blocks compute: (symbol, member kind or -1, index).
using Key = std::tuple<int, int, int>;

// Where errors go: the record's (or member's) first counted error.
class ErrorSink {
 public:
  explicit ErrorSink(ErrorRule rule) : rule_(rule) {}
  ErrorRule rule() const { return rule_; }
  // An error (`overflow` or `date_range`) arises in the computation of `name`: it counts at once
  // under Everywhere.
  Error Raise(const std::string& name, const char* kind = "overflow") {
    Error e{next_rank_++, text ? text(kind, name) : kind + (":" + name), -1};
    if (rule_ == ErrorRule::Everywhere) Count(e);
    return e;
  }
  // A failed `where` or `check`: always counts.
  void Fail(const std::string& reason, int field) { Count({next_rank_++, reason, field, true}); }
  // `v` is used by a condition, an aggregate, an applied action or an output.
  void Use(const Value& v) {
    if (rule_ == ErrorRule::WhereUsed) Count(v.error);
  }
  void Count(const Error& e) { first_ = Earlier(first_, e); }
  // `e` (perhaps another member's) read now: its rank is this point of the evaluation order.
  Error Reread(const Error& e) {
    if (!e.set()) return e;
    Error now = e;
    now.rank = next_rank_++;
    return now;
  }
  const Error& first() const { return first_; }
  void Reset() { first_ = {}; }
  // The policy's reject text for an error of `kind` in `name` (its `rejects` block), if set.
  std::function<std::string(const std::string& kind, const std::string& name)> text;

 private:
  ErrorRule rule_;
  int64_t next_rank_ = 0;
  Error first_;
};

// What an expression can read besides literals: record values, group lets, aggregates.
struct Env {
  std::function<const Value&(const Key&)> record;
  std::function<const Value&(int symbol)> group_let;
  std::function<Value(const ast::Expr&)> aggregate;
};

class ExprEval {
 public:
  ExprEval(const check::CheckedPolicy& cp, ErrorSink& sink) : cp_(cp), sink_(sink) {}
  // The value of `e` as its checked type; errors are named after `what`.
  Value Eval(const ast::Expr& e, const Env& env, const std::string& what);
  // `e` converted to `want` (as a `let` with a declared type or a `set` stores it).
  Value EvalAs(const ast::Expr& e, const Type& want, const Env& env, const std::string& what);
  // The bin value for `subject` (scorecard points or a band's label), as type `want`.
  Value Bins(const ast::Expr& subject, const std::vector<ast::Bin>& bins, const Type& want, const Env& env,
             const std::string& what);
  Value Convert(Value v, const Type& to);

 private:
  Value Eval(const ast::Expr& e);
  Value Raw(const ast::Expr& e);
  Value Binary(const ast::Expr& e);
  Value Compare(ast::BinaryOp op, Value a, Value b, const Type& ta, const Type& tb);
  Value Call(const ast::Expr& e);
  Value UserCall(const ast::Expr& e);
  Value Rounding(const ast::Expr& e, check::Builtin id);
  Value ListOrText(const ast::Expr& e, check::Builtin id);  // oracle_text.cc
  Value Index(const ast::Expr& e);
  Value GeneralIndex(const ast::Expr& e);  // oracle_tables.cc
  bool BinTestHolds(const ast::BinTest& t, const Value& subject);
  Value Fail(Value v);       // v carrying a new overflow
  Value FailDate(Value v);   // v carrying a new date_range error (a computed date outside the range)
  int64_t subject_enum_ordinal(const std::string& name) const;

  const check::CheckedPolicy& cp_;
  ErrorSink& sink_;
  const Env* env_ = nullptr;
  const std::string* what_ = nullptr;
  int subject_enum_ = -1;  // Bins: the subject's enum
  std::map<int, Value> params_;  // a user function's parameters (symbol → value) while its body is evaluated
};

// The members of decision table symbol `s` for one record, rows tried one by one (oracle_tables.cc);
// `codes` holds the table's row codes for its `.rows`.
void EvalDecisionTable(const check::CheckedPolicy& cp, ExprEval& eval, const Env& env, ErrorSink& sink,
                       std::map<Key, Value>& values, int s, std::vector<std::string>& codes);

// The literal value of a constant expression (`5`, `-0.25`): scaled value and scale.
void LiteralOf(const ast::Expr& e, int64_t& scaled, int& scale);

}  // namespace credo::oracle
