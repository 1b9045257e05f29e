// checker_impl.h — the checker's state, shared by the files of compiler/check that implement it.
// Internal to the stage: its users include checker.h. Each pass is defined in its own file:
//   checker.cc       the driver: `Check`, the order of the passes, symbols resolved on demand in
//                    dependency order, the output block, unused values
//   declarations.cc  the symbol table (enums, input, values, codes, blocks), type names, what a
//                    scope may name, "did you mean"
//   expressions.cc   expression typing: operators, comparisons, members, table lookups, how two
//                    types agree or fit a declared one
//   builtins.cc      calls of built-in functions: arity, argument types, dates, exact rounding
//   missing.cc       missing values: conditions, `??`, `is missing`/`is present`, narrowing
//   rules.cc         rule sets, the decision, warnings
//   exprs.cc         sets and ranges (`x in {a, b}`, `x in [a, b)`), `missing means false`,
//                    `decimal(N)` and `percent`
//   scorecards.cc    scorecards and bands: bin tests against the subject's type, points
//   scaled.cc        scaled (WOE) scorecards: scaling, weights, the points table; math functions
//                    and rounding modes
//   tables.cc        tables: keys, entries, coverage
//   decision_tables.cc  decision tables and generalised lookup tables: cells, members, proofs
//   cells.cc         the cell algebra of those tables (cells.h)
//   group.cc         the group block: key, group lets, when/actions, aggregates
//   rejects.cc       the rejects block: reason texts per kind of reject
//   outputs.cc       per-group outputs, and group values in the record output
//   reuse.cc         consts (constant expressions) and user functions: parameters, calls, recursion
//   lists_text.cc    lists of codes (count, contains, first, join, `.reasons`) and text functions
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/base/diagnostics.h"
#include "compiler/check/bins.h"
#include "compiler/check/cells.h"
#include "compiler/check/checker.h"

namespace credo::check {

using ast::Expr;
using ast::ExprKind;

// A rule set or warnings block holds at most this many codes (a record's codes are a 64-bit set).
constexpr size_t kMaxCodes = 64;

// "did you mean 'x'?" for the candidate closest to `name`, or "" when none is close.
std::string Suggest(const std::string& name, const std::vector<std::string>& candidates);
// A suggestion, or `what` and the list of every candidate when none is close.
std::string SuggestOrList(const std::string& name, const std::vector<std::string>& candidates, const char* what);
std::string Lowercase(std::string s);
// The type of a list of the codes of symbol `symbol` (a rule set, scorecard or the warnings).
inline Type CodesOf(int symbol) {
  Type t = Type::Of(Base::Codes);
  t.enum_id = symbol >= 0 && symbol < 32767 ? static_cast<int16_t>(symbol) : int16_t(-1);
  return t;
}
// A numeric literal, possibly negated: `12`, `-0.5`.
bool IsNumericLiteral(const Expr& e);
// Whether `name` is a built-in function (builtins.cc), which a user function may not be named.
bool IsBuiltinName(const std::string& name);

// Where an expression is checked: what it may refer to and what is known to be present.
struct Scope {
  bool group = false;          // inside the group block: aggregates and group lets visible
  std::string aggregate;       // inside this aggregate's argument ("" outside)
  int field_only = -1;         // a field's `where`: only this symbol may be named
  bool input_only = false;     // an input `check`: only input fields may be named
  bool output = false;         // an output column: group lets visible too
  std::vector<int> present;    // symbols known to be present here (narrowed by `is present`)
  int function = -1;           // a user function's body: its parameters, consts, tables, functions
  const ast::LetDecl* constant = nullptr;  // a `const`'s value: literals, consts, functions only
  int reference = -1;          // a reference field's `where`: names are that reference's fields
  bool reference_rows = false; // the argument of an aggregate over a key's rows (sum(R[k].f))
  int row_of = -1;             // an expression of a reference's row (count(R[k], COND)): its fields only
};

// Checks one policy: declares every name, then checks each declaration, reporting to `diags`.
class Checker {
 public:
  Checker(ast::Policy& policy, CheckedPolicy& out, Diagnostics& diags, const SourceFile& source)
      : policy_(policy), out_(out), diags_(diags), source_(&source) {}

  void Run();

 private:
  // ---- checker.cc: the passes in order, symbols resolved on demand, output, unused values --------------
  void Resolve(int s);
  Type UseSymbol(int s, Span use);
  Type CheckLet(ast::LetDecl& let);
  std::string_view source_text(Span span) const;
  std::string Snippet(Span span, const char* fallback) const;
  std::string ArgSnippet(Span span, const char* fallback) const;
  std::string Quoted(Span span) const;
  void CheckOutput();
  void ReportUnused();

  // ---- declarations.cc: the symbol table, type names, scopes, suggestions ------------------------------
  int Declare(SymbolKind kind, const ast::Name& name, int decl, std::map<std::string, int>& table);
  void DeclareEnums();
  Type ResolveType(const ast::TypeRef& ref, bool allow_decimal = false);
  std::string UnknownTypeHint(const std::string& name) const;
  void DeclareInput();
  void CheckInputConditions();
  bool InScope(const Scope& scope, int s, Span use);
  std::vector<std::string> FieldNames() const;
  void DeclareCode(const ast::Name& code);
  void DuplicateBlock(Span again, Span first, const char* block, const char* hint);
  void DeclareValues();
  std::string SuggestDeclared(const std::string& name, bool with_group);
  Type NameRef(Expr& e, Scope& scope, const Type* hint);

  // ---- expressions.cc: expression typing and type agreement --------------------------------------------
  Type Value(Expr& e, Scope& scope, const Type* hint = nullptr);
  Type Infer(Expr& e, Scope& scope, const Type* hint);
  Type Mismatch(Span span, const std::string& message, const Type& got, Base want);
  Type Member(Expr& e, Scope& scope);
  Type UnknownMember(Expr& e, const std::vector<std::string>& options);
  Type Index(Expr& e, Scope& scope);
  Type Numeric(Type a, const Expr& ea, Type b, const Expr& eb, Span span, const char* what);
  Type Binary(Expr& e, Scope& scope);
  bool Comparable(const Type& a, const Type& b, const Expr& ea, const Expr& eb, Span span, ast::BinaryOp op);
  std::string OrderHint(const Type& a, const Expr& ea, const Expr& eb, ast::BinaryOp op) const;
  std::string EnumWithStringHint(const Type& enum_type, const Expr& text) const;
  std::string EnumValueMeant(const Type& enum_type, const std::string& text) const;
  Type MoneyTimesMoney(const Expr& e);
  Type Dividend(Expr& quotient, Scope& scope);
  Type Unify(Type a, Type b, Span span, const char* what, const Expr* eb, const Expr* ea = nullptr);
  Type Fit(Type t, Type declared, Span span, const std::string& what);
  std::string ConversionHint(const Type& t, const Type& declared) const;
  std::string DefaultText(const Type& t) const;

  // ---- builtins.cc: calls of built-in functions --------------------------------------------------------
  Type Call(Expr& e, Scope& scope);
  Type Rounding(Expr& e, Builtin id, Scope& scope);
  Type ExactRounded(int scale, bool optional);

  // ---- lists_text.cc: lists of codes, text functions, string concatenation -----------------------------
  Type ListOrText(Expr& e, Builtin id, Scope& scope);
  Type ListArgument(Expr& e, Scope& scope, const char* what);
  Type TextArgument(Expr& e, Scope& scope, const char* what);
  Type ContainsCode(Expr& e, const Type& list);
  Type ConcatStrings(Expr& e, Type a, Type b);
  std::vector<std::string> CodeUniverse(const Type& list) const;
  bool IsListExpr(const Expr& e) const;

  // ---- missing.cc: missing values and narrowing --------------------------------------------------------
  // How a condition of a rules, warnings or decision block treats missing (`missing means false`).
  enum class BlockMissingMode : uint8_t { NotABlock, Checked, False };
  void Condition(Expr& e, Scope& scope, const std::string& what, BlockMissingMode mode = BlockMissingMode::NotABlock);
  const Expr* MissingSource(const Expr& e) const;
  bool Present(const Scope& scope, int s) const;
  std::vector<int> Facts(const Expr& e, bool when_true) const;
  Scope With(const Scope& scope, const std::vector<int>& facts);
  std::string NeverMissing(const Expr& e, const Scope& scope) const;
  Type Logical(Expr& e, Scope& scope);
  Type Coalesce(Expr& e, Scope& scope, const Type* hint);
  Type IsMissingTest(Expr& e, Scope& scope);
  Type IfThenElse(Expr& e, Scope& scope, const Type* hint);

  // ---- exprs.cc: sets and ranges in `in`, `missing means false`, declared exact types ------------------
  Type InRange(Expr& e, Scope& scope);
  void TwoValueList(const Expr& e);
  static BlockMissingMode BlockMissing(const ast::MissingFalse& m) {
    return m.on ? BlockMissingMode::False : BlockMissingMode::Checked;
  }
  void UnneededMissingFalse(const ast::MissingFalse& m, const std::vector<const Expr*>& conditions, const std::string& block);
  Type SizedType(const ast::TypeRef& ref);

  // ---- rules.cc: rule sets, the decision, warnings -----------------------------------------------------
  Type CheckRuleSet(ast::RuleSet& set);
  Type CheckDecision(ast::Decision& d);
  void RequireString(const Type& t, Span span, const char* what);
  Type CheckWarnings();

  // ---- scorecards.cc: scorecards, bands and their bins -------------------------------------------------
  void DomainOf(int symbol, NumericDomain& domain);
  void Bound(const Expr& e, int symbol, NumericDomain& domain);
  void BoundBy(ast::BinaryOp op, const Expr& lhs, const Expr& rhs, int symbol, NumericDomain& domain);
  void CheckBinTests(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span, BinOrder order,
                     const Expr* subject_expr = nullptr);
  void CheckCategoryBins(std::vector<ast::Bin>& bins, const Type& subject, Span subject_span);
  std::string CategoryExample(const Type& subject) const;
  Type CheckScorecard(int index);
  bool PointsOf(Expr& e, int64_t& points);
  Type Constant(Expr& e, const Type* hint, const char* what);
  Type CheckBand(ast::Band& band);

  // ---- scaled.cc: scaled (WOE) scorecards, math functions, rounding modes ------------------------------
  Type CheckScaledScorecard(int index);
  void CheckPointScorecardItems(const ast::Scorecard& card);
  std::vector<std::string> BinTexts(const std::vector<ast::Bin>& bins) const;
  Type MathCall(Expr& e, Builtin id, Scope& scope);
  bool RoundModeArgument(Expr& mode);

  // ---- tables.cc: tables -------------------------------------------------------------------------------
  Type CheckTable(ast::Table& table);
  bool TableKeyValid(const ast::Table& table, const std::vector<Type>& keys, const std::vector<ast::Name>& tuple);

  // ---- reuse.cc: consts, user functions ------------------------------------------------------------
  void DeclareFunctions();
  void CheckFunctions();
  void CheckFunction(int f);
  Type UserCall(Expr& e, int f, Scope& scope);
  bool ReuseNameRef(Expr& e, Scope& scope, Type& type);
  bool ReuseAllows(const Expr& e, const Scope& scope);
  bool Imported(Span span) const { return span.begin >= policy_.imported_from; }
  void ReportUnusedFunctions();
  const Expr* ConstLiteral(const std::string& name);
  bool ConstAsLiteral(Expr& e);  // an untyped const holding a number literal, used: becomes it
  void ConstsInBins();
  void ConstUnit(Expr& call, const Scope& scope);
  // ---- decision_tables.cc: decision tables and generalised lookup tables --------------------------------
  Type CheckDecisionTable(int index);
  Type DecisionTableMember(Expr& e, const Symbol& sym);
  Type CheckGeneralTable(ast::Table& table);
  bool IsEnumGrid(const ast::Table& table);
  bool TableCell(const ast::Cell& cell, ColumnModel& col, const std::string& label, CellModel& out);
  bool TableModel(std::vector<ColumnModel>& cols, const std::vector<ast::Name>& labels,
                  const std::vector<std::vector<const ast::Cell*>>& cells, std::vector<std::vector<std::vector<uint64_t>>>& masks);
  std::string TableInputText(const std::vector<ast::Name>& labels, const std::vector<ColumnModel>& cols,
                             const std::vector<int32_t>& input) const;

  // ---- references.cc: reference data, lookups, membership and aggregates over a key's rows -----------
  void DeclareReferences();
  void CheckReferenceConditions();
  int ReferenceOf(const Expr& e) const;  // the reference symbol `e` names (a NameRef), or -1
  bool IsReferenceRows(const Expr& e) const;  // R[k] or R[k].f
  bool ReferenceKey(Expr& index, Scope& scope, bool& optional);
  Type ReferenceField(Expr& e, Scope& scope);
  Type ReferenceAggregate(Expr& e, Builtin id, Scope& scope);
  Type RowAggregate(Expr& e, Builtin id, Scope& scope);
  Type InReference(Expr& e, Scope& scope);
  bool RefFieldName(Expr& e, const Scope& scope, Type& type);

  // ---- group.cc: the group block and aggregates --------------------------------------------------------
  void CheckGroup();
  void CheckAction(ast::GroupAction& action, Scope& scope);
  Type Aggregate(Expr& e, Builtin id, Scope& scope);

  // ---- rejects.cc: the rejects block ------------------------------------------------------------------
  void CheckRejects();

  // ---- outputs.cc: per-group outputs ---------------------------------------------------------------
  void CheckGroupOutputs();
  bool GroupUniform(const Expr& e, std::string& why, Span& at) const;

  // ---- state ---------------------------------------------------------------------------------------
  ast::Policy& policy_;
  CheckedPolicy& out_;
  Diagnostics& diags_;
  const SourceFile* source_;
  std::map<std::string, int> enum_ids_;
  std::map<std::string, int> names_;        // record scope
  std::map<std::string, int> group_names_;  // group lets
  bool group_key_optional_ = true;          // the group key field may be missing (or there is none)
  static constexpr size_t kMaxNameSearches = 100;
  std::map<std::pair<std::string, int>, std::string> suggestions_;  // SuggestDeclared's answers
  std::map<std::string, Span> codes_;
  static constexpr size_t kMaxResolveDepth = 64;  // symbols being resolved at once, in a cycle
  bool long_cycle_reported_ = false;
  const Expr* quotient_dividend_ = nullptr;  // the `a * b` of an `a * b / c` being typed (Binary)
  std::vector<int> state_;                  // per symbol: 0 unchecked, 1 checking, 2 done
  std::vector<int> stack_;
  std::map<const ast::Table*, std::pair<std::vector<Type>, Type>> table_types_;  // keys, value
  std::map<std::string, int> functions_;    // user function name → index
  std::vector<int> function_state_;         // per function: 0 unchecked, 1 checking, 2 done
  std::vector<int> function_stack_;
  std::vector<bool> function_used_;
};

}  // namespace credo::check
