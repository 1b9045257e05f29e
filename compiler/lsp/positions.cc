#include "compiler/lsp/positions.h"

#include <algorithm>

namespace credo::lsp {

namespace {
// How many units of `encoding` the UTF-8 sequence starting with byte `lead` counts for.
uint32_t Units(unsigned char lead, uint32_t bytes, Encoding encoding) {
  if (encoding == Encoding::Utf8) return bytes;
  return lead >= 0xF0 && bytes == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
}
}  // namespace

LineIndex::LineIndex(std::string_view text, Encoding encoding, uint32_t lead)
    : text_(text), encoding_(encoding), lead_(lead) {
  starts_.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

Position LineIndex::At(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts_.begin()) - 1;
  uint32_t character = line == 0 ? lead_ : 0;
  for (uint32_t i = starts_[line]; i < offset;) {
    Utf8Unit unit = Utf8At(text_, i);
    uint32_t size = std::min<uint32_t>(unit.size, offset - i);
    character += unit.valid ? Units(static_cast<unsigned char>(text_[i]), size, encoding_) : size;
    i += size;
  }
  return {line, character};
}

uint32_t LineIndex::OffsetOf(Position p) const {
  if (p.line >= starts_.size()) return static_cast<uint32_t>(text_.size());
  uint32_t i = starts_[p.line];
  uint32_t end = p.line + 1 < starts_.size() ? starts_[p.line + 1] - 1 : static_cast<uint32_t>(text_.size());
  if (end > i && text_[end - 1] == '\r') --end;
  uint32_t character = p.line == 0 ? lead_ : 0;
  while (i < end && character < p.character) {
    Utf8Unit unit = Utf8At(text_, i);
    character += unit.valid ? Units(static_cast<unsigned char>(text_[i]), unit.size, encoding_) : unit.size;
    i += std::min<uint32_t>(unit.size, end - i);
  }
  return i;
}

json ToJson(Position p) { return {{"line", p.line}, {"character", p.character}}; }

Position PositionFromJson(const json& j) {
  // Whole numbers only (a float out of range would not convert); negative ones count as 0.
  auto coordinate = [&](const char* name) {
    const json& v = j.at(name);
    if (!v.is_number_integer()) throw RpcError{kInvalidParams, std::string("a position's ") + name + " must be a whole number"};
    return static_cast<uint32_t>(std::clamp<int64_t>(v.is_number_unsigned() ? int64_t(std::min<uint64_t>(v.get<uint64_t>(), UINT32_MAX))
                                                                            : v.get<int64_t>(),
                                                     0, UINT32_MAX));
  };
  return {coordinate("line"), coordinate("character")};
}

json RangeJson(const LineIndex& lines, uint32_t begin, uint32_t end) {
  return {{"start", ToJson(lines.At(begin))}, {"end", ToJson(lines.At(std::max(begin, end)))}};
}

}  // namespace credo::lsp
