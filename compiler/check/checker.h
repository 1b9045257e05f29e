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
  DecisionTable,  // table NAME hit POLICY { ... }: used through its members
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
  DecisionReason, // string: the `because` of the arm taken, "" if none
  TableOutput,    // a decision table's output `index`: the chosen row's value (or the aggregate)
  TableRow,       // string: code of the chosen row, "" for else or none
  TableRows,      // codes: every matching row, in row order
  TableCount,     // int: how many rows match
  TableMatched,   // bool: some row (not else) matches
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
  int64_t max_points = 0;   // points of the best bin
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
  Year, Month, Day, YearsBetween, MonthsBetween, AddMonths,  // calendar
  // aggregates over the members of a group (group block only)
  Sum, Count, Any, All, MinOf, MaxOf, CountOther, AnyOther,
};
bool IsAggregate(Builtin b);

class CheckedPolicy {
 public:
  const ast::Policy& ast() const { return *ast_; }
  std::vector<Symbol> symbols;
  std::vector<EnumInfo> enums;
  std::vector<int> record_order;   // record-level symbols, each after what it uses
  std::vector<int> field_symbols;  // field index → symbol
  std::vector<std::string> warning_codes;  // bit order of the `warnings` codes
  std::vector<std::vector<Characteristic>> scorecards;  // per scorecard, per characteristic
  int warnings_symbol = -1;
  int decision_symbol = -1;
  std::vector<int> group_lets;     // GroupLet symbols by group statement index (-1 for updates)
  std::vector<TableInfo> tables;   // decision tables and generalised lookup tables
  std::vector<int> decision_table_ids;  // per ast decision table: index into `tables`
  std::vector<int> lookup_table_ids;    // per ast lookup table: index into `tables`, -1 for an enum grid

 private:
  friend std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy>, const SourceFile&, Diagnostics&);
  explicit CheckedPolicy(std::unique_ptr<ast::Policy> ast) : ast_(std::move(ast)) {}
  std::shared_ptr<ast::Policy> ast_;
};

// Checks a parsed policy; reports every finding to `diags`. Returns the checked policy when
// there is no error (warnings allowed).
std::optional<CheckedPolicy> Check(std::unique_ptr<ast::Policy> policy, const SourceFile& source,
                                  Diagnostics& diags);

// "int", "money", "decimal(4)", "Grade?", ... for messages.
std::string TypeName(const Type& type, const std::vector<EnumInfo>& enums);

}  // namespace credo::check
