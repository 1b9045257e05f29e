#include "runtime/exec/batch_run.h"

#include <algorithm>
#include <future>
#include <unordered_map>
#include <unordered_set>

#include "runtime/core/text.h"
#include "runtime/exec/thread_pool.h"

namespace credo::exec {

void ReadChunk::Reset(const rt::PolicyInfo& info, int64_t first_row, size_t count) {
  first = first_row;
  input.Reset(info.inputs.size(), count);
  input.group.clear();
  fail_field.assign(count, -1);
  fail_why.assign(count, FieldError::None);
  fail_reason.assign(count, {});
}

void ReadChunk::Fail(const rt::PolicyInfo& info, size_t r, size_t f, FieldError why) {
  fail_field[r] = int32_t(f);
  fail_why[r] = why;
  fail_reason[r] = RejectReason(info, why, info.inputs[f].name);
  for (size_t c = f; c < input.fields.size(); ++c) {
    input.fields[c].valid[r] = 0;
    input.fields[c].values[r] = info.inputs[c].type.kind == rt::Kind::String ? rt::StrBits(rt::EmptyStr()) : 0;
  }
}

namespace {

class Run {
 public:
  Run(rt::Evaluator& evaluator, BatchRun& out) : ev_(evaluator), info_(evaluator.info()), out_(out) {
    seen_.resize(info_.unique_keys.size());
  }

  // Evaluates a chunk and rejects the rows that did not read or whose evaluation failed: safe on
  // any thread, chunks in any order.
  void Evaluate(BatchRun::Chunk& c, std::vector<BatchReject>& rejects) {
    ev_.Evaluate(c.read.input, c.state);
    for (size_t r = 0; r < c.state.rows; ++r) {
      int32_t status = c.state.status[r];
      int32_t fail = c.read.fail_field[r];
      if (fail >= 0) {
        const std::string& reason = ParseRejectReason(info_, status, fail, c.read.fail_reason[r]);
        int field = &reason == &c.read.fail_reason[r] ? fail : info_.reasons[status].field;
        rejects.push_back({c.read.first + int64_t(r), reason, field});
        c.state.status[r] = -1;
      } else if (status > 0) {
        rejects.push_back({c.read.first + int64_t(r), info_.reasons[status].text, info_.reasons[status].field});
        c.state.status[r] = -1;
      }
    }
  }

  // In row order: unique keys (the first occurrence wins) and group ids.
  void Admit(BatchRun::Chunk& c, std::vector<BatchReject>& rejects) {
    rt::InputBatch& in = c.read.input;
    for (size_t r = 0; r < c.state.rows; ++r)
      if (c.state.status[r] == 0 && !Unique(c, r, rejects)) c.state.status[r] = -1;
    if (info_.group_key < 0) return;
    const rt::Column& key = in.fields[info_.group_key];
    const rt::ValueType& type = info_.inputs[info_.group_key].type;
    in.group.assign(in.rows, -1);
    std::string text;
    for (size_t r = 0; r < in.rows; ++r) {
      if (!key.valid[r]) continue;
      text.clear();
      rt::AppendValue(info_, type, key.values[r], true, text);
      in.group[r] = groups_.try_emplace(text, int32_t(groups_.size())).first->second;
    }
  }

  void GroupPass(size_t threads, std::vector<BatchReject>& rejects) {
    if (info_.group_key < 0) return;
    std::vector<const rt::InputBatch*> inputs;
    std::vector<rt::StateBatch*> states;
    for (auto& c : out_.chunks) {
      inputs.push_back(&c.read.input);
      states.push_back(&c.state);
    }
    out_.group_strings = std::make_unique<rt::ArenaPool>();
    // A group-pass error (an overflow) rejects the member.
    for (const GroupReject& g : RunGroupPass(ev_, groups_.size(), inputs, states, threads, *out_.group_strings)) {
      auto& c = out_.chunks[g.batch];
      rejects.push_back({c.read.first + int64_t(g.row), info_.reasons[c.state.status[g.row]].text, -1});
      c.state.status[g.row] = -1;
    }
  }

 private:
  bool Unique(BatchRun::Chunk& c, size_t r, std::vector<BatchReject>& rejects) {
    for (size_t k = 0; k < info_.unique_keys.size(); ++k) {
      int f = info_.unique_keys[k];
      const rt::Column& col = c.read.input.fields[f];
      if (!col.valid[r]) continue;
      std::string key;
      rt::AppendValue(info_, info_.inputs[f].type, col.values[r], true, key);
      auto [first, added] = seen_[k].emplace(std::move(key), c.read.first + int64_t(r));
      if (!added) {
        rejects.push_back({c.read.first + int64_t(r), info_.rejects.Format(rt::RejectKind::Duplicate, info_.inputs[f].name), f,
                           first->second});
        return false;
      }
    }
    return true;
  }

  rt::Evaluator& ev_;
  const rt::PolicyInfo& info_;
  BatchRun& out_;
  std::vector<std::unordered_map<std::string, int64_t>> seen_;  // per unique key: value → first row
  std::unordered_map<std::string, int32_t> groups_;
};

}  // namespace

BatchRun RunBatch(rt::Evaluator& evaluator, const RowReader& reader, size_t threads, int64_t chunk_rows) {
  BatchRun out;
  int64_t rows = reader.rows();
  out.chunks.resize(size_t((rows + chunk_rows - 1) / chunk_rows));
  std::vector<std::vector<BatchReject>> rejects(out.chunks.size());
  Run run(evaluator, out);
  auto process = [&](size_t c) {
    int64_t first = int64_t(c) * chunk_rows;
    reader.Read(first, std::min(chunk_rows, rows - first), out.chunks[c].read);
    run.Evaluate(out.chunks[c], rejects[c]);
  };
  threads = std::max<size_t>(1, std::min(threads, out.chunks.size()));
  ForEachOnThreads(threads, out.chunks.size(), process);
  for (size_t c = 0; c < out.chunks.size(); ++c) run.Admit(out.chunks[c], rejects[c]);
  std::vector<BatchReject> late;
  run.GroupPass(threads, late);
  for (auto& chunk : rejects)
    for (auto& rj : chunk) out.rejects.push_back(std::move(rj));
  for (auto& rj : late) out.rejects.push_back(std::move(rj));
  std::stable_sort(out.rejects.begin(), out.rejects.end(),
                   [](const BatchReject& a, const BatchReject& b) { return a.row < b.row; });
  for (const auto& c : out.chunks) out.accepted += size_t(std::count(c.state.status.begin(), c.state.status.end(), 0));
  return out;
}

}  // namespace credo::exec
