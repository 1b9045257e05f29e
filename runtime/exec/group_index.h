// group_index.h — dense ids for group keys, in order of first appearance (internal to runtime/exec).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/core/batch.h"

namespace credo::exec {

// Interns group keys into dense ids, in input order; fed batch by batch as they are admitted.
// An open-addressing table whose slots hold the hash, the id and up to 16 bytes of the key, so a
// lookup of a short key touches one cache line (a node-based map costs several misses per row).
class GroupIndex {
 public:
  void Assign(int key_field, rt::InputBatch& batch) {
    const rt::Column& key = batch.fields[key_field];
    batch.group.assign(batch.rows, -1);
    for (size_t r = 0; r < batch.rows; ++r)
      if (key.valid[r]) batch.group[r] = Intern(rt::StrOf(key.values[r])->view());
  }
  size_t groups() const { return offsets_.size(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t id = -1;      // -1: empty
    uint32_t size = 0;
    char prefix[16];      // the key's first bytes
  };

  int32_t Intern(std::string_view text) {
    if ((offsets_.size() + 1) * 2 > slots_.size()) Grow();
    uint64_t hash = std::hash<std::string_view>{}(text);
    size_t mask = slots_.size() - 1;
    for (size_t at = hash & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.id < 0) return Insert(slot, hash, text);
      if (slot.hash == hash && slot.size == text.size() && Key(slot) == text) return slot.id;
    }
  }

  std::string_view Key(const Slot& slot) const {
    if (slot.size <= sizeof slot.prefix) return {slot.prefix, slot.size};
    return std::string_view(keys_).substr(offsets_[slot.id], slot.size);
  }

  int32_t Insert(Slot& slot, uint64_t hash, std::string_view text) {
    slot.hash = hash;
    slot.id = int32_t(offsets_.size());
    slot.size = uint32_t(text.size());
    std::memcpy(slot.prefix, text.data(), std::min(text.size(), sizeof slot.prefix));
    offsets_.push_back(keys_.size());
    keys_.append(text);
    return slot.id;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(std::max<size_t>(1024, old.size() * 2), Slot{});
    size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id < 0) continue;
      size_t at = slot.hash & mask;
      while (slots_[at].id >= 0) at = (at + 1) & mask;
      slots_[at] = slot;
    }
  }

  std::vector<Slot> slots_;
  std::string keys_;               // every key, one after another
  std::vector<size_t> offsets_;    // id → its key's offset in keys_
};

}  // namespace credo::exec
