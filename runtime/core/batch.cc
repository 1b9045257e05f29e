#include "runtime/core/batch.h"

#include <algorithm>

namespace credo::rt {

const Str* StringArena::Add(std::string_view text) {
  size_t need = (offsetof(Str, data) + std::max(text.size(), Str::kReadableBytes) + 7) & ~size_t(7);
  if (used_ + need > capacity_) {
    capacity_ = std::max<size_t>(need, 16 * 1024);
    blocks_.push_back(std::make_unique<char[]>(capacity_));
    allocated_ += capacity_;
    used_ = 0;
  }
  char* at = blocks_.back().get() + used_;
  used_ += need;
  Str* s = reinterpret_cast<Str*>(at);
  s->size = static_cast<uint32_t>(text.size());
  if (!text.empty()) std::memcpy(s->data, text.data(), text.size());  // an empty view may hold null
  return s;
}

void StringArena::Clear() {
  if (blocks_.size() > 1) blocks_.erase(blocks_.begin(), blocks_.end() - 1);
  used_ = 0;  // capacity_ is the remaining block's (0 when there is none)
  allocated_ = blocks_.empty() ? 0 : capacity_;
}

}  // namespace credo::rt
