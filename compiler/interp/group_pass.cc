#include "compiler/interp/group_pass.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>

namespace credo {
namespace {

using ir::Op;
using rt::Kind;
using R = ir::Reduction;

// The step that defines each register of the group program.
std::vector<size_t> StepOf(const ir::Program& p) {
  std::vector<size_t> step(p.group_code.size(), 0);
  for (size_t s = 0; s < p.group_steps.size(); ++s)
    for (int32_t r = p.group_steps[s].begin; r < p.group_steps[s].end; ++r) step[r] = s;
  return step;
}

// Per register: whether a later step uses it (constants are rematerialised, never kept).
std::vector<bool> UsedByLaterStep(const ir::Program& p) {
  std::vector<bool> used(p.group_code.size(), false);
  std::vector<size_t> step = StepOf(p);
  for (size_t r = 0; r < p.group_code.size(); ++r)
    for (int32_t a : p.group_code[r].args)
      if (step[a] != step[r] && p.group_code[a].op != Op::Const) used[a] = true;
  return used;
}

// The member columns of the record-state slots the group code reads or assigns.
struct MemberState {
  std::vector<rt::Column> slots;
  std::vector<rt::Column> before;  // slots read and assigned: the values gathered
  std::vector<bool> read, assigned;
};

// Calls fn(state batch, first member, end member) for each batch's run of members.
template <typename Fn>
void ForEachBatch(const rt::GroupMembers& members, Fn fn) {
  size_t begin = 0;
  for (const auto& batch : members.batches) {
    fn(*batch.state, begin, batch.end);
    begin = batch.end;
  }
}

// Copies the members' values of `slot` into a member column. Members come in input order, so
// this streams through the state column.
void Gather(const rt::GroupMembers& members, int slot, bool optional, rt::Column& out) {
  out.values.resize(members.size());
  out.valid.resize(members.size());
  const uint32_t* rows = members.rows.data();
  ForEachBatch(members, [&](const rt::StateBatch& batch, size_t begin, size_t end) {
    const int64_t* values = batch.slots[slot].values.data();
    const uint8_t* valid = batch.slots[slot].valid.data();
    for (size_t i = begin; i < end; ++i) out.values[i] = values[rows[i]];
    if (optional) for (size_t i = begin; i < end; ++i) out.valid[i] = valid[rows[i]];
    else std::fill(out.valid.begin() + begin, out.valid.begin() + end, 1);
  });
}

// Writes a member column back. With `before` (the values gathered), only the members whose value
// changed are written: a write to the scattered state is a cache miss, and most values do not change.
void Scatter(const rt::GroupMembers& members, int slot, bool optional, const rt::Column& from, const rt::Column* before) {
  const uint32_t* rows = members.rows.data();
  ForEachBatch(members, [&](rt::StateBatch& batch, size_t begin, size_t end) {
    int64_t* values = batch.slots[slot].values.data();
    uint8_t* valid = batch.slots[slot].valid.data();
    for (size_t i = begin; i < end; ++i) {
      if (before && from.values[i] == before->values[i] && from.valid[i] == before->valid[i]) continue;
      values[rows[i]] = from.values[i];
      if (optional) valid[rows[i]] = from.valid[i];
    }
  });
}

// A reduction's running value per group.
// Start() begins a reduction; an accumulator is reused for reduction after reduction (its
// tables keep their memory).
class Accumulator {
 public:
  void Start(const R& red, Kind kind, size_t groups, int64_t* scalars, int32_t* errors) {
    red_ = &red;
    kind_ = kind;
    values_ = scalars + size_t(red.scalar) * groups;
    errors_ = errors + size_t(red.scalar) * groups;
    groups_ = groups;
    std::fill(values_, values_ + groups, red.kind == R::All ? 1 : 0);
    std::fill(errors_, errors_ + groups, 0);
    seen_.clear();
    overflow_.clear();
    if (red.kind == R::Min || red.kind == R::Max) seen_.assign(groups, 0);
    if (red.kind == R::Sum) overflow_.assign(groups, 0);
  }

  int32_t reg() const { return red_->reg; }

  // Adds the chunk's members that are not rejected (status 0); `err` (may be null) holds the
  // errors of their values: the first one of a group becomes the group value's error.
  void Add(const int64_t* v, const int32_t* err, const uint32_t* group_of, const int32_t* status, size_t n) {
    bool all = std::find_if(status, status + n, [](int32_t s) { return s != 0; }) == status + n;
    if (all) return AddRows(v, err, group_of, n);
    thread_local std::vector<int64_t> kept_v;
    thread_local std::vector<int32_t> kept_err;
    thread_local std::vector<uint32_t> kept_group;
    kept_v.clear(), kept_err.clear(), kept_group.clear();
    for (size_t i = 0; i < n; ++i)
      if (status[i] == 0) {
        kept_v.push_back(v[i]);
        kept_err.push_back(err ? err[i] : 0);
        kept_group.push_back(group_of[i]);
      }
    AddRows(kept_v.data(), err ? kept_err.data() : nullptr, kept_group.data(), kept_v.size());
  }

  // After the whole step: a sum that overflowed is its group value's error (unless a reduced
  // value's error came first).
  void Finish() const {
    if (overflow_.empty()) return;
    for (size_t g = 0; g < groups_; ++g)
      if (overflow_[g] && errors_[g] == 0) errors_[g] = red_->site;
  }

 private:
  void AddRows(const int64_t* v, const int32_t* err, const uint32_t* group_of, size_t n) {
    if (err)
      for (size_t i = 0; i < n; ++i) {
        int32_t& e = errors_[group_of[i]];
        e = e ? e : err[i];
      }
    switch (red_->kind) {
      case R::Count: for (size_t i = 0; i < n; ++i) values_[group_of[i]] += v[i] != 0; return;
      case R::Any: for (size_t i = 0; i < n; ++i) values_[group_of[i]] |= v[i] != 0; return;
      case R::All: for (size_t i = 0; i < n; ++i) values_[group_of[i]] &= v[i] != 0; return;
      case R::Sum:
        if (kind_ == Kind::Number) {
          for (size_t i = 0; i < n; ++i) {
            uint32_t g = group_of[i];
            double sum = std::bit_cast<double>(values_[g]) + std::bit_cast<double>(v[i]);
            values_[g] = std::bit_cast<int64_t>(sum);
            overflow_[g] |= !std::isfinite(sum);  // no inf or NaN reaches a record
          }
        } else {  // wraps, and remembers that it did
          for (size_t i = 0; i < n; ++i) {
            uint32_t g = group_of[i];
            overflow_[g] |= __builtin_add_overflow(values_[g], v[i], &values_[g]);
          }
        }
        return;
      case R::Min:
      case R::Max:
        for (size_t i = 0; i < n; ++i) {
          uint32_t g = group_of[i];
          int c = seen_[g] ? CompareValues(kind_, v[i], values_[g]) : 0;
          if (!seen_[g] || (red_->kind == R::Min ? c < 0 : c > 0)) values_[g] = v[i];
          seen_[g] = 1;
        }
        return;
    }
  }

  const R* red_ = nullptr;
  Kind kind_ = Kind::Int;
  int64_t* values_ = nullptr;
  int32_t* errors_ = nullptr;
  size_t groups_ = 0;
  std::vector<uint8_t> seen_, overflow_;
};

// Gathers the member columns of the slots the group code reads; sizes those it only assigns.
void PrepareMemberState(const ir::Program& p, const GroupPlan& plan, const rt::GroupMembers& members,
                        MemberState& state) {
  size_t slots = p.info.state.size();
  state.slots.resize(slots);
  state.before.resize(slots);
  state.read = plan.read;
  state.assigned = plan.assigned;
  for (size_t s = 0; s < slots; ++s) {
    if (state.read[s]) Gather(members, int(s), p.info.state[s].optional, state.slots[s]);
    else if (state.assigned[s]) state.slots[s].Resize(members.size());
    if (state.read[s] && state.assigned[s]) state.before[s] = state.slots[s];
  }
}

// Writes the assigned slots and the members' errors back into their batches.
void WriteBack(const ir::Program& p, const rt::GroupMembers& members, const MemberState& state,
               const std::vector<int32_t>& status) {
  for (size_t s = 0; s < state.slots.size(); ++s)
    if (state.assigned[s])
      Scatter(members, int(s), p.info.state[s].optional, state.slots[s], state.read[s] ? &state.before[s] : nullptr);
  ForEachBatch(members, [&](rt::StateBatch& batch, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i)
      if (status[i] && batch.status[members.rows[i]] == 0) batch.status[members.rows[i]] = status[i];
  });
}

// The arrays of the kept registers: one over all members for a register a later step uses, one
// chunk long for a register only reduced or assigned in its own step. Reused run after run on a
// thread, each run starting from the same contents as new arrays (values 0, valid, no error).
struct KeptRegisters {
  const GroupPlan* plan = nullptr;
  std::vector<rt::Column> arrays;
  std::vector<std::vector<int32_t>> errors;  // of the kept registers that may fail

  void Prepare(const GroupPlan& p, size_t members, size_t chunk) {
    plan = &p;
    arrays.resize(std::max(arrays.size(), p.kept.size()));
    errors.resize(std::max(errors.size(), p.kept.size()));
    for (uint32_t r : p.kept_list) {
      size_t rows = p.across[r] ? members : std::min(chunk, members);
      arrays[r].values.assign(rows, 0);
      arrays[r].valid.assign(rows, 1);
      if (p.fails[r]) errors[r].assign(rows, 0);
    }
  }
  // Points reg_v / reg_ok / reg_err at the rows of the chunk starting at member `begin`.
  void Point(size_t begin, std::vector<int64_t*>& reg_v, std::vector<uint8_t*>& reg_ok, std::vector<int32_t*>& reg_err) {
    for (uint32_t r : plan->kept_list) {
      size_t at = plan->across[r] ? begin : 0;
      reg_v[r] = arrays[r].values.data() + at;
      reg_ok[r] = arrays[r].valid.data() + at;
      reg_err[r] = plan->fails[r] ? errors[r].data() + at : nullptr;
    }
  }
};

// The work arrays of one running pass.
struct Work {
  MemberState state;
  KeptRegisters kept;
  std::vector<int64_t> scalars;
  std::vector<int32_t> scalar_errors, status;
  std::vector<const int64_t*> state_v;
  std::vector<const uint8_t*> state_ok;
  std::vector<int64_t*> reg_v;
  std::vector<uint8_t*> reg_ok;
  std::vector<int32_t*> reg_err;
  std::vector<Accumulator> accumulators;
};

// The work arrays of finished passes, for the next ones on any thread. Kept per process rather
// than per thread: a run's group pass starts threads of its own, and arrays that died with the
// last run's threads would be faulted in afresh (a tenth of the pass). At most as many are kept
// as passes ever ran at once.
class WorkShelf {
 public:
  class Lease {
   public:
    Lease() : work_(Take()) {}
    ~Lease() { Put(std::move(work_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Work& work() { return *work_; }

   private:
    std::unique_ptr<Work> work_;
  };

 private:
  static std::mutex& Mutex() {
    static std::mutex mutex;
    return mutex;
  }
  static std::vector<std::unique_ptr<Work>>& Shelf() {
    static std::vector<std::unique_ptr<Work>> shelf;
    return shelf;
  }
  static std::unique_ptr<Work> Take() {
    std::lock_guard<std::mutex> lock(Mutex());
    auto& shelf = Shelf();
    if (shelf.empty()) return std::make_unique<Work>();
    std::unique_ptr<Work> work = std::move(shelf.back());
    shelf.pop_back();
    return work;
  }
  static void Put(std::unique_ptr<Work> work) {
    std::lock_guard<std::mutex> lock(Mutex());
    Shelf().push_back(std::move(work));
  }
};

}  // namespace

GroupPlan::GroupPlan(const ir::Program& p)
    : kept(KeptGroupRegisters(p)), across(UsedByLaterStep(p)), fails(ir::MayFail(p, p.group_code)),
      read(p.info.state.size(), false), assigned(p.info.state.size(), false) {
  for (const auto& in : p.group_code)
    if (in.op == Op::State) read[in.imm] = true;
  for (const auto& s : p.group_steps)
    for (const auto& a : s.assignments) assigned[a.state] = true;
  for (size_t r = 0; r < kept.size(); ++r)
    if (kept[r]) kept_list.push_back(uint32_t(r));
}

void RunGroupPass(const ir::Program& p, const rt::GroupMembers& members, size_t chunk, GroupStepRunner& runner) {
  RunGroupPass(p, GroupPlan(p), members, chunk, runner);
}

void RunGroupPass(const ir::Program& p, const GroupPlan& plan, const rt::GroupMembers& members, size_t chunk,
                  GroupStepRunner& runner) {
  const auto& code = p.group_code;
  size_t m = members.size(), groups = members.groups, slots = p.info.state.size();
  if (m == 0) return;
  // Work arrays, reused (WorkShelf): fresh tables on every run would cost page faults (and, for
  // a pass over one record, allocations that outweigh the pass).
  WorkShelf::Lease lease;
  Work& work = lease.work();
  MemberState& state = work.state;
  PrepareMemberState(p, plan, members, state);
  KeptRegisters& kept = work.kept;
  kept.Prepare(plan, m, chunk);
  std::vector<int64_t>& scalars = work.scalars;
  scalars.assign(size_t(p.group_scalars) * groups, 0);
  std::vector<int32_t>& scalar_errors = work.scalar_errors;
  scalar_errors.assign(scalars.size(), 0);
  std::vector<int32_t>& status = work.status;
  status.assign(m, 0);
  auto& state_v = work.state_v;
  auto& state_ok = work.state_ok;
  auto& reg_v = work.reg_v;
  auto& reg_ok = work.reg_ok;
  auto& reg_err = work.reg_err;
  state_v.assign(slots, nullptr);
  state_ok.assign(slots, nullptr);
  reg_v.assign(code.size(), nullptr);
  reg_ok.assign(code.size(), nullptr);
  reg_err.assign(code.size(), nullptr);
  for (size_t s = 0; s < p.group_steps.size(); ++s) {
    const ir::GroupStep& step = p.group_steps[s];
    if (work.accumulators.size() < step.reductions.size()) work.accumulators.resize(step.reductions.size());
    std::span<Accumulator> accumulators(work.accumulators.data(), step.reductions.size());
    for (size_t k = 0; k < step.reductions.size(); ++k) {
      const R& red = step.reductions[k];
      accumulators[k].Start(red, code[red.reg].type.kind, groups, scalars.data(), scalar_errors.data());
    }
    for (size_t begin = 0; begin < m; begin += chunk) {
      size_t n = std::min(chunk, m - begin);
      for (size_t slot = 0; slot < slots; ++slot)
        if (state.read[slot]) {
          state_v[slot] = state.slots[slot].values.data() + begin;
          state_ok[slot] = state.slots[slot].valid.data() + begin;
        }
      kept.Point(begin, reg_v, reg_ok, reg_err);
      GroupRows rows{n, state_v.data(), state_ok.data(), scalars.data(), scalar_errors.data(), groups,
                     members.group.data() + begin, reg_v.data(), reg_ok.data(), reg_err.data(), status.data() + begin};
      runner.RunStep(s, rows);
      for (auto& acc : accumulators) acc.Add(reg_v[acc.reg()], reg_err[acc.reg()], rows.group_of, rows.status, n);
      for (const auto& a : step.assignments) {
        rt::Column& slot = state.slots[a.state];
        std::copy(reg_v[a.reg], reg_v[a.reg] + n, slot.values.begin() + begin);
        if (code[a.reg].type.optional) std::copy(reg_ok[a.reg], reg_ok[a.reg] + n, slot.valid.begin() + begin);
        else std::fill(slot.valid.begin() + begin, slot.valid.begin() + begin + n, 1);
      }
    }
    for (const auto& acc : accumulators) acc.Finish();
  }
  WriteBack(p, members, state, status);
}

int CompareValues(Kind kind, int64_t a, int64_t b) {
  if (kind == Kind::Number) {
    double x = std::bit_cast<double>(a), y = std::bit_cast<double>(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (kind == Kind::String) {
    if (a == b) return 0;  // the same string (constants are shared)
    std::string_view x = rt::StrOf(a)->view(), y = rt::StrOf(b)->view();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

std::vector<bool> KeptGroupRegisters(const ir::Program& p) {
  std::vector<bool> kept = UsedByLaterStep(p);
  for (const auto& s : p.group_steps) {
    for (const auto& red : s.reductions) kept[red.reg] = true;
    for (const auto& a : s.assignments) kept[a.reg] = true;
  }
  return kept;
}

}  // namespace credo
