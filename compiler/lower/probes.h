// probes.h — records, while a policy is lowered, where its structure lives in the program
// (ir/probes.h): the lowerer calls these hooks at each element it lowers, and Finish appends the
// pure instructions that compute the "hit" registers the program does not compute itself. All
// appended instructions come after the program's own (the group program's in its last step), so
// the program's own code is unchanged: same registers, same Use/Fail ops, same hash.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/check/checker.h"
#include "compiler/ir/ir.h"

namespace credo::lower {

// Builds hit registers at the end of a program (record or group code): pure ops over Bools.
class HitBuilder {
 public:
  HitBuilder(ir::Program& program, bool group) : p_(program), group_(group) {}
  int32_t And(int32_t a, int32_t b);
  int32_t Or(int32_t a, int32_t b);
  int32_t Not(int32_t a);
  int32_t IsMissing(int32_t a);
  int32_t Present(int32_t a) { return Not(IsMissing(a)); }
  int32_t Int(int64_t v);
  int32_t Bool(bool b);
  int32_t Eq(int32_t a, int32_t b);  // optional when either operand is
  int32_t Emit(ir::Instr in);
  const rt::ValueType& TypeOf(int32_t r) const { return Code()[r].type; }
  // all of `all` true and none of `none`; -1 entries are skipped; true when both are empty
  int32_t AllNone(const std::vector<int32_t>& all, const std::vector<int32_t>& none);

 private:
  std::vector<ir::Instr>& Code() const { return group_ ? p_.group_code : p_.code; }
  ir::Program& p_;
  bool group_;
};

class ProbeRecorder {
 public:
  using HitFn = std::function<int32_t(HitBuilder&)>;

  // `group`: the lowerer's flag, true while it emits the group program (probes added then are
  // group probes).
  ProbeRecorder(ir::Program& program, const SourceFile* source, const bool& group)
      : p_(program), source_(source), group_(group) {}

  // Adds a probe under the current parent; returns its index.
  int32_t Add(ir::ProbeKind kind, std::string name, Span span, int32_t value = -1, int32_t hit = -1);
  // Makes probe `i` the parent of the probes added until the matching Close.
  void Open(int32_t i) { parents_.push_back(i); }
  void Close() { parents_.pop_back(); }
  int32_t Parent() const { return parents_.empty() ? -1 : parents_.back(); }
  void SetValue(int32_t i, int32_t reg) { p_.probes[size_t(i)].value = reg; }
  void SetHit(int32_t i, int32_t reg) { p_.probes[size_t(i)].hit = reg; }
  // `fn` runs once the program is complete (in the order given), to emit what probes need.
  void Later(std::function<void(HitBuilder&, HitBuilder&)> fn) { later_.push_back(std::move(fn)); }
  // The hit of probe `i` is built by `fn` once the program is complete.
  void HitLater(int32_t i, HitFn fn);

  // A name or member read while a shown element is lowered: a Step under the current parent
  // (once per parent and name), so an explanation can show the values a condition uses.
  void NameRead(const ast::Expr& e, int32_t reg);
  // `a ?? b` with `a` in register `left`: a Fallback probe, hit when `left` is missing.
  void Fallback(const ast::Expr& e, int32_t left);
  // A cap or a rounding (min, max, floor, ceil, round, if): a Step under the current parent.
  void Step(const ast::Expr& e, int32_t reg);

  // Bins: the lowerer announces the bins it is about to lower for a shown element (a
  // characteristic or a band; `kind` Bin or BandRange), then reports each bin's test.
  void ExpectBins(const std::vector<ast::Bin>* bins, ir::ProbeKind kind) { pending_bins_ = bins, bin_kind_ = kind; }
  bool WantsBins(const std::vector<ast::Bin>& bins) const { return pending_bins_ == &bins; }
  void BinSubject(int32_t subject) { bin_subject_ = subject; bin_tests_.assign(pending_bins_->size(), {}); }
  // Chain: bin b's test (-1: none, the default); taken when it holds and no earlier bin's does.
  void ChainTest(size_t b, int32_t test) { bin_tests_[b] = {test, -2}; }
  // Ladder: bin b is rung `rung` whose test is "below the next rung" (-1 for the last rung).
  void LadderRung(size_t b, size_t rung, int32_t test) { bin_tests_[b] = {test, int32_t(rung)}; }
  void BinsDone();

  // A decision table's rows: `inputs` are its lowered inputs, `table` its Program::tables index.
  void DecisionRows(const ast::DecisionTable& t, int32_t table, const std::vector<int32_t>& inputs);
  // A generalised lookup of table `decl` (ast index) whose chosen row is `row` (TableRow mode 0).
  void Lookup(const ast::Table& t, int decl, const std::vector<int>& row_entry, int32_t row, int32_t result);
  // An enum-grid lookup of table `decl`: `matches[e]` the test of entry e (-1: the default entry,
  // `else` or the last), `missing_key` whether a key is missing (-1: never).
  void EnumLookup(const ast::Table& t, int decl, const std::vector<int32_t>& matches, int32_t missing_key, int32_t result);

  // A part of an expression evaluated only for some records (an `if` branch, the right side of
  // `??`, a group action's value) is lowered between PushGuard and PopGuard: the hits of the
  // fallbacks and table lookups inside it also need the guard (reg holds, fails, is missing).
  enum class GuardOn : uint8_t { Holds, Fails, Missing };
  void PushGuard(int32_t reg, GuardOn on) { guards_.push_back({reg, on, nullptr}); }
  // A guard built once the program is complete (from registers not lowered yet, e.g. a decision
  // arm's: no earlier arm taken).
  void PushGuard(HitFn later) { guards_.push_back({-1, GuardOn::Holds, std::move(later)}); }
  void PopGuard() { guards_.pop_back(); }
  // `fn` and-ed with the guards in force now.
  HitFn Guarded(HitFn fn) const;

  // Appends the deferred hit instructions (record code, then group code in its last step).
  void Finish();

  std::string Text(Span span) const;

 private:
  ir::Program& p_;
  const SourceFile* source_;
  std::vector<int32_t> parents_;
  const bool& group_;
  std::vector<std::function<void(HitBuilder& record, HitBuilder& group)>> later_;
  std::vector<std::pair<int32_t, std::string>> named_;  // (parent, name) already shown
  const std::vector<ast::Bin>* pending_bins_ = nullptr;
  ir::ProbeKind bin_kind_ = ir::ProbeKind::Bin;
  int32_t bin_subject_ = -1;
  struct Guard {
    int32_t reg;
    GuardOn on;
    HitFn later;  // set: the guard is its result
  };
  std::vector<Guard> guards_;
  struct BinTest {
    int32_t test = -1;
    int32_t rung = -1;  // -2: a chain test; >= 0: a ladder rung; -1: not reported (missing only)
  };
  std::vector<BinTest> bin_tests_;
  // Per lookup table (ast index) used so far: its Table probe, and per entry the hits of the
  // lookups so far (one Bool per use of the table; the entry's hit is their `or`).
  struct LookupProbes {
    int32_t probe = -1;
    std::vector<int32_t> entries;
    std::shared_ptr<std::vector<std::vector<std::function<int32_t(HitBuilder&)>>>> uses;
  };
  // By (table decl, group program): a table used by both programs has probes in each, so that
  // the group pass's lookups (e.g. in an output of a value the group pass sets) count too.
  std::map<std::pair<int, bool>, LookupProbes> lookups_;
  LookupProbes& LookupOf(const ast::Table& t, int decl, int32_t result);
};

}  // namespace credo::lower
