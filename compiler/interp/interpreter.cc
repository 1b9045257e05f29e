#include "compiler/interp/interpreter.h"
#include "compiler/interp/frame.h"
#include "compiler/interp/table_ops.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

#include "compiler/interp/group_pass.h"
#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/core/math.h"

namespace credo {
namespace {

using interp::Frame;
using ir::Instr;
using ir::Op;
using rt::Kind;

// c ? a : b without a branch, so the loops around it vectorise.
inline int64_t Pick(bool c, int64_t a, int64_t b) { return b ^ ((a ^ b) & -int64_t(c)); }

inline double F(int64_t bits) { return std::bit_cast<double>(bits); }
inline int64_t B(double d) { return std::bit_cast<int64_t>(d); }


// A comparison loop specialised by kind, so the element loop has no switch.
template <typename Cmp>
void CompareLoop(Kind kind, const int64_t* a, const int64_t* b, int64_t* out, size_t n, Cmp cmp) {
  if (kind == Kind::Number) {
    for (size_t i = 0; i < n; ++i) out[i] = cmp(F(a[i]), F(b[i]));
  } else if (kind == Kind::String) {
    for (size_t i = 0; i < n; ++i) out[i] = cmp(CompareValues(kind, a[i], b[i]), 0);
  } else {
    for (size_t i = 0; i < n; ++i) out[i] = cmp(a[i], b[i]);
  }
}

// Checked integer arithmetic: a branch-free pass, then errors only where one occurred.
template <typename Fail, typename OpFn>
void Checked(const int64_t* a, const int64_t* b, int64_t* out, size_t n, Fail fail, OpFn op) {
  bool any = false;
  for (size_t i = 0; i < n; ++i) any |= op(a[i], b[i], &out[i]);
  if (!any) return;
  int64_t scratch;
  for (size_t i = 0; i < n; ++i)
    if (op(a[i], b[i], &scratch)) fail(i);
}

// Date ± days: a result outside the date range fails the record (an int64 overflow included).
template <typename Fail, typename OpFn>
void DateResult(const int64_t* a, const int64_t* b, int64_t* out, size_t n, Fail fail, OpFn op) {
  for (size_t i = 0; i < n; ++i)
    if (op(a[i], b[i], &out[i]) || !rt::InDateRange(out[i])) {
      out[i] = 0;
      fail(i);
    }
}

// Number arithmetic: a result that is not finite fails the record (as integer overflow does).
template <typename Fail, typename Compute>
void Finite(size_t n, int64_t* out, Fail fail, Compute compute) {
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    double d = compute(i);
    out[i] = B(d);
    any |= !std::isfinite(d);
  }
  if (!any) return;
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(F(out[i]))) fail(i);
}

// Where the run reads inputs (record code) or member state and group values (group code), and
// writes errors.
struct Sources {
  const rt::InputBatch* input = nullptr;
  size_t offset = 0;                   // first input row of this run
  const GroupRows* group = nullptr;
  int32_t* status = nullptr;           // per row; the first error of a record wins
  rt::TextEnv text{};                  // where computed strings go
};

// The arena of the group pass running on this thread (set by EvaluateGroups).
thread_local rt::StringArena* group_arena = nullptr;

class Interpreter : public rt::Evaluator, public GroupStepRunner {
 public:
  Interpreter(ir::Program program, interp::FrameObserver* observer)
      : p_(std::move(program)), observer_(observer), record_fails_(ir::MayFail(p_, p_.code)), group_fails_(ir::MayFail(p_, p_.group_code)) {
    PlanImports();
    static std::atomic<uint64_t> next_id{2};
    id_ = next_id.fetch_add(2);  // an address could be reused by a later interpreter; an id is not
    for (const auto& s : p_.strings) strings_.push_back(arena_.Add(s));
    empty_ = arena_.Add("");  // made here: Evaluate runs on several threads at once
  }

  const rt::PolicyInfo& info() const override { return p_.info; }

  // Runs in chunks small enough that every register of a chunk stays in the L2 cache.
  static constexpr size_t kChunk = 256;

  void Evaluate(const rt::InputBatch& in, rt::StateBatch& out) override {
    thread_local Frame frame;
    size_t n = in.rows;
    out.Reset(in, p_.info.state);
    for (size_t begin = 0; begin < n; begin += kChunk) {
      size_t rows = std::min(kChunk, n - begin);
      Sources src;
      src.input = &in;
      src.offset = begin;
      src.status = out.status.data() + begin;
      src.text = {out.computed.get(), &p_.info};
      frame.Prepare(id_, p_.code.size(), kChunk);
      Run(p_.code, 0, p_.code.size(), rows, frame, src);
      if (observer_) observer_->RecordChunk(begin, rows, frame);
      for (size_t s = 0; s < p_.state_regs.size(); ++s) {
        int32_t r = p_.state_regs[s];
        std::copy(frame.v[r], frame.v[r] + rows, out.slots[s].values.begin() + begin);
        if (!p_.info.state[s].optional) continue;  // validity is kept for optional slots only
        if (frame.ok[r])
          std::copy(frame.ok[r], frame.ok[r] + rows, out.slots[s].valid.begin() + begin);
        else
          std::fill(out.slots[s].valid.begin() + begin, out.slots[s].valid.begin() + begin + rows, 1);
      }
    }
  }

  void EvaluateGroups(const rt::GroupMembers& members) override {
    group_arena = members.arena ? members.arena : group_arenas_.New();
    RunGroupPass(p_, group_plan_, members, kChunk, *this);
  }

  // One group step over a chunk of members (GroupStepRunner): kept registers from earlier steps
  // are aliased, constants refilled, and the kept registers this step defines copied out.
  void RunStep(size_t step_index, const GroupRows& rows) override {
    thread_local Frame frame;
    const ir::GroupStep& step = p_.group_steps[step_index];
    size_t n = rows.rows;
    frame.Prepare(id_ + 1, p_.group_code.size(), kChunk);
    Sources src;
    src.group = &rows;
    src.status = rows.status;
    src.text = {group_arena, &p_.info};
    for (int32_t r : imports_[step_index]) {
      if (p_.group_code[r].op == Op::Const) {
        Step(p_.group_code, size_t(r), n, frame, src);
        continue;
      }
      frame.v[r] = rows.reg_v[r];
      frame.ok[r] = p_.group_code[r].type.optional ? rows.reg_ok[r] : nullptr;
      frame.err[r] = group_fails_[r] ? rows.reg_err[r] : nullptr;
    }
    Run(p_.group_code, step.begin, step.end, n, frame, src);
    if (observer_) observer_->GroupChunk(step_index, rows, frame);
    for (int32_t r = step.begin; r < step.end; ++r) {
      if (!rows.reg_v[r]) continue;
      std::copy(frame.v[r], frame.v[r] + n, rows.reg_v[r]);
      if (group_fails_[r]) std::copy(frame.err[r], frame.err[r] + n, rows.reg_err[r]);
      if (!p_.group_code[r].type.optional) continue;
      if (frame.ok[r]) std::copy(frame.ok[r], frame.ok[r] + n, rows.reg_ok[r]);
      else std::fill(rows.reg_ok[r], rows.reg_ok[r] + n, 1);
    }
  }

 private:
  // For each group step, the registers of earlier steps that its code uses.
  void PlanImports() {
    for (const auto& step : p_.group_steps) {
      std::vector<int32_t> used;
      for (int32_t r = step.begin; r < step.end; ++r)
        for (int32_t a : p_.group_code[r].args)
          if (a < step.begin && std::find(used.begin(), used.end(), a) == used.end()) used.push_back(a);
      imports_.push_back(std::move(used));
    }
  }

  void Run(const std::vector<Instr>& code, size_t begin, size_t end, size_t n, Frame& f, const Sources& src) {
    for (size_t r = begin; r < end; ++r) Step(code, r, n, f, src);
  }

  // Sets the result validity to the AND of the operands'; returns it (null: never missing).
  const uint8_t* Propagate(const Instr& in, size_t r, size_t n, Frame& f) {
    if (!in.type.optional) return nullptr;
    uint8_t* out = f.OutValid(r);
    std::fill(out, out + n, 1);
    for (int32_t a : in.args)
      if (const uint8_t* ok = f.ok[a])
        for (size_t i = 0; i < n; ++i) out[i] &= ok[i];
    return out;
  }

  static void Error(const Sources& src, size_t i, int32_t site) {
    if (src.status[i] == 0) src.status[i] = site;
  }

  // The error of instruction r from its operands' (ir.h, "Errors are values"), before its own
  // failures are added.
  int32_t* OperandErrors(const Instr& in, size_t r, size_t n, Frame& f) {
    int32_t* out = f.OutError(r);
    std::fill(out, out + n, 0);
    auto err = [&](int k) { return f.err[in.args[k]]; };
    auto valid = [&](int k) { return f.ok[in.args[k]]; };
    switch (in.op) {
      case Op::Select: {  // the condition's error, then the chosen branch's
        const int64_t* c = f.v[in.args[0]];
        const int32_t *ec = err(0), *ea = err(1), *eb = err(2);
        for (size_t i = 0; i < n; ++i) {
          int32_t chosen = c[i] ? (ea ? ea[i] : 0) : (eb ? eb[i] : 0);
          out[i] = ec && ec[i] ? ec[i] : chosen;
        }
        return out;
      }
      case Op::Coalesce:
      case Op::And:
      case Op::Or: {  // the second operand's error only where the first does not decide
        const int32_t *ea = err(0), *eb = err(1);
        const int64_t* a = f.v[in.args[0]];
        const uint8_t* ok = valid(0);
        for (size_t i = 0; i < n; ++i) {
          bool present = !ok || ok[i];
          bool decided = in.op == Op::Coalesce ? present : present && a[i] == (in.op == Op::Or);
          out[i] = ea && ea[i] ? ea[i] : decided || !eb ? 0 : eb[i];
        }
        return out;
      }
      default:
        for (size_t k = in.args.size(); k-- > 0;)  // the first operand's error wins
          if (const int32_t* e = err(int(k)))
            for (size_t i = 0; i < n; ++i) out[i] = e[i] ? e[i] : out[i];
        return out;
    }
  }

  void Step(const std::vector<Instr>& code, size_t r, size_t n, Frame& f, const Sources& src) {
    const Instr& in = code[r];
    auto arg = [&](int k) { return f.v[in.args[k]]; };
    auto ok_at = [&](int k, size_t i) -> bool { const uint8_t* ok = f.ok[in.args[k]]; return !ok || ok[i]; };
    const std::vector<bool>& fails = &code == &p_.code ? record_fails_ : group_fails_;
    int32_t* err = fails[r] ? OperandErrors(in, r, n, f) : nullptr;
    switch (in.op) {
      case Op::Input: {
        const rt::Column& c = src.input->fields[in.imm];
        f.v[r] = c.values.data() + src.offset;
        f.ok[r] = in.type.optional ? c.valid.data() + src.offset : nullptr;
        return;
      }
      case Op::State: {  // aliased: the pass assigns state only after the step (and keeps the register)
        f.v[r] = src.group->state_v[in.imm];
        f.ok[r] = in.type.optional ? src.group->state_ok[in.imm] : nullptr;
        return;
      }
      case Op::GroupValue: {
        int64_t* out = f.Out(r);
        size_t at = size_t(in.imm) * src.group->groups;
        const int64_t* values = src.group->scalars + at;
        for (size_t i = 0; i < n; ++i) out[i] = values[src.group->group_of[i]];
        if (err)
          for (size_t i = 0; i < n; ++i) err[i] = src.group->scalar_errors[at + src.group->group_of[i]];
        return;
      }
      case Op::Const: {  // filled once per frame: later runs reuse the array
        int64_t* out = f.Out(r);
        if (f.filled[r] >= n) return;
        int64_t value = in.type.kind == Kind::String ? rt::StrBits(strings_[in.imm]) : in.imm;
        std::fill(out, out + f.capacity, value);
        f.filled[r] = f.capacity;
        return;
      }
      case Op::Missing: {
        int64_t* out = f.Out(r);
        std::fill(out, out + n, 0);
        uint8_t* ok = f.OutValid(r);
        std::fill(ok, ok + n, 0);
        if (in.type.kind == Kind::String) std::fill(out, out + n, rt::StrBits(EmptyString()));
        return;
      }
      case Op::IsMissing: {
        int64_t* out = f.Out(r);
        for (size_t i = 0; i < n; ++i) out[i] = !ok_at(0, i);
        return;
      }
      case Op::Coalesce: {
        int64_t* out = f.Out(r);
        const int64_t *a = arg(0), *b = arg(1);
        if (const uint8_t* va = f.ok[in.args[0]])
          for (size_t i = 0; i < n; ++i) out[i] = Pick(va[i] != 0, a[i], b[i]);
        else
          std::copy(a, a + n, out);
        if (in.type.optional) {
          uint8_t* ok = f.OutValid(r);
          for (size_t i = 0; i < n; ++i) ok[i] = ok_at(0, i) || ok_at(1, i);
        }
        return;
      }
      case Op::Select: {
        int64_t* out = f.Out(r);
        const int64_t *c = arg(0), *a = arg(1), *b = arg(2);
        for (size_t i = 0; i < n; ++i) out[i] = Pick(c[i] != 0, a[i], b[i]);
        if (in.type.optional) {
          if (!f.ok[in.args[1]] || !f.ok[in.args[2]]) {
            uint8_t* ok = f.OutValid(r);
            const uint8_t *x = f.ok[in.args[1]], *y = f.ok[in.args[2]];
            for (size_t i = 0; i < n; ++i) ok[i] = c[i] ? (!x || x[i]) : (!y || y[i]);
            return;
          }
          uint8_t* ok = f.OutValid(r);
          for (size_t i = 0; i < n; ++i) ok[i] = c[i] ? ok_at(1, i) : ok_at(2, i);
        }
        return;
      }
      case Op::And:
      case Op::Or: {
        int64_t* out = f.Out(r);
        uint8_t* ok = in.type.optional ? f.OutValid(r) : nullptr;
        const int64_t *a = arg(0), *b = arg(1);
        int64_t decisive = in.op == Op::And ? 0 : 1;  // false decides `and`, true decides `or`
        if (!ok) {
          if (in.op == Op::And) for (size_t i = 0; i < n; ++i) out[i] = a[i] & b[i];
          else for (size_t i = 0; i < n; ++i) out[i] = a[i] | b[i];
          return;
        }
        for (size_t i = 0; i < n; ++i) {
          bool av = ok_at(0, i), bv = ok_at(1, i);
          bool a_decides = av && a[i] == decisive, b_decides = bv && b[i] == decisive;
          out[i] = (a_decides || b_decides) ? decisive : !decisive;
          if (ok) ok[i] = a_decides || b_decides || (av && bv);
          if (ok && !ok[i]) out[i] = 0;
        }
        return;
      }
      case Op::CodesAdd: {
        int64_t* out = f.Out(r);
        const int64_t *a = arg(0), *b = arg(1);
        for (size_t i = 0; i < n; ++i) out[i] = a[i] | (b[i] ? in.imm : 0);
        return;
      }
      case Op::Fail: {
        const int64_t* a = arg(0);
        const int32_t* e = f.err[in.args[0]];
        for (size_t i = 0; i < n; ++i)
          if (e && e[i]) Error(src, i, e[i]);
          else if (ok_at(0, i) && a[i]) Error(src, i, in.site);
        int64_t* out = f.Out(r);
        std::copy(a, a + n, out);
        return;
      }
      case Op::Use: {  // the value itself, aliased; its error becomes the record's status
        if (const int32_t* e = f.err[in.args[0]])
          for (size_t i = 0; i < n; ++i)
            if (e[i]) Error(src, i, e[i]);
        f.v[r] = f.v[in.args[0]];
        f.ok[r] = in.type.optional ? f.ok[in.args[0]] : nullptr;
        return;
      }
      case Op::TableRow:
      case Op::Pick:
      case Op::TableAgg: {
        int64_t missing = in.type.kind == Kind::String ? rt::StrBits(EmptyString()) : 0;
        int64_t* out = f.Out(r);
        uint8_t* ok = in.type.optional ? f.OutValid(r) : nullptr;
        interp::RunTableOp(p_, in, n, f.v.data(), f.ok.data(), f.err.data(), out, ok, err, missing);
        return;
      }
      case Op::RefFind: {  // the key's slot, missing when the key is or no row has it
        int64_t* out = f.Out(r);
        uint8_t* ok = f.OutValid(r);
        const int64_t* a = arg(0);
        const rt::References* refs = references();
        for (size_t i = 0; i < n; ++i) {
          int32_t slot = ok_at(0, i) && refs ? refs->tables[in.imm].Find(a[i]) : -1;
          ok[i] = slot >= 0;
          out[i] = slot >= 0 ? slot : 0;
        }
        return;
      }
      case Op::RefGet: {  // the column's value for the slot; a sum that overflowed fails
        int64_t* out = f.Out(r);
        uint8_t* ok = f.OutValid(r);
        const int64_t* a = arg(0);
        const rt::References* refs = references();  // none: RefFind found no slot
        const auto* column = refs ? &refs->tables[in.imm].columns[in.imm2] : nullptr;
        int64_t missing = in.type.kind == Kind::String ? rt::StrBits(EmptyString()) : 0;
        for (size_t i = 0; i < n; ++i) {
          bool found = column && ok_at(0, i);
          size_t slot = found ? size_t(a[i]) : 0;
          ok[i] = found && column->valid[slot];
          out[i] = ok[i] ? column->values[slot] : missing;
          if (err && found && column->failed[slot] && !err[i]) err[i] = in.site;
        }
        return;
      }
      case Op::RankReason: {
        int64_t* out = f.Out(r);
        const auto& ranking = Ranking(in, f, n);
        const auto& ids = p_.reason_sets[in.imm2];
        size_t width = in.args.size();
        int64_t empty = rt::StrBits(EmptyString());
        for (size_t i = 0; i < n; ++i) {
          uint16_t at = ranking[i * width + in.imm - 1];
          out[i] = at == kNoReason ? empty : rt::StrBits(strings_[ids[at]]);
        }
        return;
      }
      case Op::RankCodes: {
        int64_t* out = f.Out(r);
        const auto& ranking = Ranking(in, f, n, /*reuse=*/false);
        size_t width = in.args.size();
        for (size_t i = 0; i < n; ++i) {
          uint64_t list = 0;
          for (int64_t k = 0; k < in.imm && size_t(k) < width; ++k) {
            uint16_t at = ranking[i * width + size_t(k)];
            list |= uint64_t(at == kNoReason ? 0 : at + 1) << (8 * k);
          }
          out[i] = int64_t(list);
        }
        return;
      }
      case Op::ListCount:
      case Op::ListContains:
      case Op::ListFirst:
      case Op::Text: {
        const uint8_t* ok = Propagate(in, r, n, f);
        int64_t* out = f.Out(r);
        ListOrText(code, in, n, f, src.text, out);
        if (ok)
          for (size_t i = 0; i < n; ++i)
            if (!ok[i]) out[i] = in.type.kind == Kind::String ? rt::StrBits(EmptyString()) : 0;
        return;
      }
      default: break;
    }
    const uint8_t* ok = Propagate(in, r, n, f);
    int64_t* out = f.Out(r);
    Kind kind = in.args.empty() ? in.type.kind : code[in.args[0]].type.kind;
    Arithmetic(in, kind, n, f, ok, out, err);
    if (ok)
      for (size_t i = 0; i < n; ++i)
        if (!ok[i]) out[i] = in.type.kind == Kind::String ? rt::StrBits(EmptyString()) : 0;
  }

  const rt::Str* EmptyString() const { return empty_; }

  // Lists and text (runtime/core/text.h), per lane; they never fail.
  static void ListOrText(const std::vector<Instr>& code, const Instr& in, size_t n, Frame& f, const rt::TextEnv& env,
                         int64_t* out) {
    const rt::ValueType& type = code[in.args[0]].type;
    const int64_t* a = f.v[in.args[0]];
    switch (in.op) {
      case Op::ListCount:
        for (size_t i = 0; i < n; ++i) out[i] = rt::ListCount(uint64_t(a[i]), type.ranked);
        return;
      case Op::ListContains:
        for (size_t i = 0; i < n; ++i) out[i] = rt::ListContains(uint64_t(a[i]), type.ranked, in.imm);
        return;
      case Op::ListFirst:
        for (size_t i = 0; i < n; ++i) out[i] = int64_t(rt::ListFirst(uint64_t(a[i]), type.ranked, in.imm));
        return;
      default: {
        const int64_t* b = in.args.size() > 1 ? f.v[in.args[1]] : nullptr;
        const int64_t* c = in.args.size() > 2 ? f.v[in.args[2]] : nullptr;
        auto fn = static_cast<rt::TextFn>(in.imm);
        for (size_t i = 0; i < n; ++i) out[i] = rt::Text(fn, type, a[i], b ? b[i] : 0, c ? c[i] : 0, env);
        return;
      }
    }
  }

  static constexpr uint16_t kNoReason = 0xFFFF;  // operand indices fit: a scorecard is far smaller

  // Per record, the operands of a RankReason ordered by shortfall (largest first, ties by
  // operand order), positive shortfalls only. Computed once per batch for all ranks of a set.
  const std::vector<uint16_t>& Ranking(const Instr& in, Frame& f, size_t n, bool reuse = true) {
    thread_local std::vector<uint16_t> ranking;
    thread_local const int64_t* for_first_operand = nullptr;
    thread_local const Frame* for_frame = nullptr;
    size_t width = in.args.size();
    const int64_t* first = f.v[in.args[0]];
    if (reuse && in.imm != 1 && for_first_operand == first && for_frame == &f) return ranking;
    for_first_operand = first;
    for_frame = &f;
    ranking.assign(n * width, kNoReason);
    std::vector<const int64_t*> cols(width);
    for (size_t a = 0; a < width; ++a) cols[a] = f.v[in.args[a]];
    for (size_t i = 0; i < n; ++i) {
      uint16_t* order = &ranking[i * width];
      size_t count = 0;
      for (size_t a = 0; a < width; ++a) {
        int64_t s = cols[a][i];
        if (s <= 0) continue;
        size_t at = count++;  // insertion sort: stable, so ties keep operand order
        while (at > 0 && cols[order[at - 1]][i] < s) {
          order[at] = order[at - 1];
          --at;
        }
        order[at] = uint16_t(a);
      }
    }
    return ranking;
  }

  // Computes the value of an arithmetic op; its own failures go to `err` (the operands' errors
  // are there already and win).
  void Arithmetic(const Instr& in, Kind kind, size_t n, Frame& f, const uint8_t* ok, int64_t* out, int32_t* err) {
    auto arg = [&](int k) { return f.v[in.args[k]]; };
    auto fail = [&](size_t i) { if ((!ok || ok[i]) && err[i] == 0) err[i] = in.site; };
    bool num = kind == Kind::Number;
    bool date = in.type.kind == Kind::Date;  // date ± days: checked, and kept in the date range
    constexpr auto kAdd = [](int64_t x, int64_t y, int64_t* r) { return __builtin_add_overflow(x, y, r); };
    constexpr auto kSub = [](int64_t x, int64_t y, int64_t* r) { return __builtin_sub_overflow(x, y, r); };
    const int64_t* a = in.args.size() > 0 ? arg(0) : nullptr;
    const int64_t* b = in.args.size() > 1 ? arg(1) : nullptr;
    switch (in.op) {
      case Op::Add:
        if (date) DateResult(a, b, out, n, fail, kAdd);
        else if (num) Finite(n, out, fail, [&](size_t i) { return F(a[i]) + F(b[i]); });
        else Checked(a, b, out, n, fail, kAdd);
        return;
      case Op::Sub:
        if (date) DateResult(a, b, out, n, fail, kSub);
        else if (num) Finite(n, out, fail, [&](size_t i) { return F(a[i]) - F(b[i]); });
        else Checked(a, b, out, n, fail, kSub);
        return;
      case Op::Mul:
        if (num) Finite(n, out, fail, [&](size_t i) { return F(a[i]) * F(b[i]); });
        else Checked(a, b, out, n, fail, [](int64_t x, int64_t y, int64_t* r) { return __builtin_mul_overflow(x, y, r); });
        return;
      case Op::Neg:
        for (size_t i = 0; i < n; ++i)
          if (num) out[i] = B(-F(a[i]));
          else if (__builtin_sub_overflow(int64_t(0), a[i], &out[i])) fail(i);
        return;
      case Op::Abs:
        for (size_t i = 0; i < n; ++i)
          if (num) out[i] = B(std::fabs(F(a[i])));
          else if (a[i] >= 0) out[i] = a[i];
          else if (__builtin_sub_overflow(int64_t(0), a[i], &out[i])) fail(i);
        return;
      case Op::Min:
      case Op::Max:
        if (num)
          for (size_t i = 0; i < n; ++i) out[i] = (in.op == Op::Min) == (F(a[i]) <= F(b[i])) ? a[i] : b[i];
        else if (kind == Kind::String)
          for (size_t i = 0; i < n; ++i) out[i] = (in.op == Op::Min) == (CompareValues(kind, a[i], b[i]) <= 0) ? a[i] : b[i];
        else if (in.op == Op::Min)
          for (size_t i = 0; i < n; ++i) out[i] = std::min(a[i], b[i]);
        else
          for (size_t i = 0; i < n; ++i) out[i] = std::max(a[i], b[i]);
        return;
      case Op::Rescale: {
        int64_t factor = rt::Pow10(int(in.imm));
        for (size_t i = 0; i < n; ++i)
          if (__builtin_mul_overflow(a[i], factor, &out[i])) fail(i);
        return;
      }
      case Op::ToNum: {
        double scale = double(rt::Pow10(int(in.imm)));
        for (size_t i = 0; i < n; ++i) out[i] = B(in.imm ? double(a[i]) / scale : double(a[i]));
        return;
      }
      case Op::Div: {
        uint8_t* valid = const_cast<uint8_t*>(ok);
        for (size_t i = 0; i < n; ++i) {
          if (F(b[i]) == 0) { valid[i] = 0; out[i] = 0; continue; }
          double q = F(a[i]) / F(b[i]);
          out[i] = B(q);
          if (!std::isfinite(q)) fail(i);
        }
        return;
      }
      case Op::RoundQuot: {
        uint8_t* valid = const_cast<uint8_t*>(ok);
        const int64_t* c = arg(2);
        auto mode = static_cast<rt::RoundMode>(in.imm);
        for (size_t i = 0; i < n; ++i) {
          out[i] = 0;
          if (ok && !ok[i]) continue;
          if (c[i] == 0) { if (valid) valid[i] = 0; continue; }
          __int128 num, den;
          if (__builtin_mul_overflow(__int128(a[i]), __int128(b[i]), &num) ||
              __builtin_mul_overflow(num, __int128(in.imm2), &num) ||
              __builtin_mul_overflow(__int128(c[i]), __int128(in.imm3), &den)) { fail(i); continue; }
          __int128 k = rt::DivRound(num, den, mode);
          if (k > INT64_MAX || k < INT64_MIN) { fail(i); continue; }
          out[i] = int64_t(k);
        }
        return;
      }
      case Op::NumRound: {
        auto mode = static_cast<rt::RoundMode>(in.imm);
        for (size_t i = 0; i < n; ++i) {
          double k = rt::RoundDouble(F(a[i]) / in.fimm, mode);
          if (!(std::fabs(k) < 4611686018427387904.0)) { out[i] = 0; fail(i); continue; }
          out[i] = int64_t(k);
        }
        return;
      }
      case Op::Math: {  // NaN: no real result, missing; infinite: an overflow
        uint8_t* valid = const_cast<uint8_t*>(ok);
        auto fn = static_cast<rt::MathFn>(in.imm);
        for (size_t i = 0; i < n; ++i) {
          double d = rt::Math(fn, F(a[i]), b ? F(b[i]) : 0.0);
          out[i] = B(d);
          if (std::isnan(d)) { out[i] = 0; if (valid) valid[i] = 0; }
          else if (std::isinf(d)) { out[i] = 0; fail(i); }
        }
        return;
      }
      case Op::Lt: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x < y; }); return;
      case Op::Le: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x <= y; }); return;
      case Op::Gt: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x > y; }); return;
      case Op::Ge: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x >= y; }); return;
      case Op::Eq: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x == y; }); return;
      case Op::Ne: CompareLoop(kind, a, b, out, n, [](auto x, auto y) { return x != y; }); return;
      case Op::Not: for (size_t i = 0; i < n; ++i) out[i] = !a[i]; return;
      case Op::Calendar: {
        auto fn = static_cast<rt::CalendarFn>(in.imm);
        for (size_t i = 0; i < n; ++i) {
          int64_t months = b ? b[i] : 0;
          if (rt::CalendarCanFail(fn) && !rt::CalendarInRange(fn, a[i], months)) {
            out[i] = 0;
            fail(i);
            continue;
          }
          out[i] = rt::Calendar(fn, a[i], months);
        }
        return;
      }
      default: return;
    }
  }

  ir::Program p_;
  GroupPlan group_plan_{p_};  // after p_: made from it
  interp::FrameObserver* observer_ = nullptr;  // a trace's (frame.h); null in a plain run
  std::vector<bool> record_fails_, group_fails_;  // per register: ir::MayFail
  uint64_t id_;  // record program; id_ + 1 names the group program
  std::vector<std::vector<int32_t>> imports_;  // per group step: registers it uses from earlier steps
  rt::StringArena arena_;
  std::vector<const rt::Str*> strings_;
  const rt::Str* empty_ = nullptr;
  rt::ArenaPool group_arenas_;
};

}  // namespace

std::unique_ptr<rt::Evaluator> MakeInterpreter(ir::Program program) {
  return std::make_unique<Interpreter>(std::move(program), nullptr);
}

std::unique_ptr<rt::Evaluator> interp::MakeObservedInterpreter(ir::Program program, FrameObserver& observer) {
  return std::make_unique<Interpreter>(std::move(program), &observer);
}

}  // namespace credo
