// checker.h — AST → CheckedPolicy: names resolved, types and missing-ness inferred, bins and
// tables proven complete, decisions proven total. Only a CheckedPolicy can be lowered.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"
#include "runtime/core/dtable.h"

namespace credo::check {

enum class SymbolKind : uint8_t {
  Field,      // an input field
  Let,        // a record-level `let`
  RuleSet,    // rules NAME { ... }
  Scorecard,
  Band,
  Table,
  Decision,
  Warnings,   // the record's warning codes
  GroupLet,   // a `let` inside the group block (the same for every member)
  Param,      // a parameter of a user function (decl: its position); bound at each inlined call
  DecisionTable,  // table NAME hit POLICY { ... }: used through its members
  Reference,  // reference NAME keyed by KEY { ... }: used as R[key].field, count(R[key]), key in R
  RefField,   // a field of a reference (decl: its position), named only in the field's own `where`
};

// The members a value can have (`knockouts.fired`, `sme.reason(1)`, `decision.reason`, ...).
enum class MemberKind : uint8_t {
  RulesFired,     // bool: some rule of the set fired
  RulesFirst,     // string: code of the first rule that fired, "" if none
  RulesCount,     // int: how many fired
  RulesCodes,     // codes: every fired rule, in declaration order
  RuleHit,        // bool: rule `index` fired (`knockouts.K01`)
  RulesEffect,    // bool: some rule with effect `index` (0 decline, 1 refer, 2 flag) fired
  ScoreTotal,     // int: baseline + points
  ScoreReason,    // string: reason code of rank `index` (1-based constant argument), "" if none
  ScorePoints,    // int: points of characteristic `index` (`sme.C01`)
  ScoreReasons,   // codes (ranked): the reason codes in rank order, at most min(reasons, 8)
  DecisionReason, // string: the `because` of the arm taken, "" if none
  ScoreOdds,      // number: a scaled scorecard's odds, exp((score - offset) / factor)
  ScorePd,        // number: its probability of default, 1 / (1 + odds)
  TableOutput,    // a decision table's output `index`: the chosen row's value (or the aggregate)
  TableRow,       // string: code of the chosen row, "" for else or none
  TableRows,      // codes: every matching row, in row order
  TableCount,     // int: how many rows match
  TableMatched,   // bool: some row (not else) matches
  ReferenceField, // R[key].field of a one-row-per-key reference (index: the field), missing on no match
};

struct Symbol {
  SymbolKind kind;
  std::string name;
  Type type;
  int decl = -1;      // index into the matching ast::Policy vector (Field: field index)
  Span span;
  bool used = false;
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> values;
};

struct Characteristic {
  int64_t max_points = 0;   // points of the best bin (scaled, `rounding per_bin`: rounded points)
  // The points table, per bin of the characteristic (in written order). Point scorecards: the
  // written points (both vectors). Scaled scorecards: `points` unrounded, `rounded` half away
  // from zero; `woe` the bin's weight of evidence; `best` the largest unrounded points.
  std::vector<double> woe, points;
  std::vector<int64_t> rounded;
  double best = 0;
  std::vector<std::string> bins;  // each bin's tests as written, for the table
};

// How a scaled (WOE) scorecard turns weights of evidence into points (docs/language.md,
// "Scaled scorecards"). `scaled` is false for a point scorecard.
struct Scaling {
  enum Rounding : uint8_t { PerBin, Total, None };
  bool scaled = false;
  Rounding rounding = PerBin;
  double factor = 0, offset = 0;  // factor = pdo / ln 2, offset = base − factor · ln(odds)
};

// A decision table or a generalised lookup table, as checked and compiled (decision_tables.cc).
struct TableInfo {
  std::vector<Type> columns;      // input (key) types
  std::vector<Type> outputs;      // output types (a lookup table: its value type)
  int hit_output = -1;            // priority by / collect sum|min|max of this output
  unsigned used = 0;              // which members the policy uses (kUses* bits)
  bool total = false;             // every input takes a row (or `else`): the chosen row is never missing
  std::vector<int> row_entry;     // lookup table: per row, its entry
  rt::CompiledTable compiled;
};
constexpr unsigned kUsesRow = 1, kUsesCount = 2, kUsesRows = 4, kUsesMatched = 8, kUsesCode = 16;  // Row: the chosen row; Code: `.row`

// Aggregates and other built-in functions, resolved by name.
enum class Builtin : uint8_t {
  Min, Max, Abs, Floor, Ceil, Round, RoundHalfEven, ToNumber, DaysBetween, Date,
  Ln, Exp, Pow, Sqrt,  // math on numbers
  Year, Month, Day, YearsBetween, MonthsBetween, AddMonths,  // calendar
  AddDays, AddYears, EndOfMonth, DayOfWeek,                  // calendar (exprs.cc)
  User,  // a user function: Resolved::symbol is its index in Policy::functions (compiler/check/reuse.cc)
  // text (lists_text.cc); Contains is contains(s, part), ContainsCode contains(list, CODE)
  Length, Upper, Lower, Trim, StartsWith, EndsWith, Contains, Substring, Concat, Text,
  // lists of codes; CountList is count(list) (count(condition) is the aggregate Count)
  CountList, ContainsCode, First, Join,
  // aggregates over the rows of a key of a `many` reference (references.cc): count(R[k]),
  // sum(R[k].f), min_of(R[k].f), max_of(R[k].f); with an expression of the row (args[1]):
  // count(R[k], c), any, all, sum(R[k], x), min_of, max_of; allowed anywhere
  RefCount, RefSum, RefMin, RefMax, RefCountIf, RefAny, RefAll,
  // aggregates over the members of a group (group block only)
  Sum, Count, Any, All, MinOf, MaxOf, CountOther, AnyOther,
};
bool IsAggregate(Builtin b);
inline bool IsReferenceAggregate(Builtin b) { return b >= Builtin::RefCount && b <= Builtin::RefAll; }

// A declared reference, as checked (references.cc).
struct ReferenceInfo {
  std::vector<int> field_symbols;  // RefField symbols, by field position
  int key = -1;                    // the key field's position (-1 when it is not declared)
};
// Text functions and list functions (checked and lowered in lists_text.cc).
inline bool IsListOrText(Builtin b) { return b >= Builtin::Length && b <= Builtin::Join; }

class CheckedPolicy {
 public:
  const ast::Policy& ast() const { return *ast_; }
  std::vector<Symbol> symbols;
  std::vector<EnumInfo> enums;
  std::vector<int> record_order;   // record-level symbols, each after what it uses
  std::vector<int> field_symbols;  // field index → symbol
  std::vector<std::string> warning_codes;  // bit order of the `warnings` codes
  std::vector<std::vector<Characteristic>> scorecards;  // per scorecard, per characteristic
  std::vector<Scaling> scalings;                        // per scorecard
  int warnings_symbol = -1;
  int decision_symbol = -1;
  std::vector<int> group_lets;     // GroupLet symbols by group statement index (-1 for updates)
  // Per user function (ast::Policy::functions): its parameters' symbols and its result type.
  struct Function {
    std::vector<int> params;
    Type result;
  };
  std::vector<Function> functions;
  std::vector<TableInfo> tables;   // decision tables and generalised lookup tables
  std::vector<int> decision_table_ids;  // per ast decision table: index into `tables`
  std::vector<int> lookup_table_ids;    // per ast lookup table: index into `tables`, -1 for an enum grid
  std::vector<ReferenceInfo> references;  // per ast reference

 private:
  friend std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy>, const SourceFile&, Diagnostics&);
  friend CheckedPolicy CheckForTools(std::unique_ptr<ast::Policy>, const SourceFile&, Diagnostics&);
  explicit CheckedPolicy(std::unique_ptr<ast::Policy> ast) : ast_(std::move(ast)) {}
  std::shared_ptr<ast::Policy> ast_;
};

// Checks a parsed policy; reports every finding to `diags`. Returns the checked policy when
// there is no error (warnings allowed).
std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                                  Diagnostics& diags);
// Like Check, but returns what the checker learnt (symbols, types, resolved names) even when the
// policy has errors: for tools that show a policy being edited (the language server). A policy
// with errors must never be lowered.
CheckedPolicy CheckForTools(std::unique_ptr<ast::Policy> policy, const SourceFile& source, Diagnostics& diags);

// The rt::RoundMode a `round(x, unit, MODE)` word names (half_up, half_even, half_down, floor,
// ceiling, toward_zero, away_from_zero), or -1.
int RoundModeOf(const std::string& word);
// The rounding of a scaled scorecard, from its `rounding` word (per_bin when absent).
Scaling::Rounding RoundingOf(const ast::Scorecard& card);

// The points table of every scorecard as text (`credo check --dump=points`).
std::string PointsTable(const CheckedPolicy& policy);

// The built-in functions: name, how a call is written ("round(x, unit)"), and whether it is an
// aggregate of the group block (for completion in the language server).
struct BuiltinFunction {
  std::string name, usage;
  bool aggregate = false;
};
std::vector<BuiltinFunction> BuiltinFunctions();

// "int", "money", "decimal(4)", "Grade?", ... for messages.
std::string TypeName(const Type& type, const std::vector<EnumInfo>& enums);

}  // namespace credo::check
