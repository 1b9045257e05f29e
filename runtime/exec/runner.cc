#include "runtime/exec/runner.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <charconv>
#include <chrono>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <atomic>
#include <optional>
#include <malloc.h>
#include <future>
#include <system_error>
#include <thread>

#include "runtime/exec/group_index.h"
#include "runtime/exec/group_spill.h"
#include "runtime/exec/header_check.h"
#include "runtime/exec/reject_detail.h"
#include "runtime/exec/ordered_work.h"
#include "runtime/exec/output_rows.h"
#include "runtime/exec/pending.h"
#include "runtime/exec/record_parse.h"
#include "runtime/exec/spill.h"
#include "runtime/exec/thread_pool.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "runtime/core/calendar.h"
#include "runtime/core/decimal.h"
#include "runtime/core/text.h"
#include "runtime/io/csv.h"
#include "runtime/io/jsonl.h"

namespace credo::exec {
namespace {

using rt::Kind;

// The group pass: members are the records in a group whose status is 0, in input order. With
// several threads the groups are split into one range per thread, of about equal membership,
// and each thread collects and runs its own members: groups are independent, so the result is the
// same for any split. Returns the members the pass rejected (an overflow: status > 0), by batch
// and row, found by each thread among its own members rather than by a scan of every row after.
// `arenas`: where the strings the pass computes go (one arena per thread); null: the evaluator's own.
std::vector<GroupReject> RunGroups(rt::Evaluator& ev, size_t groups, const std::vector<const rt::InputBatch*>& inputs,
                                   const std::vector<rt::StateBatch*>& states, size_t threads,
                                   rt::ArenaPool* arenas = nullptr) {
  if (ev.info().group_key < 0) return {};
  auto run = [&](uint32_t first, uint32_t end, std::vector<GroupReject>& rejected) {
    rt::GroupMembers members;
    members.groups = end - first;
    if (arenas) members.arena = arenas->New();
    std::vector<size_t> ends;  // batch b's members end at ends[b]
    ends.reserve(inputs.size());
    for (size_t b = 0; b < inputs.size(); ++b) {
      members.AddBatch(states[b], inputs[b]->group.data(), first, end);
      ends.push_back(members.size());
    }
    if (members.size() == 0) return;
    ev.EvaluateGroups(members);
    for (size_t b = 0, m = 0; b < inputs.size(); ++b)
      for (const int32_t* status = states[b]->status.data(); m < ends[b]; ++m)
        if (status[members.rows[m]] > 0) rejected.push_back({uint32_t(b), members.rows[m]});
  };
  std::vector<GroupReject> rejected;
  if (threads <= 1 || groups < 2 * threads) {
    run(0, uint32_t(groups), rejected);
    return rejected;
  }
  // Members per group, estimated from the first rows of each batch (a group's records are
  // members or not all alike, and records of a group are spread over the input): enough to
  // balance the shares, at a fraction of a scan over every row. (Each sampled row costs a cache
  // miss and a mispredicted branch: 512 a batch took 2 ms of a 20 ms pass, 64 balance as well.)
  constexpr size_t kSampledRows = 64;
  std::vector<uint32_t> sizes(groups, 0);
  size_t total = 0;
  for (size_t b = 0; b < inputs.size(); ++b) {
    const int32_t* group = inputs[b]->group.data();
    const int32_t* status = states[b]->status.data();
    for (size_t r = 0, n = std::min(states[b]->rows, kSampledRows); r < n; ++r)
      if (group[r] >= 0 && status[r] == 0) ++sizes[group[r]], ++total;
  }
  std::vector<uint32_t> first{0};  // thread t takes the groups [first[t], first[t + 1])
  for (size_t g = 0, seen = 0; g < groups; ++g) {
    seen += sizes[g];
    if (first.size() < threads && seen >= total * first.size() / threads) first.push_back(uint32_t(g + 1));
  }
  first.push_back(uint32_t(groups));
  std::vector<std::vector<GroupReject>> shares(first.size() - 1);
  RunOnThreads(shares.size(), [&](size_t t) { run(first[t], first[t + 1], shares[t]); });
  for (const auto& share : shares) rejected.insert(rejected.end(), share.begin(), share.end());
  std::sort(rejected.begin(), rejected.end(),
            [](const GroupReject& a, const GroupReject& b) { return a.batch != b.batch ? a.batch < b.batch : a.row < b.row; });
  return rejected;
}

class Run {
 public:
  Run(rt::Evaluator& evaluator, const RunOptions& options, RunStats& stats)
      : ev_(evaluator), info_(evaluator.info()), options_(options), stats_(stats), columns_(ColumnMap::Identity(info_)),
        summary_(info_, options.summary_top), out_(info_, options) {
    seen_.resize(info_.unique_keys.size());
    // Enum output columns are counted by value.
    for (const auto& o : info_.outputs) {
      const rt::ValueType& t = info_.state[o.state];
      if (t.kind != Kind::Enum) continue;
      stats_.by_value.push_back({o.name, {}});
      counted_.push_back({size_t(o.state), t.optional});
      for (const auto& value : info_.enums[t.names].values) stats_.by_value.back().second.push_back({value, 0});
    }
  }

  // Where the cells are: set once the header is read.
  void SetColumns(ColumnMap columns) {
    columns_ = std::move(columns);
    records_.emplace(info_, columns_);
    out_.SetKeptNames(columns_.kept_names);
  }

  // Evaluates and decides which rows are rejected and why.
  void Evaluate(Pending& p) {
    ev_.Evaluate(p.input, p.state);
    for (size_t r = 0; r < p.input.rows; ++r) {
      int32_t status = p.state.status[r];
      if (p.parse_field[r] >= 0) {
        const std::string& reason = ParseRejectReason(info_, status, p.parse_field[r], p.parse_reason[r]);
        bool check_first = &reason != &p.parse_reason[r];  // an earlier field's own check
        AddReject(p, r, reason, check_first ? RuleDetail(info_, status, p.input, r) : std::move(p.parse_detail[r]));
        p.state.status[r] = -1;
      } else if (status > 0) {
        AddReject(p, r, info_.reasons[status].text, RuleDetail(info_, status, p.input, r));
        p.state.status[r] = -1;
      }
    }
  }

  // Parse and evaluate: safe to run on any thread, batches in any order. In a spilled run, also
  // serialises the accepted records for the spill.
  void Process(const io::TextBatch& text, Pending& p, bool format) {
    ParseBatch(info_, columns_, text, p);
    Finish(p, format);
  }
  // The same for whole records taken as text (CSV only, once the header is read).
  void Process(const io::RecordText& text, Pending& p, bool format) {
    records_->Parse(text, p);
    Finish(p, format);
  }
  void Finish(Pending& p, bool format) {
    Evaluate(p);
    // The parse failures are rejects now: freed here rather than by the thread that admits the
    // batch (a string each, for every row).
    std::vector<int32_t>().swap(p.parse_field);  // (= {} would keep the capacity)
    std::vector<std::string>().swap(p.parse_reason);
    std::vector<std::string>().swap(p.parse_detail);
    if (info_.group_key >= 0) GroupIndex::Prepare(info_.group_key, p.input, p.group_keys);
    if (format) out_.Format(p, p.output);
    if (const GroupSpill* spill = spill_.load(std::memory_order_acquire)) spill->Serialize(p, p.spilled);
  }

  // In input order: unique keys (the first occurrence wins), group ids, rejects, counts.
  void Admit(Pending& p) {
    if (info_.group_key >= 0 && !spilling_) groups_.Assign(info_.group_key, p.input, p.group_keys);
    p.group_keys = {};
    if (!info_.unique_keys.empty())
      for (size_t r = 0; r < p.state.rows; ++r)
        if (p.state.status[r] == 0 && !Unique(p, r)) p.state.status[r] = -1;
    rows_ += p.input.rows;
  }

  uint64_t rows() const { return rows_; }

  // From here on the records go to `spill`, whose partitions number their own groups.
  void StartSpilling(const GroupSpill* spill) {
    spilling_ = true;
    groups_ = GroupIndex{};
    spill_.store(spill, std::memory_order_release);
  }
  void StopSpilling() { spill_.store(nullptr, std::memory_order_release); }

  // Where a spilled run's outputs wait, as runs sorted by line (per-group rows: by their order
  // key) to be merged at the end.
  struct SpillRuns {
    explicit SpillRuns(const std::string& dir, size_t group_outputs) : out(dir), rejects(dir) {
      for (size_t k = 0; k < group_outputs; ++k) groups.push_back(std::make_unique<SortedRuns>(dir));
    }
    SortedRuns out, rejects;
    std::vector<std::unique_ptr<SortedRuns>> groups;  // one per RunOptions::group_outputs entry
  };

  // Adds `p`'s rejects to `runs` in line order (as WriteRejects writes them) and counts them.
  void SpillRejects(Pending& p, SortedRuns& runs) {
    std::stable_sort(p.rejects.begin(), p.rejects.end(), [](const Reject& a, const Reject& b) { return a.line < b.line; });
    std::string key, row;
    for (const auto& rj : p.rejects) {
      key.clear(), row.clear();
      PutOrderedI64(key, rj.line);
      out_.AppendRejectRow(rj, row);
      runs.Add(key, row);
    }
    stats_.rejected += p.rejects.size();
    p.rejects = {};
  }

  // One partition of a spilled run (whole groups, `groups` of them): the group pass, then its
  // output rows, rejects and per-group rows, each as one sorted run.
  void RunPartition(std::vector<std::unique_ptr<Pending>>& part, size_t groups, size_t threads, SpillRuns& runs) {
    GroupPass(part, groups);
    std::vector<std::vector<size_t>> ends(part.size());
    ForEachOnThreads(threads, part.size(), [&](size_t b) { out_.Format(*part[b], part[b]->output, &ends[b]); });
    std::string key;
    for (size_t b = 0; b < part.size(); ++b) {
      Pending& p = *part[b];
      std::string_view text = p.output;
      for (size_t r = 0, e = 0, at = 0; r < p.state.rows; ++r) {
        if (p.state.status[r] != 0) continue;
        key.clear();
        PutOrderedI64(key, p.lines[r]);
        runs.out.Add(key, text.substr(at, ends[b][e] - at));
        at = ends[b][e++];
      }
      p.output = {};
      Count(p);
      SpillRejects(p, runs.rejects);
    }
    runs.out.EndRun();
    runs.rejects.EndRun();
    std::vector<GroupRow> rows = OutputRows::FirstMembers(part, groups);
    for (size_t k = 0; k < runs.groups.size(); ++k) {
      const rt::GroupOutput& o = info_.group_outputs[options_.group_outputs[k].first];
      std::vector<std::pair<std::string, std::string>> keyed(rows.size());
      for (size_t i = 0; i < rows.size(); ++i) {
        out_.GroupOrderKey(o, rows[i], keyed[i].first);
        out_.FormatGroupRow(o, rows[i], keyed[i].second);
      }
      std::sort(keyed.begin(), keyed.end());  // keys end in a line: no two are equal
      for (const auto& [k2, row] : keyed) runs.groups[k]->Add(k2, row);
      runs.groups[k]->EndRun();
      stats_.groups_written += rows.size();
    }
  }

  bool Unique(Pending& p, size_t r) {
    for (size_t k = 0; k < info_.unique_keys.size(); ++k) {
      int f = info_.unique_keys[k];
      const rt::Column& c = p.input.fields[f];
      if (!c.valid[r]) continue;
      std::string key;
      rt::AppendValue(info_, info_.inputs[f].type, c.values[r], true, key);
      auto [first, added] = seen_[k].try_emplace(std::move(key), p.lines[r]);
      if (!added) {
        AddReject(p, r, info_.rejects.Format(rt::RejectKind::Duplicate, info_.inputs[f].name),
                  DuplicateDetail(info_, size_t(f), first->first, first->second));
        return false;
      }
    }
    return true;
  }

  static void AddReject(Pending& p, size_t r, std::string reason, std::string detail) {
    p.rejects.push_back({p.lines[r], std::string(p.ids[r]->view()), std::move(reason), std::move(detail)});
  }

  void GroupPass(std::vector<std::unique_ptr<Pending>>& all) { GroupPass(all, groups_.groups()); }
  void GroupPass(std::vector<std::unique_ptr<Pending>>& all, size_t groups) {
    if (info_.group_key < 0) return;
    std::vector<const rt::InputBatch*> inputs;
    std::vector<rt::StateBatch*> states;
    for (auto& p : all) {
      inputs.push_back(&p->input);
      states.push_back(&p->state);
    }
    size_t threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
    // A group-pass error (an overflow) rejects the member.
    for (const GroupReject& g : RunGroups(ev_, groups, inputs, states, threads)) {
      Pending& p = *all[g.batch];
      const int32_t status = p.state.status[g.row];
      AddReject(p, g.row, info_.reasons[status].text, info_.reasons[status].rule);
    }
  }

  // Writes `p`'s rows (formatted now unless a worker did) and counts them.
  void Write(Pending& p, io::CsvWriter& out) {
    if (p.output.empty()) out_.Format(p, out.buffer());  // straight into the output's buffer
    else out.Append(p.output);
    p.output.clear();
    out.MaybeFlush();
    Count(p);
  }

  // Counts the accepted records of `p` and their enum outputs.
  void Count(const Pending& p) {
    const int32_t* status = p.state.status.data();
    for (size_t r = 0; r < p.state.rows; ++r) {
      if (status[r] != 0) continue;
      ++stats_.accepted;
      if (options_.summary_values) summary_.Add(p.state, r);
    }
    // Enum columns by value, a column at a time.
    for (size_t e = 0; e < counted_.size(); ++e) {
      const rt::Column& col = p.state.slots[counted_[e].slot];
      auto& counts = stats_.by_value[e].second;
      const bool optional = counted_[e].optional;
      for (size_t r = 0; r < p.state.rows; ++r)
        if (status[r] == 0 && (!optional || col.valid[r])) ++counts[size_t(col.values[r])].second;
    }
  }

  // Writes `p`'s rejects in line order. Batches are written in input order and hold
  // consecutive lines, so the whole file is in line order without holding it.
  void WriteRejects(Pending& p, io::CsvWriter& out) {
    std::stable_sort(p.rejects.begin(), p.rejects.end(), [](const Reject& a, const Reject& b) { return a.line < b.line; });
    for (const auto& rj : p.rejects) out_.AppendRejectRow(rj, out.buffer());
    out.MaybeFlush();
    stats_.rejected += p.rejects.size();
    p.rejects = {};
  }

  // Writes per-group output `o` (docs/language.md, "Several outputs"): one row per group with an
  // accepted member, read from its first accepted member, in the groups' first-member order,
  // then stably sorted by the declared keys. Independent of threads and batch size.
  void WriteGroupOutput(const rt::GroupOutput& o, const std::vector<std::unique_ptr<Pending>>& all, io::CsvWriter& out) {
    std::vector<GroupRow> rows = OutputRows::FirstMembers(all, groups_.groups());
    out_.SortGroupRows(o, rows);
    OutputRows::WriteGroupHeader(o, out.buffer());
    for (const GroupRow& row : rows) {
      out_.FormatGroupRow(o, row, out.buffer());
      out.MaybeFlush();
    }
    stats_.groups_written += rows.size();
  }

  const RunOptions& options() const { return options_; }
  const OutputRows& output() const { return out_; }
  void FinishSummary() const { summary_.Finish(stats_.top_values, stats_.totals); }
  const rt::PolicyInfo& info() const { return info_; }

 private:
  rt::Evaluator& ev_;
  const rt::PolicyInfo& info_;
  const RunOptions& options_;
  RunStats& stats_;
  std::vector<std::unordered_map<std::string, int64_t>> seen_;  // per unique key: value → first line
  uint64_t rows_ = 0;
  GroupIndex groups_;
  bool spilling_ = false;
  std::atomic<const GroupSpill*> spill_{nullptr};  // read by the workers
  ColumnMap columns_;
  std::optional<RecordParser> records_;  // for columns_
  OutputSummary summary_;
  OutputRows out_;
  struct Counted {  // an enum output column counted by value (stats_.by_value, same order)
    size_t slot;
    bool optional;
  };
  std::vector<Counted> counted_;
};

}  // namespace


void AppendValue(const rt::PolicyInfo& info, const rt::ValueType& type, int64_t value, bool valid, std::string& out) {
  rt::AppendValue(info, type, value, valid, out);
}

RunStatus RunCsvOrThrow(rt::Evaluator& evaluator, std::FILE* in, std::FILE* out, std::FILE* rejects,
                        const RunOptions& options, RunStats& stats, std::string& error);

std::string TempDir(const RunOptions& options) {
  if (!options.temp_dir.empty()) return options.temp_dir;
  const char* env = std::getenv("TMPDIR");
  return env && *env ? env : "/tmp";
}

bool LoadCsv(const rt::PolicyInfo& info, std::FILE* in, size_t batch_rows, std::vector<rt::InputBatch>& batches,
             std::string& error) {
  io::CsvReader reader(in);
  std::vector<std::string> header;
  if (!reader.ReadHeader(header)) {
    error = "the input is empty: it needs a header line";
    return false;
  }
  io::TextBatch text;
  rt::InputBatch scratch;
  GroupIndex groups;
  while (reader.ReadBatch(batch_rows, text) > 0) {
    rt::InputBatch batch;
    batch.strings = std::make_shared<rt::StringArena>();
    batch.fields.resize(info.inputs.size());
    scratch.strings = batch.strings;
    scratch.fields.assign(info.inputs.size(), rt::Column{});
    for (auto& c : scratch.fields) c.Resize(1);
    for (size_t r = 0; r < text.rows(); ++r) {
      auto fields = text.row(r);
      if (!text.error[r].empty() || fields.size() != info.inputs.size()) continue;
      bool ok = true;
      for (size_t f = 0; f < fields.size() && ok; ++f) ok = ParseField(info, f, fields[f], scratch, 0) == FieldError::None;
      if (!ok) continue;
      for (size_t f = 0; f < fields.size(); ++f) {
        batch.fields[f].values.push_back(scratch.fields[f].values[0]);
        batch.fields[f].valid.push_back(scratch.fields[f].valid[0]);
      }
      ++batch.rows;
    }
    if (info.group_key >= 0) groups.Assign(info.group_key, batch);
    batches.push_back(std::move(batch));
  }
  return true;
}

void EvaluateAll(rt::Evaluator& evaluator, const std::vector<rt::InputBatch>& batches,
                 std::vector<rt::StateBatch>& states, size_t threads) {
  states.resize(batches.size());
  std::vector<const rt::InputBatch*> inputs;
  std::vector<rt::StateBatch*> outs;
  for (size_t b = 0; b < batches.size(); ++b) {
    inputs.push_back(&batches[b]);
    outs.push_back(&states[b]);
  }
  ForEachOnThreads(threads, batches.size(), [&](size_t b) { evaluator.Evaluate(batches[b], states[b]); });
  size_t groups = 0;
  for (auto* b : inputs)
    for (int32_t g : b->group) groups = std::max(groups, size_t(g + 1));
  RunGroups(evaluator, groups, inputs, outs, threads);
}

std::vector<GroupReject> RunGroupPass(rt::Evaluator& evaluator, size_t groups,
                                      const std::vector<const rt::InputBatch*>& inputs,
                                      const std::vector<rt::StateBatch*>& states, size_t threads, rt::ArenaPool& arenas) {
  return RunGroups(evaluator, groups, inputs, states, threads, &arenas);
}

TextRun RunCsvText(rt::Evaluator& evaluator, std::string_view csv, const RunOptions& options) {
  TextRun run;
  std::string input(csv);  // fmemopen needs a buffer it may read to the end
  std::FILE* in = fmemopen(input.data(), input.size(), "r");
  char *out_buf = nullptr, *rej_buf = nullptr;
  size_t out_size = 0, rej_size = 0;
  std::FILE* out = open_memstream(&out_buf, &out_size);
  std::FILE* rej = open_memstream(&rej_buf, &rej_size);
  size_t groups = evaluator.info().group_outputs.size();
  std::vector<char*> group_bufs(groups, nullptr);
  std::vector<size_t> group_sizes(groups, 0);
  RunOptions with_groups = options;
  with_groups.group_outputs.clear();
  bool opened = in && out && rej;
  for (size_t k = 0; k < groups; ++k) {
    std::FILE* f = open_memstream(&group_bufs[k], &group_sizes[k]);
    opened &= f != nullptr;
    with_groups.group_outputs.push_back({k, f});
  }
  if (!opened) {
    run.status = RunStatus::IoError;
    run.error = "cannot open memory streams";
  } else {
    run.status = RunCsv(evaluator, in, out, rej, with_groups, run.stats, run.error);
  }
  if (in) std::fclose(in);
  if (out) std::fclose(out);
  if (rej) std::fclose(rej);
  for (auto& [k, f] : with_groups.group_outputs)
    if (f) std::fclose(f);
  if (run.status == RunStatus::Ok) run.out.assign(out_buf, out_size);
  if (rej_buf) run.rejects.assign(rej_buf, rej_size);
  for (size_t k = 0; k < groups; ++k) {
    run.group_outputs.emplace_back(run.status == RunStatus::Ok && group_bufs[k] ? std::string(group_bufs[k], group_sizes[k]) : "");
    std::free(group_bufs[k]);
  }
  std::free(out_buf);
  std::free(rej_buf);
  return run;
}

RunStatus RunCsv(rt::Evaluator& evaluator, std::FILE* in, std::FILE* out, std::FILE* rejects,
                 const RunOptions& options, RunStats& stats, std::string& error) {
  try {
    return RunCsvOrThrow(evaluator, in, out, rejects, options, stats, error);
  } catch (const SpillError& e) {
    error = e.what();
    return RunStatus::TempError;
  } catch (const std::system_error& e) {  // std::thread: a process or memory limit
    error = fmt::format("cannot start the worker threads: {}", e.what());
    return RunStatus::ResourceError;
  } catch (const std::exception& e) {  // e.g. a record too long to hold in memory
    error = std::string("cannot read the input: ") + e.what();
    return RunStatus::IoError;
  }
}

RunStatus RunCsvOrThrow(rt::Evaluator& evaluator, std::FILE* in, std::FILE* out, std::FILE* rejects,
                        const RunOptions& options, RunStats& stats, std::string& error) {
  if (!evaluator.info().references.empty() && !evaluator.references()) {  // a lookup would find nothing
    error = fmt::format("the policy reads reference data ({}), which was not loaded", fmt::join(evaluator.info().references, ", "));
    return RunStatus::BadInput;
  }
  auto start = std::chrono::steady_clock::now();
  Run run(evaluator, options, stats);
  bool json_in = options.in_format == Format::Jsonl;
  io::CsvReader reader(in, options.map_input && !json_in);
  // JSON Lines rows hold the policy's inputs, then the kept columns: the identity map and more.
  ColumnMap json_columns = ColumnMap::Identity(run.info());
  std::vector<std::string> keys;
  for (const auto& f : run.info().inputs) keys.push_back(f.name);
  if (json_in) {
    if (!CheckKeep(run.info(), options.columns.keep, error)) return RunStatus::BadInput;
    for (const auto& name : options.columns.keep) {
      json_columns.kept.push_back(uint32_t(keys.size()));
      json_columns.kept_names.push_back(name);
      keys.push_back(name);
    }
    json_columns.width = keys.size();
  }
  io::JsonlReader json_reader(in, keys);
  auto read_batch = [&](size_t rows, io::TextBatch& text) {
    return json_in ? json_reader.ReadBatch(rows, text) : reader.ReadBatch(rows, text);
  };
  auto read_failed = [&] {
    int e = json_in ? json_reader.read_error() : reader.read_error();
    error = fmt::format("cannot read the input: {}", std::strerror(e ? e : EIO));
    return RunStatus::IoError;
  };
  if (json_in) {
    run.SetColumns(std::move(json_columns));
  } else {
    std::vector<std::string> header;
    if (!reader.ReadHeader(header)) {
      if (std::ferror(in)) return read_failed();
      error = "the input is empty: it needs a header line";
      return RunStatus::BadInput;
    }
    ColumnMap columns;
    if (!MapColumns(run.info(), header, options.columns, columns, error)) return RunStatus::BadInput;
    run.SetColumns(std::move(columns));
  }
  io::CsvWriter writer(out), reject_writer(rejects);
  run.output().WriteHeader(writer.buffer());
  run.output().WriteRejectsHeader(reject_writer.buffer());
  bool hold = run.info().group_key >= 0;
  // Workers may format output rows unless the ordered stage can still reject some (unique keys)
  // or the group pass can still change them.
  bool format_in_worker = !hold && run.info().unique_keys.empty();
  std::vector<std::unique_ptr<Pending>> held;
  size_t held_bytes = 0;
  // Past the memory budget, held records go to temporary files (docs/performance.md,
  // "Larger-than-memory runs").
  std::unique_ptr<GroupSpill> spill;
  std::unique_ptr<Run::SpillRuns> spill_runs;
  std::string temp_dir = TempDir(options);
  size_t threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  ProgressOptions shown = options.progress_bar;
  shown.lines = options.progress && !shown.bar;
  Progress progress(shown);
  // Kept input columns are not among what a spilled record carries: with --keep the records wait
  // for the group pass in memory (docs/cli.md).
  size_t memory_budget = options.columns.keep.empty() ? options.memory_bytes : 0;
  auto written = [&] { return writer.ok() && reject_writer.ok(); };  // false: stop reading
  auto admit = [&](std::unique_ptr<Pending> p) {
    run.Admit(*p);
    if (spill) {
      spill->Add(*p);
      run.SpillRejects(*p, spill_runs->rejects);
    } else if (hold) {
      // Only the group key of the input is needed from here on; the state holds the rest.
      for (size_t f = 0; f < p->input.fields.size(); ++f)
        if (int(f) != run.info().group_key) p->input.fields[f] = rt::Column{};
      held_bytes += p->HeldBytes();
      held.push_back(std::move(p));
      if (memory_budget && held_bytes > memory_budget) {
        spill = std::make_unique<GroupSpill>(run.info(), temp_dir, options.memory_bytes, options.batch_rows);
        spill_runs = std::make_unique<Run::SpillRuns>(temp_dir, options.group_outputs.size());
        run.StartSpilling(spill.get());
        for (auto& q : held) {
          spill->Add(*q);
          run.SpillRejects(*q, spill_runs->rejects);
        }
        held.clear();
        held.shrink_to_fit();
        malloc_trim(0);  // give the freed memory back: the workers' malloc arenas keep it otherwise
      }
    } else {
      run.Write(*p, writer);
      run.WriteRejects(*p, reject_writer);
    }
    progress.Update(run.rows());
  };
  // Each thread reads a batch, parses and evaluates it, and admits the batches in input order
  // (ordered_work.h); one thread does all of it in turn: what `--threads 1` promises a shared
  // machine. Records without quotes are taken as whole lines and split by the thread that parses
  // them; a batch near a quote is split as it is read. A thread reuses its text buffers.
  struct Texts {
    io::TextBatch text;
    io::RecordText lines;
    bool whole = false;  // `lines` holds the batch, not `text`
  };
  std::atomic<bool> writing{true};  // false once a write failed: stop reading
  OrderedWork<Texts>(
      threads, 2 * threads,
      [&](Texts& t) {
        if (!writing.load(std::memory_order_relaxed)) return false;
        t.whole = !json_in && reader.ReadRecordText(options.batch_rows, t.lines) != 0;
        return t.whole || read_batch(options.batch_rows, t.text) != 0;
      },
      [&](Texts& t) {
        auto p = std::make_unique<Pending>();
        if (t.whole) run.Process(t.lines, *p, format_in_worker);
        else run.Process(t.text, *p, format_in_worker);
        t.lines.bytes.reset();  // the reader may reuse its buffer
        return p;
      },
      [&](std::unique_ptr<Pending> p) {
        admit(std::move(p));
        writing.store(written(), std::memory_order_relaxed);
      });
  stats.rows = run.rows();
  progress.Finish();
  run.StopSpilling();
  if (spill && written()) {
    spill_runs->rejects.EndRun();  // the rejects of the first pass, in line order
    spill->ForEachPartition([&](std::vector<std::unique_ptr<Pending>>& part, size_t groups) {
      run.RunPartition(part, groups, threads, *spill_runs);
    });
    stats.spilled_bytes = spill->bytes_spilled();
    stats.partitions = spill->partitions_loaded();
    stats.largest_partition_bytes = spill->largest_partition_bytes();
    spill.reset();
    size_t merge_memory = std::min<size_t>(options.memory_bytes / 4, size_t{64} << 20);
    spill_runs->out.Merge(writer, merge_memory);
    spill_runs->rejects.Merge(reject_writer, merge_memory);
    for (size_t k = 0; k < options.group_outputs.size() && written(); ++k) {
      io::CsvWriter group_writer(options.group_outputs[k].second);
      OutputRows::WriteGroupHeader(run.info().group_outputs[options.group_outputs[k].first], group_writer.buffer());
      spill_runs->groups[k]->Merge(group_writer, merge_memory);
      if (!group_writer.Flush()) {
        error = fmt::format("cannot write the output: {}", std::strerror(group_writer.error()));
        stats.failed_output = int(k);
        return RunStatus::GroupOutputError;
      }
    }
  } else if (hold && written()) {
    run.GroupPass(held);
    // Each thread formats a batch and writes the batches in order, at most 2 per thread ahead of
    // the writing (the text of all of them at once would double the memory held). One thread
    // formats each batch straight into the output's buffer as it writes it.
    size_t next = 0;  // (taken one thread at a time)
    std::atomic<bool> writing{written()};
    OrderedWork<size_t>(
        threads, 2 * threads,
        [&](size_t& b) { return writing.load(std::memory_order_relaxed) && (b = next++) < held.size(); },
        [&](size_t& b) {
          if (threads > 1) run.output().Format(*held[b], held[b]->output);
          return b;
        },
        [&](size_t b) {
          run.Write(*held[b], writer);
          run.WriteRejects(*held[b], reject_writer);
          std::string().swap(held[b]->output);
          writing.store(written(), std::memory_order_relaxed);
        });
    for (size_t k = 0; k < options.group_outputs.size() && written(); ++k) {
      io::CsvWriter group_writer(options.group_outputs[k].second);
      run.WriteGroupOutput(run.info().group_outputs[options.group_outputs[k].first], held, group_writer);
      if (!group_writer.Flush()) {
        error = fmt::format("cannot write the output: {}", std::strerror(group_writer.error()));
        stats.failed_output = int(k);
        return RunStatus::GroupOutputError;
      }
    }
  }
  if (std::ferror(in)) return read_failed();
  if (!writer.Flush()) {
    error = fmt::format("cannot write the output: {}", std::strerror(writer.error()));
    return RunStatus::OutputError;
  }
  if (!reject_writer.Flush()) {
    error = fmt::format("cannot write the rejects: {}", std::strerror(reject_writer.error()));
    return RunStatus::RejectsError;
  }
  if (options.summary_values) run.FinishSummary();
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return RunStatus::Ok;
}

}  // namespace credo::exec
