// lowerer.h — Lowerer: a checked policy (check::CheckedPolicy) as an ir::Program. Internal to
// compiler/lower; lower.h is the interface. Its members are defined by concern: lower.cc (the
// run, instruction and constant helpers, conversions), lower_exprs.cc (expressions, calls,
// rounding, indexing, names and state slots), lower_decls.cc (inputs, reference data, rules,
// scorecards, bins and the decision) and lower_group.cc (the group pass and the outputs).
#pragma once

#include "compiler/lower/lower.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <map>
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "compiler/lower/lists_text.h"
#include "compiler/lower/lower_references.h"
#include "compiler/lower/lower_tables.h"
#include "compiler/lower/probes.h"
#include "runtime/core/calendar.h"
#include "compiler/lower/scaled.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/core/math.h"

namespace credo::lower {

using ast::Expr;
using ast::ExprKind;
using check::Builtin;
using check::MemberKind;
using check::SymbolKind;
using ir::Instr;
using ir::Op;
using rt::Kind;
using rt::ValueType;

// A value the record program computes and the group pass or the output may read.
using ValueKey = std::tuple<int, int, int>;  // symbol, member (-1: the value itself), index

// The policy's reject texts: its rejects block over today's words.
rt::RejectTexts RejectTextsOf(const ast::Policy& policy);

class Lowerer : public lower::Builder {
 public:
  Lowerer(const check::CheckedPolicy& cp, const LowerOptions& options) : cp_(cp), ast_(cp.ast()) {
    if (options.probes) probes_ = std::make_unique<lower::ProbeRecorder>(p_, options.source, group_);
    source_ = options.source;
  }

  ir::Program Run();

 private:
  // ---- emitting -------------------------------------------------------------------------------

  int32_t Emit(Instr in) override {
    Fails().push_back(ir::MayFail(in, Fails(), scalar_fails_));
    code_->push_back(std::move(in));
    return static_cast<int32_t>(code_->size() - 1);
  }
  // ir::MayFail of each register of the program being emitted, kept as it grows.
  std::vector<bool>& Fails() { return code_ == &p_.code ? record_fails_ : group_fails_; }
  bool MayFail(int32_t r) { return Fails()[r]; }
  // A declared value is used: its error, if it may have one, becomes the record's status here
  // (ir.h, "Errors are values"); what is computed from it afterwards carries none.
  int32_t Commit(int32_t r) { return MayFail(r) ? Emit(Op::Use, TypeOf(r), {r}) : r; }
  int32_t Emit(Op op, ValueType type, std::vector<int32_t> args, int64_t imm = 0, int32_t site = 0) {
    Instr in{op, type, std::move(args)};
    in.imm = imm;
    in.site = site;
    return Emit(std::move(in));
  }
  const ValueType& TypeOf(int32_t r) const override { return (*code_)[r].type; }

  // ---- probes (lower/probes.h): only when lowered for explain or coverage --------------------

  // Adds a probe and makes it the parent of those added until CloseProbe; -1 without probes.
  int32_t OpenProbe(ir::ProbeKind kind, const std::string& name, Span span) {
    if (!probes_) return -1;
    int32_t i = probes_->Add(kind, name, span);
    probes_->Open(i);
    return i;
  }
  void CloseProbe(int32_t i, int32_t value = -1, int32_t hit = -1) {
    if (i < 0) return;
    probes_->Close();
    if (value >= 0) probes_->SetValue(i, value);
    if (hit >= 0) probes_->SetHit(i, hit);
  }
  // Probes' guard for the part of an expression lowered while it is open (ProbeRecorder::PushGuard).
  class Guard {
   public:
    Guard(lower::ProbeRecorder* probes, int32_t reg, lower::ProbeRecorder::GuardOn on) : probes_(probes) {
      if (probes_) probes_->PushGuard(reg, on);
    }
    void End() {
      if (probes_) probes_->PopGuard();
      probes_ = nullptr;
    }
    ~Guard() { End(); }

   private:
    lower::ProbeRecorder* probes_;
  };
  // A name's value or a shown sub-expression (a cap, a rounding, a choice, a function's result).
  int32_t Shown(const Expr& e, int32_t r);
  // A condition of a block with `missing means false`: a MissingFalse probe when it may be missing.
  void MissingFalse(const ast::MissingFalse& block, const std::string& name, Span span, int32_t raw) {
    if (!probes_ || !block.on || !Optional(raw)) return;
    int32_t i = probes_->Add(ir::ProbeKind::MissingFalse, name, span);
    probes_->HitLater(i, probes_->Guarded([raw](lower::HitBuilder& h) { return h.IsMissing(raw); }));
  }
  bool ProbingBins(const std::vector<ast::Bin>& bins) const { return probes_ && probes_->WantsBins(bins); }
  const rt::PolicyInfo& Info() const override { return p_.info; }
  bool Optional(int32_t r) const { return TypeOf(r).optional; }
  bool AnyOptional(std::initializer_list<int32_t> regs) const {
    for (int32_t r : regs)
      if (Optional(r)) return true;
    return false;
  }

  int32_t ConstOf(ValueType type, int64_t bits);
  int32_t Bool(bool b) { return ConstOf({Kind::Bool}, b); }
  int32_t Int(int64_t v) { return ConstOf({Kind::Int}, v); }
  int32_t Number(double d) { return ConstOf({Kind::Number}, std::bit_cast<int64_t>(d)); }
  int32_t String(const std::string& s) {
    auto [it, added] = string_ids_.try_emplace(s, int64_t(p_.strings.size()));
    if (added) p_.strings.push_back(s);
    return ConstOf({Kind::String}, it->second);
  }

  // The reject reason `text` (of input field `field`, or -1) as a status code, added once.
  int32_t Site(const std::string& text, int field = -1, std::string rule = "") {
    auto [it, added] = site_ids_.try_emplace({text, field}, int32_t(p_.info.reasons.size()));
    if (added) p_.info.reasons.push_back({text, field, std::move(rule)});
    return it->second;
  }
  // `keyword` and the expression at `span` on one line, for a reject's detail; "" without source.
  std::string Rule(std::string_view keyword, Span span) const {
    if (!source_) return "";
    return std::string(keyword) + " " + OnOneLine(source_->Slice(span), 200);
  }
  int32_t OverflowSite() {
    return Site(p_.info.rejects.Format(rt::RejectKind::Overflow, what_), -1,
                fmt::format("computing {} went beyond the range of its type", what_));
  }
  int32_t DateRangeSite() {
    return Site(p_.info.rejects.Format(rt::RejectKind::DateRange, what_), -1,
                fmt::format("the date computed for {} is outside 0000-01-01..9999-12-31", what_));
  }

  static ValueType ValueTypeOf(const Type& t);

  // ---- conversions ----------------------------------------------------------------------------

  // Converts register r to the value type `to` (exactly, or Int/Decimal → Number).
  int32_t Convert(int32_t r, ValueType to);

  // A register that is never missing: where the checker proved presence but the physical
  // register carries validity (narrowing), its missing lanes are unreachable; fill them.
  int32_t Required(int32_t r);

  // Lowers `e` as a value of checker type `want` (coercing numbers, filling literals).
  int32_t LowerAs(const Expr& e, const Type& want);

  static bool IsLiteral(const Expr& e) {
    if (e.kind == ExprKind::Neg) return IsLiteral(*e.args[0]);
    return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit;
  }
  static void LiteralValue(const Expr& e, int64_t& scaled, int& scale);
  int32_t Literal(const Expr& e, ValueType to) {
    int64_t scaled;
    int scale;
    LiteralValue(e, scaled, scale);
    return NumberConst(scaled, scale, to);
  }
  // scaled·10^-scale as a constant of type `to` (an exact double division for Number).
  int32_t NumberConst(int64_t scaled, int scale, ValueType to);

  // ---- expressions ----------------------------------------------------------------------------

  int32_t Lower(const Expr& e) override;

  // A list chosen from lists keeps their code set and layout (the checker's type does not say them).
  ValueType ListType(ValueType t, std::initializer_list<int32_t> regs) const;

  // The common type two numeric operands are brought to before an op.
  ValueType Common(const Type& a, const Type& b);

  int32_t Compare(ast::BinaryOp op, const Expr& ea, const Expr& eb);

  // An operand converted to `common`, keeping its own missing-ness.
  int32_t Operand(const Expr& e, ValueType common);

  int32_t Binary(const Expr& e);

  int32_t Call(const Expr& e);

  static rt::RoundMode ModeOf(const Expr& e, Builtin id);

  // floor/ceil/round(x [, unit]): k = round(x / unit) exactly, result k·unit at the result scale.
  int32_t Rounding(const Expr& e, Builtin id);

  // A table lookup as a select chain over its entries, first entry first: small, branch-free,
  // and the JIT folds it. The checker proved the entries (or `else`) cover every key.
  // lower_tables.cc's view of this lowerer.
  TableLowering Tables();

  int32_t Index(const Expr& e);

  // A user function's call, inlined: its arguments, converted to the parameters' types, are
  // what the parameters name while its body is lowered (docs/language.md, "Functions").
  int32_t InlineCall(const Expr& e);

  // ---- names and members ----------------------------------------------------------------------

  int32_t NameRef(const Expr& e);

  int32_t MemberValue(const Expr& e);

  // A record value: its register in the record program, or in the group program a read of
  // the record-state slot that holds it.
  int32_t ValueOf(ValueKey key);

  int StateSlot(ValueKey key, const std::string& name = "");

  std::string KeyName(ValueKey key) const;

  // ---- declarations -----------------------------------------------------------------------------

  void LowerInputs();

  // Fields read as inputs (the record's, or a reference's rows), then their `where` checks.
  void LowerFields(const std::vector<ast::FieldDecl>& fields, const std::vector<int>& symbols);

  // Each reference: how its rows are read and checked (a program of its own), and its key. The
  // columns the record program reads are added as its lookups are lowered.
  void LowerReferences();

  // Once every lookup is lowered: each reference's row program, with the expressions of a row
  // that the lookups aggregate (lower_references.h).
  void LowerReferenceRows();
  int RowValue(int r, const Expr& e);

 public:
  ir::Program RunReferenceRows(int r, const std::vector<const Expr*>& row_values);

 private:
  lower::ReferenceLowering References();

  void LowerSymbol(int s);

  void LowerRuleSet(int s, const ast::RuleSet& set);

  // A scorecard: point or scaled (the checker's points table, lower/scaled.h). Both kinds end in
  // the same shape: points per characteristic, the score, and RankReason over int shortfalls.
  void LowerScorecard(int s, int index);

  // A bin's value: its expression, or (scaled scorecards) the constant `bin_value_` gives it.
  int32_t BinValue(const ast::Bin& bin, const Type& want);

  // .odds = exp((score − offset) / factor), .pd = 1 / (1 + odds); used, as the score is.
  void LowerOdds(int s, int32_t score, const check::Scaling& scaling);

  // Bins → a select chain; the first bin that matches wins (scorecard bins are disjoint, so
  // order does not matter there). The checker proved the bins cover every value. `subject_reg`:
  // the subject already lowered (-1: lower it); `value_of`: the bins' values (null: as written).
  int32_t Bins(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint = false,
               int32_t subject_reg = -1, const std::function<int32_t(size_t bin)>& value_of = nullptr);
  int32_t BinsOf(const Expr& subject_expr, const std::vector<ast::Bin>& bins, const Type& result, bool disjoint,
                 int32_t subject_reg);

  // The lower end of a numeric bin test: (value, closed); nullopt for an unbounded one.
  static std::optional<std::pair<ast::BinValue, bool>> LowerEnd(const ast::BinTest& t);

  // Disjoint bins that cover every value (proved by the checker), each a single range, as a
  // ladder: sorted by lower end, bin j applies below bin j+1's lower end. One comparison per
  // boundary instead of two per interval. Returns -1 when the bins do not have that shape.
  int32_t Ladder(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want);

  // Bins as a select chain, tried in order (first match wins); `else` is the default.
  int32_t Chain(const std::vector<ast::Bin>& bins, int32_t value, const Type& subject, const Type& want,
                int32_t& missing_value);

  // One bin test over a present subject value.
  int32_t BinTest(const ast::BinTest& t, int32_t value, const Type& subject);

  // x·d OP c for an exact x and a bound c on a finer grid (d = 10^k > 1), as a comparison of x
  // with a bound on x's own grid: exact, and it cannot overflow as x·d could.
  int32_t FinerBound(Op op, int32_t x, int64_t c, int64_t d);

  void LowerDecision(int s, const ast::Decision& d);

  // ---- group pass -----------------------------------------------------------------------------

  int32_t Aggregate(const Expr& e, Builtin id);

  // Lowers every aggregate inside `e` into the current step's reductions.
  void CollectAggregates(const Expr& e, ir::GroupStep& step);

  void LowerGroup();

  void LowerUpdate(const ast::GroupStmt& stmt, ir::GroupStep& step);

  // ---- output ---------------------------------------------------------------------------------

  // The group `let`s the record output names (as a column or in a column's expression); those
  // shown as a column by name get a record-state slot.
  std::set<int> GroupLetsInOutput();
  bool UsesGroupLet(const Expr& e) const;

  // Register r as a value the group step starting at `begin` defines, for an assignment: a
  // constant, a read of the state or of a group value, or a register of an earlier step is
  // copied (group_pass.h: a step writes only the kept registers it defines; assignments
  // elsewhere are always computed values).
  int32_t Fresh(int32_t r, int32_t begin);

  // `output NAME per group`: the aggregates of its columns over the members' final values, then
  // the columns for every member, written to record-state slots that the runner reads from each
  // group's first accepted member (docs/language.md, "Several outputs").
  void LowerGroupOutputs();

  void LowerOutput();

  // An output column computed from values the group pass may `set` or `warn` (`decision == REFER`,
  // `count(warnings)`)
  // must see the values after the pass: for group members a last group step computes it again
  // from the record state. (Records in no group keep the record program's value: nothing set
  // theirs.)
  void RecomputeAfterGroup(const std::vector<std::pair<const ast::OutputItem*, int>>& computed);

  const check::CheckedPolicy& cp_;
  const ast::Policy& ast_;
  ir::Program p_;
  std::vector<Instr>* code_ = nullptr;
  bool group_ = false;
  std::string what_;
  std::map<ValueKey, int32_t> record_values_;
  std::map<ValueKey, int> state_slots_;
  std::map<int, int32_t> state_reads_;
  std::map<int, int32_t> group_regs_;
  std::set<int> shown_lets_;  // group lets the record output shows by name
  std::map<int, int32_t> param_regs_;  // a user function's parameters while its body is lowered
  std::map<const Expr*, std::pair<int32_t, int32_t>> aggregate_scalars_;
  const std::function<int32_t(const ast::Bin&)>* bin_value_ = nullptr;  // see BinValue
  std::unique_ptr<lower::ProbeRecorder> probes_;  // null unless lowered with probes
  std::map<std::tuple<int, int, int, int64_t>, int32_t> const_memo_, group_const_memo_;
  std::map<std::pair<int, int32_t>, int32_t> record_finds_, group_finds_;  // lower_references.h
  std::vector<std::vector<const Expr*>> row_values_;  // per reference: the expressions of a row it aggregates
  std::vector<bool> record_fails_, group_fails_, scalar_fails_;  // per register / group value: ir::MayFail
  std::map<std::pair<std::string, int>, int32_t> site_ids_;  // reject reason → index in info.reasons
  const SourceFile* source_ = nullptr;  // for the rules' text in reject details
  std::map<std::string, int64_t> string_ids_;                // string constant → index in strings
};

}  // namespace credo::lower
