#include "runtime/exec/group_spill.h"

#include <algorithm>
#include <cmath>

#include "runtime/exec/group_index.h"

namespace credo::exec {
namespace {

constexpr uint32_t kNoKey = UINT32_MAX;   // the record has no group key
constexpr uint32_t kNullText = UINT32_MAX;  // a string slot the record never set

uint64_t Mix(uint64_t x) {  // splitmix64's finalizer: every input bit moves every output bit
  x ^= x >> 30, x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27, x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Reads the fields of one spilled record in order.
struct Cursor {
  const char* at;
  uint32_t U32() { uint32_t v; std::memcpy(&v, at, 4); at += 4; return v; }
  int64_t I64() { int64_t v; std::memcpy(&v, at, 8); at += 8; return v; }
  std::string_view Text(uint32_t n) { std::string_view t(at, n); at += n; return t; }
};

}  // namespace

GroupSpill::GroupSpill(const rt::PolicyInfo& info, std::string dir, size_t budget, size_t batch_rows)
    : info_(info), dir_(std::move(dir)), budget_(budget), batch_rows_(batch_rows) {
  partitions_.resize(kFanOut);
  for (auto& p : partitions_) p.file = std::make_unique<TempFile>(dir_);
}

size_t GroupSpill::Slot(std::string_view key, bool present, int64_t line, int seed, size_t fan_out) {
  // Records without a group are independent of each other: spread them by line.
  uint64_t h = present ? std::hash<std::string_view>{}(key) : uint64_t(line);
  return Mix(h ^ (uint64_t(seed + 1) * 0x9E3779B97F4A7C15ULL)) % fan_out;
}

// Record layout: u32 size of the rest; i64 line; id; group key (kNoKey: none); then each state
// slot: a validity byte if the slot is optional, and unless missing its value (strings as text).
// A record must carry everything the group pass, Run::Format and a reject read from a Pending
// (a per-record field added there needs a place here and in Load).
void GroupSpill::Serialize(const Pending& p, SpilledRows& out) const {
  out.bytes.clear(), out.ends.clear(), out.rows.clear(), out.partitions.clear();
  std::string& record = out.bytes;
  const rt::Column& key = p.input.fields[size_t(info_.group_key)];
  for (size_t r = 0; r < p.state.rows; ++r) {
    if (p.state.status[r] != 0) continue;
    size_t begin = record.size();
    PutU32(record, 0);
    PutI64(record, p.lines[r]);
    PutText(record, p.ids[r]->view());
    std::string_view key_text = key.valid[r] ? rt::StrOf(key.values[r])->view() : std::string_view();
    if (key.valid[r]) PutText(record, key_text);
    else PutU32(record, kNoKey);
    for (size_t s = 0; s < info_.state.size(); ++s) {
      const rt::ValueType& type = info_.state[s];
      const rt::Column& col = p.state.slots[s];
      bool present = !type.optional || col.valid[r];
      if (type.optional) record.push_back(char(present));
      if (!present) continue;
      int64_t v = col.values[r];
      if (type.kind != rt::Kind::String) PutI64(record, v);
      else if (v == 0) PutU32(record, kNullText);
      else PutText(record, rt::StrOf(v)->view());
    }
    uint32_t size = uint32_t(record.size() - begin - 4);
    std::memcpy(record.data() + begin, &size, 4);
    out.ends.push_back(uint32_t(record.size()));
    out.rows.push_back(uint32_t(r));
    out.partitions.push_back(uint8_t(Slot(key_text, key.valid[r], p.lines[r], 0, kFanOut)));
  }
}

void GroupSpill::Add(const Pending& p) {
  const SpilledRows* rows = &p.spilled;
  if (rows->rows.empty()) {
    Serialize(p, scratch_);
    rows = &scratch_;
  }
  std::string_view bytes = rows->bytes;
  for (size_t k = 0, begin = 0; k < rows->rows.size(); begin = rows->ends[k++]) {
    if (p.state.status[rows->rows[k]] != 0) continue;  // rejected since (a duplicate key)
    bytes_spilled_ += rows->ends[k] - begin;
    Append(partitions_[rows->partitions[k]], bytes.substr(begin, rows->ends[k] - begin));
  }
}

void GroupSpill::ForEachPartition(const Work& work) {
  for (auto& part : partitions_) {
    part.file->Flush();
    Process(part, 1, work);
    part.file.reset();  // its disk space goes back now
  }
}

void GroupSpill::Process(Partition& part, int depth, const Work& work) {
  double need = double(part.file->size()) * kExpansion;
  if (need <= double(budget_) || depth > kMaxDepth || part.rows < 2) return Load(part, work);
  size_t fan_out = std::clamp<size_t>(size_t(std::ceil(2 * need / double(budget_))), 2, kFanOut);
  uint64_t rows = part.rows;
  std::vector<Partition> children = Split(part, fan_out, depth);
  part.file.reset();
  for (auto& child : children) {
    // All of it in one child: one group (or keys the hash cannot tell apart): load it whole.
    Process(child, child.rows == rows ? kMaxDepth + 1 : depth + 1, work);
    child.file.reset();
  }
}

std::vector<GroupSpill::Partition> GroupSpill::Split(Partition& part, size_t fan_out, int seed) {
  std::vector<Partition> children(fan_out);
  for (auto& c : children) c.file = std::make_unique<TempFile>(dir_);
  TempReader reader(*part.file, 0, part.file->size(), size_t{1} << 20);
  std::string record;
  while (!reader.AtEnd()) {
    uint32_t size = reader.U32();
    record.resize(4 + size);
    std::memcpy(record.data(), &size, 4);
    reader.Read(record.data() + 4, size);
    Cursor c{record.data() + 4};
    int64_t line = c.I64();
    c.Text(c.U32());  // the id
    uint32_t key_size = c.U32();
    bool present = key_size != kNoKey;
    std::string_view key = present ? c.Text(key_size) : std::string_view();
    Append(children[Slot(key, present, line, seed, fan_out)], record);
  }
  for (auto& c : children) c.file->Flush();
  return children;
}

void GroupSpill::Load(Partition& part, const Work& work) {
  if (part.rows == 0) return;
  largest_ = std::max(largest_, size_t(double(part.file->size()) * kExpansion));
  ++loaded_;
  std::vector<std::unique_ptr<Pending>> batches;
  GroupIndex groups;
  TempReader reader(*part.file, 0, part.file->size(), size_t{1} << 20);
  std::string record;
  size_t key_field = size_t(info_.group_key);
  while (!reader.AtEnd()) {
    auto p = std::make_unique<Pending>();
    auto arena = std::make_shared<rt::StringArena>();
    p->input.strings = p->state.strings = arena;
    p->state.computed = std::make_shared<rt::StringArena>();
    p->input.fields.resize(info_.inputs.size());
    rt::Column& key = p->input.fields[key_field];
    p->state.slots.resize(info_.state.size());
    size_t n = 0;
    for (; n < batch_rows_ && !reader.AtEnd(); ++n) {
      reader.Text(reader.U32(), record);
      Cursor c{record.data()};
      p->lines.push_back(c.I64());
      p->ids.push_back(arena->Add(c.Text(c.U32())));
      uint32_t key_size = c.U32();
      key.valid.push_back(key_size != kNoKey);
      key.values.push_back(key_size != kNoKey ? rt::StrBits(arena->Add(c.Text(key_size))) : 0);
      for (size_t s = 0; s < info_.state.size(); ++s) {
        const rt::ValueType& type = info_.state[s];
        rt::Column& col = p->state.slots[s];
        bool present = true;
        if (type.optional) col.valid.push_back(uint8_t(present = *c.at++ != 0));
        int64_t v = 0;
        if (present && type.kind != rt::Kind::String) v = c.I64();
        else if (present) {
          uint32_t size = c.U32();
          if (size != kNullText) v = rt::StrBits(arena->Add(c.Text(size)));
        }
        col.values.push_back(v);
      }
    }
    p->input.rows = p->state.rows = n;
    p->state.status.assign(n, 0);
    groups.Assign(int(key_field), p->input);
    batches.push_back(std::move(p));
  }
  work(batches, groups.groups());
}

}  // namespace credo::exec
