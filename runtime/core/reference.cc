#include "runtime/core/reference.h"

namespace credo::rt {

int32_t ReferenceIndex::Insert(int64_t bits, bool& added) {
  int32_t slot = Find(bits);
  added = slot < 0;
  if (!added) return slot;
  slot = int32_t(keys_++);
  if (key_kind_ == Kind::String) by_text_.emplace(strings->Add(StrOf(bits)->view())->view(), slot);
  else by_value_.emplace(bits, slot);
  for (auto& c : columns) {
    c.values.push_back(0);
    c.valid.push_back(0);
    c.failed.push_back(0);
  }
  return slot;
}

}  // namespace credo::rt
