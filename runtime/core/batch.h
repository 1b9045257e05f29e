// batch.h — records in columnar batches, and the description of a compiled policy that the
// runtime needs to read, evaluate and write them (schema, record state, outputs, reasons).
//
// Layout: one contiguous array of 8-byte values per column plus one validity byte per row
// (1 = present, 0 = missing). Values are int64 (int, money and other decimals as scaled
// integers, dates as days since 1970-01-01, enums as ordinals, bools as 0/1), double (number),
// a pointer to a length-prefixed string (string), or a uint64 bit set (codes). The Arrow C Data
// layout differs only in using validity bits; conversion happens at the embedding boundary.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/reject_text.h"

namespace credo::rt {

// Physical kind of a value.
enum class Kind : uint8_t { Bool, Int, Number, Decimal, String, Date, Enum, Codes };

struct ValueType {
  Kind kind = Kind::Int;
  int8_t scale = 0;       // Decimal: fraction digits
  bool optional = false;
  int16_t names = -1;     // Enum: index into PolicyInfo::enums; Codes: into PolicyInfo::code_sets
  bool ranked = false;    // Codes: a ranked list (packed code ids), not a bit set (text.h)
};

// A string value: a 32-bit length followed by the bytes. Values point at these. At least 8 bytes
// from data[0] are readable, even for a shorter string, so compiled code may load a whole word.
struct Str {
  static constexpr size_t kReadableBytes = 8;
  uint32_t size;
  char data[1];
  std::string_view view() const { return {data, size}; }
};
inline int64_t StrBits(const Str* s) { return static_cast<int64_t>(reinterpret_cast<uintptr_t>(s)); }
inline const Str* StrOf(int64_t bits) { return reinterpret_cast<const Str*>(static_cast<uintptr_t>(bits)); }
// The empty string, shared: what a missing string value holds (no arena bytes for it).
inline const Str* EmptyStr() {
  alignas(8) static const char storage[sizeof(uint32_t) + Str::kReadableBytes + 4] = {};
  return reinterpret_cast<const Str*>(storage);
}

// Owns length-prefixed strings; pointers stay valid for the arena's lifetime.
class StringArena {
 public:
  const Str* Add(std::string_view text);
  // Add, for text with 16 readable bytes from its start (in a padded buffer): a short one is
  // copied as one fixed 16-byte block instead of a memcpy of its size (the bytes past its size
  // are scratch, which every reader of a Str masks or ignores).
  const Str* AddPadded(std::string_view text) {
    if (text.size() > 16 || used_ + offsetof(Str, data) + 16 > capacity_) return Add(text);
    Str* s = reinterpret_cast<Str*>(blocks_.back().get() + used_);
    s->size = static_cast<uint32_t>(text.size());
    std::memcpy(s->data, text.data(), 16);
    used_ += (offsetof(Str, data) + std::max(text.size(), Str::kReadableBytes) + 7) & ~size_t(7);
    return s;
  }
  // Forgets every string (pointers to them dangle), keeping the last block for the next ones.
  void Clear();
  size_t bytes() const { return allocated_; }  // memory held, for memory budgets
 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0, capacity_ = 0, allocated_ = 0;
};

struct InputField {
  std::string name;
  ValueType type;
  bool checks_domain = false;  // has a `where` condition (reported as out_of_range:<name>)
  bool percent = false;        // a `percent` field: Decimal with rt::kPercentScale, read by rt::ParsePercent
};

struct EnumNames {
  std::string name;
  std::vector<std::string> values;
};

struct OutputColumn {
  std::string name;
  int state = -1;              // record-state slot printed in this column
};

// A per-group output (`output NAME per group`): one row per group that has an accepted member,
// its cells read from the state of the group's first accepted member (the group pass gives every
// member the same values in these slots), rows sorted by `order` (missing last, ties in the
// order of the groups' first members).
struct GroupOutput {
  std::string name;
  std::vector<OutputColumn> columns;
  struct Key {
    int column;
    bool descending;
  };
  std::vector<Key> order;
};

// Why a record is rejected during evaluation: a failed input check or a per-record error.
struct RejectReason {
  std::string text;            // e.g. "out_of_range:revenue", "overflow:max_limit"
  int field = -1;              // a field's own `where` check: the field index; otherwise -1
  std::string rule;            // the rule as written for the rejects file's detail: a field's
                               // "where score <= 900", else the whole detail, e.g. "fails check
                               // rent < income" ("" if none)
};

// What the runtime knows about a compiled policy.
struct PolicyInfo {
  std::string name, version;
  std::vector<InputField> inputs;
  std::vector<ValueType> state;          // record state: values kept per record after evaluation
  std::vector<std::string> state_names;
  std::vector<OutputColumn> outputs;
  std::vector<GroupOutput> group_outputs;
  std::vector<RejectReason> reasons;     // status code k > 0 means reasons[k]
  std::vector<EnumNames> enums;
  std::vector<std::vector<std::string>> code_sets;
  int group_key = -1;                    // input field grouping records, -1: no group pass
  std::vector<int> unique_keys;          // input fields whose values must be unique
  std::vector<std::string> references;   // declared reference data, which a run must load first
  RejectTexts rejects;                   // the reason written for each kind of reject
  // Magnitude bounds of input numbers, so that every sum and product stays exact in 64 bits.
  static constexpr int64_t kIntLimit = 1'000'000'000;            // |int| < 10^9
  static constexpr int64_t kMoneyLimitUnits = 10'000'000'000'000; // |money| < 10^13
  // Every decimal(N) input (money is decimal(2)): |raw| < 10^15, so |v| < 10^(15-N).
  static constexpr int64_t kDecimalLimitRaw = kMoneyLimitUnits * 100;
};

struct Column {
  std::vector<int64_t> values;
  std::vector<uint8_t> valid;
  void Resize(size_t rows) { values.resize(rows); valid.resize(rows, 1); }
  double number(size_t r) const { double d; std::memcpy(&d, &values[r], 8); return d; }
};

// A batch of parsed input records.
struct InputBatch {
  size_t rows = 0;
  std::vector<Column> fields;            // one per input field
  std::shared_ptr<StringArena> strings;  // string values point here
  std::vector<int32_t> group;            // dense id of the record's group (-1: none), set by
                                         // the runner when the policy has a group pass
  // Ready for `n` records of `field_count` fields: every value 0 and present, a new arena.
  void Reset(size_t field_count, size_t n) {
    rows = n;
    strings = std::make_shared<StringArena>();
    fields.resize(field_count);
    for (auto& c : fields) {
      c.values.assign(n, 0);
      c.valid.assign(n, 1);
    }
  }
};

// The record state after evaluation: one column per state slot, a status per record
// (0 = evaluated, k > 0 = rejected for PolicyInfo::reasons[k]). Validity is kept only for slots
// that may be missing (PolicyInfo::state[s].optional); other slots' valid bytes mean nothing
// (not writing them saves memory traffic).
struct StateBatch {
  size_t rows = 0;
  std::vector<Column> slots;
  std::vector<int32_t> status;
  std::shared_ptr<StringArena> strings;  // keeps input strings alive with the state
  std::shared_ptr<StringArena> computed; // strings the record program computes (text functions):
                                         // valid until the next Reset, after the output is written

  // Sized for the evaluation of `in` into slots of `types`, every status 0 (buffers reused);
  // validity arrays only for the optional slots.
  void Reset(const InputBatch& in, const std::vector<ValueType>& types) {
    rows = in.rows;
    strings = in.strings;
    // Computed strings are valid until the next Reset: an arena nobody else holds is reused
    // (evaluating one record after another then allocates nothing here).
    if (computed && computed.use_count() == 1) computed->Clear();
    else computed = std::make_shared<StringArena>();
    status.assign(rows, 0);
    slots.resize(types.size());
    for (size_t s = 0; s < types.size(); ++s) {
      slots[s].values.resize(rows);
      slots[s].valid.resize(types[s].optional ? rows : 0);
    }
  }
};

}  // namespace credo::rt
