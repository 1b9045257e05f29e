// trace.cc — TraceBatch (trace.h): an interpreter whose frames are copied out after each chunk.
#include "compiler/interp/trace.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "compiler/interp/frame.h"
#include "runtime/core/text.h"

namespace credo {
namespace {

// Sizes the arrays of `code`'s registers for `rows` rows.
void Size(const ir::Program& p, const std::vector<ir::Instr>& code, size_t rows, Trace::Registers& regs) {
  std::vector<bool> fails = ir::MayFail(p, code);
  regs.values.assign(code.size(), {});
  regs.valid.assign(code.size(), {});
  regs.errors.assign(code.size(), {});
  for (size_t r = 0; r < code.size(); ++r) {
    regs.values[r].assign(rows, 0);
    if (code[r].type.optional) regs.valid[r].assign(rows, 1);
    if (fails[r]) regs.errors[r].assign(rows, 0);
  }
}

// Copies registers [begin, end) of a frame's `rows` rows to rows [at, at + rows) of `regs`.
void Copy(const interp::Frame& f, size_t begin, size_t end, size_t rows, size_t at, Trace::Registers& regs) {
  for (size_t r = begin; r < end; ++r) {
    if (!f.v[r]) continue;
    std::copy(f.v[r], f.v[r] + rows, regs.values[r].begin() + at);
    if (!regs.valid[r].empty()) {
      if (f.ok[r]) std::copy(f.ok[r], f.ok[r] + rows, regs.valid[r].begin() + at);
      else std::fill(regs.valid[r].begin() + at, regs.valid[r].begin() + at + rows, 1);
    }
    if (!regs.errors[r].empty() && f.err[r]) std::copy(f.err[r], f.err[r] + rows, regs.errors[r].begin() + at);
  }
}

class Recorder : public interp::FrameObserver {
 public:
  Recorder(const ir::Program& p, Trace& trace) : p_(p), trace_(trace) { Size(p, p.code, trace.rows, trace.record); }
  void StartGroupPass(size_t members) { Size(p_, p_.group_code, members, trace_.group); }

  void RecordChunk(size_t begin, size_t rows, const interp::Frame& frame) override {
    Copy(frame, 0, p_.code.size(), rows, begin, trace_.record);
  }
  void GroupChunk(size_t step, const GroupRows& rows, const interp::Frame& frame) override {
    if (step != step_) {  // a step runs over all members, chunk after chunk, from the first
      step_ = step;
      next_member_ = 0;
    }
    const ir::GroupStep& s = p_.group_steps[step];
    Copy(frame, size_t(s.begin), size_t(s.end), rows.rows, next_member_, trace_.group);
    next_member_ += rows.rows;
  }

 private:
  const ir::Program& p_;
  Trace& trace_;
  size_t step_ = SIZE_MAX, next_member_ = 0;
};

// What the trace keeps alive: the interpreter, and the recorder it reports to.
struct Engine {
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<rt::Evaluator> interpreter;
  ~Engine() { interpreter.reset(); }  // before the recorder it points at
};

// Dense group ids in input order from the group key's text (as the runner's GroupIndex).
std::vector<int32_t> GroupIds(const rt::PolicyInfo& info, const rt::InputBatch& batch) {
  if (batch.group.size() == batch.rows) return batch.group;
  std::vector<int32_t> ids(batch.rows, -1);
  std::map<std::string, int32_t> seen;
  const rt::Column& key = batch.fields[size_t(info.group_key)];
  for (size_t r = 0; r < batch.rows; ++r)
    if (key.valid[r]) ids[r] = seen.try_emplace(std::string(rt::StrOf(key.values[r])->view()), int32_t(seen.size())).first->second;
  return ids;
}

}  // namespace

int64_t Trace::Value(int32_t reg, size_t row, bool in_group) const {
  if (!in_group) return record.values[size_t(reg)][row];
  return member[row] < 0 ? 0 : group.values[size_t(reg)][size_t(member[row])];
}

bool Trace::Present(int32_t reg, size_t row, bool in_group) const {
  const Registers& regs = in_group ? group : record;
  size_t at = row;
  if (in_group) {
    if (member[row] < 0) return false;
    at = size_t(member[row]);
  }
  return regs.valid[size_t(reg)].empty() || regs.valid[size_t(reg)][at];
}

int32_t Trace::Error(int32_t reg, size_t row, bool in_group) const {
  const Registers& regs = in_group ? group : record;
  size_t at = row;
  if (in_group) {
    if (member[row] < 0) return 0;
    at = size_t(member[row]);
  }
  return regs.errors[size_t(reg)].empty() ? 0 : regs.errors[size_t(reg)][at];
}

Trace TraceBatch(const ir::Program& program, const rt::InputBatch& batch) {
  return TraceBatch(program, batch, std::vector<uint8_t>(batch.rows, 0));
}

Trace TraceBatch(const ir::Program& program, const rt::InputBatch& batch, const std::vector<uint8_t>& unparsed,
                 std::shared_ptr<const rt::References> references) {
  Trace trace;
  trace.rows = batch.rows;
  auto engine = std::make_shared<Engine>();
  engine->recorder = std::make_unique<Recorder>(program, trace);
  engine->interpreter = interp::MakeObservedInterpreter(program, *engine->recorder);
  engine->interpreter->SetReferences(std::move(references));
  const rt::PolicyInfo& info = program.info;
  engine->interpreter->Evaluate(batch, trace.state);
  trace.record_status = trace.state.status;
  trace.status = trace.state.status;
  // As the runner admits rows: a parse failure rejects; then the first accepted row with a
  // `unique` key's value wins.
  for (size_t r = 0; r < batch.rows; ++r)
    if (unparsed[r]) trace.state.status[r] = trace.status[r] = Trace::kUnparsed;
  std::vector<std::set<std::string>> seen(info.unique_keys.size());
  for (size_t r = 0; r < batch.rows; ++r) {
    if (trace.status[r] != 0) continue;
    for (size_t k = 0; k < info.unique_keys.size(); ++k) {
      const rt::Column& c = batch.fields[size_t(info.unique_keys[k])];
      if (!c.valid[r]) continue;
      std::string key;
      rt::AppendValue(info, info.inputs[size_t(info.unique_keys[k])].type, c.values[r], true, key);
      if (!seen[k].insert(std::move(key)).second) {
        trace.state.status[r] = trace.status[r] = Trace::kDuplicate - int32_t(k);
        break;
      }
    }
  }
  trace.member.assign(batch.rows, -1);
  if (info.group_key >= 0) {
    std::vector<int32_t> ids = GroupIds(info, batch);
    rt::GroupMembers members;
    for (int32_t g : ids) members.groups = std::max(members.groups, size_t(g + 1));
    members.AddBatch(&trace.state, ids.data());
    for (size_t m = 0; m < members.size(); ++m) trace.member[members.rows[m]] = int32_t(m);
    engine->recorder->StartGroupPass(members.size());
    engine->interpreter->EvaluateGroups(members);
    for (size_t r = 0; r < batch.rows; ++r)
      if (trace.status[r] == 0) trace.status[r] = trace.state.status[r];
  }
  trace.strings = engine;
  return trace;
}

}  // namespace credo
