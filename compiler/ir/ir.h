// ir.h — the lowered program: flat, typed, over column slots. The interpreter runs it; the JIT
// compiles it. Both must produce identical results for every input.
//
// ## Shape
// A Program is straight-line SSA code: instruction i defines register i. There is no control
// flow; choices are `Select`s, so every instruction runs for every record of a batch and an
// engine may evaluate instruction-at-a-time over columns (the interpreter) or record-at-a-time
// in a vectorised loop (the JIT). Each register has a static type (rt::ValueType): its kind,
// decimal scale and whether it may be missing.
//
// ## Semantics
// - Values: Bool/Enum/Int/Date/Decimal are int64 (Decimal scaled by 10^scale, static per
//   register), Number is an IEEE double, String a pointer to an rt::Str, Codes a uint64 bit set.
// - Missing: a register that may be missing has a validity flag per record. Unless an op says
//   otherwise, the result is missing when any operand is missing, and then its value is 0.
//   `IsMissing`, `Coalesce`, `Select`, `And`, `Or` and `Fail` look at validity themselves.
// - And/Or are Kleene (three-valued): false and missing = false; true or missing = true.
// - Int and Decimal arithmetic is exact and checked: a result outside int64 is an overflow.
//   Number arithmetic (Add, Sub, Mul, Div) whose result is not finite is an overflow too (no
//   inf or NaN ever reaches a record), and a Date result outside [0000-01-01, 9999-12-31] is
//   out of range. Each such op has a `site`: the reject reason of its failure.
// - Decimal operands of Add/Sub/Min/Max/compare have equal scales (lowering inserts Rescale).
//   Mul multiplies raw integers: the result scale is the sum of the operand scales.
// - Div is on Numbers; a zero divisor gives missing. Exact values become Numbers by ToNum:
//   double(raw) / 10^scale (one correctly rounded division).
// - RoundQuot computes an exact quotient rounded to an integer: k = round_mode(a·b·M / (c·U))
//   in 128-bit arithmetic (M = imm2, U = imm3 positive constants).
//   A zero denominator gives missing; a k outside int64 is an overflow.
// - NumRound: k = round_mode(a / fimm) for a double a; outside ±2^62 is an overflow.
// - Comparisons of Numbers treat -0.0 as 0 (IEEE). Strings compare by bytes.
// - Math(a [, b]): imm = rt::MathFn; rt::Math's result. NaN (no real result: ln of a <= 0, ...)
//   gives missing; an infinite result is an overflow (site). Both engines call rt::Math itself.
// - RankReason(args...): args are int shortfalls in tie-break order; the result is the string of
//   the imm-th (1-based) largest positive shortfall, ties by args order; "" when fewer exist.
// - Lists (Codes) have two static layouts (runtime/core/text.h): a bit set over the code set
//   PolicyInfo::code_sets[type.names] (order = the code set's order), or, when type.ranked, up to
//   rt::kMaxRanked = 8 packed entries (byte i = 1 + code index of entry i, 0 = none), in rank
//   order. ListCount / ListContains / ListFirst / Text(Join) read either layout from their
//   operand's type; both are one uint64, so list ops are branch-free and allocate nothing.
// - Text ops compute strings; a string result lives in the evaluation's arena: the state batch's
//   (StateBatch::computed) for the record program, one per group pass and thread (kept by the
//   evaluator) for the group program. Strings are bytes; characters are UTF-8 code points.
// - TableRow(inputs...): matches one record against Program::tables[imm] (rt::CompiledTable,
//   runtime/core/dtable.h): each input's segment selects a row bit set per column, the AND is
//   the set of matching rows (a missing input matches only `-` and `missing` cells). imm2 says
//   what the result is: 0 the chosen row (Int: the lowest set bit in the table's bit order, as a
//   row index; rows = the `else` row; missing when no row matches and there is no `else`),
//   1 the number of matching rows (Int), 2 the matching rows in row order (Codes, ≤ 64 rows),
//   3 whether any row matched (Bool). It never fails; its error is its inputs' (the first).
//   (The interpreter matches a column at a time; the JIT inlines the matcher, binary search and
//   all, except for string columns, which call runtime/core/dtable.h's.)
// - Pick(i, v0, …, vk-1): v_i; missing when i is missing or v_i is. Its error: err(i), else
//   err(v_i): only the chosen row's value counts (as Select).
// - TableAgg(inputs…, v0, …, vrows-1 [, velse]): imm = table, imm2 = 0 sum / 1 min / 2 max of the
//   values of the matching rows (the value type's kind; exact sums checked, Number sums finite).
//   No matching row: the else value if the table has one, else 0 for a sum and missing for
//   min/max. A missing value among the matching rows makes the result missing. Its error: the
//   inputs' (first), else the first error of a matching row's value in row order, else its own
//   overflow (`site`).
//
// - RefFind(key): imm = reference (Program::references): the key's slot in the loaded reference
//   (Int), missing when the key is missing or no row has it. It never fails.
// - RefGet(slot): imm = reference, imm2 = column: the column's value for the key slot; missing
//   when the slot is missing or the value is (a `many` column over no rows: min/max). A sum
//   column that overflowed for that key fails with `site`.
//
// ## Errors are values: a failure counts only where it is used
// Every register carries, besides its value and validity, an error: 0, or the site of the first
// failure that its value depends on. An op's error is the first non-zero error of the operands
// it uses, in operand order, else its own failure's site (an op fails only on present operands).
// Operands an op does not use contribute nothing:
//   Select(c, a, b)  err(c), else err(a) when c, else err(b)        (the branch not taken is free)
//   Coalesce(a, b)   err(a), else err(b) when a is missing
//   And(a, b)        err(a), else err(b) unless a is a present false (left to right, as written)
//   Or(a, b)         err(a), else err(b) unless a is a present true
// So both sides of a choice are computed (the code stays branch-free) but only the chosen one's
// error travels. An error reaches the record's status only at a use:
//   Use(a)           status = err(a) unless a status is already set; the result is a, error-free
//   Fail(a)          status = err(a), else `site` when a is true, unless already set
// Lowering puts a Use on every declared value (each `let`, rule condition, scorecard, band,
// decision, warnings, output column, group `let`, group `when`, assigned group value), so the
// first error in evaluation order wins, and a value computed only for a branch, an arm, a bin, a
// `??` fallback or an action that is not chosen never rejects the record. After an error the
// record's values are unspecified, but computing them is never undefined behaviour.
// In the group program an error travels through reductions too: a group value's error is the
// first error among the reduced member values (in input order), else the sum's overflow; a
// GroupValue op carries it, so it counts only for members that use it. Members already rejected
// (status set by an earlier step or earlier in this step) take no part in later reductions.
// (docs/language.md, "Where an error counts", says the same for policy authors.)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/core/batch.h"
#include "runtime/core/dtable.h"
#include "runtime/core/reference.h"
#include "compiler/ir/probes.h"

namespace credo::ir {

using rt::Kind;
using rt::ValueType;

enum class Op : uint8_t {
  Input,       // imm = input field
  State,       // group code only: imm = record-state slot of the member
  GroupValue,  // group code only: imm = group scalar (an aggregate, the same for every member)
  Const,       // imm = value bits (Number: the double's bits; String: imm = string id)
  Missing,     // a missing value
  IsMissing,   // a
  Coalesce,    // a if present else b
  Select,      // a (bool, never missing) ? b : c
  Add, Sub, Mul, Neg, Abs, Min, Max,
  Rescale,     // a * 10^imm (Int/Decimal → Decimal), checked
  ToNum,       // a (Int/Decimal) → Number
  Div,         // a / b (Numbers); missing when b == 0
  RoundQuot,   // see semantics; imm = rt::RoundMode; args a, b, c (lowering passes a constant 1 for absent ones)
  NumRound,    // round_mode(a / fimm) → Int; imm = rt::RoundMode
  Lt, Le, Gt, Ge, Eq, Ne,
  And, Or, Not,
  CodesAdd,    // a | (b ? imm : 0); b never missing
  RankReason,  // imm = rank (1-based), imm2 = reason set; args = shortfalls
  Fail,        // status = err(a), else site if a
  Calendar,    // rt::Calendar(imm, a, b): year/month/day/day of week of a date, the end of its
               // month, whole years or months between dates, a date plus b days, months or years
               // (a result outside the date range fails: rt::CalendarCanFail / CalendarInRange)
  ListCount,   // a (Codes) → Int: how many codes the list holds
  ListContains,// a (Codes) → Bool: code imm (index in a's code set) is in the list
  ListFirst,   // a (Codes) → Codes of a's type: the first imm codes of the list (imm >= 0)
  RankCodes,   // args = shortfalls → ranked Codes (type.names = the code set, in args order):
               // up to imm entries, as RankReason ranks them (imm2 = reason set, as RankReason's)
  Text,        // rt::Text(imm, args...): text functions, join, text(x) (rt/core/text.h); a string
               // result is allocated in the evaluation's string arena
  Use,         // a, with its error committed to the record's status (see "Errors are values")
  Math,        // rt::Math(imm, a [, b]) on Numbers: ln, exp, pow, sqrt (see semantics)
  TableRow,    // imm = table, imm2 = mode; args = the table's inputs (see semantics)
  Pick,        // args = index, values: the index-th value
  TableAgg,    // imm = table, imm2 = 0 sum / 1 min / 2 max; args = inputs, then one value per row [+ else]
  RefFind,     // imm = reference; args = key → key slot (see semantics)
  RefGet,      // imm = reference, imm2 = column; args = slot (see semantics)
};

struct Instr {
  Op op;
  ValueType type;            // of the result
  std::vector<int32_t> args; // operand registers
  int64_t imm = 0, imm2 = 1, imm3 = 1;
  double fimm = 0;
  int32_t site = 0;          // reject reason for an op that can fail (0 = none)
};

struct Reduction {
  enum Kind : uint8_t { Sum, Count, Any, All, Min, Max } kind;
  int32_t reg;               // member register reduced
  int32_t scalar;            // group scalar written
  int32_t site = 0;          // reject reason when a sum overflows
};

struct Assignment {
  int32_t reg;               // member register
  int32_t state;             // record-state slot overwritten
};

// A step of the group pass: run code [begin, end) for every member, then reduce, then assign.
struct GroupStep {
  int32_t begin = 0, end = 0;
  std::vector<Reduction> reductions;
  std::vector<Assignment> assignments;
};

struct Program;

// A declared reference (docs/language.md, "Reference data"): how its file is read and checked
// (`rows`: a program over the reference's fields, whose inputs are the fields and whose code is
// their `where` checks), its key, and the per-key columns the record program reads (RefGet).
struct Reference {
  std::string name, title;
  bool many = false;
  int key_field = -1;
  std::shared_ptr<const Program> rows;
  std::vector<rt::ReferenceColumnSpec> columns;
};

struct Program {
  rt::PolicyInfo info;
  std::vector<std::string> strings;             // string constants (Const of String: imm = id)
  std::vector<std::vector<int32_t>> reason_sets;// RankReason: string ids in args order
  std::vector<rt::CompiledTable> tables;        // TableRow / TableAgg: decision and lookup tables
  std::vector<Reference> references;            // RefFind / RefGet: reference data, loaded before a run
  std::vector<Instr> code;                      // the record program
  std::vector<int32_t> state_regs;              // record program register stored in each state slot
  std::vector<Instr> group_code;                // the group program (over members)
  std::vector<GroupStep> group_steps;
  int32_t group_scalars = 0;
  // The libraries the policy imported (name, version), in load order: part of the program's
  // identity (Print, Hash) besides the code they contributed.
  std::vector<std::pair<std::string, std::string>> libraries;
  uint64_t hash = 0;                            // Hash(*this), set once the program is final
  // Set only when lowered for explain or coverage (probes.h); not part of Print or Hash.
  std::vector<Probe> probes;
};

// Per register of `code` (the record or the group program): whether its error may be non-zero.
std::vector<bool> MayFail(const Program& program, const std::vector<Instr>& code);
// Whether `in` may carry an error, given that of the registers before it and of the group values.
bool MayFail(const Instr& in, const std::vector<bool>& regs, const std::vector<bool>& scalars);
// Whether the group value `red` writes may carry an error: its reduced register's, or a sum's overflow.
bool MayFail(const Reduction& red, const std::vector<bool>& regs);

// Checks the program's internal consistency (operand order, kinds, scales); returns "" or why not.
std::string Verify(const Program& program);
// A canonical text form; its hash identifies the compiled policy.
std::string Print(const Program& program);
uint64_t Hash(const Program& program);
const char* OpName(Op op);

}  // namespace credo::ir
