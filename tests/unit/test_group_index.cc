// GroupIndex: dense group ids in order of first appearance, whether the keys were hashed by
// Prepare (as a worker does) or by Assign itself, for keys of every length.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/exec/group_index.h"

using credo::exec::GroupIndex;
using credo::exec::GroupKeys;
namespace rt = credo::rt;

namespace {

// A batch of one string field; a null key is a missing one.
rt::InputBatch Batch(const std::vector<const std::string*>& keys) {
  rt::InputBatch batch;
  batch.Reset(1, keys.size());
  for (size_t r = 0; r < keys.size(); ++r) {
    batch.fields[0].valid[r] = keys[r] != nullptr;
    if (keys[r]) batch.fields[0].values[r] = rt::StrBits(batch.strings->Add(*keys[r]));
  }
  return batch;
}

}  // namespace

TEST_CASE("group index: ids in order of first appearance for keys of every length", "[group]") {
  // Keys of 0 to 40 bytes, and for each a twin differing in one byte at every position: short
  // keys are compared word by word, so every byte must count.
  std::vector<std::string> keys;
  for (size_t n = 0; n <= 40; ++n) {
    const std::string key(n, 'k');
    keys.push_back(key);
    for (size_t i = 0; i < n; ++i) {
      std::string twin = key;
      twin[i] = 'j';
      keys.push_back(twin);
    }
  }
  for (size_t i = 0; i < 30000; ++i) keys.push_back("G" + std::to_string(i));  // several table growths
  std::mt19937_64 rng(5);
  std::vector<const std::string*> rows;
  for (size_t r = 0; r < 120000; ++r) rows.push_back(rng() % 7 == 0 ? nullptr : &keys[rng() % keys.size()]);

  std::unordered_map<std::string, int32_t> first;  // the reference: ids by first appearance
  std::vector<int32_t> expected;
  for (const std::string* key : rows)
    expected.push_back(key ? first.try_emplace(*key, int32_t(first.size())).first->second : -1);

  for (bool prepared : {true, false}) {
    INFO("hashed by Prepare: " << prepared);
    GroupIndex index;
    std::vector<int32_t> got;
    for (size_t at = 0; at < rows.size();) {  // batches of varying size, fed in order
      const size_t n = std::min<size_t>(1 + rng() % 5000, rows.size() - at);
      rt::InputBatch batch = Batch({rows.begin() + at, rows.begin() + at + n});
      if (prepared) {
        GroupKeys hashed;
        GroupIndex::Prepare(0, batch, hashed);
        index.Assign(0, batch, hashed);
      } else {
        index.Assign(0, batch);
      }
      REQUIRE(batch.group.size() == n);
      got.insert(got.end(), batch.group.begin(), batch.group.end());
      at += n;
    }
    CHECK(index.groups() == first.size());
    size_t i = 0;  // the first difference, reported alone
    while (i < got.size() && got[i] == expected[i]) ++i;
    INFO("row " << i);
    CHECK(i == got.size());
  }
}
