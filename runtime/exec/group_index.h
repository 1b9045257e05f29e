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

// A batch's group keys, hashed where the batch was parsed (GroupIndex::Prepare): the rows that
// have a key, and each one's hash.
struct GroupKeys {
  std::vector<uint32_t> rows;
  std::vector<uint64_t> hashes;
};

// Interns group keys into dense ids, in input order; fed batch by batch as they are admitted.
// An open-addressing table whose slots hold the hash, the id and up to 16 bytes of the key, so a
// lookup of a short key touches one cache line (a node-based map costs several misses per row).
// The part that needs no shared state (which rows have a key, their hashes) is Prepare, which a
// worker runs beside the thread that admits batches in order and runs Assign.
class GroupIndex {
 public:
  // Sets every row's group to -1 (none) and hashes the keys present, for Assign.
  static void Prepare(int key_field, rt::InputBatch& batch, GroupKeys& keys) {
    const rt::Column& key = batch.fields[key_field];
    batch.group.assign(batch.rows, -1);
    keys.rows.clear(), keys.hashes.clear();
    for (size_t r = 0; r < batch.rows; ++r)
      if (key.valid[r]) {
        keys.rows.push_back(uint32_t(r));
        keys.hashes.push_back(Hash(rt::StrOf(key.values[r])->view()));
      }
  }
  // Gives each row of `keys` (from Prepare on this batch) its group's id.
  void Assign(int key_field, rt::InputBatch& batch, const GroupKeys& keys) {
    // Plain pointers: Intern's byte copies could alias the vectors' own fields otherwise.
    const int64_t* values = batch.fields[key_field].values.data();
    int32_t* group = batch.group.data();
    const uint32_t* rows = keys.rows.data();
    const uint64_t* hashes = keys.hashes.data();
    for (size_t k = 0, n = keys.rows.size(); k < n; ++k)
      group[rows[k]] = Intern(rt::StrOf(values[rows[k]])->view(), hashes[k]);
  }
  void Assign(int key_field, rt::InputBatch& batch) {
    GroupKeys keys;
    Prepare(key_field, batch, keys);
    Assign(key_field, batch, keys);
  }
  size_t groups() const { return offsets_.size(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t id = -1;      // -1: empty
    uint32_t size = 0;
    char prefix[16];      // the key's first bytes
  };

  // A short key (at most 16 bytes, the usual case) is read as two words that may overlap and
  // mixed by two multiplications (as wyhash does); a longer one 16 bytes at a time.
  static uint64_t Hash(std::string_view text) {
    constexpr uint64_t k0 = 0x9E3779B97F4A7C15ULL, k1 = 0xD6E8FEB86659FD93ULL, k2 = 0xA0761D6478BD642FULL;
    const char* p = text.data();
    size_t n = text.size();
    uint64_t seed = k0 ^ n, a = 0, b = 0;
    if (n > 16) {
      for (; n > 16; p += 16, n -= 16) seed = Mix(Load8(p) ^ k1, Load8(p + 8) ^ seed);
      a = Load8(p + n - 16), b = Load8(p + n - 8);  // the last 16 bytes
    } else if (n >= 8) {
      a = Load8(p), b = Load8(p + n - 8);
    } else if (n >= 4) {
      a = Load4(p), b = Load4(p + n - 4);
    } else if (n > 0) {
      a = uint64_t(uint8_t(p[0])) << 16 | uint64_t(uint8_t(p[n / 2])) << 8 | uint8_t(p[n - 1]);
    }
    return Mix(Mix(a ^ k1, b ^ seed) ^ k2, seed);
  }
  // The high and low halves of the 128-bit product, folded together: every bit of the result
  // depends on every bit of both.
  static uint64_t Mix(uint64_t a, uint64_t b) {
    const unsigned __int128 product = static_cast<unsigned __int128>(a) * b;
    return uint64_t(product) ^ uint64_t(product >> 64);
  }
  static uint64_t Load8(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  }
  static uint64_t Load4(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  // a[0, n) == b[0, n) for n <= 16, with the same overlapping loads as Hash: no library call.
  static bool SameShort(const char* a, const char* b, size_t n) {
    if (n >= 8) return Load8(a) == Load8(b) && Load8(a + n - 8) == Load8(b + n - 8);
    if (n >= 4) return Load4(a) == Load4(b) && Load4(a + n - 4) == Load4(b + n - 4);
    for (size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }

  int32_t Intern(std::string_view text, uint64_t hash) {
    if ((offsets_.size() + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t at = hash & mask;; at = (at + 1) & mask) {
      Slot& slot = slots_[at];
      if (slot.id < 0) return Insert(slot, hash, text);
      if (slot.hash != hash || slot.size != text.size()) continue;
      if (text.size() <= sizeof slot.prefix ? SameShort(slot.prefix, text.data(), text.size()) : Key(slot) == text)
        return slot.id;
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
