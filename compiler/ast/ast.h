// ast.h — the abstract syntax tree of a policy, as written (before checking).
//
// Built by compiler/syntax from the ANTLR parse tree (no ANTLR type appears here). Every node
// carries the span of its source text. The checker annotates expressions with their type and
// resolved meaning (the `resolved` fields), and only a CheckedPolicy may reach lowering.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/types.h"
#include "compiler/base/source.h"

namespace credo::ast {

struct Name {
  std::string text;
  Span span;
};

enum class ExprKind : uint8_t {
  IntLit, DecimalLit, StringLit, BoolLit, MissingLit,
  NameRef,     // text
  Call,        // text = function name, args
  Member,      // args[0].text; member name in `member`, call arguments in args[1..] when is_call
  Index,       // args[0][args[1], ...]: a table lookup, one argument per key
  Neg, Not,    // args[0]
  Binary,      // args[0] op args[1]
  And, Or, Coalesce,
  IsMissing,   // args[0] is [not] missing  (negated = `is not missing` / `is present`)
  In,          // args[0] [not] in [args[1..]]  (or {args[1..]}: `set` is true; same meaning)
  InRange,     // args[0] [not] in a range from args[1] to args[2]; lo_closed / hi_closed
  If,          // if args[0] then args[1] else args[2]
  InReference, // args[0] [not] in REFERENCE (text = the reference's name, member = its name as written)
};

enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Lt, Le, Gt, Ge, Eq, Ne };

// What the checker found an expression to mean (filled in by the checker only).
struct Resolved {
  int symbol = -1;      // NameRef / Member base: index into CheckedPolicy::symbols
  int member = -1;      // Member: a check::MemberKind
  int index = -1;       // Member: rule / characteristic index; Call: builtin id; EnumValue: ordinal
  bool enum_value = false;  // NameRef that names an enum value (index = ordinal)
  bool exact_quotient = false;  // a Div inside floor/ceil/round computed in exact arithmetic
};

struct Expr {
  ExprKind kind;
  Span span;
  BinaryOp op = BinaryOp::Add;
  bool negated = false;
  bool is_call = false;          // Member: `x.m(...)`
  bool set = false;              // In: written as a set `{a, b}` (a list `[a, b]` otherwise)
  bool lo_closed = false, hi_closed = false;  // InRange: `[` / `]`
  std::string text;              // name, function name, string value, literal text
  Name member;                   // Member
  int64_t int_value = 0;         // IntLit; DecimalLit as scaled integer
  int scale = 0;                 // DecimalLit fraction digits
  std::vector<std::unique_ptr<Expr>> args;

  Type type;                     // set by the checker
  Resolved resolved;             // set by the checker
};
using ExprPtr = std::unique_ptr<Expr>;

struct TypeRef {
  Name name;
  bool optional = false;
  int size = -1;           // `decimal(N)`: N; -1 when no size is written
};

struct EnumDecl {
  Name name;
  std::vector<Name> values;
};

struct FieldDecl {
  Name name;
  TypeRef type;
  ExprPtr where;           // may be null
  std::string reason;      // custom reject reason for `where`; empty = out_of_range:<field>
};

struct CheckDecl {
  ExprPtr condition;
  std::string reason;
  Span span;
};

struct InputDecl {
  Name name;
  std::vector<FieldDecl> fields;
  std::vector<Name> unique;
  std::vector<CheckDecl> checks;
};

// `reference NAME ["TITLE"] keyed by KEY [many] { field: type [where ...] ... }`: a keyed file of
// reference data (docs/language.md, "Reference data"). Its fields are checked as input fields.
struct ReferenceDecl {
  Name name;
  std::string title;
  Name key;
  bool many = false;       // several rows per key (a ledger); one row per key otherwise
  std::vector<FieldDecl> fields;
  Span span;
};

struct LetDecl {
  Name name;
  std::optional<TypeRef> type;
  ExprPtr value;
  bool is_const = false;   // `const NAME = EXPR`: a constant expression (a let that names no record value)
};

// `function NAME(p: T, ...): R = EXPR` — pure, inlined at each call.
struct Param {
  Name name;
  TypeRef type;
};
struct FunctionDecl {
  Name name;
  std::vector<Param> params;
  TypeRef result;
  ExprPtr body;
  Span span;
};

// `import "path"`: the path as written, and the canonical path of the file it named (set by the
// driver when it loaded it).
struct ImportDecl {
  std::string path;
  Span span;
};

struct Rule {
  Name code;
  std::string title;
  ExprPtr when;
  Name effect;
};

// `missing means false` first in a rules, warnings or decision block: a missing condition of
// the block counts as false (the whole condition: `c ?? false`).
struct MissingFalse {
  bool on = false;
  Span span;
};

struct RuleSet {
  Name name;
  std::string title;
  MissingFalse missing_false;
  std::vector<Rule> rules;
};

// A literal in a bin test or an interval bound.
struct BinValue {
  enum Kind : uint8_t { Number, String, Name, Bool, Date } kind = Number;
  Span span;
  std::string text;      // String / Name text; Number source text; Date: the date's text
  int64_t scaled = 0;    // Number: value * 10^scale
  int scale = 0;
  bool bool_value = false;
};

enum class CompareOp : uint8_t { Lt, Le, Gt, Ge, Eq, Ne };

struct BinTest {
  enum Kind : uint8_t { Missing, Else, Interval, Compare, Value } kind = Value;
  Span span;
  bool lo_closed = true, hi_closed = false;   // Interval
  BinValue lo, hi;                            // Interval
  CompareOp op = CompareOp::Eq;               // Compare
  BinValue value;                             // Compare, Value
};

struct Bin {
  std::vector<BinTest> tests;   // alternatives: the bin applies when any test holds
  ExprPtr result;
  Span span;
};

struct Characteristic {
  Name code;
  std::string title;
  ExprPtr subject;
  std::optional<BinValue> weight;   // `weight β` (scaled scorecards): a Number
  std::vector<Bin> bins;
};

// `scaling S at odds O pdo P` of a scaled (WOE) scorecard: three Numbers.
struct Scaling {
  BinValue base, odds, pdo;
  Span span;
};

struct Scorecard {
  Name name;
  std::string title;
  std::optional<int64_t> baseline;
  Span baseline_span;
  int reasons = 0;          // 0 = not stated: every characteristic can be a reason
  std::optional<Scaling> scaling;       // present: a scaled (WOE) scorecard
  std::optional<BinValue> intercept;    // `intercept X`
  std::optional<Name> rounding;         // `rounding per_bin|total|none` (the checker reads the word)
  std::vector<std::pair<Span, Span>> repeated;  // an item given again: (again, first)
  std::vector<Characteristic> characteristics;
};

struct Band {
  Name name;
  std::optional<TypeRef> type;
  ExprPtr subject;
  std::vector<Bin> bins;
};

// A cell of a decision table row, or one key of a lookup table entry: a test of one value.
struct Cell {
  enum Kind : uint8_t {
    Any,       // `-` or `_`: every value, missing too
    Missing,   // only missing
    Present,   // every present value
    Interval,  // lo_closed/hi_closed, lo, hi
    Compare,   // op values[0]
    Value,     // == values[0]
    Set,       // one of values (negated: none of them, and present)
  } kind = Any;
  Span span;
  bool negated = false;
  bool lo_closed = true, hi_closed = false;
  BinValue lo, hi;
  CompareOp op = CompareOp::Eq;
  std::vector<BinValue> values;
};

struct TableEntry {
  // The keys the entry covers: tuples with one name per key of the table ("_" matches any
  // value); several tuples are alternatives. Empty: the `else` entry.
  std::vector<std::vector<Name>> keys;
  // The same tuples as cells (keys[i][j] is the source text of cells[i][j]). A key written
  // `(a, b)` is a pair for a table of two keys and an open interval for a table of one: then
  // as_interval[i] holds the interval reading.
  std::vector<std::vector<Cell>> cells;
  std::vector<std::optional<Cell>> as_interval;
  ExprPtr value;
  Span span;
};

struct Table {
  Name name;
  std::vector<TypeRef> keys;  // enums (a grid when there are several), or any key types
  TypeRef value;
  std::vector<TableEntry> entries;
};

// A decision table (docs/language.md, "Decision tables").
enum class HitPolicy : uint8_t { First, Unique, Any, Priority, Collect, CollectSum, CollectMin, CollectMax, CollectCount };

struct DecisionRow {
  Name code;                    // "else" for the else row
  std::string title;
  std::vector<Cell> cells;      // one per input (none for else)
  std::vector<ExprPtr> values;  // one per output
  Span span;
};

struct DecisionTable {
  Name name;
  std::string title;
  HitPolicy hit = HitPolicy::First;
  Name hit_output;              // priority by / collect sum|min|max of this output
  Span hit_span;
  std::vector<Name> labels;     // per input column
  std::vector<ExprPtr> inputs;  // per input column (a NameRef of the label when written plain)
  std::vector<Name> outputs;
  std::vector<TypeRef> output_types;
  std::vector<DecisionRow> rows;
  std::optional<DecisionRow> else_row;
  Span span;
};

struct DecisionArm {
  ExprPtr condition;    // null = else
  Name outcome;
  ExprPtr reason;       // may be null
  Span span;
};

struct Decision {
  Name name;            // "decision" unless named
  TypeRef type;
  std::vector<DecisionArm> arms;
  Span span;
  MissingFalse missing_false;
};

struct Warning {
  Name code;
  std::string title;
  ExprPtr when;
};

struct WarningsBlock {
  Span span;
  MissingFalse missing_false;
  std::vector<Warning> warnings;
};

struct GroupAction {
  enum Kind : uint8_t { Warn, Set } kind = Warn;
  Name target;          // Warn: the code; Set: the value set
  std::string title;
  ExprPtr value;        // Set
  ExprPtr reason;       // Set with `because` (for a decision)
  Span span;
};

struct GroupStmt {
  enum Kind : uint8_t { Let, Update } kind = Let;
  Name name;            // Let
  ExprPtr expr;         // Let: value; Update: condition
  std::vector<GroupAction> actions;
  Span span;
};

struct GroupBlock {
  Name key;
  std::vector<GroupStmt> stmts;
  Span span;
};

struct OutputItem {
  Name name;
  ExprPtr value;        // null: the value named `name`
};

struct OrderKey {
  Name column;
  bool descending = false;
};

// `output { ... }` (the record output), or `output NAME per group [order by ...] { ... }`.
struct OutputBlock {
  Span span;
  std::vector<OutputItem> items;
  Name name;                   // per-group output only
  std::vector<OrderKey> order;  // per-group output only
};

// `rejects { KIND => "TEXT" ... }`: the reason written for each kind of reject.
struct RejectText {
  Name kind;
  std::string text;
  Span text_span;
};

struct RejectsBlock {
  Span span;
  std::vector<RejectText> texts;
};

struct Policy {
  Name name;
  std::string version;
  std::string description;
  bool is_library = false;          // the file starts with `library NAME` instead of `policy NAME`
  std::vector<ImportDecl> imports;  // as written in this file
  std::vector<FunctionDecl> functions;
  // Every library merged into this policy, in load order (name and version, for the program's
  // identity: ir::Program::libraries).
  struct Library {
    std::string name, version;
  };
  std::vector<Library> libraries;
  // Spans at or after this offset are in imported files (their declarations are merged into
  // this policy by the driver, compiler/driver/imports.cc); the policy's own file comes first.
  uint32_t imported_from = UINT32_MAX;
  std::vector<EnumDecl> enums;
  std::vector<InputDecl> inputs;
  std::vector<ReferenceDecl> references;
  std::vector<LetDecl> lets;
  std::vector<RuleSet> rule_sets;
  std::vector<Scorecard> scorecards;
  std::vector<Band> bands;
  std::vector<Table> tables;
  std::vector<DecisionTable> decision_tables;
  std::vector<Decision> decisions;
  std::vector<WarningsBlock> warnings;
  std::vector<GroupBlock> groups;
  std::vector<OutputBlock> outputs;        // record outputs (one allowed)
  std::vector<OutputBlock> group_outputs;  // `output NAME per group`
  std::vector<RejectsBlock> rejects;
};

}  // namespace credo::ast
