// reference.h — reference data in memory: per declared reference, a hash index from key to a
// dense key slot, and per column one value per slot (docs/language.md, "Reference data").
//
// A policy's lookups read only what the record program needs: for a reference with one row per
// key, the fields it reads; for a `many` reference, the aggregates over each key's rows
// (count, sum, min, max of a field), computed once when the reference is loaded. So a lookup is
// one hash probe and one load, whatever the number of rows of the key, and both engines read
// the same memory (ir.h: RefFind, RefGet). Built before the run; read-only (so shared by every
// thread) while it runs. The whole reference must fit in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::rt {

// What a column of a loaded reference holds, per key.
struct ReferenceColumnSpec {
  // Count: rows; CountIf / Any / All: rows whose condition holds, whether one does, or all do.
  enum Kind : uint8_t { Value, Count, Sum, Min, Max, CountIf, Any, All } kind = Value;
  int field = -1;        // the reference field (Value, Sum, Min, Max); -1 for Count
  int derived = -1;      // instead of a field: a state slot of the reference's row program (an
                         // expression of the row, e.g. the condition of a CountIf)
  ValueType type;        // of the per-key value
};

class ReferenceIndex {
 public:
  struct Column {
    std::vector<int64_t> values;   // per key slot
    std::vector<uint8_t> valid;    // per key slot: 1 present
    std::vector<uint8_t> failed;   // per key slot: 1 when the aggregate overflowed
  };

  explicit ReferenceIndex(Kind key_kind) : key_kind_(key_kind) {}

  // The key slot of key `bits` (a value of the key's kind), or -1.
  int32_t Find(int64_t bits) const {
    if (key_kind_ == Kind::String) {
      auto it = by_text_.find(StrOf(bits)->view());
      return it == by_text_.end() ? -1 : it->second;
    }
    auto it = by_value_.find(bits);
    return it == by_value_.end() ? -1 : it->second;
  }
  // The slot of a key, added (with every column one entry longer) when new; `added` says which.
  int32_t Insert(int64_t bits, bool& added);
  size_t keys() const { return keys_; }
  Kind key_kind() const { return key_kind_; }

  std::vector<Column> columns;
  std::shared_ptr<StringArena> strings = std::make_shared<StringArena>();  // keys and string values

 private:
  Kind key_kind_;
  size_t keys_ = 0;
  std::unordered_map<int64_t, int32_t> by_value_;
  std::unordered_map<std::string_view, int32_t> by_text_;  // views into `strings`
};

// Every reference a program declares, in declaration order (ir::Program::references).
struct References {
  std::vector<ReferenceIndex> tables;
};

}  // namespace credo::rt
